"""The report's target verdicts and floor analysis, from made-up results (no processes run)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import run  # noqa: E402


def _result(framework: str, cell: str, size: int | None, seconds: float, mib: float = 50.0):
    return run.CellResult(framework, cell, size, samples=[{"wall_s": seconds, "maxrss_mib": mib}])


def _report(sizes: list[int]) -> dict:
    return {
        "date": "2000-01-01",
        "command": "python bench/run.py",
        "machine": {"platform": "test", "python": "3.11"},
        "versions": {},
        "args": {
            "sizes": sizes,
            "repeats": 3,
            "floor_repeats": 10,
            "warmup": True,
            "loom_parse_cache": "on",
            "cold": True,
        },
    }


def _rows(markdown: str, header_start: str) -> dict[tuple[str, str], list[str]]:
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[(cells[0], cells[1])] = cells
    return rows


def _results() -> list[run.CellResult]:
    results = [
        _result("assetloom", "python -c pass", None, 0.010),
        _result("assetloom", "import", None, 0.020),
        _result("assetloom", run.PYDANTIC_FLOOR, None, 0.100),
        _result("assetloom", "--help", None, 0.050),
        _result("dagster", "--help", None, 0.200),
        _result("assetloom", run.YAML_FLOOR, 1000, 0.150),
        _result("assetloom", run.YAML_FLOOR, 10000, 0.400),
    ]
    for cell in run.COMMANDS:
        results.append(_result("assetloom", cell, 1000, 0.200, 40))
        results.append(_result("assetloom", cell, 10000, 1.000, 60))
    # At 1,000 Dagster meets the load target (20x >= 15x) and misses check_yaml (5x < 10x);
    # at 10,000 it misses load (20x < 25x) and its materialize was skipped.
    results += [
        _result("dagster", "load", 1000, 4.0, 100),
        _result("dagster", "check_yaml", 1000, 1.0, 100),
        _result("assetloom", "materialize_call", 1000, 0.010),
        _result("dagster", "materialize_call", 1000, 10.0),
        _result("dagster", "load", 10000, 20.0, 100),
        _result("dagster", "check_yaml", 10000, 20.0, 200),
        run.CellResult("dagster", "materialize", 10000, status="skipped", detail="skipped: x"),
    ]
    # Cold cache: load at 1,000 meets its target (4.0 / 0.25 = 16x), check_yaml does not (5x),
    # load at 10,000 does not (10x < 25x); list_defs cold at 1,000 failed.
    results += [
        _result("assetloom", "load (no cache)", 1000, 0.250),
        _result("assetloom", "check_yaml (no cache)", 1000, 0.200),
        run.CellResult("assetloom", "list_defs (no cache)", 1000, status="error", detail="boom"),
        _result("assetloom", "load (no cache)", 10000, 2.000),
    ]
    return results


def test_ratio_targets_and_verdicts() -> None:
    markdown = run.render_markdown(_report([1000, 10000]), _results())
    rows = _rows(markdown, "| cell | size | assetloom s |")
    # columns: cell, size, assetloom s, dagster s, ratio, target, met, MiB, MiB
    assert rows[("load", "1000")][4:7] == ["20.0x", "≥15x", "✓"]
    assert rows[("check_yaml", "1000")][4:7] == ["5.0x", "≥10x", "✗"]
    assert rows[("load", "10000")][4:7] == ["20.0x", "≥25x", "✗"]
    assert rows[("list_defs", "10000")][4:7] == ["-", "≥15x", "-"]  # Dagster missing: no verdict
    assert rows[("materialize", "10000")][3:7] == ["skipped", "-", "", ""]
    assert rows[("materialize", "1000")][5:7] == ["≥30x", "-"]
    assert rows[("materialize_call", "1000")][4:7] == ["1000.0x", "", ""]
    assert rows[(run.YAML_FLOOR, "1000")][3:7] == ["-", "-", "", ""]
    assert not [key for key in rows if key[0].endswith(run.NO_CACHE)]  # main table: warm only


def test_without_the_parse_cache() -> None:
    markdown = run.render_markdown(_report([1000, 10000]), _results())
    section = markdown.split("## Without the parse cache", 1)[1].split("\n## ", 1)[0]
    assert "`LOOM_NO_CACHE=1`" in section
    rows = _rows(section, "| cell | size | assetloom s (no cache) |")
    # columns: cell, size, assetloom s (no cache), dagster s, ratio, target, met
    assert rows[("load", "1000")][2:] == ["0.250", "4.000", "16.0x", "≥15x", "✓"]
    assert rows[("check_yaml", "1000")][2:] == ["0.200", "1.000", "5.0x", "≥10x", "✗"]
    assert rows[("list_defs", "1000")][2:] == ["error", "-", "-", "≥15x", "-"]
    assert rows[("load", "10000")][2:] == ["2.000", "20.0", "10.0x", "≥25x", "✗"]
    assert set(rows) == {("load", "1000"), ("check_yaml", "1000"), ("list_defs", "1000")} | {
        ("load", "10000")
    }
    assert "Errors and timeouts" in markdown
    assert "list_defs (no cache) n=1000: error" in markdown


def test_without_the_parse_cache_not_measured() -> None:
    report = _report([1000])
    report["args"]["cold"] = False
    warm = [r for r in _results() if not r.cell.endswith(run.NO_CACHE)]
    markdown = run.render_markdown(report, warm)
    assert "## Without the parse cache\n\nNot measured in this run (`--no-cold`)." in markdown
    assert run.parse_args(["--no-cold"]).no_cold is True
    assert run.parse_args([]).no_cold is False
    assert run.ratio_target("load (no cache)", 1000) == run.ratio_target("load", 1000) == 15.0


def test_other_targets() -> None:
    markdown = run.render_markdown(_report([1000, 10000]), _results())
    assert "- `loom --help` < 150 ms: 50 ms ✓" in markdown
    scaling = next(line for line in markdown.splitlines() if line.startswith("- time(10,000)"))
    assert "load 5.0 ✓" in scaling
    assert "materialize 5.0 ✓" in scaling
    rss = next(line for line in markdown.splitlines() if line.startswith("- peak RSS"))
    assert "load 60/100 = 0.60 ✗" in rss
    assert "check_yaml 60/200 = 0.30 ✓" in rss
    assert "materialize -" in rss

    slow = [r for r in _results() if not (r.cell == "load" and r.size == 10000)]
    slow.append(_result("assetloom", "load", 10000, 2.5))
    markdown = run.render_markdown(_report([1000, 10000]), slow)
    scaling = next(line for line in markdown.splitlines() if line.startswith("- time(10,000)"))
    assert "load 12.5 ✗" in scaling


def test_where_the_time_goes() -> None:
    markdown = run.render_markdown(_report([1000, 10000]), _results())
    section = markdown.split("## Where the time goes", 1)[1]
    rows = _rows(section, "| cell | size | time s |")
    # time, python start, + pydantic, + YAML parse, floor, above floor, time / floor
    # Warm cells get parsed files from the cache: their floor stops at the pydantic floor.
    assert rows[("load", "1000")][2:] == ["0.200", "0.010", "0.090", "", "0.100", "0.100", "2.0x"]
    assert rows[("check_defs", "10000")][2:] == [
        "1.000", "0.010", "0.090", "", "0.100", "0.900", "10.0x"
    ]  # fmt: skip
    # Cold cells parse every defs.yaml: the YAML parse floor bounds them.
    assert rows[("load (no cache)", "1000")][2:] == [
        "0.250", "0.010", "0.090", "0.050", "0.150", "0.100", "1.7x"
    ]  # fmt: skip
    assert rows[("load (no cache)", "10000")][2:] == [
        "2.000", "0.010", "0.090", "0.300", "0.400", "1.600", "5.0x"
    ]  # fmt: skip
    assert rows[("list_defs (no cache)", "1000")][2] == "error"
    assert ("check_defs (no cache)", "1000") not in rows
    assert rows[("--help", "-")][2:] == ["0.050", "0.010", "", "", "0.010", "0.040", "5.0x"]
    assert ("materialize_call", "1000") not in rows


def test_missing_floor_row_gives_no_floor() -> None:
    results = [r for r in _results() if not (r.cell == run.YAML_FLOOR and r.size == 1000)]
    section = run.render_markdown(_report([1000]), results).split("## Where the time goes", 1)[1]
    rows = _rows(section, "| cell | size | time s |")
    assert rows[("load (no cache)", "1000")][2:] == ["0.250", "0.010", "0.090", "-", "-", "-", "-"]
    assert rows[("load", "1000")][6] == "0.100"  # the warm cell does not need it


def test_parse_cache_state_is_stated() -> None:
    report = _report([1000])
    warm = run.render_markdown(report, _results())
    assert "parse cache (`<project>/.loom/cache`) is on" in warm
    assert "a plain cell (warm cache) gets parsed files back" in warm
    report["args"]["loom_parse_cache"] = "off"
    report["args"]["cold"] = False
    results = [r for r in _results() if not r.cell.endswith(run.NO_CACHE)]
    cold = run.render_markdown(report, results)
    assert "parse cache is off (`LOOM_NO_CACHE=1`)" in cold
    assert "a plain cell (warm cache)" not in cold
    assert "## Without the parse cache\n\nThe table above already is" in cold
    # Every cell parsed, so every command is bounded by the YAML parse floor.
    rows = _rows(cold.split("## Where the time goes", 1)[1], "| cell | size | time s |")
    assert rows[("load", "1000")][5:7] == ["0.050", "0.150"]
    assert run.loom_parse_cache({}) == "on"
    assert run.loom_parse_cache({"LOOM_NO_CACHE": "0"}) == "on"
    assert run.loom_parse_cache({"LOOM_NO_CACHE": "1"}) == "off"
