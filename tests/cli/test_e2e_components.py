"""End to end: real projects written to a temp folder, driven through the `loom` command in a
subprocess, as a user would run it."""

from __future__ import annotations

import csv
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from tests.projects import loom

REPO = Path(__file__).resolve().parents[2]

# The second seed document's example, with `import assetloom as dg`.
SEED_COMPONENT = '''
import assetloom as dg


class EtlTable(dg.Model):
    name: str
    deps: list[str] = []
    query: str


class EtlTableFactory(dg.Component, dg.Model, dg.Resolvable):
    etl_tables: list[EtlTable]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        assets = []
        for table in self.etl_tables:

            def create_etl_asset(table_config: EtlTable):
                @dg.asset(
                    name=table_config.name,
                    deps=[dg.AssetKey(dep) for dep in table_config.deps],
                )
                def etl_table(context: dg.AssetExecutionContext):
                    context.log.info(f"running {table_config.query}")

                return etl_table

            assets.append(create_etl_asset(table))
        return dg.Definitions(assets=assets)
'''

SEED_DEFS_YAML = """
type: components.etl_table_component.EtlTableFactory
attributes:
  etl_tables:
    - name: cleaned_transactions
      deps: [transactions]
      query: SELECT * FROM transactions WHERE amount > 0
    - name: risky_customers
      deps: [customers]
      query: SELECT * FROM customers WHERE risk_score > 0.8
    - name: risky_transactions
      deps: [cleaned_transactions, risky_customers]
      query: |
        SELECT t.* FROM cleaned_transactions t
        JOIN risky_customers c ON t.customer_id = c.customer_id
"""

SEED_DOWNSTREAM = '''
import assetloom as dg


@dg.asset(
    deps=[
        dg.AssetKey("cleaned_transactions"),
        dg.AssetKey("risky_customers"),
        dg.AssetKey("risky_transactions"),
    ]
)
def aggregated_metrics(context: dg.AssetExecutionContext) -> None:
    context.log.info("aggregating")
'''


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        file = root / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(text).removeprefix("\n"), encoding="utf-8")
    return root


@pytest.fixture
def seed_project(tmp_path: Path) -> Path:
    return write(
        tmp_path / "seed",
        {
            "components/etl_table_component.py": SEED_COMPONENT,
            "defs/etl_tables/defs.yaml": SEED_DEFS_YAML,
            "defs/downstream_asset.py": SEED_DOWNSTREAM,
        },
    )


def test_the_seed_example_lists_its_graph_as_json(seed_project: Path) -> None:
    done = loom(seed_project, "list", "defs", "--json")
    assert done.returncode == 0, done.stderr
    rows = {row["key"]: row for row in json.loads(done.stdout)["assets"]}
    assert {k: row["deps"] for k, row in rows.items()} == {
        "transactions": [],
        "customers": [],
        "cleaned_transactions": ["transactions"],
        "risky_customers": ["customers"],
        "risky_transactions": ["cleaned_transactions", "risky_customers"],
        "aggregated_metrics": ["cleaned_transactions", "risky_customers", "risky_transactions"],
    }
    assert {k for k, row in rows.items() if row["is_external"]} == {"transactions", "customers"}
    assert rows["risky_transactions"] == {
        "key": "risky_transactions",
        "deps": ["cleaned_transactions", "risky_customers"],
        "group": "default",
        "kinds": [],
        "description": None,
        "is_external": False,
        "code_location": "seed",
        "source": "defs/etl_tables/defs.yaml:10",
        "last_materialization": None,
        "status": None,
        "stale": True,
        "stale_reasons": ["never materialized"],
    }
    assert rows["cleaned_transactions"]["source"] == "defs/etl_tables/defs.yaml:4"
    assert rows["risky_customers"]["source"] == "defs/etl_tables/defs.yaml:7"
    assert rows["aggregated_metrics"]["source"] == "defs/downstream_asset.py:4"
    assert rows["transactions"]["source"] is None
    graph_fields = {"key", "deps", "group", "kinds", "description", "is_external",
                    "code_location", "source"}  # fmt: skip
    history_fields = {"last_materialization", "status", "stale", "stale_reasons"}
    for row in rows.values():
        assert set(row) == graph_fields | (set() if row["is_external"] else history_fields)


def test_the_seed_example_lists_as_a_table_from_another_folder(
    seed_project: Path, tmp_path: Path
) -> None:
    done = loom(tmp_path, "--project", str(seed_project), "list", "defs")
    assert done.returncode == 0, done.stderr
    assert "transactions (external)" in done.stdout
    assert done.stdout.rstrip().endswith("6 assets (2 external)")


