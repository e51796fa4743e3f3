"""Recording a run costs it at most 1 ms per event on SQLite (measured: ~0.1 us on the run's
thread, ~50 us until committed; see bench/storage_events.py)."""

from __future__ import annotations

import time
from pathlib import Path

from assetloom.storage.run_storage import RunStorage
from assetloom.storage.writer import StorageWriter
from bench.storage_events import a_run


def test_a_thousand_asset_run_is_committed_within_a_millisecond_per_event(tmp_path: Path) -> None:
    events = a_run(1000)
    with RunStorage.open(f"sqlite:///{tmp_path / 'runs.sqlite'}") as storage:
        started = time.perf_counter()
        with StorageWriter(storage) as writer:
            for event in events:
                writer(event)
        elapsed = time.perf_counter() - started
        assert len(storage.events("bench")) == len(events)
    assert elapsed / len(events) < 0.001
