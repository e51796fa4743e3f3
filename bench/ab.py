"""Time assetloom against an older version of itself: the same cells, in the same minutes.

Absolute figures move with the machine's load (a shared 2-core machine varied by 25% within
one afternoon), so "is this change slower than the code of the last run?" is answered by
alternating the two versions, cell by cell, each on its own copy of the generated project
(its own parse cache):

    git worktree add /tmp/old <commit>
    python bench/ab.py /tmp/old/src --sizes 1000,10000 --repeats 9

The old version runs with ``PYTHONPATH=<old src>`` ahead of the installed package; both use
this virtualenv's python and ``loom``. Prints one line per cell (median seconds, new/old)
and writes the samples as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

import generate
import run

CELLS = ("load", "check_yaml", "list_defs", "check_defs", "materialize")


def argv_for(cell: str, python: str, loom: str, root: Path) -> list[str]:
    """The child process of one cell, as ``run.py`` starts it."""
    if cell == "load":
        return [python, "-c", run._LOAD["assetloom"], str(root)]
    if cell == "materialize":
        return [python, "-c", run._MATERIALIZE["assetloom"], str(root)]
    return [loom, *run._CLI[cell]]


def compare(
    old_src: Path, sizes: list[int], repeats: int, cells: list[str], work: Path
) -> dict[str, dict[str, list[float]]]:
    """``{"<cell> <size>": {"old": [seconds...], "new": [...]}}``, old and new alternating."""
    fw = run.assetloom_framework()
    python, loom = str(fw.python), str(fw.bin_dir / "loom")
    envs = {"new": dict(fw.env), "old": {**fw.env, "PYTHONPATH": str(old_src)}}
    samples: dict[str, dict[str, list[float]]] = {}
    for size in sizes:
        roots = {}
        for side in ("old", "new"):
            folder = work / side / f"n{size}"
            if not folder.exists():
                generate.generate(size, folder, 0)
            roots[side] = folder / "assetloom"
        for cell in cells:
            times: dict[str, list[float]] = {"old": [], "new": []}
            for side in ("old", "new"):  # untimed: bytecode, parse cache
                run.run_process(argv_for(cell, python, loom, roots[side]), cwd=roots[side],
                                env=envs[side], timeout=600)  # fmt: skip
            for _ in range(repeats):
                for side in ("old", "new"):
                    argv = argv_for(cell, python, loom, roots[side])
                    sample = run.run_process(argv, cwd=roots[side], env=envs[side], timeout=600)
                    if sample.rc != 0:
                        raise SystemExit(f"{side} {cell} n={size}: {sample.stderr_tail}")
                    times[side].append(sample.wall_s)
            old, new = statistics.median(times["old"]), statistics.median(times["new"])
            print(f"{cell:12} {size:6}  old {old:.3f}  new {new:.3f}  new/old {new / old:.2f}",
                  flush=True)  # fmt: skip
            samples[f"{cell} {size}"] = times
    return samples


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old_src", type=Path, help="the older version's src/ folder")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--cells", default=",".join(CELLS))
    parser.add_argument("--work", type=Path, default=run.WORK_DIR / "ab")
    parser.add_argument("--out", type=Path, default=None, help="write the samples here")
    args = parser.parse_args(argv)
    cells = [c for c in args.cells.split(",") if c]
    unknown = set(cells) - set(CELLS)
    if unknown:
        parser.error(f"unknown cell(s) {sorted(unknown)}; cells: {', '.join(CELLS)}")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    samples = compare(args.old_src.resolve(), sizes, args.repeats, cells, args.work.resolve())
    report = {"old_src": str(args.old_src.resolve()), "repeats": args.repeats, "samples": samples}
    if args.out is not None:
        args.out.write_text(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    main()
