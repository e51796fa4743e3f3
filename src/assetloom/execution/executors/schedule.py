"""The run loop every executor shares: which steps may start now, what the run recorded, and
the events it reports.

A step starts as soon as every step it depends on has finished — not level by level — and is
skipped when an upstream asset failed, was skipped, or has a failed blocking check. Executors
differ only in their ``StepBackend``: where a started step runs and how its result comes back.
"""

from __future__ import annotations

import heapq
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from assetloom.assets.definition import AssetsDefinition
from assetloom.assets.key import AssetKey
from assetloom.assets.results import AssetCheckEvaluation, AssetMaterialization
from assetloom.execution.executors.backend import StepBackend
from assetloom.execution.io_managers import IOManager
from assetloom.execution.plan import upstream_steps
from assetloom.execution.result import AssetOutcome, ExecuteInProcessResult, StepFailure
from assetloom.execution.step import StepResult
from assetloom.graph.asset_graph import AssetGraph

if TYPE_CHECKING:
    from assetloom.execution.events import ErrorInfo, EventObserver, RunEvent

# The event types are imported where an event is built, and an event is built only for an
# observer: a run nobody watches (``materialize()`` in a test) neither imports nor makes them.


class Schedule:
    """One run of a plan: the steps still to start, the outcomes so far, the event stream."""

    def __init__(
        self,
        graph: AssetGraph,
        steps: Sequence[AssetsDefinition],
        *,
        run_id: str,
        observer: EventObserver | None = None,
        selection: str | None = None,
    ) -> None:
        self.graph = graph
        self.run_id = run_id
        self.selection = selection
        self._observer = observer
        self._steps = {step.node_name: step for step in steps}
        self._step_keys = {step.node_name: tuple(sorted(step.keys)) for step in steps}
        self._names = list(self._steps)
        self._order = {name: i for i, name in enumerate(self._names)}
        upstream = upstream_steps(graph, steps)
        self._waiting_on = {node: len(parents) for node, parents in upstream.items()}
        self._downstream: dict[str, list[str]] = {node: [] for node in upstream}
        for node, parents in upstream.items():
            for parent in parents:
                self._downstream[parent].append(node)
        self._ready = [self._order[n] for n, count in self._waiting_on.items() if count == 0]
        heapq.heapify(self._ready)
        self._started_at: dict[str, float] = {}
        self._unfinished = len(steps)
        self.outcomes: dict[AssetKey, AssetOutcome] = {}
        self._stopped_keys: set[AssetKey] = set()
        self.materializations: list[AssetMaterialization] = []
        self.check_evaluations: list[AssetCheckEvaluation] = []
        self.failures: list[StepFailure] = []
        self.cancelled = False
        self.stopped_by: str | None = None
        """Why no further step starts: a failure that every later step would share."""

    # --- the loop -----------------------------------------------------------------------

    def drive(self, backend: StepBackend) -> None:
        """Run every step on ``backend``; Ctrl-C cancels the run instead of escaping."""
        if self._observer is not None:
            from assetloom.execution.events import RunStarted

            self._observer(
                RunStarted(
                    run_id=self.run_id,
                    step_keys=tuple(self._steps),
                    asset_keys=tuple(sorted(k for s in self._steps.values() for k in s.keys)),
                    selection=self.selection,
                )
            )
        try:
            with _ctrl_c_noted() as interrupted:
                self._loop(backend, interrupted)
        except KeyboardInterrupt:
            backend.cancel()
            self._cancel()
        except Exception as error:  # the executor itself broke (a worker could not load)
            backend.cancel()
            if self._observer is not None:
                from assetloom.execution.events import ErrorInfo, RunFailed

                self._observer(RunFailed(run_id=self.run_id, error=ErrorInfo.from_exception(error)))
            raise

    def _loop(self, backend: StepBackend, interrupted: Callable[[], bool]) -> None:
        while self._unfinished:
            while len(self._started_at) < backend.capacity:
                step = self._next_ready()
                if step is None:
                    break
                self._start(step)
                backend.submit(step)
            if not self._started_at:
                continue  # every ready step was skipped; more may be ready now
            finished = backend.collect()
            if interrupted():  # a step swallowed the KeyboardInterrupt; its result is moot
                raise KeyboardInterrupt
            for result in finished:
                self.finish(result)

    def _next_ready(self) -> AssetsDefinition | None:
        """The next step (in plan order) whose upstream steps all finished; blocked steps
        found on the way are skipped."""
        while self._ready:
            step = self._steps[self._names[heapq.heappop(self._ready)]]
            if self.stopped_by is not None:
                self._skip(step, f"the run stopped: {self.stopped_by}")
                continue
            blocker = self._blocker(step)
            if blocker is None:
                return step
            self._skip(step, f"upstream `{blocker.to_user_string()}` did not materialize")
        return None

    def _blocker(self, step: AssetsDefinition) -> AssetKey | None:
        outcomes = self.outcomes
        for key in step.keys:
            for parent in self.graph.parent_list(key):
                outcome = outcomes.get(parent)
                if outcome is not None and outcome is not AssetOutcome.SUCCESS:
                    return parent
                if parent in self._stopped_keys:
                    return parent
        return None

    def _start(self, step: AssetsDefinition) -> None:
        node = step.node_name
        self._started_at[node] = time.perf_counter()
        if self._observer is not None:
            from assetloom.execution.events import StepStarted

            keys = self._step_keys[node]
            self._observer(StepStarted(run_id=self.run_id, step=node, asset_keys=keys))

    def _release(self, node: str) -> None:
        self._unfinished -= 1
        for child in self._downstream[node]:
            self._waiting_on[child] -= 1
            if self._waiting_on[child] == 0:
                heapq.heappush(self._ready, self._order[child])

    # --- recording ----------------------------------------------------------------------

    def finish(self, result: StepResult) -> None:
        """Record a finished step and report what it did."""
        node = result.node_name
        self._started_at.pop(node, None)
        self.outcomes.update(result.outcomes)
        self.materializations.extend(result.materializations)
        self.check_evaluations.extend(result.check_evaluations)
        self.failures.extend(result.failures)
        for evaluation in result.check_evaluations:
            if evaluation.stops_downstream:
                self._stopped_keys.add(evaluation.asset_key)
        failure = next((f for f in result.failures if f.check_name is None), None)
        if failure is not None and getattr(failure.error, "stops_run", False):
            self.stopped_by = self.stopped_by or str(failure.error)
        if self._observer is not None:  # events are built only for someone to see them
            self._report(result, failure)
        self._release(node)

    def _report(self, result: StepResult, failure: StepFailure | None) -> None:
        from assetloom.execution.events import (
            AssetMaterialized,
            CheckEvaluated,
            StepFailed,
            StepSucceeded,
        )

        node = result.node_name
        for event in result.events:
            self._emit(event)
        step = self._steps[node]
        code_versions = {spec.key: spec.code_version for spec in step.specs}
        for materialization in result.materializations:
            self._emit(
                AssetMaterialized(
                    run_id=self.run_id,
                    step=node,
                    key=materialization.asset_key,
                    metadata=materialization.metadata,
                    code_version=code_versions.get(materialization.asset_key),
                )
            )
        for evaluation in result.check_evaluations:
            self._emit(
                CheckEvaluated(
                    run_id=self.run_id,
                    step=node,
                    key=evaluation.asset_key,
                    check_name=evaluation.check_name,
                    passed=evaluation.passed,
                    metadata=evaluation.metadata,
                    description=evaluation.description,
                )
            )
        if failure is None:
            self._emit(
                StepSucceeded(
                    run_id=self.run_id,
                    step=node,
                    asset_keys=result.asset_keys,
                    duration=result.duration,
                )
            )
        else:
            self._emit(
                StepFailed(
                    run_id=self.run_id,
                    step=node,
                    asset_keys=result.asset_keys,
                    duration=result.duration,
                    error=_error_info(failure),
                )
            )

    def _skip(self, step: AssetsDefinition, reason: str) -> None:
        keys = self._step_keys[step.node_name]
        for key in keys:
            self.outcomes[key] = AssetOutcome.SKIPPED
        if self._observer is not None:
            from assetloom.execution.events import StepSkipped

            self._observer(
                StepSkipped(run_id=self.run_id, step=step.node_name, asset_keys=keys, reason=reason)
            )
        self._release(step.node_name)

    def _cancel(self) -> None:
        """Ctrl-C: running steps are reported failed (cancelled), the rest skipped."""
        from assetloom.execution.events import ErrorInfo, StepFailed, StepSkipped

        self.cancelled = True
        now = time.perf_counter()
        for node, started in list(self._started_at.items()):
            keys = self._step_keys[node]
            for key in keys:
                self.outcomes[key] = AssetOutcome.FAILURE
            error = ErrorInfo("RunCancelled", "stopped by Ctrl-C while running")
            self._emit(
                StepFailed(
                    run_id=self.run_id,
                    step=node,
                    asset_keys=keys,
                    duration=now - started,
                    error=error,
                )
            )
        self._started_at.clear()
        for node, keys in self._step_keys.items():
            if not any(key in self.outcomes for key in keys):
                for key in keys:
                    self.outcomes[key] = AssetOutcome.SKIPPED
                self._emit(
                    StepSkipped(
                        run_id=self.run_id,
                        step=node,
                        asset_keys=keys,
                        reason="run cancelled",
                    )
                )

    def _emit(self, event: RunEvent) -> None:
        if self._observer is not None:
            self._observer(event)

    # --- the end ------------------------------------------------------------------------

    def result(self, io_manager: IOManager) -> ExecuteInProcessResult:
        """Report how the run ended, and what it did."""
        if self._observer is not None:
            from assetloom.execution.events import RunCancelled, RunFailed, RunSucceeded

            if self.cancelled:
                self._observer(RunCancelled(run_id=self.run_id))
            elif self.failures:
                self._observer(RunFailed(run_id=self.run_id))
            else:
                self._observer(RunSucceeded(run_id=self.run_id))
        return ExecuteInProcessResult(
            run_id=self.run_id,
            outcomes=self.outcomes,
            materializations=self.materializations,
            check_evaluations=self.check_evaluations,
            failures=self.failures,
            node_keys=dict(self._step_keys),
            io_manager=io_manager,
            cancelled=self.cancelled,
        )


@contextmanager
def _ctrl_c_noted() -> Iterator[Callable[[], bool]]:
    """Ctrl-C raises KeyboardInterrupt as usual, and is also remembered: code inside a step
    may swallow it (DuckDB turns it into ``RuntimeError: Query interrupted``), and the run
    must still end as cancelled."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    noted: list[int] = []

    def on_ctrl_c(signum: int, _frame: object) -> None:
        noted.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield lambda: bool(noted)
    finally:
        signal.signal(signal.SIGINT, previous)


def _error_info(failure: StepFailure) -> ErrorInfo:
    from assetloom.execution.events import ErrorInfo

    return ErrorInfo(
        failure.error_type,
        str(failure.error),
        failure.traceback,
        str(failure.location) if failure.location is not None else None,
    )
