"""One SQLAlchemy engine per storage URL, set up for many writers.

SQLite: WAL (readers never wait for the writer), ``synchronous=NORMAL`` (a commit survives a
killed process; only an OS crash may lose the last ones), a busy timeout, and ``BEGIN
IMMEDIATE`` for writes — a deferred transaction that later needs the write lock fails at once
instead of waiting, which is how concurrent runs would lose events. PostgreSQL needs none of it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from assetloom.errors import RunStorageError
from assetloom.storage.location import display_url, sqlite_path

BUSY_TIMEOUT_SECONDS = 60.0
WRITE = "assetloom_write"
"""Execution option of a connection whose transactions take SQLite's write lock up front."""


def create_engine(url: str) -> sa.engine.Engine:
    path = sqlite_path(url)
    if path is None:
        return _postgres_engine(url)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RunStorageError(
            f"cannot create the run storage folder {path.parent}: {error}"
        ) from error
    return _sqlite_engine(url)


def _sqlite_engine(url: str) -> sa.engine.Engine:
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.engine.Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _postgres_engine(url: str) -> sa.engine.Engine:
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except (ImportError, sa.exc.ArgumentError) as error:
        raise RunStorageError(
            f"cannot use run storage {display_url(url)}: {error}",
            hint="PostgreSQL needs the driver: pip install 'assetloom[postgres]'",
        ) from error
