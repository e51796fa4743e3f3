"""The ``context`` an asset (or asset check) function receives, and ``build_asset_context``
to make one in a unit test."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from assetloom.assets.checks import AssetCheckKey
from assetloom.assets.key import AssetKey, CoercibleToAssetKey
from assetloom.errors import InvariantViolationError, UnknownResourceError

_LOGGER = logging.getLogger("assetloom.run")
_NONE: Mapping[Any, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class RunInfo:
    """``context.run``: the run this step belongs to."""

    run_id: str
    tags: Mapping[str, str] = field(default_factory=dict)
    job_name: str | None = None


class AssetExecutionContext:
    """Run-time facts for one asset step: which of its assets the run selected (by key and by
    output name), the run, its config, a logger and the resources."""

    __slots__ = (
        "_metadata",
        "_output_names",
        "asset_keys",
        "log",
        "op_config",
        "resources",
        "run",
    )

    def __init__(
        self,
        *,
        run_id: str,
        asset_keys: tuple[AssetKey, ...],
        resources: Mapping[str, Any],
        output_names: Mapping[AssetKey, str] | None = None,
        run_tags: Mapping[str, str] | None = None,
        op_config: Any = None,
        job_name: str | None = None,
    ) -> None:
        self.run = RunInfo(run_id, run_tags or _NONE, job_name)
        self.asset_keys = asset_keys
        self.resources = _ResourceNamespace(resources)
        self.log = logging.LoggerAdapter(_LOGGER, {"run_id": run_id})
        self.op_config = op_config
        self._output_names = output_names or _NONE
        self._metadata: dict[AssetKey, dict[str, Any]] = {}

    @property
    def run_id(self) -> str:
        return self.run.run_id

    @property
    def run_tags(self) -> Mapping[str, str]:
        return self.run.tags

    @property
    def job_name(self) -> str | None:
        return self.run.job_name

    @property
    def asset_key(self) -> AssetKey:
        if len(self.asset_keys) != 1:
            raise InvariantViolationError(
                "this step materializes several assets; use `selected_asset_keys` or "
                "`asset_key_for_output(name)`"
            )
        return self.asset_keys[0]

    @property
    def selected_asset_keys(self) -> set[AssetKey]:
        return set(self.asset_keys)

    @property
    def selected_output_names(self) -> set[str]:
        return {self.output_name_for(key) for key in self.asset_keys}

    @property
    def has_partition_key(self) -> bool:
        return False  # assetloom has no partitions yet

    def asset_key_for_output(self, output_name: str = "result") -> AssetKey:
        for key in self.asset_keys:
            if self.output_name_for(key) == output_name:
                return key
        raise InvariantViolationError(
            f"no selected asset has output name `{output_name}` "
            f"(outputs: {', '.join(sorted(self.selected_output_names))})"
        )

    def output_name_for(self, key: AssetKey) -> str:
        return self._output_names.get(key, "result")

    def add_output_metadata(
        self, metadata: Mapping[str, Any], output_name: str | None = None
    ) -> None:
        """Attach metadata to the materialization of the asset behind ``output_name`` (the
        only asset of the step when None)."""
        key = self.asset_key if output_name is None else self.asset_key_for_output(output_name)
        self._metadata.setdefault(key, {}).update(metadata)

    def add_asset_metadata(
        self, metadata: Mapping[str, Any], asset_key: CoercibleToAssetKey | None = None
    ) -> None:
        """Attach metadata to the materialization of ``asset_key`` (the only asset when None)."""
        key = AssetKey.from_coercible(asset_key) if asset_key is not None else self.asset_key
        if key not in self.asset_keys:
            raise InvariantViolationError(
                f"`{key.to_user_string()}` is not materialized by this step"
            )
        self._metadata.setdefault(key, {}).update(metadata)

    def added_metadata(self, key: AssetKey) -> dict[str, Any]:
        return self._metadata.get(key, {})

    def bind_to(self, keys: Iterable[AssetKey], output_names: Mapping[AssetKey, str]) -> None:
        """Make a context from ``build_asset_context`` speak for the asset it is passed to."""
        if not self.asset_keys:
            self.asset_keys = tuple(sorted(keys))
            self._output_names = dict(output_names)

    def __enter__(self) -> AssetExecutionContext:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


OpExecutionContext = AssetExecutionContext
"""Dagster's older name for the context, still used in annotations."""


class AssetCheckExecutionContext:
    """The ``context`` of an asset check: the checks being run, the run, a logger and the
    resources."""

    __slots__ = ("check_keys", "log", "op_config", "resources", "run")

    def __init__(
        self,
        *,
        run_id: str,
        check_keys: Iterable[AssetCheckKey],
        resources: Mapping[str, Any],
        run_tags: Mapping[str, str] | None = None,
        op_config: Any = None,
    ) -> None:
        self.run = RunInfo(run_id, dict(run_tags or {}))
        self.check_keys = tuple(check_keys)
        self.resources = _ResourceNamespace(resources)
        self.log = logging.LoggerAdapter(_LOGGER, {"run_id": run_id})
        self.op_config = op_config

    @property
    def run_id(self) -> str:
        return self.run.run_id

    @property
    def selected_asset_check_keys(self) -> set[AssetCheckKey]:
        return set(self.check_keys)

    @property
    def asset_key(self) -> AssetKey:
        """The asset checked, when every check of this function is on the same one."""
        keys = {check.asset_key for check in self.check_keys}
        if len(keys) != 1:
            raise InvariantViolationError("these checks verify several assets; use `check_keys`")
        return keys.pop()


def build_asset_context(
    resources: Mapping[str, Any] | None = None,
    *,
    asset_config: Any = None,
    partition_key: str | None = None,
    run_tags: Mapping[str, str] | None = None,
    **_ignored: Any,
) -> AssetExecutionContext:
    """A context for calling an asset function directly in a unit test
    (``my_asset(build_asset_context(resources={...}))``): calling the asset binds it to the
    asset's keys. ``partition_key`` and Dagster-only arguments such as ``instance`` are
    accepted and ignored."""
    del partition_key
    return AssetExecutionContext(
        run_id=uuid.uuid4().hex,
        asset_keys=(),
        resources=dict(resources or {}),
        run_tags=run_tags,
        op_config=asset_config,
    )


class _ResourceNamespace:
    """``context.resources.warehouse``: attribute access to the run's resources."""

    __slots__ = ("_resources",)

    def __init__(self, resources: Mapping[str, Any]) -> None:
        self._resources = resources

    def __getattr__(self, name: str) -> Any:
        try:
            return self._resources[name]
        except KeyError:
            listed = ", ".join(sorted(self._resources)) or "none"
            raise UnknownResourceError(f"no resource named `{name}` (provided: {listed})") from None

    def original_resource_dict(self) -> dict[str, Any]:
        return dict(self._resources)
