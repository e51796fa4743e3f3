"""Values an asset or an asset check returns, and the events a run records for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assetloom.assets.key import AssetKey, CoercibleToAssetKey


@dataclass(frozen=True, slots=True, init=False)
class MaterializeResult:
    """Returned (or yielded, in a multi-asset) to attach metadata to a materialization.
    ``value`` is what downstream assets receive; it defaults to None."""

    asset_key: AssetKey | None
    metadata: Mapping[str, Any]
    value: Any

    def __init__(
        self,
        *,
        asset_key: CoercibleToAssetKey | None = None,
        metadata: Mapping[str, Any] | None = None,
        value: Any = None,
    ) -> None:
        key = AssetKey.from_coercible(asset_key) if asset_key is not None else None
        object.__setattr__(self, "asset_key", key)
        object.__setattr__(self, "metadata", dict(metadata or {}))
        object.__setattr__(self, "value", value)


@dataclass(frozen=True, slots=True)
class AssetCheckResult:
    """What an ``@asset_check`` function returns."""

    passed: bool
    metadata: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None


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
