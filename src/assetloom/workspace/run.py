"""One run across code locations: the selection in dependency order, each asset executed by
its own location's process.

The plan is a sequence of batches, each the longest run of consecutive assets of one location
that the dependency order allows (so a location is asked as few times as possible). Before a
batch is sent, its assets with a failed or skipped upstream asset — in any location — are
skipped; inside a batch the location's own executor does the same. Values cross locations
through the filesystem IO manager under the workspace's ``.loom/storage``.

The observer sees one run: one ``RunStarted``, the step, materialization and check events of
every location (their own run-level events are dropped), the steps skipped here because of
another location, and one ``RunSucceeded`` or ``RunFailed``.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from assetloom.assets.key import AssetKey
from assetloom.errors import LoomError, SourceLocation
from assetloom.execution.events import (
    ErrorInfo,
    EventObserver,
    RunCancelled,
    RunFailed,
    RunStarted,
    RunSucceeded,
    StepEvent,
    StepFailed,
    StepSkipped,
    StepSucceeded,
    event_from_json,
)
from assetloom.workspace.graph import WorkspaceGraph
from assetloom.workspace.protocol import errors_from_json
from assetloom.workspace.snapshot import Json, location_from_json
from assetloom.workspace.workspace import Workspace

SUCCESS, FAILURE, SKIPPED = "success", "failure", "skipped"


@dataclass(frozen=True, slots=True)
class Batch:
    location: str
    keys: tuple[AssetKey, ...]


@dataclass(frozen=True, slots=True)
class RunFailure:
    location: str
    summary: str
    source: SourceLocation | None
    traceback: str


@dataclass
class WorkspaceRunResult:
    run_id: str
    outcomes: dict[AssetKey, str] = field(default_factory=dict)
    failures: list[RunFailure] = field(default_factory=list)
    errors: list[LoomError] = field(default_factory=list)
    """Requests a location could not serve at all (it crashed, a resource is missing)."""

    @property
    def success(self) -> bool:
        return (
            not self.failures
            and not self.errors
            and all(outcome == SUCCESS for outcome in self.outcomes.values())
        )

    def keys_with(self, outcome: str) -> list[AssetKey]:
        return sorted(k for k, o in self.outcomes.items() if o == outcome)


def plan_batches(graph: WorkspaceGraph, keys: Iterable[AssetKey]) -> list[Batch]:
    """``keys`` in dependency order, cut into batches of one location each, as few as the
    order allows: among the assets that are ready, those of the current location go first."""
    wanted = set(keys)
    indegree = {k: sum(1 for p in graph.parents(k) if p in wanted) for k in wanted}
    ready: dict[str, list[AssetKey]] = {}
    for key in wanted:
        if indegree[key] == 0:
            heapq.heappush(ready.setdefault(_owner(graph, key), []), key)
    batches: list[Batch] = []
    current: list[AssetKey] = []
    location = ""
    while any(ready.values()):
        if not ready.get(location):
            if current:
                batches.append(Batch(location, tuple(current)))
            current = []
            location = min(name for name, keys_ in ready.items() if keys_)
        key = heapq.heappop(ready[location])
        current.append(key)
        for child in graph.children(key):
            if child in wanted:
                indegree[child] -= 1
                if indegree[child] == 0:
                    heapq.heappush(ready.setdefault(_owner(graph, child), []), child)
    if current:
        batches.append(Batch(location, tuple(current)))
    return batches


def _owner(graph: WorkspaceGraph, key: AssetKey) -> str:
    owner = graph.code_location(key)
    assert owner is not None, "only keys a location defines are planned"
    return owner


def run_workspace(
    workspace: Workspace,
    keys: Iterable[AssetKey],
    *,
    observer: EventObserver | None = None,
    run_id: str | None = None,
    selection: str | None = None,
) -> WorkspaceRunResult:
    """Materialize ``keys`` (executable keys of the workspace graph) in one run."""
    graph = workspace.graph()
    result = WorkspaceRunResult(run_id or uuid.uuid4().hex)
    emit = observer or (lambda event: None)
    batches = plan_batches(graph, keys)
    planned = [key for batch in batches for key in batch.keys]
    emit(
        RunStarted(
            run_id=result.run_id,
            step_keys=tuple(dict.fromkeys(_step(graph, key) for key in planned)),
            asset_keys=tuple(planned),
            selection=selection,
        )
    )
    storage = str(workspace.storage_dir / "storage")
    try:
        for batch in batches:
            _run_batch(workspace, graph, batch, storage, result, emit)
    except KeyboardInterrupt:  # Ctrl-C reaches the locations too: they stop their steps
        emit(RunCancelled(run_id=result.run_id))
        raise
    if result.success:
        emit(RunSucceeded(run_id=result.run_id))
    else:
        reason = "; ".join(e.message for e in result.errors)  # a location failed, not a step
        error = ErrorInfo("CodeLocationError", reason) if reason else None
        emit(RunFailed(run_id=result.run_id, error=error))
    return result


def _run_batch(
    workspace: Workspace,
    graph: WorkspaceGraph,
    batch: Batch,
    storage: str,
    result: WorkspaceRunResult,
    emit: EventObserver,
) -> None:
    """Skip the batch's assets whose upstream did not succeed, have its location run the
    others, and record what it reports."""
    runnable = []
    for key in batch.keys:
        blocker = next(
            (p for p in graph.parent_list(key) if result.outcomes.get(p, SUCCESS) != SUCCESS),
            None,
        )
        if blocker is None:
            runnable.append(key)
            continue
        result.outcomes[key] = SKIPPED
        emit(
            StepSkipped(
                run_id=result.run_id,
                step=_step(graph, key),
                asset_keys=(key,),
                reason=f"upstream `{blocker.to_user_string()}` did not succeed",
            )
        )
    if not runnable:
        return
    answers = workspace.execute(
        batch.location,
        keys=[list(k.path) for k in runnable],
        run_id=result.run_id,
        storage_dir=storage,
    )
    errors_before = len(result.errors)
    for message in answers:
        _record(batch, message, result, emit)
    unfinished = [key for key in runnable if key not in result.outcomes]
    if unfinished:  # the location could not run them, or died while running them
        _fail_unfinished(graph, unfinished, result, emit, result.errors[errors_before:])


def _fail_unfinished(
    graph: WorkspaceGraph,
    keys: list[AssetKey],
    result: WorkspaceRunResult,
    emit: EventObserver,
    errors: list[LoomError],
) -> None:
    """Close the steps a location left open, so the run's record shows them failed."""
    reason = "; ".join(e.message for e in errors) or "the location did not report them"
    for key in keys:
        result.outcomes[key] = FAILURE
        emit(
            StepFailed(
                run_id=result.run_id,
                step=_step(graph, key),
                asset_keys=(key,),
                duration=0.0,
                error=ErrorInfo("CodeLocationError", reason),
            )
        )


