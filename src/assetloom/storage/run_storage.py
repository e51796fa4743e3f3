"""RunStorage: the run records, the event log and each asset's latest state, in one database.

Writes come in batches (``append``): one transaction inserts the events and updates the run
record and the asset index they imply, so the three never disagree. Opening the storage
migrates its schema and closes runs whose process died (see ``liveness``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from assetloom.assets.key import AssetKey
from assetloom.closing import ClosedOnExit
from assetloom.errors import RunStorageError, UnknownRunError
from assetloom.execution.events import (
    AssetMaterialized,
    ErrorInfo,
    RunCancelled,
    RunEvent,
    RunFailed,
    RunStarted,
    RunSucceeded,
    StepFailed,
    StepSkipped,
    StepSucceeded,
    event_from_json_text,
)
from assetloom.storage import liveness
from assetloom.storage.engine import WRITE, create_engine
from assetloom.storage.location import display_url
from assetloom.storage.migrations import migrate
from assetloom.storage.records import AssetState, RunRecord, RunStatus, StepStatus
from assetloom.storage.tables import asset_state, events, runs

_RUN_END_STATUS: dict[type[RunEvent], RunStatus] = {
    RunSucceeded: RunStatus.SUCCEEDED,
    RunFailed: RunStatus.FAILED,
    RunCancelled: RunStatus.CANCELLED,
}
_STEP_END_STATUS: dict[type[RunEvent], StepStatus] = {
    StepSucceeded: StepStatus.SUCCEEDED,
    StepFailed: StepStatus.FAILED,
    StepSkipped: StepStatus.SKIPPED,
}
_STATE_FIELDS = (
    "materialized_at",
    "materialized_run_id",
    "code_version",
    "last_status",
    "last_run_id",
    "last_status_at",
)
_STEP_STATUSES = {status.value: status for status in StepStatus}
_Upsert = Callable[[sa.Table], sqlite.Insert | postgresql.Insert]
_UPSERTS: dict[str, _Upsert] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


class RunStorage(ClosedOnExit):
    """Open with ``RunStorage.open(url)``; use as a context manager to release connections."""

    def __init__(self, engine: sa.engine.Engine, url: str) -> None:
        self._engine = engine
        self.url = url
        self._upsert = _UPSERTS[engine.dialect.name]
        self._set_materialized = self._newer_state_upsert(
            ("materialized_at", "materialized_run_id", "code_version"), "materialized_at"
        )
        self._set_outcome = self._newer_state_upsert(
            ("last_status", "last_run_id", "last_status_at"), "last_status_at"
        )

    @classmethod
    def open(cls, url: str) -> RunStorage:
        """Connect, migrate the schema to the current version, and close abandoned runs."""
        engine = create_engine(url)
        if engine.dialect.name not in _UPSERTS:
            raise RunStorageError(f"unsupported run storage database `{engine.dialect.name}`")
        try:
            migrate(engine)
            storage = cls(engine, url)
            storage.close_abandoned_runs()
        except BaseException as error:
            engine.dispose()
            if isinstance(error, sa.exc.SQLAlchemyError):
                raise RunStorageError(
                    f"cannot open run storage {display_url(url)}: {_reason(error)}"
                ) from error
            raise
        return storage

    def close(self) -> None:
        self._engine.dispose()

    # -- writing -------------------------------------------------------------------------

    def append(self, batch: Sequence[RunEvent]) -> None:
        """Record ``batch`` in one transaction, with the run records and asset states it implies.

        Statements per batch, not per event: one insert of every event, one upsert of the
        latest materialization of each key, one of the latest step outcome of each key.
        """
        if not batch:
            return
        materialized: dict[str, dict[str, Any]] = {}
        outcomes: dict[str, dict[str, Any]] = {}
        with self._write() as conn:
            conn.execute(events.insert(), [_event_row(e) for e in batch])
            for event in batch:
                if isinstance(event, AssetMaterialized):
                    _keep_newest(
                        materialized,
                        event.key,
                        materialized_at=event.timestamp,
                        materialized_run_id=event.run_id,
                        code_version=event.code_version,
                    )
                elif isinstance(event, StepSucceeded | StepFailed | StepSkipped):
                    for key in event.asset_keys:
                        _keep_newest(
                            outcomes,
                            key,
                            last_status_at=event.timestamp,
                            last_status=_STEP_END_STATUS[type(event)],
                            last_run_id=event.run_id,
                        )
                else:
                    self._record_run(conn, event)
            if materialized:
                conn.execute(self._set_materialized, list(materialized.values()))
            if outcomes:
                conn.execute(self._set_outcome, list(outcomes.values()))
            conn.execute(
                runs.update()
                .where(runs.c.run_id.in_({e.run_id for e in batch}))
                .where(runs.c.status == RunStatus.STARTED)
                .values(heartbeat_at=time.time())
            )

    def heartbeat(self, run_ids: Iterable[str]) -> None:
        """Tell other processes these runs are alive (see ``liveness``)."""
        ids = list(run_ids)
        if ids:
            with self._write() as conn:
                conn.execute(
                    runs.update().where(runs.c.run_id.in_(ids)).values(heartbeat_at=time.time())
                )

    def _record_run(self, conn: sa.engine.Connection, event: RunEvent) -> None:
        """A run's start creates its record (with this process as its owner); its end
        closes it."""
        if isinstance(event, RunStarted):
            conn.execute(
                runs.insert().values(
                    run_id=event.run_id,
                    status=RunStatus.STARTED,
                    started_at=event.timestamp,
                    selection=event.selection,
                    pid=os.getpid(),
                    hostname=liveness.this_host(),
                    heartbeat_at=event.timestamp,
                )
            )
        elif type(event) in _RUN_END_STATUS:
            error = event.error.summary if isinstance(event, RunFailed) and event.error else None
            conn.execute(
                runs.update()
                .where(runs.c.run_id == event.run_id)
                .values(status=_RUN_END_STATUS[type(event)], ended_at=event.timestamp, error=error)
            )

    def _newer_state_upsert(self, columns: Sequence[str], stamp: str) -> Any:
        """Insert-or-update of ``columns`` of a key's state, unless the stored ``stamp`` is
        newer (a late batch of an older run never replaces a newer state)."""
        insert = self._upsert(asset_state)
        return insert.on_conflict_do_update(
            index_elements=[asset_state.c.asset_key],
            set_={name: insert.excluded[name] for name in columns},
            where=asset_state.c[stamp].is_(None) | (asset_state.c[stamp] <= insert.excluded[stamp]),
        )

    def close_abandoned_runs(self, now: float | None = None) -> list[str]:
        """Mark failed every started run whose process is gone; returns their ids."""
        now = time.time() if now is None else now
        with self._engine.connect() as conn:
            started = conn.execute(
                sa.select(runs.c.run_id, runs.c.pid, runs.c.hostname, runs.c.heartbeat_at).where(
                    runs.c.status == RunStatus.STARTED
                )
            ).all()
        closed = []
        for run_id, pid, hostname, heartbeat_at in started:
            if liveness.is_abandoned(pid, hostname, heartbeat_at, now):
                self._close_abandoned(run_id, pid, hostname, heartbeat_at or now)
                closed.append(run_id)
        return closed

    def _close_abandoned(self, run_id: str, pid: int | None, host: str | None, last: float) -> None:
        message = (
            f"interrupted: process {pid} on {host} stopped without ending the run "
            "(killed, or its machine went down)"
        )
        with self._write() as conn:
            marked = conn.execute(
                runs.update()
                .where(runs.c.run_id == run_id, runs.c.status == RunStatus.STARTED)
                .values(status=RunStatus.FAILED, ended_at=last, error=message)
            ).rowcount
            if marked:  # another process may have closed it first: one RunFailed only
                event = RunFailed(
                    run_id=run_id, timestamp=last, error=ErrorInfo("RunInterrupted", message)
                )
                conn.execute(events.insert(), [_event_row(event)])

    @contextmanager
    def _write(self) -> Iterator[sa.engine.Connection]:
        """A connection in a write transaction (SQLite: holding the write lock up front)."""
        with self._engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
            yield conn

    # -- reading -------------------------------------------------------------------------

    def runs(self, limit: int | None = 50) -> list[RunRecord]:
        """The latest runs, newest first."""
        query = sa.select(runs).order_by(runs.c.started_at.desc(), runs.c.run_id).limit(limit)
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
            counts = self._step_counts(conn, [row.run_id for row in rows])
        return [_run_record(row, counts.get(row.run_id, {})) for row in rows]

    def run(self, run_id: str) -> RunRecord:
        """The run with this id, or the only one whose id starts with it."""
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(runs).where(runs.c.run_id == run_id)).first()
            if row is None:
                like = run_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                matches = conn.execute(
                    sa.select(runs).where(runs.c.run_id.like(f"{like}%", escape="\\")).limit(2)
                ).all()
                if len(matches) != 1:
                    what = "several runs start with" if matches else "no run has id"
                    raise UnknownRunError(
                        f"{what} `{run_id}` in {display_url(self.url)}",
                        hint="`loom runs list` shows the recorded runs",
                    )
                row = matches[0]
            counts = self._step_counts(conn, [row.run_id])
        return _run_record(row, counts.get(row.run_id, {}))

    def events(self, run_id: str) -> list[RunEvent]:
        """The run's events, in the order they were recorded."""
        query = sa.select(events.c.body).where(events.c.run_id == run_id).order_by(events.c.id)
        with self._engine.connect() as conn:
            return [event_from_json_text(body) for body in conn.execute(query).scalars()]

    def asset_states(self) -> dict[AssetKey, AssetState]:
        """Every asset's latest materialization and step outcome."""
        columns = [asset_state.c[name] for name in ("asset_key", *_STATE_FIELDS)]
        with self._engine.connect() as conn:
            rows = conn.execute(sa.select(*columns)).all()
        states = {}
        for name, materialized_at, run_id, code_version, status, last_run_id, last_at in rows:
            key = AssetKey.from_user_string(name)
            states[key] = AssetState(
                key,
                materialized_at,
                run_id,
                code_version,
                _STEP_STATUSES.get(status),
                last_run_id,
                last_at,
            )
        return states

    @staticmethod
    def _step_counts(conn: sa.engine.Connection, run_ids: list[str]) -> dict[str, dict[str, int]]:
        if not run_ids:
            return {}
        kinds = {
            StepSucceeded.kind: "succeeded",
            StepFailed.kind: "failed",
            StepSkipped.kind: "skipped",
        }
        query = (
            sa.select(events.c.run_id, events.c.kind, sa.func.count())
            .where(events.c.run_id.in_(run_ids), events.c.kind.in_(kinds))
            .group_by(events.c.run_id, events.c.kind)
        )
        counts: dict[str, dict[str, int]] = {}
        for run_id, kind, count in conn.execute(query):
            counts.setdefault(run_id, {})[kinds[kind]] = count
        return counts


