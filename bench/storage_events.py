"""What run storage costs a run, per event: ``python bench/storage_events.py [URL]``.

Writes one run of N assets (started, materialized, succeeded: 3 events each) through the
``StorageWriter`` the CLI uses, and reports (1) the time an event costs the executor's thread
(a queue put), (2) the wall time until every event is committed, per event, and (3) one event
per transaction — a slow run, where nothing batches. Default: a SQLite file in a temp dir.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from assetloom.assets.key import AssetKey
from assetloom.execution.events import (
    AssetMaterialized,
    LogMessage,
    RunEvent,
    RunStarted,
    RunSucceeded,
    StepStarted,
    StepSucceeded,
)
from assetloom.storage.run_storage import RunStorage
from assetloom.storage.writer import StorageWriter


def a_run(assets: int) -> list[RunEvent]:
    events: list[RunEvent] = [RunStarted(run_id="bench")]
    for i in range(assets):
        key = AssetKey(f"asset_{i}")
        events += [
            StepStarted(run_id="bench", step=key.name, asset_keys=(key,)),
            AssetMaterialized(run_id="bench", step=key.name, key=key, metadata={"rows": i}),
            StepSucceeded(run_id="bench", step=key.name, asset_keys=(key,), duration=0.001),
        ]
    return [*events, RunSucceeded(run_id="bench")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", nargs="?", help="storage URL (default: a temp SQLite file)")
    parser.add_argument("--assets", type=int, default=1000)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/runs.sqlite"
    events = a_run(args.assets)
    with RunStorage.open(url) as storage:
        started = time.perf_counter()
        with StorageWriter(storage) as writer:
            emit_started = time.perf_counter()
            for event in events:
                writer(event)
            emitted = time.perf_counter()
        written = time.perf_counter()
        single = 200
        single_started = time.perf_counter()
        for _ in range(single):
            storage.append([LogMessage(run_id="bench", step=None, level="INFO", message="x")])
        single_done = time.perf_counter()
    n = len(events)
    print(f"{url.partition(':')[0]}, {n} events")
    print(f"  on the run's thread:        {(emitted - emit_started) / n * 1e6:8.1f} us/event")
    print(f"  until all committed:        {(written - started) / n * 1e6:8.1f} us/event")
    print(f"  one event per transaction:  {(single_done - single_started) / single * 1e6:8.1f} us")


if __name__ == "__main__":
    main()
