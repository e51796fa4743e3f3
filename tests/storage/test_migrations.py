"""The schema is versioned and migrated on open; an old database keeps its history."""

from __future__ import annotations

import json
import multiprocessing

import pytest
import sqlalchemy as sa

from assetloom.assets.key import AssetKey
from assetloom.errors import RunStorageError
from assetloom.execution.events import AssetMaterialized, ErrorInfo, RunStarted, StepFailed
from assetloom.storage.engine import create_engine
from assetloom.storage.migrations import CURRENT_VERSION, migrate, schema_version
from assetloom.storage.records import RunStatus, StepStatus
from assetloom.storage.run_storage import RunStorage
from assetloom.storage.tables import metadata


def version_of(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return schema_version(conn)
    finally:
        engine.dispose()


def test_a_new_database_is_created_at_the_current_version(storage_url: str) -> None:
    RunStorage.open(storage_url).close()
    assert version_of(storage_url) == CURRENT_VERSION


def test_the_migrated_schema_has_exactly_the_columns_queries_expect(storage_url: str) -> None:
    RunStorage.open(storage_url).close()
    engine = create_engine(storage_url)
    try:
        inspector = sa.inspect(engine)
        for table in metadata.tables.values():
            found = {c["name"] for c in inspector.get_columns(table.name)}
            assert found == set(table.columns.keys()), table.name
    finally:
        engine.dispose()


def test_a_version_1_database_is_migrated_with_its_history(storage_url: str) -> None:
    engine = create_engine(storage_url)
    migrate(engine, target=1)
    materialized = AssetMaterialized(
        run_id="old",
        timestamp=100.0,
        step="orders",
        key=AssetKey("shop/orders"),
        metadata={"rows": 3},
        code_version="v7",
    )
    failed = StepFailed(
        run_id="old",
        timestamp=101.0,
        step="report",
        asset_keys=(AssetKey("report"),),
        duration=0.5,
        error=ErrorInfo("ValueError", "boom"),
    )
    with engine.begin() as conn:  # written the way version 1 stored runs
        conn.execute(
            sa.text(
                "INSERT INTO loom_runs (run_id, status, started_at, ended_at) "
                "VALUES ('old', 'failed', 99.0, 102.0)"
            )
        )
        for event in (RunStarted(run_id="old", timestamp=99.0), materialized, failed):
            conn.execute(
                sa.text(
                    "INSERT INTO loom_events (run_id, timestamp, kind, step_key, asset_key, body) "
                    "VALUES (:run_id, :ts, :kind, :step, :asset, :body)"
                ),
                {
                    "run_id": event.run_id,
                    "ts": event.timestamp,
                    "kind": event.kind,
                    "step": event.step_key,
                    "asset": event.asset_key.to_user_string() if event.asset_key else None,
                    "body": json.dumps(event.to_json()),
                },
            )
    engine.dispose()
    assert version_of(storage_url) == 1

    with RunStorage.open(storage_url) as storage:
        run = storage.run("old")
        states = storage.asset_states()
        events = storage.events("old")
    assert version_of(storage_url) == CURRENT_VERSION
    assert (run.status, run.pid, run.heartbeat_at) == (RunStatus.FAILED, None, None)
    orders = states[AssetKey("shop/orders")]
    assert (orders.materialized_at, orders.code_version) == (100.0, "v7")
    assert states[AssetKey("report")].last_status is StepStatus.FAILED
    assert events[1] == materialized


def test_a_database_newer_than_the_code_is_refused(storage_url: str) -> None:
    RunStorage.open(storage_url).close()
    engine = create_engine(storage_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE loom_schema_version SET version = 99"))
    engine.dispose()
    with pytest.raises(RunStorageError, match="schema version 99, newer than this assetloom"):
        RunStorage.open(storage_url)


def _open_and_close(url: str) -> None:
    RunStorage.open(url).close()


def test_processes_opening_a_new_database_at_once_migrate_it_once(storage_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_open_and_close, args=(storage_url,)) for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0, 0, 0, 0]
    assert version_of(storage_url) == CURRENT_VERSION
