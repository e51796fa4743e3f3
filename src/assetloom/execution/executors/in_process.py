"""The in-process executor: run asset steps one after another in dependency order.

A step that fails blocks everything downstream of it in this run (reported as skipped), while
independent branches go on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assetloom.assets.definition import AssetsDefinition
from assetloom.assets.key import AssetKey
from assetloom.assets.results import AssetCheckEvaluation, AssetMaterialization
from assetloom.execution.io_managers import IOManager
from assetloom.execution.plan import check_resources
from assetloom.execution.result import AssetOutcome, ExecuteInProcessResult, StepFailure
from assetloom.execution.step import StepResult, StepRunner
from assetloom.graph.asset_graph import AssetGraph


@dataclass(frozen=True, slots=True)
class StepEvent:
    """Reported to an observer as each step ends (the CLI prints these)."""

    node_name: str
    asset_keys: tuple[AssetKey, ...]
    outcome: AssetOutcome
    duration: float
    failure: StepFailure | None = None


Observer = Callable[[StepEvent], None]


class InProcessExecutor:
    """Runs a plan in this process."""

    def __init__(
        self,
        graph: AssetGraph,
        *,
        resources: Mapping[str, Any],
        io_manager: IOManager,
        observer: Observer | None = None,
        run_id: str | None = None,
    ) -> None:
        self.graph = graph
        self.resources = resources
        self.io_manager = io_manager
        self.observer = observer
        self.run_id = run_id or uuid.uuid4().hex
        self.outcomes: dict[AssetKey, AssetOutcome] = {}
        self.materializations: list[AssetMaterialization] = []
        self.check_evaluations: list[AssetCheckEvaluation] = []
        self.failures: list[StepFailure] = []

    def run(self, steps: list[AssetsDefinition]) -> ExecuteInProcessResult:
        check_resources(self.graph, steps, self.resources)
        runner = StepRunner(self.graph, self.resources, self.io_manager, self.run_id)
        for resource in self.resources.values():
            setup = getattr(resource, "setup_for_execution", None)
            if callable(setup):
                setup(None)
        try:
            for step in steps:
                if self._blocked(step):
                    self._skip(step)
                else:
                    self._record(runner.run(step))
        finally:
            for resource in self.resources.values():
                teardown = getattr(resource, "teardown_after_execution", None)
                if callable(teardown):
                    teardown(None)
        return ExecuteInProcessResult(
            run_id=self.run_id,
            outcomes=self.outcomes,
            materializations=self.materializations,
            check_evaluations=self.check_evaluations,
            failures=self.failures,
            node_keys={s.node_name: tuple(sorted(s.keys)) for s in steps},
            io_manager=self.io_manager,
        )

    def _blocked(self, step: AssetsDefinition) -> bool:
        outcomes = self.outcomes
        for key in step.keys:
            for parent in self.graph.parent_list(key):
                outcome = outcomes.get(parent)
                if outcome is not None and outcome is not AssetOutcome.SUCCESS:
                    return True
        return False

    def _skip(self, step: AssetsDefinition) -> None:
        keys = tuple(sorted(step.keys))
        for key in keys:
            self.outcomes[key] = AssetOutcome.SKIPPED
        if self.observer is not None:
            self.observer(StepEvent(step.node_name, keys, AssetOutcome.SKIPPED, 0.0))

    def _record(self, result: StepResult) -> None:
        self.outcomes.update(result.outcomes)
        self.materializations.extend(result.materializations)
        self.check_evaluations.extend(result.check_evaluations)
        self.failures.extend(result.failures)
        if self.observer is not None:
            step_failure = next((f for f in result.failures if f.check_name is None), None)
            self.observer(
                StepEvent(
                    result.node_name,
                    result.asset_keys,
                    result.outcome,
                    result.duration,
                    step_failure,
                )
            )
