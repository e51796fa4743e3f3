"""What a run reports: per-asset outcomes, materializations, check evaluations and failures."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assetloom.assets.key import AssetKey, CoercibleToAssetKey
from assetloom.assets.results import AssetCheckEvaluation, AssetMaterialization
from assetloom.errors import SourceLocation
from assetloom.execution.io_managers import IOManager


class AssetOutcome(enum.Enum):
    SUCCESS = "success"
    FAILURE = "failure"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class StepFailure:
    """An asset step or check that raised: what, where, and the formatted traceback."""

    node_name: str
    asset_keys: tuple[AssetKey, ...]
    error: BaseException
    traceback: str
    location: SourceLocation | None
    check_name: str | None = None

    @property
    def error_type(self) -> str:
        """The name of the exception's type, also for one that came back from a worker."""
        if isinstance(self.error, RemoteError):
            return self.error.type_name
        return type(self.error).__name__

    @property
    def summary(self) -> str:
        what = f"check `{self.check_name}` on" if self.check_name else "asset"
        keys = ", ".join(f"`{k.to_user_string()}`" for k in self.asset_keys)
        return f"{what} {keys} failed: {self.error_type}: {self.error}"


class RemoteError(Exception):
    """An exception raised in a worker that could not be pickled back: its type's name and
    its message survive, so the failure still reads the same."""

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(message)
        self.type_name = type_name

    def __reduce__(self) -> tuple[type[RemoteError], tuple[str, str]]:
        return RemoteError, (self.type_name, str(self))


class ExecuteInProcessResult:
    """The result of ``materialize``. ``success`` is False when any asset or check raised."""

    def __init__(
        self,
        *,
        run_id: str,
        outcomes: Mapping[AssetKey, AssetOutcome],
        materializations: Sequence[AssetMaterialization],
        check_evaluations: Sequence[AssetCheckEvaluation],
        failures: Sequence[StepFailure],
        node_keys: Mapping[str, tuple[AssetKey, ...]],
        io_manager: IOManager,
        cancelled: bool = False,
    ) -> None:
        self.run_id = run_id
        self.cancelled = cancelled
        self.outcomes = dict(outcomes)
        self.materializations = list(materializations)
        self.check_evaluations = list(check_evaluations)
        self.failures = list(failures)
        self._node_keys = dict(node_keys)
        self._io_manager = io_manager

    @property
    def success(self) -> bool:
        return not self.failures and not self.cancelled

    def _keys_with(self, outcome: AssetOutcome) -> list[AssetKey]:
        return sorted(k for k, o in self.outcomes.items() if o is outcome)

    @property
    def succeeded_keys(self) -> list[AssetKey]:
        return self._keys_with(AssetOutcome.SUCCESS)

    @property
    def failed_keys(self) -> list[AssetKey]:
        return self._keys_with(AssetOutcome.FAILURE)

    @property
    def skipped_keys(self) -> list[AssetKey]:
        return self._keys_with(AssetOutcome.SKIPPED)

    def node_asset_keys(self, node_name: str) -> tuple[AssetKey, ...]:
        """The keys a node (``"name"``, ``"prefix__name"`` or ``"prefix/name"``) stands for."""
        keys = self._node_keys.get(node_name)
        if keys is None:
            key = AssetKey(node_name)
            if key in self.outcomes:
                return (key,)
            from assetloom.errors import UnknownAssetKeyError, did_you_mean

            raise UnknownAssetKeyError(
                f"no node `{node_name}` in this run" + did_you_mean(node_name, self._node_keys)
            )
        return keys

    def output_for_node(self, node_name: str, output_name: str | None = None) -> Any:
        """The value the node's asset produced (``output_name`` picks one of a multi-asset)."""
        keys = self.node_asset_keys(node_name)
        if output_name is not None:
            keys = tuple(k for k in keys if output_name in ("__".join(k.path), k.name))
        if len(keys) != 1:
            raise ValueError(f"node `{node_name}` has several outputs; pass `output_name`")
        return self.asset_value(keys[0])

    def asset_value(self, key: CoercibleToAssetKey) -> Any:
        return self._io_manager.load_input(AssetKey.from_coercible(key))

    def asset_materializations_for_node(self, node_name: str) -> list[AssetMaterialization]:
        keys = set(self.node_asset_keys(node_name))
        return [m for m in self.materializations if m.asset_key in keys]

    def get_asset_materialization_events(self) -> list[AssetMaterialization]:
        return list(self.materializations)

    def get_asset_check_evaluations(self) -> list[AssetCheckEvaluation]:
        return list(self.check_evaluations)

    def __repr__(self) -> str:
        counts = {o.value: len(self._keys_with(o)) for o in AssetOutcome}
        return f"<ExecuteInProcessResult run_id={self.run_id} success={self.success} {counts}>"
