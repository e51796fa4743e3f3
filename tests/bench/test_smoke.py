"""A small run of the benchmark harness (assetloom only), so that it cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
CELLS = ("load", "check_yaml", "list_defs", "check_defs", "materialize", "materialize_call")
FLOORS = ("python -c pass", "import", "--help")


def test_harness_runs_assetloom_at_100_assets(tmp_path: Path) -> None:
    out = tmp_path / "results"
    argv = [
        sys.executable,
        str(BENCH / "run.py"),
        "--sizes", "100",
        "--repeats", "1",
        "--help-repeats", "1",
        "--only", "assetloom",
        "--out", str(out),
        "--work", str(tmp_path / "work"),
    ]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr

    [json_path] = out.glob("????-??-??.json")
    report = json.loads(json_path.read_text())
    results = {(r["cell"], r["size"]): r for r in report["results"]}
    expected = [(cell, 100) for cell in CELLS] + [(floor, None) for floor in FLOORS]
    for key in expected:
        result = results[key]
        assert result["framework"] == "assetloom"
        assert result["status"] == "ok", f"{key}: {result['detail']}"
        assert result["median_s"] is not None
        assert result["median_s"] > 0
    assert not [r for r in report["results"] if r["status"] != "ok"]
    assert results[("list_defs", 100)]["facts"].get("assets_listed", 0) >= 101

    table = (out / "latest.md").read_text()
    assert "| load | 100 |" in table
    assert (out / f"{report['date']}.md").read_text() == table
