"""The ``context`` an asset function receives."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from assetloom.assets.key import AssetKey

_LOGGER = logging.getLogger("assetloom.run")


class AssetExecutionContext:
    """Run-time facts for one asset step: its key(s), the run id, a logger and the resources."""

    __slots__ = ("_metadata", "asset_keys", "log", "resources", "run_id")

    def __init__(
        self,
        *,
        run_id: str,
        asset_keys: tuple[AssetKey, ...],
        resources: Mapping[str, Any],
    ) -> None:
        self.run_id = run_id
        self.asset_keys = asset_keys
        self.resources = _ResourceNamespace(resources)
        self.log = logging.LoggerAdapter(_LOGGER, {"run_id": run_id})
        self._metadata: dict[AssetKey, dict[str, Any]] = {}

    @property
    def asset_key(self) -> AssetKey:
        if len(self.asset_keys) != 1:
            raise ValueError("this step materializes several assets; use `asset_keys`")
        return self.asset_keys[0]

    def add_output_metadata(self, metadata: Mapping[str, Any], asset_key: Any = None) -> None:
        """Attach metadata to the materialization this step records."""
        key = AssetKey.from_coercible(asset_key) if asset_key is not None else self.asset_key
        self._metadata.setdefault(key, {}).update(metadata)

    def added_metadata(self, key: AssetKey) -> dict[str, Any]:
        return self._metadata.get(key, {})


class _ResourceNamespace:
    """``context.resources.warehouse``: attribute access to the run's resources."""

    __slots__ = ("_resources",)

    def __init__(self, resources: Mapping[str, Any]) -> None:
        self._resources = resources

    def __getattr__(self, name: str) -> Any:
        try:
            return self._resources[name]
        except KeyError:
            raise AttributeError(f"no resource named `{name}`") from None
