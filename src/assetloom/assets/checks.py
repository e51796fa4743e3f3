"""Asset checks: functions that verify assets after they materialize.

``@asset_check`` declares one check on one asset, ``@multi_asset_check`` several checks (on
one or more assets) computed by one function; an ``AssetCheckSpec`` describes one check
without code, and an asset that computes its own checks lists them in ``check_specs``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assetloom.assets.definition import (
    Param,
    ParamRole,
    bind_params,
    docstring_of,
    function_location,
)
from assetloom.assets.key import AssetKey
from assetloom.assets.spec import CoercibleToAssetDep, dep_keys
from assetloom.config import Config
from assetloom.errors import DefinitionsError, SourceLocation
from assetloom.resources import RESOURCE_TYPES


@dataclass(frozen=True, slots=True, order=True)
class AssetCheckKey:
    """Names one check: the asset it verifies and the check's name."""

    asset_key: AssetKey
    name: str

    def to_user_string(self) -> str:
        return f"{self.asset_key.to_user_string()}:{self.name}"


@dataclass(frozen=True, slots=True, init=False)
class AssetCheckSpec:
    """One check, described without code. ``blocking`` checks that fail with ERROR severity
    keep the assets downstream of ``asset`` from running in the same run."""

    name: str
    asset_key: AssetKey
    description: str | None
    blocking: bool
    metadata: Mapping[str, Any]
    additional_deps: tuple[AssetKey, ...] = field(default=())

    def __init__(
        self,
        name: str,
        *,
        asset: CoercibleToAssetDep,
        description: str | None = None,
        additional_deps: Iterable[CoercibleToAssetDep] | None = None,
        blocking: bool = False,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "name", name)
        setattr_(self, "asset_key", single_target(asset, "AssetCheckSpec"))
        setattr_(self, "description", description)
        setattr_(self, "blocking", blocking)
        setattr_(self, "metadata", dict(metadata or {}))
        extra = [key for dep in additional_deps or () for key in dep_keys(dep)]
        setattr_(self, "additional_deps", tuple(extra))

    @property
    def key(self) -> AssetCheckKey:
        return AssetCheckKey(self.asset_key, self.name)

    def with_description(self, description: str) -> AssetCheckSpec:
        described = copy.copy(self)
        object.__setattr__(described, "description", description)
        return described


class AssetChecksDefinition:
    """Checks computed by one function. It runs after its assets in the same run, and may
    take an asset's value through a parameter named after the asset."""

    __slots__ = ("compute_fn", "location", "node_name", "params", "specs")

    def __init__(
        self,
        *,
        specs: Sequence[AssetCheckSpec],
        compute_fn: Callable[..., Any],
        params: tuple[Param, ...],
        location: SourceLocation | None,
        node_name: str | None = None,
    ) -> None:
        if not specs:
            raise DefinitionsError("an asset check definition needs at least one check spec")
        self.specs = tuple(specs)
        self.compute_fn = compute_fn
        self.params = params
        self.location = location
        self.node_name = node_name or self.specs[0].name

    @property
    def _only(self) -> AssetCheckSpec:
        if len(self.specs) != 1:
            raise DefinitionsError(
                f"`{self.node_name}` defines {len(self.specs)} checks; use `check_keys`"
            )
        return self.specs[0]

    @property
    def name(self) -> str:
        return self._only.name

    @property
    def asset_key(self) -> AssetKey:
        return self._only.asset_key

    @property
    def description(self) -> str | None:
        return self._only.description

    @property
    def check_key(self) -> AssetCheckKey:
        return self._only.key

    @property
    def config_type(self) -> type[Config] | None:
        return next((p.config_type for p in self.params if p.config_type is not None), None)

    @property
    def check_keys(self) -> tuple[AssetCheckKey, ...]:
        return tuple(spec.key for spec in self.specs)

    @property
    def asset_keys(self) -> tuple[AssetKey, ...]:
        """The assets these checks verify, each once, in order."""
        return tuple(dict.fromkeys(spec.asset_key for spec in self.specs))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.compute_fn(*args, **kwargs)

    def __repr__(self) -> str:
        keys = ", ".join(key.to_user_string() for key in self.check_keys)
        return f"<AssetChecksDefinition {keys}>"


def single_target(asset: CoercibleToAssetDep, who: str) -> AssetKey:
    keys = dep_keys(asset)
    if len(keys) != 1:
        raise DefinitionsError(f"{who} needs exactly one target asset, got {len(keys)}")
    return keys[0]


def asset_check(
    *,
    asset: CoercibleToAssetDep,
    name: str | None = None,
    description: str | None = None,
    blocking: bool = False,
    additional_deps: Iterable[CoercibleToAssetDep] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Declare a check on ``asset``; the function returns an ``AssetCheckResult``."""
    target = single_target(asset, "@asset_check")

    def decorate(fn: Callable[..., Any]) -> AssetChecksDefinition:
        spec = AssetCheckSpec(
            name or fn.__name__,
            asset=target,
            description=description or docstring_of(fn),
            additional_deps=additional_deps,
            blocking=blocking,
            metadata=metadata,
        )
        return _checks_definition(fn, [spec], node_name=spec.name)

    return decorate


def multi_asset_check(
    *,
    specs: Sequence[AssetCheckSpec],
    name: str | None = None,
    description: str | None = None,
    can_subset: bool = False,  # accepted for Dagster code: every check of the function runs
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Declare several checks computed by one function, which yields (or returns) one
    ``AssetCheckResult(asset_key=..., check_name=...)`` per spec."""

    def decorate(fn: Callable[..., Any]) -> AssetChecksDefinition:
        described = [
            spec if spec.description or not description else spec.with_description(description)
            for spec in specs
        ]
        return _checks_definition(fn, described, node_name=name or fn.__name__)

    return decorate


def _checks_definition(
    fn: Callable[..., Any], specs: Sequence[AssetCheckSpec], *, node_name: str
) -> AssetChecksDefinition:
    targets = {spec.asset_key.name: spec.asset_key for spec in specs}
    prefix = specs[0].asset_key.path[:-1] if len(targets) == 1 else ()
    params = bind_params(fn, ins=None, key_prefix=prefix, resource_types=RESOURCE_TYPES)
    # A parameter named after a target receives that asset's value; others stay as bound.
    params = tuple(
        Param(p.name, ParamRole.INPUT, targets[p.name])
        if p.role is ParamRole.BY_NAME and p.name in targets
        else p
        for p in params
    )
    return AssetChecksDefinition(
        specs=specs,
        compute_fn=fn,
        params=params,
        location=function_location(fn),
        node_name=node_name,
    )
