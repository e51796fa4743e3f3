"""``loom materialize`` as a real process: Ctrl-C cancels it within 2 seconds, a warehouse
that cannot be used stops the run with one message naming the cause, and a second run on
the same warehouse is refused, naming the first."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.projects import LOOM, WriteProject, loom, start_loom, without_file_powers

WAREHOUSE = """
import assetloom as dg


@dg.definitions
def resources(context: dg.ComponentLoadContext) -> dg.Definitions:
    database = context.project_root / ".loom" / "warehouse.duckdb"
    return dg.Definitions(resources={"warehouse": dg.DuckDBResource(database=str(database))})
"""

LONG_RUNNING = """
import time

import assetloom as dg


@dg.asset
def python_loop() -> None:
    open("started", "w").close()
    while True:
        time.sleep(0.01)


@dg.asset
def duckdb_query(warehouse: dg.DuckDBResource) -> None:
    open("started", "w").close()
    warehouse.execute("SELECT count(*) FROM range(100000000000) a, range(10) b")
"""


def wait_for(path: Path, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"loom exited early: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the asset never started")
        time.sleep(0.05)


try:
    import distributed  # noqa: F401

    HAS_DASK = True
except ImportError:  # the `dask` extra is optional
    HAS_DASK = False

DASK = pytest.param(
    "dask", marks=pytest.mark.skipif(not HAS_DASK, reason="dask[distributed] is not installed")
)


@pytest.mark.parametrize("executor", ["in_process", "multiprocess", DASK])
@pytest.mark.parametrize("asset", ["python_loop", "duckdb_query"])
def test_ctrl_c_cancels_the_run_within_two_seconds(
    project: WriteProject, executor: str, asset: str
) -> None:
    root = project({"defs/resources.py": WAREHOUSE, "defs/long.py": LONG_RUNNING})
    process = start_loom(root, "materialize", "--executor", executor, "--select", asset)
    wait_for(root / "started", process)
    time.sleep(0.3)  # well inside the loop or the query
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("Ctrl-C did not stop the run")
    assert time.monotonic() - interrupted < 2.0
    assert process.returncode == 130
    assert "cancelled" in out
    assert "Traceback" not in err


BUSY = """
import time

import assetloom as dg


@dg.asset
def holds_the_warehouse(warehouse: dg.DuckDBResource) -> None:
    open("started", "w").close()
    time.sleep(30)
"""


def test_a_second_run_on_the_same_warehouse_is_refused_naming_the_first(
    project: WriteProject,
) -> None:
    root = project({"defs/resources.py": WAREHOUSE, "defs/busy.py": BUSY})
    first = start_loom(root, "materialize", "--executor", "in_process")
    try:
        wait_for(root / "started", first)
        second = loom(root, "materialize", "--executor", "in_process")
    finally:
        first.kill()
        first.communicate()
    assert second.returncode != 0
    assert "warehouse.duckdb is in use by another run (run " in second.stderr
    assert f"pid {first.pid})" in second.stderr
    assert "Traceback" not in second.stderr


DELETES_WAREHOUSE = """
import os

import assetloom as dg


@dg.asset
def first(warehouse: dg.DuckDBResource) -> None:
    warehouse.execute("CREATE TABLE t AS SELECT 1 AS x")


@dg.asset(deps=[first])
def deletes_warehouse() -> None:
    for name in os.listdir(".loom"):
        if name.startswith("warehouse.duckdb"):
            os.remove(os.path.join(".loom", name))


@dg.asset(deps=[deletes_warehouse])
def second(warehouse: dg.DuckDBResource) -> None:
    warehouse.execute("SELECT * FROM t")


@dg.asset(deps=[second])
def third(warehouse: dg.DuckDBResource) -> None:
    warehouse.execute("SELECT * FROM t")
"""


@pytest.mark.parametrize("executor", ["in_process", "multiprocess"])
def test_a_warehouse_deleted_mid_run_is_one_message_and_never_recreated_empty(
    project: WriteProject, executor: str
) -> None:
    root = project({"defs/resources.py": WAREHOUSE, "defs/steps.py": DELETES_WAREHOUSE})
    done = loom(root, "materialize", "--executor", executor)
    assert done.returncode != 0
    assert done.stderr.count("was deleted during the run") == 1, done.stderr
    assert "not re-creating an empty warehouse" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (root / ".loom" / "warehouse.duckdb").exists()


def test_a_read_only_warehouse_stops_the_run_before_it_starts(project: WriteProject) -> None:
    root = project({"defs/resources.py": WAREHOUSE, "defs/steps.py": DELETES_WAREHOUSE})
    loom(root, "materialize", "--executor", "in_process", "--select", "first")
    database = root / ".loom" / "warehouse.duckdb"
    database.chmod(0o444)
    try:
        done = subprocess.run(
            [*without_file_powers(), *LOOM, "materialize", "--executor", "in_process"],
            cwd=root, capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
    finally:
        database.chmod(0o644)
    assert done.returncode != 0
    assert "is read-only" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("executor", ["in_process", "multiprocess", DASK])
def test_the_example_project_materializes_with_every_executor(
    tmp_path: Path, executor: str
) -> None:
    repo = Path(__file__).resolve().parents[2]
    root = tmp_path / "example"
    for name in ("defs", "components", "data", "pyproject.toml"):
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            shutil.copy(source, root / name)
    done = loom(root, "materialize", "--executor", executor, "--max-concurrent", "2")
    assert done.returncode == 0, done.stderr
    assert "6 materialized, 0 failed, 0 skipped" in done.stdout


DELETES_VALUES = """
import shutil

import assetloom as dg


@dg.asset
def first() -> int:
    return 1


@dg.asset
def deletes_loom(first: int) -> int:
    shutil.rmtree(".loom")
    return first


@dg.asset
def second(deletes_loom: int) -> int:
    return deletes_loom


@dg.asset
def third(second: int) -> int:
    return second
"""


@pytest.mark.parametrize("executor", ["in_process", "multiprocess"])
def test_value_storage_deleted_mid_run_is_one_message(project: WriteProject, executor: str) -> None:
    root = project({"defs/steps.py": DELETES_VALUES})
    done = loom(root, "materialize", "--executor", executor)
    assert done.returncode != 0
    assert done.stderr.count("was deleted during the run; the values of earlier steps") == 1, (
        done.stderr
    )
    assert "Traceback" not in done.stderr
