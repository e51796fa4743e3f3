"""A run's story told from its event log: its steps (``loom runs show``) and what is left to
rerun (``loom materialize --from-failure``). Plain Python over events, no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from assetloom.assets.key import AssetKey
from assetloom.execution.events import (
    AssetMaterialized,
    CheckEvaluated,
    JsonValue,
    LogMessage,
    RunEvent,
    RunStarted,
    StepEvent,
    StepFailed,
    StepRetried,
    StepSkipped,
    StepStarted,
    StepSucceeded,
)
from assetloom.storage.records import StepRecord, StepStatus

_END_STATUS: dict[type[StepEvent], StepStatus] = {
    StepSucceeded: StepStatus.SUCCEEDED,
    StepFailed: StepStatus.FAILED,
    StepSkipped: StepStatus.SKIPPED,
}


@dataclass
class _Step:
    asset_keys: tuple[AssetKey, ...] = ()
    status: StepStatus = StepStatus.STARTED
    started_at: float | None = None
    duration: float | None = None
    attempts: int = 0
    metadata: dict[str, dict[str, JsonValue]] = field(default_factory=dict)
    checks: list[tuple[str, bool]] = field(default_factory=list)
    logs: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None


def steps_of_run(events: Iterable[RunEvent], *, run_ended: bool) -> list[StepRecord]:
    """Each step of the run, in the order it started; with ``run_ended``, a step that started
    and never ended is reported as interrupted."""
    steps: dict[str, _Step] = {}
    for event in events:
        name = event.step_key
        if name is None:
            continue
        step = steps.setdefault(name, _Step())
        if isinstance(event, StepEvent) and event.asset_keys:
            step.asset_keys = event.asset_keys
        _apply(step, event)
    return [_record(name, step, run_ended) for name, step in steps.items()]


def _apply(step: _Step, event: RunEvent) -> None:
    if isinstance(event, StepStarted):
        step.started_at = event.timestamp
        step.attempts = max(step.attempts, 1)
    elif isinstance(event, StepRetried):
        step.attempts = event.attempt + 1
        step.logs.append(("WARNING", f"attempt {event.attempt} failed: {event.error.summary}"))
    elif isinstance(event, StepSucceeded | StepFailed | StepSkipped):
        step.status = _END_STATUS[type(event)]
        step.duration = event.duration
        if isinstance(event, StepFailed):
            step.error = event.error.traceback or event.error.summary
        elif isinstance(event, StepSkipped) and event.reason:
            step.error = event.reason
    elif isinstance(event, AssetMaterialized):
        step.metadata[event.key.to_user_string()] = dict(event.metadata)
    elif isinstance(event, CheckEvaluated):
        step.checks.append((event.check_name, event.passed))
    elif isinstance(event, LogMessage):
        step.logs.append((event.level, event.message))


def _record(name: str, step: _Step, run_ended: bool) -> StepRecord:
    status = step.status
    if run_ended and status is StepStatus.STARTED:
        status = StepStatus.INTERRUPTED
    return StepRecord(
        step_key=name,
        asset_keys=step.asset_keys,
        status=status,
        started_at=step.started_at,
        duration=step.duration,
        attempts=step.attempts,
        metadata=step.metadata,
        checks=tuple(step.checks),
        logs=tuple(step.logs),
        error=step.error,
    )


def keys_to_rerun(events: Iterable[RunEvent]) -> frozenset[AssetKey]:
    """The assets a run planned and did not materialize: those of its failed and skipped
    steps, and of steps it never got to (an interrupted or cancelled run)."""
    planned: set[AssetKey] = set()
    succeeded: set[AssetKey] = set()
    for event in events:
        if isinstance(event, RunStarted):
            planned.update(event.asset_keys)
        elif isinstance(event, StepSucceeded):
            succeeded.update(event.asset_keys)
        elif isinstance(event, StepFailed | StepSkipped):
            planned.update(event.asset_keys)
    return frozenset(planned - succeeded)
