"""The report's "Executors" table: the run-only times of assetloom's multiprocess and Dask
executors against Dagster's multiprocess executor, with the ratio and per-asset targets."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import executors  # noqa: E402
import run  # noqa: E402


def _cell(framework: str, cell: str, seconds: float, facts: dict | None = None):
    return run.CellResult(
        framework,
        cell,
        1000,
        samples=[{"wall_s": seconds, "maxrss_mib": None}],
        facts=facts or {},
    )


def _section(results: list[run.CellResult]) -> list[str]:
    by_key = {(r.framework, r.cell, r.size): r for r in results}
    return executors.section(by_key, [1000], run._fmt_s, run._mark)


def test_ratio_and_per_asset_overhead_against_the_targets() -> None:
    lines = _section(
        [
            _cell("assetloom", executors.MULTIPROCESS, 4.0, {"materialized": 1000}),
            _cell("assetloom", executors.MULTIPROCESS + executors.CALL, 3.0),
            _cell("dagster", executors.MULTIPROCESS + executors.CALL, 600.0),
            _cell("assetloom", executors.DASK, 14.0, {"materialized": 1000}),
            _cell("assetloom", executors.DASK + executors.CALL, 12.0),
        ]
    )
    rows = [line for line in lines if line.startswith("| materialize")]
    assert rows[0].split(" | ")[2:] == [
        "3.000",
        "600.0",
        "200.0x",
        "20x",
        run._mark(True),
        "3.00",
        "5",
        f"{run._mark(True)} |",
    ]
    assert rows[1].split(" | ")[2:] == [
        "12.0",
        "-",
        "-",
        "-",
        "-",
        "12.00",
        "10",
        f"{run._mark(False)} |",
    ]


def test_a_dagster_run_killed_at_the_limit_bounds_the_ratio_from_below() -> None:
    killed = run.CellResult("dagster", executors.MULTIPROCESS + executors.CALL, 1000)
    killed.status, killed.detail = "timeout", "killed after 600 s"
    by_key = {
        (r.framework, r.cell, r.size): r
        for r in [
            _cell("assetloom", executors.MULTIPROCESS, 2.0, {"materialized": 1000}),
            _cell("assetloom", executors.MULTIPROCESS + executors.CALL, 1.5),
            killed,
        ]
    }
    [row] = [
        line
        for line in executors.section(by_key, [1000], run._fmt_s, run._mark, 600.0)
        if line.startswith("| materialize")
    ]
    assert row.split(" | ")[2:5] == ["1.500", "> 600.0", ">400.0x"]


def test_no_executor_results_means_no_section() -> None:
    assert _section([]) == []


def test_dagster_runs_the_executor_cell_only_up_to_1000_assets() -> None:
    root = Path("/p")
    assert list(executors.commands("dagster", "python", root, 1000)) == [executors.MULTIPROCESS]
    assert executors.commands("dagster", "python", root, 5000) == {}
    assert list(executors.commands("assetloom", "python", root, 5000)) == [
        executors.MULTIPROCESS,
        executors.DASK,
    ]
