"""bench/combine.py sets an assetloom-only run against the Dagster cells of earlier runs, and
says in the report where each side comes from."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _cell(framework: str, cell: str, size: int, seconds: float, **extra: Any) -> dict[str, Any]:
    return {
        "framework": framework,
        "cell": cell,
        "size": size,
        "status": extra.pop("status", "ok"),
        "samples": [{"wall_s": seconds, "maxrss_mib": 50.0}],
        "detail": "",
        "facts": extra,
    }


def _report(path: Path, date: str, results: list[dict[str, Any]]) -> Path:
    machine = {"cpu": "test", "cpus": 2, "mem_gib": 1, "platform": "linux", "python": "3.11"}
    path.write_text(
        json.dumps(
            {
                "date": date,
                "command": "python bench/run.py",
                "machine": machine,
                "versions": {"assetloom": "0.1.0", "assetloom_commit": "abc1234"},
                "args": {"sizes": [1000], "repeats": 3, "materialize_limit": 600.0},
                "results": results,
            }
        )
    )
    return path


def test_dagster_cells_of_earlier_runs_meet_this_runs_assetloom_cells(tmp_path: Path) -> None:
    ours = _report(
        tmp_path / "ours.json",
        "2026-11-29",
        [
            _cell("assetloom", "load", 1000, 0.2, assets=1011),
            _cell("dagster", "load", 1000, 99.0),  # ignored: Dagster comes from the others
            _cell("assetloom", "materialize multiprocess", 1000, 1.5, materialized=1001),
            _cell("assetloom", "materialize multiprocess call", 1000, 1.0),
        ],
    )
    side_by_side = tmp_path / "2026-11-24.json"
    _report(side_by_side, "2026-11-24", [_cell("dagster", "load", 1000, 3.0)])
    side_by_side_json = json.loads(side_by_side.read_text())
    side_by_side_json["versions"]["dagster"] = "1.13.27"
    side_by_side.write_text(json.dumps(side_by_side_json))
    killed = _report(
        tmp_path / "dagster-mp.json",
        "2026-11-29",
        [
            _cell("dagster", "materialize multiprocess call", 1000, 0.0, status="timeout",
                  limit_s=1100.0),
        ],
    )  # fmt: skip
    out = tmp_path / "out"
    argv = [sys.executable, str(BENCH / "combine.py"), str(ours), str(side_by_side), str(killed)]
    proc = subprocess.run([*argv, "--out", str(out)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr

    markdown = (out / "latest.md").read_text()
    assert "Dagster's cells come from earlier runs" in markdown
    assert "`2026-11-24.json` (2026-11-24, Dagster 1.13.27)" in markdown
    assert "| load | 1000 | 0.200 | 3.000 | 15.0x | ≥15x | ✓ |" in markdown
    # A run killed by hand bounds the ratio from below at its own limit, not the run's 600 s.
    assert "| materialize multiprocess | 1000 | 1.000 | > 1100.0 | >1100.0x |" in markdown
    assert (out / "2026-11-29.md").read_text() == markdown
