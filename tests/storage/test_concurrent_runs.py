"""Several runs writing at once lose nothing; a run whose process dies is closed on the next
open, with everything it committed before dying still there."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

from assetloom.assets.key import AssetKey
from assetloom.execution.events import (
    AssetMaterialized,
    RunFailed,
    RunStarted,
    RunSucceeded,
    StepStarted,
    StepSucceeded,
)
from assetloom.storage.history import steps_of_run
from assetloom.storage.records import RunStatus, StepStatus
from assetloom.storage.run_storage import RunStorage
from assetloom.storage.writer import StorageWriter

WRITERS = 4
ASSETS_PER_RUN = 150
EVENTS_PER_RUN = 2 + 3 * ASSETS_PER_RUN


def write_a_run(url: str, run_id: str) -> None:
    """One run of ASSETS_PER_RUN assets, each emitted as its own event, as fast as possible."""
    with RunStorage.open(url) as storage, StorageWriter(storage) as writer:
        writer(RunStarted(run_id=run_id))
        for i in range(ASSETS_PER_RUN):
            key = AssetKey(f"{run_id}_{i}")
            writer(StepStarted(run_id=run_id, step=key.name, asset_keys=(key,)))
            writer(AssetMaterialized(run_id=run_id, step=key.name, key=key, metadata={"i": i}))
            writer(StepSucceeded(run_id=run_id, step=key.name, asset_keys=(key,), duration=0.0))
        writer(RunSucceeded(run_id=run_id))


def test_concurrent_runs_lose_no_event(storage_url: str) -> None:
    RunStorage.open(storage_url).close()
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=write_a_run, args=(storage_url, f"run{n}")) for n in range(WRITERS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [p.exitcode for p in processes] == [0] * WRITERS
    with RunStorage.open(storage_url) as storage:
        runs = storage.runs()
        counts = [len(storage.events(f"run{n}")) for n in range(WRITERS)]
        states = storage.asset_states()
    assert counts == [EVENTS_PER_RUN] * WRITERS
    assert {r.status for r in runs} == {RunStatus.SUCCEEDED}
    assert len(states) == WRITERS * ASSETS_PER_RUN


def start_a_run_and_hang(url: str, run_id: str) -> None:
    """Commit a run start and one materialization, then wait to be killed mid-step."""
    storage = RunStorage.open(url)
    key = AssetKey("first")
    storage.append(
        [
            RunStarted(run_id=run_id, asset_keys=(key, AssetKey("slow"))),
            StepStarted(run_id=run_id, step="first", asset_keys=(key,)),
            AssetMaterialized(run_id=run_id, step="first", key=key, metadata={"rows": 1}),
            StepSucceeded(run_id=run_id, step="first", asset_keys=(key,), duration=0.1),
            StepStarted(run_id=run_id, step="slow", asset_keys=(AssetKey("slow"),)),
        ]
    )
    time.sleep(600)


def test_a_killed_run_is_marked_failed_on_the_next_open(storage_url: str) -> None:
    RunStorage.open(storage_url).close()
    process = multiprocessing.get_context("spawn").Process(
        target=start_a_run_and_hang, args=(storage_url, "doomed")
    )
    process.start()
    with RunStorage.open(storage_url) as storage:
        deadline = time.monotonic() + 60
        while not storage.runs() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert storage.run("doomed").status is RunStatus.STARTED  # alive: left alone
    assert process.pid is not None
    os.kill(process.pid, signal.SIGKILL)
    process.join(10)

    with RunStorage.open(storage_url) as storage:
        run = storage.run("doomed")
        events = storage.events("doomed")
        states = storage.asset_states()
    assert run.status is RunStatus.FAILED
    assert run.error is not None
    assert run.error.startswith(f"interrupted: process {process.pid} on ")
    assert isinstance(events[-1], RunFailed)
    assert states[AssetKey("first")].materialized_run_id == "doomed"
    steps = {s.step_key: s.status for s in steps_of_run(events, run_ended=True)}
    assert steps == {"first": StepStatus.SUCCEEDED, "slow": StepStatus.INTERRUPTED}


def test_a_run_without_heartbeat_for_a_minute_is_closed_whatever_its_host(storage_url: str) -> None:
    with RunStorage.open(storage_url) as storage:
        storage.append([RunStarted(run_id="far", timestamp=1000.0)])
        assert storage.close_abandoned_runs(now=time.time()) == []  # heartbeat: just written
        assert storage.close_abandoned_runs(now=time.time() + 61) == ["far"]
        assert storage.run("far").status is RunStatus.FAILED
        assert storage.close_abandoned_runs(now=time.time() + 120) == []
