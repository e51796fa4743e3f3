"""Asset checks: functions that verify an asset after it materializes."""

from __future__ import annotations

from collections.abc import Callable
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
from assetloom.errors import SourceLocation
from assetloom.resources import RESOURCE_TYPES


class AssetChecksDefinition:
    """One check on one asset. It runs after its asset in the same run, and may take the
    asset's value through a parameter named after the asset."""

    __slots__ = ("asset_key", "compute_fn", "description", "location", "name", "params")

    def __init__(
        self,
        *,
        name: str,
        asset_key: AssetKey,
        compute_fn: Callable[..., Any],
        params: tuple[Param, ...],
        description: str | None,
        location: SourceLocation | None,
    ) -> None:
        self.name = name
        self.asset_key = asset_key
        self.compute_fn = compute_fn
        self.params = params
        self.description = description
        self.location = location

    @property
    def check_key(self) -> tuple[AssetKey, str]:
        return (self.asset_key, self.name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.compute_fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<AssetChecksDefinition {self.asset_key.to_user_string()}:{self.name}>"


def asset_check(
    *,
    asset: CoercibleToAssetDep,
    name: str | None = None,
    description: str | None = None,
) -> Callable[[Callable[..., Any]], AssetChecksDefinition]:
    """Declare a check on ``asset``; the function returns an ``AssetCheckResult``."""
    keys = dep_keys(asset)
    if len(keys) != 1:
        raise ValueError("@asset_check needs exactly one target asset")
    target = keys[0]

    def decorate(fn: Callable[..., Any]) -> AssetChecksDefinition:
        params = bind_params(
            fn, ins=None, key_prefix=target.path[:-1], resource_types=RESOURCE_TYPES
        )
        # A parameter named after the target receives its value; others stay as bound.
        params = tuple(
            Param(p.name, ParamRole.INPUT, target)
            if p.role is ParamRole.BY_NAME and p.name == target.name
            else p
            for p in params
        )
        return AssetChecksDefinition(
            name=name or fn.__name__,
            asset_key=target,
            compute_fn=fn,
            params=params,
            description=description or docstring_of(fn),
            location=function_location(fn),
        )

    return decorate

