"""RunStorage records runs, their events and each asset's latest state — on SQLite and
PostgreSQL alike."""

from __future__ import annotations

import time

import pytest

from assetloom.assets.key import AssetKey
from assetloom.errors import UnknownRunError
from assetloom.execution.events import (
    AssetMaterialized,
    ErrorInfo,
    LogMessage,
    RunEvent,
    RunFailed,
    RunStarted,
    RunSucceeded,
    StepFailed,
    StepSkipped,
    StepStarted,
    StepSucceeded,
)
from assetloom.storage.records import RunStatus, StepStatus
from assetloom.storage.run_storage import RunStorage
from assetloom.storage.writer import StorageWriter

ORDERS, REPORT, EXTRA = AssetKey("orders"), AssetKey("report"), AssetKey("extra")


def a_run(run_id: str, *, t0: float = 1000.0, fail_report: bool = False) -> list[RunEvent]:
    """orders succeeds with metadata and a log line; report succeeds or fails."""
    events: list[RunEvent] = [
        RunStarted(run_id=run_id, timestamp=t0, asset_keys=(ORDERS, REPORT), selection="*"),
        StepStarted(run_id=run_id, timestamp=t0 + 1, step="orders", asset_keys=(ORDERS,)),
        LogMessage(run_id=run_id, timestamp=t0 + 2, step="orders", level="INFO", message="hi"),
        AssetMaterialized(
            run_id=run_id,
            timestamp=t0 + 3,
            step="orders",
            key=ORDERS,
            metadata={"rows": 58},
            code_version="v1",
        ),
        StepSucceeded(
            run_id=run_id, timestamp=t0 + 3, step="orders", asset_keys=(ORDERS,), duration=2.0
        ),
        StepStarted(run_id=run_id, timestamp=t0 + 4, step="report", asset_keys=(REPORT,)),
    ]
    if fail_report:
        error = ErrorInfo("KeyError", "'id'", "Traceback ...\nKeyError: 'id'")
        events += [
            StepFailed(
                run_id=run_id,
                timestamp=t0 + 5,
                step="report",
                asset_keys=(REPORT,),
                duration=1.0,
                error=error,
            ),
            RunFailed(run_id=run_id, timestamp=t0 + 6),
        ]
    else:
        events += [
            AssetMaterialized(run_id=run_id, timestamp=t0 + 5, step="report", key=REPORT),
            StepSucceeded(
                run_id=run_id, timestamp=t0 + 5, step="report", asset_keys=(REPORT,), duration=1.0
            ),
            RunSucceeded(run_id=run_id, timestamp=t0 + 6),
        ]
    return events


def test_a_run_is_recorded_with_its_status_and_step_counts(storage_url: str) -> None:
    with RunStorage.open(storage_url) as storage:
        storage.append(a_run("run-ok", t0=1000.0))
        storage.append(a_run("run-bad", t0=2000.0, fail_report=True))
        listed = storage.runs()
    assert [(r.run_id, r.status) for r in listed] == [
        ("run-bad", RunStatus.FAILED),
        ("run-ok", RunStatus.SUCCEEDED),
    ]
    bad, ok = listed
    assert ok.step_counts == {"succeeded": 2}
    assert bad.step_counts == {"succeeded": 1, "failed": 1}
    assert ok.duration == 6.0
    assert ok.selection == "*"


def test_events_come_back_in_the_order_they_were_written(storage_url: str) -> None:
    events = a_run("r1")
    with RunStorage.open(storage_url) as storage:
        for event in events:  # one batch per event, as a slow run writes them
            storage.append([event])
        assert storage.events("r1") == events


def test_a_run_is_found_by_a_unique_prefix_of_its_id(storage_url: str) -> None:
    with RunStorage.open(storage_url) as storage:
        storage.append(a_run("abc123"))
        storage.append(a_run("abd456"))
        assert storage.run("abc").run_id == "abc123"
        with pytest.raises(UnknownRunError, match="several runs start with `ab`"):
            storage.run("ab")
        with pytest.raises(UnknownRunError, match="no run has id `zz`"):
            storage.run("zz")


def test_asset_state_keeps_the_latest_materialization_and_the_latest_outcome(
    storage_url: str,
) -> None:
    with RunStorage.open(storage_url) as storage:
        storage.append(a_run("first", t0=1000.0))
        storage.append(a_run("second", t0=2000.0, fail_report=True))
        states = storage.asset_states()
    report = states[REPORT]
    assert (report.materialized_run_id, report.materialized_at) == ("first", 1005.0)
    assert (report.last_status, report.last_run_id) == (StepStatus.FAILED, "second")
    assert states[ORDERS].code_version == "v1"
    assert states[ORDERS].materialized_run_id == "second"


def test_an_older_event_written_late_does_not_replace_a_newer_state(storage_url: str) -> None:
    with RunStorage.open(storage_url) as storage:
        storage.append(a_run("new", t0=2000.0))
        storage.append(a_run("old", t0=1000.0))
        assert storage.asset_states()[ORDERS].materialized_run_id == "new"


def test_a_skipped_multi_asset_step_updates_each_of_its_assets(storage_url: str) -> None:
    skipped = StepSkipped(
        run_id="r", step="both", asset_keys=(ORDERS, EXTRA), reason="upstream failed"
    )
    with RunStorage.open(storage_url) as storage:
        storage.append([RunStarted(run_id="r"), skipped])
        states = storage.asset_states()
    assert {k: s.last_status for k, s in states.items()} == {
        ORDERS: StepStatus.SKIPPED,
        EXTRA: StepStatus.SKIPPED,
    }
    assert states[ORDERS].materialized_at is None


def test_the_writer_records_every_event_it_was_given(storage_url: str) -> None:
    events = [e for i in range(50) for e in a_run(f"run-{i:02}", t0=1000.0 + i * 10)]
    with RunStorage.open(storage_url) as storage:
        with StorageWriter(storage) as writer:
            for event in events:
                writer(event)
        assert len(storage.runs(limit=None)) == 50
        assert storage.events("run-07") == [e for e in events if e.run_id == "run-07"]


def test_a_run_that_is_still_going_is_left_alone_on_open(storage_url: str) -> None:
    with RunStorage.open(storage_url) as storage:
        storage.append([RunStarted(run_id="live", timestamp=time.time())])
    with RunStorage.open(storage_url) as storage:
        assert storage.run("live").status is RunStatus.STARTED
