"""bench/ab.py: the same cells for two versions of assetloom, alternating, in one run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
SRC = Path(__file__).resolve().parents[2] / "src"


def test_a_version_against_itself_runs_every_cell_on_both_sides(tmp_path: Path) -> None:
    out = tmp_path / "ab.json"
    argv = [
        sys.executable, str(BENCH / "ab.py"), str(SRC),
        "--sizes", "100", "--repeats", "1", "--cells", "load,check_yaml",
        "--work", str(tmp_path / "work"), "--out", str(out),
    ]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "new/old" in proc.stdout
    samples = json.loads(out.read_text())["samples"]
    assert set(samples) == {"load 100", "check_yaml 100"}
    for times in samples.values():
        assert len(times["old"]) == len(times["new"]) == 1
        assert min(times["old"] + times["new"]) > 0


def test_an_unknown_cell_is_refused(tmp_path: Path) -> None:
    argv = [sys.executable, str(BENCH / "ab.py"), str(SRC), "--cells", "lod"]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "unknown cell(s) ['lod']" in proc.stderr
