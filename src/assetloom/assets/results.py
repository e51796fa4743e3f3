"""Values an asset or an asset check returns, and the events a run records for them."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from assetloom.assets.key import AssetKey, CoercibleToAssetKey

DEFAULT_OUTPUT = "result"

T = TypeVar("T")


class AssetCheckSeverity(enum.Enum):
    """How bad a failed check is. Only an ``ERROR`` failure of a blocking check stops the
    assets downstream of its asset."""

    WARN = "WARN"
    ERROR = "ERROR"


@dataclass(frozen=True, slots=True)
class AssetCheckResult:
    """What an ``@asset_check`` function returns, or what an asset with ``check_specs``
    yields (or puts in ``MaterializeResult(check_results=...)``) for each of its checks.
    ``asset_key`` and ``check_name`` may be left out when only one check could be meant."""

    passed: bool
    asset_key: AssetKey | None = None
    check_name: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
    description: str | None = None

    def __init__(
        self,
        passed: bool,
        *,
        asset_key: CoercibleToAssetKey | None = None,
        check_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
        description: str | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "passed", bool(passed))
        setattr_(self, "asset_key", _key_or_none(asset_key))
        setattr_(self, "check_name", check_name)
        setattr_(self, "metadata", dict(metadata or {}))
        setattr_(self, "severity", severity)
        setattr_(self, "description", description)


@dataclass(frozen=True, slots=True, init=False)
class MaterializeResult:
    """Returned (or yielded, by a multi-asset) to attach metadata and check results to a
    materialization. ``value`` is what downstream assets receive; it defaults to None."""

    asset_key: AssetKey | None
    metadata: Mapping[str, Any]
    check_results: tuple[AssetCheckResult, ...]
    tags: Mapping[str, str]
    value: Any

    def __init__(
        self,
        asset_key: CoercibleToAssetKey | None = None,
        *,
        metadata: Mapping[str, Any] | None = None,
        check_results: Sequence[AssetCheckResult] | None = None,
        data_version: Any = None,  # accepted for Dagster code; assetloom keeps no versions
        tags: Mapping[str, str] | None = None,
        value: Any = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "asset_key", _key_or_none(asset_key))
        setattr_(self, "metadata", dict(metadata or {}))
        setattr_(self, "check_results", tuple(check_results or ()))
        setattr_(self, "tags", dict(tags or {}))
        setattr_(self, "value", value)


@dataclass(frozen=True, slots=True, init=False)
class Output(Generic[T]):
    """One output's value, yielded or returned by an asset: ``output_name`` picks which asset
    of a multi-asset it is (the name given in ``outs``); ``metadata`` joins the
    materialization."""

    value: T
    output_name: str
    metadata: Mapping[str, Any]
    tags: Mapping[str, str]

    def __init__(
        self,
        value: T,
        output_name: str = DEFAULT_OUTPUT,
        metadata: Mapping[str, Any] | None = None,
        data_version: Any = None,  # accepted for Dagster code; assetloom keeps no versions
        *,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "value", value)
        setattr_(self, "output_name", output_name)
        setattr_(self, "metadata", dict(metadata or {}))
        setattr_(self, "tags", dict(tags or {}))


@dataclass(frozen=True, slots=True)
class AssetMaterialization:
    """The record that an asset was materialized in a run."""

    asset_key: AssetKey
    metadata: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AssetCheckEvaluation:
    """The record of one asset check's outcome in a run."""

    asset_key: AssetKey
    check_name: str
    passed: bool
    metadata: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR
    blocking: bool = False

    @property
    def stops_downstream(self) -> bool:
        """A blocking check that failed with ERROR severity holds back downstream assets."""
        return self.blocking and not self.passed and self.severity is AssetCheckSeverity.ERROR


def _key_or_none(key: CoercibleToAssetKey | None) -> AssetKey | None:
    return AssetKey.from_coercible(key) if key is not None else None
