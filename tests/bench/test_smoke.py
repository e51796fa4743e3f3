"""A small run of the benchmark harness (assetloom only), so that it cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
CELLS = ("load", "check_yaml", "list_defs", "check_defs", "materialize", "materialize_call")
COMMANDS = CELLS[:-1]
COLD = tuple(f"{cell} (no cache)" for cell in COMMANDS)
FLOORS = ("python -c pass", "import", "pydantic floor", "--help")
SIZE_FLOORS = ("yaml parse floor",)


def _section(markdown: str, heading: str) -> list[str]:
    """The lines of ``markdown`` from ``heading`` to the next heading."""
    lines = markdown.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("#")), len(lines))
    return lines[start:end]


def _table(lines: list[str], header_start: str) -> list[list[str]]:
    """Rows (cells stripped) of the markdown table whose header starts with ``header_start``."""
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_harness_runs_assetloom_at_100_assets(tmp_path: Path) -> None:
    out = tmp_path / "results"
    work = tmp_path / "work"
    argv = [
        sys.executable,
        str(BENCH / "run.py"),
        "--sizes", "100",
        "--repeats", "1",
        "--help-repeats", "1",
        "--only", "assetloom",
        "--out", str(out),
        "--work", str(work),
    ]  # fmt: skip
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr

    [json_path] = out.glob("????-??-??.json")
    report = json.loads(json_path.read_text())
    results = {(r["cell"], r["size"]): r for r in report["results"]}
    expected = [(cell, 100) for cell in (*CELLS, *COLD, *SIZE_FLOORS)]
    expected += [(floor, None) for floor in FLOORS]
    for key in expected:
        result = results[key]
        assert result["framework"] == "assetloom"
        assert result["status"] == "ok", f"{key}: {result['detail']}"
        assert result["median_s"] is not None
        assert result["median_s"] > 0
    assert not [r for r in report["results"] if r["status"] != "ok"]
    assert results[("list_defs", 100)]["facts"].get("assets_listed", 0) >= 101
    # The cold cells went through the same asset-count checks as the warm ones.
    for cell, fact in (
        ("load", "assets"),
        ("list_defs", "assets_listed"),
        ("materialize", "materialized"),
    ):
        cold = results[(f"{cell} (no cache)", 100)]["facts"][fact]
        assert cold == results[(cell, 100)]["facts"][fact]
    assert ("materialize_call (no cache)", 100) not in results
    assert report["args"]["cold"] is True
    for cell in ("materialize multiprocess", "materialize dask"):  # the executor cells
        assert results[(cell, 100)]["facts"]["materialized"] == 101
        assert results[(f"{cell} call", 100)]["median_s"] > 0
    reload = results[("incremental reload", 100)]
    assert reload["status"] == "ok", reload["detail"]
    # Both recorded; not compared: at 100 assets the first edit's parse (which imports the
    # YAML parser, as in a long-lived process) can outweigh a full load from the parse cache.
    assert reload["median_s"] > 0
    assert reload["samples"][0]["full_load_s"] > 0
    yaml_floor = results[("yaml parse floor", 100)]["facts"]
    assert yaml_floor["yaml_files"] == report["projects"]["100"]["folders"]
    assert yaml_floor["yaml_events"] > 0

    # The warm-up wrote bytecode for the generated project (PYTHONDONTWRITEBYTECODE is dropped).
    project = Path(report["projects"]["100"]["dir"]) / "assetloom"
    assert list((project / "components" / "__pycache__").glob("etl_table_component.*.pyc"))

    markdown = (out / "latest.md").read_text()
    assert (out / f"{report['date']}.md").read_text() == markdown
    assert report["args"]["loom_parse_cache"] == "on"
    # The warm-up filled the cache that the warm cells read (the cold ones neither read nor write).
    assert (project / ".loom" / "cache" / "yaml.marshal").is_file()
    lines = markdown.splitlines()
    main = _table(lines, "| cell | size | assetloom s |")
    assert main[0][5:7] == ["target", "met"]
    rows = {(row[0], row[1]): row for row in main[2:]}
    assert set(rows) == {(cell, "100") for cell in (*CELLS, *SIZE_FLOORS)} | {
        (floor, "-") for floor in FLOORS
    }
    assert rows[("load", "100")][3:7] == ["-", "-", "", ""]  # no Dagster side, no target at 100

    reload_rows = _table(_section(markdown, "## Incremental reload"), "| size | reload s")
    assert [row[0] for row in reload_rows[2:]] == ["100"]
    cold = _table(_section(markdown, "## Without the parse cache"), "| cell | size | assetloom s")
    assert cold[0] == [
        "cell",
        "size",
        "assetloom s (no cache)",
        "dagster s",
        "ratio",
        "target",
        "met",
    ]
    cold_rows = {(row[0], row[1]): row for row in cold[2:]}
    assert set(cold_rows) == {(cell, "100") for cell in COMMANDS}
    for cell in COMMANDS:
        want = results[(f"{cell} (no cache)", 100)]["median_s"]
        assert abs(float(cold_rows[(cell, "100")][2]) - want) < 0.0006
        assert cold_rows[(cell, "100")][3:] == ["-", "-", "", ""]

    targets = "\n".join(lines)
    assert "- `loom --help` < 150 ms: " in targets
    assert "time(10,000) / time(1,000) ≤ 10 for every command: not measured" in targets
    assert "peak RSS at 10,000 ≤ half of Dagster's" in targets

    floors = _table(_section(markdown, "## Where the time goes"), "| cell | size | time s |")
    assert floors[0][-3:] == ["floor s", "above floor s", "time / floor"]
    by_cell = {(row[0], row[1]): row for row in floors[2:]}
    assert set(by_cell) == {(cell, "100") for cell in (*COMMANDS, *COLD)} | {
        ("import", "-"),
        ("--help", "-"),
    }
    for cell in COLD:  # parsing is paid here: bounded by the YAML parse floor
        row = by_cell[(cell, "100")]
        time_s, start, pydantic, yaml, floor, above = map(float, row[2:8])
        assert floor == float(rows[("yaml parse floor", "100")][2])
        assert abs(start + pydantic + yaml - floor) < 0.003
        assert abs(time_s - floor - above) < 0.003
    for cell in COMMANDS:  # the warm cache hands back parsed files: the pydantic floor
        row = by_cell[(cell, "100")]
        assert row[5] == ""
        time_s, start, pydantic, floor, above = map(float, [*row[2:5], *row[6:8]])
        assert floor == float(rows[("pydantic floor", "-")][2])
        assert abs(start + pydantic - floor) < 0.003
        assert abs(time_s - floor - above) < 0.003
    assert by_cell[("--help", "-")][3:7] == [
        rows[("python -c pass", "-")][2],
        "",
        "",
        rows[("python -c pass", "-")][2],
    ]
