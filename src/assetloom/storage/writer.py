"""StorageWriter: the observer that records a run's events without slowing the run down.

The executor's thread only puts each event on a queue. A background thread takes whatever
has piled up and writes it in one transaction — a single event right away when the run is
slow, hundreds at once when it is fast — so an event is committed within one write of being
emitted (what survives a SIGKILL) and costs the run microseconds. Between events it beats the
run's heartbeat, so other processes can tell a long step from a dead run.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from assetloom.closing import ClosedOnExit
from assetloom.errors import RunStorageError
from assetloom.execution.events import RUN_END_KINDS, RunEvent, RunStarted
from assetloom.storage.liveness import HEARTBEAT_SECONDS
from assetloom.storage.run_storage import RunStorage

MAX_BATCH = 2000
_CLOSE = object()


class StorageWriter(ClosedOnExit):
    """Call it with each event; ``close()`` (or leaving the ``with`` block) waits until every
    event is written and raises ``RunStorageError`` if any write failed."""

    def __init__(self, storage: RunStorage) -> None:
        self._storage = storage
        self._queue: queue.SimpleQueue[RunEvent | object] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write_loop, name="loom-storage", daemon=True)
        self._thread.start()

    def __call__(self, event: RunEvent) -> None:
        self._queue.put(event)

    def close(self) -> None:
        self._queue.put(_CLOSE)
        self._thread.join()
        if self._error is not None:
            raise RunStorageError(
                f"the run could not be recorded completely: {self._error}"
            ) from self._error

    def _write_loop(self) -> None:
        running: set[str] = set()
        closing = False
        while not closing:
            try:
                first = self._queue.get(timeout=HEARTBEAT_SECONDS)
            except queue.Empty:
                self._guarded(self._storage.heartbeat, running)
                continue
            batch, closing = self._drain(first)
            for event in batch:
                if isinstance(event, RunStarted):
                    running.add(event.run_id)
                elif event.kind in RUN_END_KINDS:
                    running.discard(event.run_id)
            self._guarded(self._storage.append, batch)

    def _drain(self, first: RunEvent | object) -> tuple[list[RunEvent], bool]:
        """``first`` and whatever else is queued (up to MAX_BATCH); whether close was asked."""
        batch: list[RunEvent] = []
        item = first
        while True:
            if item is _CLOSE:
                return batch, True
            assert isinstance(item, RunEvent)
            batch.append(item)
            if len(batch) >= MAX_BATCH:
                return batch, False
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return batch, False

    def _guarded(self, write: Callable[[Any], None], argument: Any) -> None:
        """``write(argument)`` unless an earlier write failed; the first failure is kept for
        ``close()`` to raise in the caller's thread."""
        if self._error is not None:
            return
        try:
            write(argument)
        except Exception as error:
            self._error = error
