"""Where a project's runs are stored: one SQLAlchemy URL, worked out without importing it.

In order: ``[tool.assetloom] storage = "<url>"`` (a relative SQLite path is relative to the
project root, so no command depends on the working directory), then ``$LOOM_HOME/runs.sqlite``,
then ``<storage_dir>/runs.sqlite`` (``.loom/`` by default).
"""

from __future__ import annotations

import os
from pathlib import Path

from assetloom.errors import RunStorageError, SourceLocation
from assetloom.project import Project

LOOM_HOME_ENV = "LOOM_HOME"
DATABASE_FILE = "runs.sqlite"
SQLITE_PREFIX = "sqlite:///"
SUPPORTED_SCHEMES = ("sqlite", "postgresql", "postgres")


def storage_url(project: Project) -> str:
    """The run storage URL of ``project``."""
    configured = project.settings.get("storage")
    if configured is not None:
        return _configured_url(project, configured)
    home = os.environ.get(LOOM_HOME_ENV)
    folder = Path(home) if home else project.storage_dir
    return sqlite_url(folder / DATABASE_FILE)


def sqlite_url(path: Path) -> str:
    return SQLITE_PREFIX + str(path.resolve())


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for any other database)."""
    if not url.startswith(SQLITE_PREFIX):
        return None
    return Path(url.removeprefix(SQLITE_PREFIX).partition("?")[0])


def display_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.partition(":")[0]
    return f"{scheme}{sep}{user}:***@{host}"


def _configured_url(project: Project, value: object) -> str:
    where = SourceLocation("pyproject.toml")
    if not isinstance(value, str) or "://" not in value:
        raise RunStorageError(
            f"[tool.assetloom] storage must be a database URL, got {value!r}",
            location=where,
            hint='e.g. storage = "postgresql+psycopg://user@host/db" or "sqlite:///runs.sqlite"',
        )
    scheme = value.partition("://")[0].partition("+")[0]
    if scheme not in SUPPORTED_SCHEMES:
        raise RunStorageError(
            f"[tool.assetloom] storage: unsupported database `{scheme}` "
            f"(supported: {', '.join(SUPPORTED_SCHEMES)})",
            location=where,
        )
    path = sqlite_path(value)
    if path is not None and not path.is_absolute():
        return sqlite_url(project.root / path)
    if value.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy's default PostgreSQL driver is psycopg2; we install psycopg (3).
        return "postgresql+psycopg://" + value.partition("://")[2]
    return value
