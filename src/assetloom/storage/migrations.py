"""The schema's history: migration N takes a database from version N-1 to N.

A new database runs every migration from the first, so the oldest path is the one every
database has taken. Each migration is frozen once released: it spells out its own tables
instead of borrowing ``tables`` (which describes only the current version). All pending
migrations run in one write transaction, under a lock, so concurrent first opens are safe.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from assetloom.errors import RunStorageError
from assetloom.storage.engine import WRITE

Migration = Callable[[sa.engine.Connection], None]

VERSION_TABLE = "loom_schema_version"
_POSTGRES_LOCK_ID = 0x6C6F6F6D  # "loom": one advisory lock for every migrating process


def _v1_runs_and_events(conn: sa.engine.Connection) -> None:
    """A run record per run and an append-only event log."""
    md = sa.MetaData()
    sa.Table(
        "loom_runs",
        md,
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("ended_at", sa.Float),
        sa.Column("selection", sa.Text),
        sa.Column("error", sa.Text),
    )
    events = sa.Table(
        "loom_events",
        md,
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("timestamp", sa.Float, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("step_key", sa.Text),
        sa.Column("asset_key", sa.Text),
        sa.Column("body", sa.Text, nullable=False),
    )
    sa.Index("loom_events_by_run", events.c.run_id, events.c.id)
    sa.Index("loom_events_by_asset", events.c.asset_key, events.c.kind)
    md.create_all(conn)


def _v2_asset_state_and_heartbeats(conn: sa.engine.Connection) -> None:
    """Who runs each run (pid, host, heartbeat: to tell a live run from a killed one), and an
    index of each asset's latest materialization and step outcome, filled from the log."""
    for column in ("pid INTEGER", "hostname VARCHAR(255)", "heartbeat_at FLOAT"):
        conn.exec_driver_sql(f"ALTER TABLE loom_runs ADD COLUMN {column}")
    md = sa.MetaData()
    state = sa.Table(
        "loom_asset_state",
        md,
        sa.Column("asset_key", sa.Text, primary_key=True),
        sa.Column("materialized_at", sa.Float),
        sa.Column("materialized_run_id", sa.String(64)),
        sa.Column("code_version", sa.Text),
        sa.Column("last_status", sa.String(16)),
        sa.Column("last_run_id", sa.String(64)),
        sa.Column("last_status_at", sa.Float),
    )
    md.create_all(conn)
    rows = _asset_state_from_log(conn)
    if rows:
        conn.execute(state.insert(), list(rows.values()))


_STEP_END_STATUS = {
    "step_succeeded": "succeeded",
    "step_failed": "failed",
    "step_skipped": "skipped",
}


def _asset_state_from_log(conn: sa.engine.Connection) -> dict[str, dict[str, Any]]:
    kinds = ("asset_materialized", *_STEP_END_STATUS)
    rows: dict[str, dict[str, Any]] = {}
    result = conn.execute(
        sa.text(
            "SELECT run_id, timestamp, kind, body FROM loom_events WHERE kind IN :kinds ORDER BY id"
        ).bindparams(sa.bindparam("kinds", expanding=True)),
        {"kinds": list(kinds)},
    )
    for run_id, timestamp, kind, body in result:
        data = json.loads(body)
        if kind == "asset_materialized":
            row = rows.setdefault(data["key"], _empty_state(data["key"]))
            row.update(
                materialized_at=timestamp,
                materialized_run_id=run_id,
                code_version=data.get("code_version"),
            )
        else:
            for key in data.get("asset_keys", ()):
                row = rows.setdefault(key, _empty_state(key))
                row.update(
                    last_status=_STEP_END_STATUS[kind], last_run_id=run_id, last_status_at=timestamp
                )
    return rows


def _empty_state(key: str) -> dict[str, Any]:
    return dict.fromkeys(
        (
            "materialized_at",
            "materialized_run_id",
            "code_version",
            "last_status",
            "last_run_id",
            "last_status_at",
        ),
        None,
    ) | {"asset_key": key}


MIGRATIONS: tuple[Migration, ...] = (_v1_runs_and_events, _v2_asset_state_and_heartbeats)
CURRENT_VERSION = len(MIGRATIONS)


def schema_version(conn: sa.engine.Connection) -> int:
    """The database's version; 0 for an empty database."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return 0
    version = conn.execute(sa.text(f"SELECT max(version) FROM {VERSION_TABLE}")).scalar()
    return int(version or 0)


def migrate(engine: sa.engine.Engine, target: int = CURRENT_VERSION) -> int:
    """Bring the database to ``target``; returns the version it had. Cheap when it is there."""
    with engine.connect() as conn:
        found = schema_version(conn)
    if found == target:
        return found
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _POSTGRES_LOCK_ID})
        found = schema_version(conn)  # again, under the lock: another process may have won
        if found > target:
            raise RunStorageError(
                f"the run storage has schema version {found}, newer than this assetloom "
                f"understands ({target})",
                hint="upgrade assetloom, or point LOOM_HOME / [tool.assetloom] storage elsewhere",
            )
        if found == 0:
            conn.exec_driver_sql(f"CREATE TABLE {VERSION_TABLE} (version INTEGER NOT NULL)")
            conn.exec_driver_sql(f"INSERT INTO {VERSION_TABLE} (version) VALUES (0)")
        for version in range(found + 1, target + 1):
            MIGRATIONS[version - 1](conn)
        conn.execute(sa.text(f"UPDATE {VERSION_TABLE} SET version = :v"), {"v": target})
    return found
