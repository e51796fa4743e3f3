"""A run's steps and what is left to rerun are read back from its events."""

from __future__ import annotations

from assetloom.assets.key import AssetKey
from assetloom.execution.events import (
    AssetMaterialized,
    CheckEvaluated,
    ErrorInfo,
    LogMessage,
    RunCancelled,
    RunStarted,
    StepFailed,
    StepRetried,
    StepSkipped,
    StepStarted,
    StepSucceeded,
)
from assetloom.storage.history import keys_to_rerun, steps_of_run
from assetloom.storage.records import StepStatus

A, B, C, D = (AssetKey(n) for n in "abcd")
BOOM = ErrorInfo("ValueError", "boom", "Traceback...\nValueError: boom")


def test_each_step_shows_status_duration_metadata_logs_checks_and_error() -> None:
    events = [
        RunStarted(run_id="r", asset_keys=(A, B)),
        StepStarted(run_id="r", timestamp=1.0, step="a", asset_keys=(A,)),
        LogMessage(run_id="r", step="a", level="INFO", message="loaded 58 rows"),
        AssetMaterialized(run_id="r", step="a", key=A, metadata={"rows": 58}),
        CheckEvaluated(run_id="r", step="a", key=A, check_name="not_empty", passed=True),
        StepSucceeded(run_id="r", step="a", asset_keys=(A,), duration=0.5),
        StepStarted(run_id="r", step="b", asset_keys=(B,)),
        StepRetried(run_id="r", step="b", asset_keys=(B,), attempt=1, delay=0.0, error=BOOM),
        StepFailed(run_id="r", step="b", asset_keys=(B,), duration=0.2, error=BOOM),
    ]
    a, b = steps_of_run(events, run_ended=True)
    assert (a.status, a.duration, a.started_at, a.attempts) == (StepStatus.SUCCEEDED, 0.5, 1.0, 1)
    assert a.metadata == {"a": {"rows": 58}}
    assert a.logs == (("INFO", "loaded 58 rows"),)
    assert a.checks == (("not_empty", True),)
    assert (b.status, b.attempts, b.error) == (StepStatus.FAILED, 2, BOOM.traceback)
    assert b.logs == (("WARNING", "attempt 1 failed: ValueError: boom"),)


def test_a_step_still_running_when_the_run_ended_was_interrupted() -> None:
    events = [StepStarted(run_id="r", step="a", asset_keys=(A,))]
    assert steps_of_run(events, run_ended=False)[0].status is StepStatus.STARTED
    assert steps_of_run(events, run_ended=True)[0].status is StepStatus.INTERRUPTED


def test_rerun_keys_are_the_failed_skipped_and_never_started_assets() -> None:
    events = [
        RunStarted(run_id="r", asset_keys=(A, B, C, D)),
        StepSucceeded(run_id="r", step="a", asset_keys=(A,), duration=0.1),
        StepFailed(run_id="r", step="b", asset_keys=(B,), duration=0.1, error=BOOM),
        StepSkipped(run_id="r", step="c", asset_keys=(C,), reason="upstream `b` failed"),
        RunCancelled(run_id="r"),  # d never started
    ]
    assert keys_to_rerun(events) == {B, C, D}
