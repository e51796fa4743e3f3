"""TemplatedSqlComponent: inline SQL and .sql files run on a database resource."""

from __future__ import annotations

from pathlib import Path

import pytest

import assetloom as dg
from assetloom.errors import TemplateError
from tests.projects import WriteProject, load, load_errors, parents

duckdb = pytest.importorskip("duckdb")

RESOURCES = """
import assetloom as dg


@dg.definitions
def resources(context: dg.ComponentLoadContext) -> dg.Definitions:
    database = str(context.project_root / "warehouse.duckdb")
    return dg.Definitions(resources={"warehouse": dg.DuckDBResource(database=database)})
"""


def _rows(root: Path, sql: str) -> list[tuple[object, ...]]:
    connection = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        return [tuple(row) for row in connection.execute(sql).fetchall()]
    finally:
        connection.close()


def test_inline_sql_and_sql_files_materialize(project: WriteProject) -> None:
    root = project(
        {
            "defs/resources.py": RESOURCES,
            "defs/sql/defs.yaml": """
            type: TemplatedSqlComponent
            attributes:
              sql_vars: {threshold: 10}
              assets:
                - key: raw_numbers
                  sql: CREATE OR REPLACE TABLE raw_numbers AS SELECT range AS n FROM range({{ 20 }})
                  group_name: raw
                - key: marts/big_numbers
                  sql_file: big.sql
                  deps: [raw_numbers]
                  sql_vars: {table: big_numbers}
            """,
            "defs/sql/big.sql": (
                "CREATE OR REPLACE TABLE {{ table }} AS "
                "SELECT n FROM raw_numbers WHERE n >= {{ threshold }}\n"
            ),
        }
    )
    defs = load(root)
    assert parents(defs, "marts/big_numbers") == {"raw_numbers"}
    graph = defs.resolve_asset_graph()
    spec = graph.spec(dg.AssetKey(["marts", "big_numbers"]))
    assert set(spec.kinds) == {"sql"}
    assert str(graph.location(dg.AssetKey(["marts", "big_numbers"]))) == (
        "defs/sql/defs.yaml:8:12"
    )
    result = dg.materialize(defs)
    assert result.success
    assert _rows(root, "SELECT count(*), min(n) FROM big_numbers") == [(10, 10)]


def test_exactly_one_of_sql_and_sql_file(project: WriteProject) -> None:
    root = project(
        {
            "defs/sql/defs.yaml": """
            type: TemplatedSqlComponent
            attributes:
              assets:
                - key: a
                  sql: select 1
                  sql_file: a.sql
            """,
        }
    )
    assert load_errors(root) == [
        "defs/sql/defs.yaml:4:7: attributes.assets[0]: value error, give exactly one of `sql` "
        "and `sql_file`, got a mapping"
    ]


def test_a_missing_sql_file_is_reported_at_the_component(project: WriteProject) -> None:
    root = project(
        {
            "defs/sql/defs.yaml": """
            type: TemplatedSqlComponent
            attributes:
              assets:
                - key: a
                  sql_file: missing.sql
            """,
        }
    )
    [error] = load_errors(root)
    assert error.startswith(
        "defs/sql/defs.yaml:1:7: `TemplatedSqlComponent.build_defs` raised FileNotFoundError: "
        "asset `a`: no SQL file missing.sql in "
    )


def test_a_failing_statement_fails_the_asset(project: WriteProject) -> None:
    root = project(
        {
            "defs/resources.py": RESOURCES,
            "defs/sql/defs.yaml": """
            type: TemplatedSqlComponent
            attributes:
              assets:
                - key: broken
                  sql: SELECT * FROM no_such_table
            """,
        }
    )
    result = dg.materialize(load(root), raise_on_error=False)
    assert result.failed_keys == [dg.AssetKey("broken")]


def test_the_model_is_documented() -> None:
    schema = dg.TemplatedSqlComponent.get_description()
    assert schema is not None
    assert "execute(sql)" in schema


def test_sql_files_render_within_the_projects_template_limits(project: WriteProject) -> None:
    root = project(
        {
            "pyproject.toml": "[tool.assetloom]\ntemplate_max_range = 5\n",
            "defs/resources.py": RESOURCES,
            "defs/sql/defs.yaml": """
            type: TemplatedSqlComponent
            attributes:
              assets:
                - key: small
                  sql_file: small.sql
                - key: big
                  sql_file: big.sql
            """,
            "defs/sql/small.sql": "CREATE TABLE small AS SELECT {{ range(5) | sum }} AS n",
            "defs/sql/big.sql": "CREATE TABLE big AS SELECT {{ range(6) | sum }} AS n",
        }
    )
    defs = load(root)
    assert dg.materialize(defs, selection=["small"]).success
    assert _rows(root, "SELECT n FROM small") == [(10,)]
    with pytest.raises(TemplateError, match=r"range of 6 numbers exceeds 5 \(template_max_range\)"):
        dg.materialize(defs, selection=["big"])
