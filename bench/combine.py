"""Render one report from the assetloom side of a run and Dagster's side of earlier runs.

Dagster's cells take most of an hour (its multiprocess executor alone about 20 minutes at
1,000 assets) and do not change while Dagster's version and the machine do not, so an
assetloom-only run (``run.py --only assetloom``) can be set against the Dagster figures of the
last side-by-side run. The report says where each side comes from:

    python bench/combine.py ASSETLOOM.json DAGSTER.json [MORE_DAGSTER.json ...] --out DIR

writes ``DIR/<assetloom run's date>.json`` / ``.md`` and ``DIR/latest.md``. The first file
gives the assetloom cells, the run's settings and sizes; the others give Dagster cells (a
later file's cell replaces an earlier file's).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import run


def load_results(path: Path, framework: str) -> list[run.CellResult]:
    """The cells of ``framework`` recorded in the report at ``path``."""
    return [
        run.CellResult(
            framework=r["framework"],
            cell=r["cell"],
            size=r["size"],
            status=r["status"],
            samples=r["samples"],
            detail=r["detail"],
            facts=r["facts"],
        )
        for r in json.loads(path.read_text())["results"]
        if r["framework"] == framework
    ]


def combine(assetloom: Path, dagster: list[Path]) -> tuple[dict[str, Any], list[run.CellResult]]:
    report = json.loads(assetloom.read_text())
    report.pop("results")
    theirs: dict[tuple[str, int | None], run.CellResult] = {}
    sources = []
    for path in dagster:
        other = json.loads(path.read_text())
        sources.append(
            f"`{path.name}` ({other.get('date', '?')}, Dagster "
            f"{other.get('versions', {}).get('dagster', '?')})"
        )
        report["versions"].setdefault("dagster", other.get("versions", {}).get("dagster"))
        theirs.update({(r.cell, r.size): r for r in load_results(path, "dagster")})
    report["dagster_from"] = sources
    return report, load_results(assetloom, "assetloom") + list(theirs.values())


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assetloom", type=Path, help="report whose assetloom cells are used")
    parser.add_argument(
        "dagster", type=Path, nargs="+", help="reports whose Dagster cells are used"
    )
    parser.add_argument("--out", type=Path, default=run.DEFAULT_OUT)
    args = parser.parse_args(argv)
    report, results = combine(args.assetloom, args.dagster)
    return run.write_report(args.out, report, results)


if __name__ == "__main__":
    print(main())
