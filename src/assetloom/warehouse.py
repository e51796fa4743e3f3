"""DuckDBResource: the embedded warehouse the example project and SQL components run on.

duckdb is imported only when a connection is opened (it is the ``duckdb`` extra)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assetloom.resources import ConfigurableResource


class DuckDBResource(ConfigurableResource):
    """A DuckDB database file (created on first use, with its folder)."""

    database: str = ".loom/warehouse.duckdb"
    """Path of the database file, relative to the working directory (the project root when
    run through `loom`); `:memory:` for a throwaway database."""

    @contextmanager
    def get_connection(self) -> Iterator[Any]:
        import duckdb

        if self.database != ":memory:":
            Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        connection = duckdb.connect(self.database)
        try:
            yield connection
        finally:
            connection.close()

    def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one statement and return its rows (DuckDB answers DDL and DML with a count)."""
        with self.get_connection() as connection:
            return list(connection.execute(sql, parameters or []).fetchall())
