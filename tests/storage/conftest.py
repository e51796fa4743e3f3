"""Storage tests run on SQLite and on a real PostgreSQL server.

The server is ``$LOOM_TEST_POSTGRES_URL`` (``.ci/run`` starts one) or, when that is not set,
one this session starts from the Debian binaries. PostgreSQL tests are skipped only when no
server can be started, with the reason in the skip message. Each test gets a fresh database.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.storage import postgres_server

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A URL of a PostgreSQL server's ``postgres`` database, to create test databases from."""
    given = os.environ.get(postgres_server.URL_ENV)
    if given:
        yield given
        return
    base = Path(tempfile.mkdtemp(prefix="loom-pg-"))
    try:
        url = postgres_server.start(base)
    except postgres_server.ServerUnavailable as why:
        postgres_server.stop(base)
        pytest.skip(f"PostgreSQL server cannot start here: {why}")
    try:
        yield url
    finally:
        postgres_server.stop(base)


@pytest.fixture(params=BACKENDS)
def storage_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty run storage: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'runs.sqlite'}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    yield from fresh_postgres_database(admin_url)


def fresh_postgres_database(admin_url: str) -> Iterator[str]:
    import sqlalchemy as sa

    name = f"loom_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        admin.dispose()
