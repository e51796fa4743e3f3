"""DuckDBResource: the embedded warehouse the example project and SQL components run on.

duckdb is imported only when a connection is opened (it is the ``duckdb`` extra).

A DuckDB file takes one writing process at a time. Within a run, worker processes take turns:
a connection that finds the file locked waits for it (``lock_timeout``). Between runs, the
run claims the warehouse first (``claim_for_run``): a second run on the same file stops at
once with the first run's id and pid, instead of every asset failing on the lock. A run also
never re-creates a warehouse that disappeared under it: that would hide the loss behind an
empty database.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assetloom.execution.run_claims import RunStoppedError, claimed, deleted_during_run
from assetloom.resources import ConfigurableResource

_LOCK_POLL = 0.05

_open_connections: set[Any] = set()
_open_lock = threading.Lock()


class WarehouseError(RunStoppedError):
    """The warehouse cannot be used by this run at all."""


class DuckDBResource(ConfigurableResource):
    """A DuckDB database file (created on first use, with its folder)."""

    database: str = ".loom/warehouse.duckdb"
    """Path of the database file, relative to the working directory (the project root when
    run through `loom`); `:memory:` for a throwaway database."""

    lock_timeout: float = 60.0
    """Seconds to wait for another process of the same run to release the file."""

    @property
    def _lock_path(self) -> Path:
        return Path(f"{self.database}.lock")

    @contextmanager
    def claim_for_run(self, run_id: str) -> Iterator[None]:
        """Hold the warehouse for one run: fail now, naming the cause, if another run holds
        it or it cannot be written; record the claim for worker processes."""
        if self.database == ":memory:":
            yield
            return
        database = Path(self.database)
        database.parent.mkdir(parents=True, exist_ok=True)
        _check_writable(database)
        lock_path = self._lock_path
        with lock_path.open("a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.seek(0)
                holder = lock.read().strip() or "unknown"
                raise WarehouseError(
                    f"warehouse {database} is in use by another run ({holder}); "
                    "wait for it to finish",
                    hint=f"the claim is the lock on {lock_path}",
                ) from None
            lock.seek(0)
            lock.truncate()
            lock.write(f"run {run_id}, pid {os.getpid()}")
            lock.flush()
            with claimed(lock_path):
                yield

    @contextmanager
    def get_connection(self) -> Iterator[Any]:
        import duckdb

        if self.database != ":memory:":
            self._check_not_deleted()
            Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        connection = self._connect(duckdb)
        with _open_lock:
            _open_connections.add(connection)
        try:
            yield connection
        finally:
            with _open_lock:
                _open_connections.discard(connection)
            connection.close()

    def interrupt(self) -> None:
        """Stop the queries running on this process's connections (Ctrl-C in a run: DuckDB
        does not see the signal while another Python thread runs)."""
        with _open_lock:
            for connection in _open_connections:
                connection.interrupt()

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement and return its rows (DuckDB answers DDL and DML with a count)."""
        with self.get_connection() as connection:
            return list(connection.execute(sql, parameters or []).fetchall())

    def _connect(self, duckdb: Any) -> Any:
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                connection = duckdb.connect(self.database)
                # DuckDB's own progress bar writes to the terminal, over the run's display.
                connection.execute("SET enable_progress_bar = false")
                return connection
            except duckdb.IOException as error:
                text = str(error)
                if "lock" not in text.lower():
                    raise WarehouseError(f"cannot open warehouse {self.database}: {text}") from None
                if time.monotonic() >= deadline:
                    raise WarehouseError(
                        f"warehouse {self.database} stayed locked for {self.lock_timeout:g}s: "
                        f"{text}"
                    ) from None
                time.sleep(_LOCK_POLL)

    def _check_not_deleted(self) -> None:
        if deleted_during_run(self._lock_path):
            raise WarehouseError(
                f"{self._lock_path.resolve().parent} was deleted during the run; not "
                "re-creating an empty warehouse there"
            )


def _check_writable(database: Path) -> None:
    for path in (database, database.parent):
        if path.exists() and not os.access(path, os.W_OK):
            raise WarehouseError(f"warehouse {database} is read-only ({path} is not writable)")