def _step(graph: WorkspaceGraph, key: AssetKey) -> str:
    asset = graph.asset(key)
    return asset.node_name if asset is not None and asset.node_name else key.to_user_string()


def _record(batch: Batch, message: Json, result: WorkspaceRunResult, emit: EventObserver) -> None:
    kind = message["type"]
    if kind == "event":
        event = event_from_json(message["event"])
        if event.kind in RUN_LEVEL_KINDS:  # each batch is a run in its location
            return
        emit(event)
        outcome = STEP_OUTCOMES.get(event.kind)
        if outcome is not None and isinstance(event, StepEvent):
            for key in event.asset_keys:
                result.outcomes[key] = outcome
    elif kind == "done":
        for parts, outcome in message["outcomes"]:
            result.outcomes[AssetKey(parts)] = outcome
        result.failures.extend(
            RunFailure(
                batch.location,
                f["summary"],
                location_from_json(f["location"]),
                f["traceback"],
            )
            for f in message["failures"]
        )
    elif kind == "errors":
        result.errors.extend(errors_from_json(message["errors"]))


STEP_OUTCOMES = {
    StepSucceeded.kind: SUCCESS,
    StepFailed.kind: FAILURE,
    StepSkipped.kind: SKIPPED,
}
"""What a finished step says about its assets (``done`` then gives the final word)."""

RUN_LEVEL_KINDS = frozenset({RunStarted.kind, RunSucceeded.kind, RunFailed.kind, RunCancelled.kind})
