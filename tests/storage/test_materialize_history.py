"""``loom materialize`` records every run; ``loom list defs`` shows each asset's last
materialization, status and staleness; ``--stale`` and ``--from-failure`` rerun only what
needs it. Real projects, real ``loom`` processes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.projects import WriteProject, loom

ASSETS = """
import os
import assetloom as dg

@dg.asset(code_version="v1")
def orders(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    context.log.info("read 3 orders")
    return dg.MaterializeResult(metadata={"rows": 3})

@dg.asset(deps=[orders])
def report() -> None:
    if os.path.exists("fail.flag"):
        raise ValueError("report is broken")

@dg.asset(deps=[report])
def summary() -> None: ...

@dg.asset
def independent() -> None: ...
"""


def materialize(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return loom(root, "materialize", "--executor", "in_process", *args)


def listed(root: Path) -> dict[str, dict[str, object]]:
    rows = json.loads(loom(root, "list", "defs", "--json").stdout)["assets"]
    return {row["key"]: row for row in rows}


def ran(done: subprocess.CompletedProcess[str]) -> list[str]:
    """The assets a run's output says materialized, in order."""
    return [line.split()[1] for line in done.stdout.splitlines() if line.lstrip().startswith("ok ")]


@pytest.fixture
def root(project: WriteProject) -> Path:
    return project({"defs/assets.py": ASSETS})


def test_a_run_prints_metadata_and_log_lines_and_is_recorded(root: Path) -> None:
    done = materialize(root)
    assert done.returncode == 0, done.stderr
    assert "     ok  orders  (" in done.stdout
    assert ")  rows: 3\n" in done.stdout
    assert "    log  orders  INFO read 3 orders\n" in done.stdout
    runs = json.loads(loom(root, "runs", "list", "--json").stdout)["runs"]
    assert [(r["status"], r["steps"]) for r in runs] == [("succeeded", {"succeeded": 4})]
    steps = json.loads(loom(root, "runs", "show", runs[0]["run_id"], "--json").stdout)["steps"]
    orders = next(s for s in steps if s["step"] == "orders")
    assert orders["metadata"] == {"orders": {"rows": 3}}
    assert orders["logs"] == [{"level": "INFO", "message": "read 3 orders"}]


def test_list_defs_shows_last_materialization_status_and_why_stale(root: Path) -> None:
    before = listed(root)
    assert before["orders"]["last_materialization"] is None
    assert before["orders"]["stale_reasons"] == ["never materialized"]
    (root / "fail.flag").touch()
    materialize(root)
    after = listed(root)
    assert after["orders"]["status"] == "succeeded"
    assert after["orders"]["stale"] is False
    assert after["report"]["status"] == "failed"
    assert after["summary"]["status"] == "skipped"
    assert after["summary"]["stale_reasons"] == ["never materialized"]
    table = loom(root, "list", "defs").stdout
    assert "materialized" in table.splitlines()[0]
    assert "never" in table


def test_materialize_stale_runs_a_changed_asset_and_everything_downstream(root: Path) -> None:
    assert materialize(root).returncode == 0
    nothing = materialize(root, "--stale")
    assert nothing.stdout == "nothing to run: no asset is stale\n"
    assets = root / "defs" / "assets.py"
    assets.write_text(assets.read_text().replace('code_version="v1"', 'code_version="v2"'))
    why = listed(root)
    assert why["orders"]["stale_reasons"] == ["code version changed (v1 -> v2)"]
    assert why["report"]["stale_reasons"] == ["upstream `orders` is stale"]
    assert why["independent"]["stale"] is False
    done = materialize(root, "--stale")
    assert done.returncode == 0, done.stderr
    assert ran(done) == ["orders", "report", "summary"]
    assert materialize(root, "--stale").stdout == "nothing to run: no asset is stale\n"


def test_from_failure_reruns_only_the_failed_and_skipped_steps(root: Path) -> None:
    (root / "fail.flag").touch()
    failed = materialize(root)
    assert failed.returncode == 3
    run_id = json.loads(loom(root, "runs", "list", "--json").stdout)["runs"][0]["run_id"]
    (root / "fail.flag").unlink()
    rerun = materialize(root, "--from-failure", run_id[:8])
    assert rerun.returncode == 0, rerun.stderr
    assert ran(rerun) == ["report", "summary"]
    latest = json.loads(loom(root, "runs", "list", "--json").stdout)["runs"][0]
    assert latest["selection"] == f"--from-failure {run_id[:8]}"
    again = materialize(root, "--from-failure", latest["run_id"])
    assert again.stdout == "nothing to run: no step failed\n"


def test_from_failure_of_an_unknown_run_is_an_error(root: Path) -> None:
    done = materialize(root, "--from-failure", "nope")
    assert done.returncode == 1
    assert "no run has id `nope`" in done.stderr


def test_stale_with_a_job_stays_within_the_jobs_assets(project: WriteProject) -> None:
    jobs = """
import assetloom as dg

@dg.definitions
def jobs() -> dg.Definitions:
    return dg.Definitions(jobs=[dg.define_asset_job("front", selection=["orders", "report"])])
"""
    root = project({"defs/assets.py": ASSETS, "defs/jobs.py": jobs})
    done = materialize(root, "--job", "front", "--stale")
    assert done.returncode == 0, done.stderr
    assert ran(done) == ["orders", "report"]
    latest = json.loads(loom(root, "runs", "list", "--json").stdout)["runs"][0]
    assert latest["selection"] == "--job front --stale"