def _keep_newest(rows: dict[str, dict[str, Any]], key: AssetKey, **values: Any) -> None:
    """Keep ``values`` as the key's row unless the row holds a newer stamp (the first value,
    a timestamp): the same rule the upsert applies against the database."""
    name = key.to_user_string()
    stamp = next(iter(values))
    current = rows.get(name)
    if current is None or values[stamp] >= current[stamp]:
        rows[name] = {"asset_key": name, **values}


def _event_row(event: RunEvent) -> dict[str, Any]:
    key = event.asset_key
    return {
        "run_id": event.run_id,
        "timestamp": event.timestamp,
        "kind": event.kind,
        "step_key": event.step_key,
        "asset_key": key.to_user_string() if key is not None else None,
        "body": event.to_json_text(),
    }


def _run_record(row: sa.Row[Any], step_counts: dict[str, int]) -> RunRecord:
    return RunRecord(
        run_id=row.run_id,
        status=RunStatus(row.status),
        started_at=row.started_at,
        ended_at=row.ended_at,
        selection=row.selection,
        pid=row.pid,
        hostname=row.hostname,
        heartbeat_at=row.heartbeat_at,
        error=row.error,
        step_counts=step_counts,
    )


def _reason(error: sa.exc.SQLAlchemyError) -> str:
    """The driver's own message, without SQLAlchemy's statement dump and doc link."""
    original = getattr(error, "orig", None)
    return str(original if original is not None else error).strip().splitlines()[0]