def test_the_seed_example_materializes_its_executable_assets(seed_project: Path) -> None:
    done = loom(seed_project, "materialize")
    assert done.returncode == 0, done.stderr
    assert "4 materialized, 0 failed, 0 skipped" in done.stdout
    order = [line.split()[1] for line in done.stdout.splitlines() if line.strip().startswith("ok")]
    assert order.index("cleaned_transactions") < order.index("risky_transactions")
    assert order[-1] == "aggregated_metrics"


def test_check_defs_passes_on_the_seed_example(seed_project: Path) -> None:
    done = loom(seed_project, "check", "defs")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "all definitions loaded: 6 assets (2 external)\n"


def _copy_example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    for name in ("components", "defs", "data"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_example_project_materializes_into_duckdb(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    root = _copy_example(tmp_path)
    done = loom(root, "materialize")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 materialized, 0 failed, 0 skipped" in done.stdout

    customers = _csv(root / "data" / "customers.csv")
    transactions = _csv(root / "data" / "transactions.csv")
    risky = {c["customer_id"] for c in customers if float(c["risk_score"]) > 0.8}
    cleaned = [t for t in transactions if float(t["amount"]) > 0]
    expected = {
        "transactions": len(transactions),
        "customers": len(customers),
        "cleaned_transactions": len(cleaned),
        "risky_customers": len(risky),
        "risky_transactions": sum(1 for t in cleaned if t["customer_id"] in risky),
    }
    connection = duckdb.connect(str(root / ".loom" / "warehouse.duckdb"), read_only=True)
    try:
        counts = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in expected
        }
    finally:
        connection.close()
    assert counts == expected
    assert expected["risky_transactions"] > 0


def test_materialize_select_runs_only_the_selection(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    root = _copy_example(tmp_path)
    done = loom(root, "materialize", "--select", "+cleaned_transactions")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 materialized, 0 failed, 0 skipped" in done.stdout


def test_a_failing_asset_makes_materialize_exit_non_zero(tmp_path: Path) -> None:
    root = write(
        tmp_path / "failing",
        {
            "defs/assets.py": """
            import assetloom as dg


            @dg.asset
            def broken() -> None:
                raise RuntimeError("upstream API is down")


            @dg.asset(deps=[broken])
            def after() -> None: ...
            """
        },
    )
    done = loom(root, "materialize")
    assert done.returncode == 3  # a run failed: not "definitions invalid" (1)
    assert "0 materialized, 1 failed, 1 skipped" in done.stdout
    assert "upstream API is down" in done.stderr


def test_three_broken_files_give_three_errors(seed_project: Path) -> None:
    write(
        seed_project,
        {
            # an unknown field in a list item
            "defs/etl_tables/defs.yaml": SEED_DEFS_YAML.replace("deps: [customers]", "dep: [x]"),
            # a type that does not exist
            "defs/more/defs.yaml": "type: components.etl_table_component.EtlTableFactori\n",
            # a Python module that raises when imported
            "defs/downstream_asset.py": SEED_DOWNSTREAM + "\nraise RuntimeError('oops')\n",
        },
    )
    done = loom(seed_project, "check", "defs")
    assert done.returncode == 1
    output = done.stdout + done.stderr
    errors = [line for line in output.splitlines() if line.startswith("defs/")]
    assert errors == [
        "defs/etl_tables/defs.yaml:8:7: error[LOOM102]: attributes.etl_tables[1]: "
        "unknown attribute `dep` — did you mean `deps`?",
        "defs/more/defs.yaml:1:7: error[LOOM103]: unknown component type "
        "`components.etl_table_component.EtlTableFactori`: "
        "`components.etl_table_component` has no `EtlTableFactori` — did you mean "
        "`components.etl_table_component.EtlTableFactory`?",
        "defs/downstream_asset.py:14:1: error[LOOM106]: importing this module raised "
        "RuntimeError: oops",
    ]
    assert done.stderr.splitlines()[-1] == "3 errors"
    assert "Traceback" not in output


def test_list_and_materialize_report_load_errors_the_same_way(seed_project: Path) -> None:
    write(seed_project, {"defs/etl_tables/defs.yaml": "type: nope\n"})
    for args in (("list", "defs"), ("materialize",)):
        done = loom(seed_project, *args)
        assert done.returncode == 1
        assert done.stderr.splitlines() == [
            "defs/etl_tables/defs.yaml:1:7: error[LOOM103]: unknown component type `nope`: "
            "no registered component has that name",
            "   1 | type: nope",
            "     |       ^",
            "1 error",
        ]
