"""What an executor is to the run loop: something that opens a ``StepBackend`` for one run.

The run loop (``schedule.py``) decides which step starts when; a backend only runs the steps
it is handed and hands back their ``StepResult``s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from assetloom.assets.checks import AssetChecksDefinition
from assetloom.assets.definition import AssetsDefinition
from assetloom.config import RunConfigLike
from assetloom.defs import Definitions
from assetloom.errors import LoomError
from assetloom.execution.io_managers import InMemoryIOManager, IOManager
from assetloom.execution.result import RemoteError
from assetloom.execution.step import StepResult, StepRunner
from assetloom.graph.asset_graph import AssetGraph


@dataclass(frozen=True, slots=True)
class RunSpec:
    """Everything about one run that a backend may need to run its steps elsewhere.

    ``project_root`` is set when the definitions were loaded from a project, so that worker
    processes can load them again instead of inheriting them from this process.
    """

    definitions: Definitions
    graph: AssetGraph
    resources: Mapping[str, Any]
    io_manager: IOManager
    run_id: str
    step_timeout: float | None = None
    project_root: Path | None = None
    run_config: RunConfigLike = None
    run_tags: Mapping[str, str] = field(default_factory=dict)

    def check_values_can_travel(self, executor: str) -> None:
        """Steps in other processes hand values over through the IO manager; one that keeps
        them in this process's memory would lose them."""
        if isinstance(self.io_manager, InMemoryIOManager):
            raise LoomError(
                f"the {executor} executor runs steps in other processes, which cannot see "
                "values kept in memory",
                hint="pass io_manager=FilesystemIOManager(path), or use the in-process executor",
            )

    def runner(self) -> StepRunner:
        return StepRunner(
            self.graph,
            self.resources,
            self.io_manager,
            self.run_id,
            self.step_timeout,
            self.run_config,
            self.run_tags,
        )


@dataclass(frozen=True, slots=True)
class WorkerDefinitions:
    """How a worker process gets the run's step runner: it loads the project again
    (``project_root``), or it rebuilds the graph from the definitions it was sent (inherited
    by fork, or pickled; a graph itself is not sent, it indexes its definitions by identity)."""

    run_id: str
    io_manager: IOManager
    step_timeout: float | None
    project_root: Path | None = None
    assets: tuple[AssetsDefinition, ...] = ()
    checks: tuple[AssetChecksDefinition, ...] = ()
    resources: Mapping[str, Any] = field(default_factory=dict)
    code_location: str | None = None
    run_config: RunConfigLike = None
    run_tags: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, run: RunSpec) -> WorkerDefinitions:
        if run.project_root is not None:
            return cls(
                run.run_id,
                run.io_manager,
                run.step_timeout,
                run.project_root,
                run_config=run.run_config,
                run_tags=run.run_tags,
            )
        defs = run.definitions
        return cls(
            run.run_id,
            run.io_manager,
            run.step_timeout,
            assets=defs.assets,
            checks=defs.asset_checks,
            resources=run.resources,
            code_location=defs.code_location,
            run_config=run.run_config,
            run_tags=run.run_tags,
        )

    def runner(self) -> StepRunner:
        if self.project_root is None:
            graph = AssetGraph(self.assets, self.checks, code_location=self.code_location)
            resources = self.resources
        else:
            from assetloom.loading.walk import load_from_defs_folder

            defs = load_from_defs_folder(project_root=self.project_root)
            graph, resources = defs.resolve_asset_graph(), defs.resources
        return StepRunner(
            graph,
            resources,
            self.io_manager,
            self.run_id,
            self.step_timeout,
            self.run_config,
            self.run_tags,
        )


def steps_by_name(graph: AssetGraph) -> dict[str, AssetsDefinition]:
    """Every executable step of a worker's graph, by node name (how the run names a step)."""
    return {
        step.node_name: step
        for key in graph.executable_keys
        if (step := graph.assets_def(key)) is not None
    }


def portable(result: StepResult) -> StepResult:
    """``result`` as it can cross a process boundary: an exception or metadata value that
    cannot be pickled is replaced by its type name and text."""
    import pickle  # here: an in-process run pickles nothing

    try:
        pickle.dumps(result)
    except Exception:
        return replace(
            result,
            failures=tuple(
                replace(f, error=RemoteError(f.error_type, str(f.error))) for f in result.failures
            ),
            materializations=tuple(
                replace(m, metadata=_as_text(m.metadata)) for m in result.materializations
            ),
            check_evaluations=tuple(
                replace(e, metadata=_as_text(e.metadata)) for e in result.check_evaluations
            ),
        )
    return result


def _as_text(metadata: Mapping[str, Any]) -> dict[str, Any]:
    return {name: repr(value) for name, value in metadata.items()}


class StepBackend(Protocol):
    """Where started steps run. ``collect`` blocks until at least one has finished."""

    @property
    def capacity(self) -> int:
        """How many steps may run at once."""
        ...

    def submit(self, step: AssetsDefinition) -> None: ...

    def collect(self) -> Sequence[StepResult]: ...

    def cancel(self) -> None:
        """Stop every running step now (Ctrl-C)."""


class Executor(Protocol):
    """``materialize(executor=...)``: in-process, multiprocess or Dask."""

    def open(self, run: RunSpec) -> AbstractContextManager[StepBackend]: ...
