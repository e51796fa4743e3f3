"""Asset jobs: a named selection of assets (with run config and tags) that ``Definitions``
carries, ``loom materialize --job NAME`` runs, and tests run with ``execute_in_process``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assetloom.assets.asset_selection import AssetSelection
from assetloom.config import RunConfigLike

if TYPE_CHECKING:
    from assetloom.defs import Definitions
    from assetloom.execution.result import ExecuteInProcessResult

JobSelection = str | AssetSelection | Sequence[Any] | None


@dataclass(frozen=True, slots=True)
class AssetJob:
    """What ``define_asset_job`` returns: a name for a selection (every asset when None)."""

    name: str
    selection: JobSelection = None
    config: RunConfigLike = None
    description: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def bind(self, defs: Definitions) -> BoundAssetJob:
        return BoundAssetJob(self, defs)


@dataclass(frozen=True, slots=True)
class BoundAssetJob:
    """A job and the Definitions it selects from (``defs.get_job_def(name)``)."""

    job: AssetJob
    definitions: Definitions

    @property
    def name(self) -> str:
        return self.job.name

    def execute_in_process(
        self,
        run_config: RunConfigLike = None,
        *,
        resources: Mapping[str, Any] | None = None,
        raise_on_error: bool = True,
        tags: Mapping[str, str] | None = None,
        **_ignored: Any,
    ) -> ExecuteInProcessResult:
        """Run the job's assets in this process; ``run_config`` replaces the job's own."""
        from assetloom.execution.materialize import materialize

        return materialize(
            self.definitions,
            selection=self.job.selection,
            resources=resources,
            raise_on_error=raise_on_error,
            run_config=run_config if run_config is not None else self.job.config,
            tags={**self.job.tags, **(tags or {})},
        )


def define_asset_job(
    name: str,
    selection: JobSelection = None,
    config: RunConfigLike = None,
    description: str | None = None,
    tags: Mapping[str, str] | None = None,
    run_tags: Mapping[str, str] | None = None,
    **_ignored: Any,
) -> AssetJob:
    """A job that materializes ``selection`` (a selection string, an ``AssetSelection``, or
    keys and asset definitions). Executor and partition arguments are accepted and ignored."""
    return AssetJob(name, selection, config, description, {**(tags or {}), **(run_tags or {})})
