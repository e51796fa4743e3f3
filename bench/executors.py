"""Executor cells: one generated graph of no-op assets run by assetloom's multiprocess and Dask
executors, and by Dagster's multiprocess executor, each with the same number of concurrent
steps (``WORKERS``, the 2 cores of the reference machine).

``materialize multiprocess`` / ``materialize dask`` are fresh processes that load the project
and run every asset (assetloom: ``materialize(executor=...)`` with values on disk and workers
that load the project themselves; Dagster: ``execute_job`` of an all-assets job). The
``... call`` cells are the run alone, without the load; per-asset overhead is that time divided
by the number of assets (a no-op asset does no work, so all of it is overhead).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
WORKERS = 2
MULTIPROCESS = "materialize multiprocess"
DASK = "materialize dask"
CALL = " call"
CELLS = (MULTIPROCESS, DASK)
DAGSTER_MAX_SIZE = 1000
"""Dagster starts a process per step: past the issue's 1,000 assets a run takes too long."""
RATIO_TARGET = {(MULTIPROCESS, 1000): 20.0}  # Dagster's time / assetloom's
PER_ASSET_TARGET_MS = {MULTIPROCESS: 5.0, DASK: 10.0}  # assetloom, on 2 cores

_ASSETLOOM = """\
import json, sys, tempfile, time
from pathlib import Path
import assetloom as dg
from assetloom.execution.executors import executor_named
from assetloom.execution.io_managers import FilesystemIOManager
root, executor, workers = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
defs = dg.load_from_defs_folder(project_root=root)
with tempfile.TemporaryDirectory() as storage:
    start = time.perf_counter()
    result = dg.materialize(
        defs,
        executor=executor_named(executor, max_concurrent=workers),
        io_manager=FilesystemIOManager(storage),
        project_root=root,
        raise_on_error=False,
    )
    elapsed = time.perf_counter() - start
if not result.success:
    sys.exit("; ".join(f.summary for f in result.failures[:3]) or "the run was cancelled")
print(json.dumps({"call_s": elapsed, "materialized": len(result.materializations)}))
"""


def commands(framework: str, python: str, root: Path, size: int) -> dict[str, list[str]]:
    """The executor cells a framework takes part in, each as the argv of its child."""
    if framework == "assetloom":
        return {
            cell: [python, "-c", _ASSETLOOM, str(root), executor, str(WORKERS)]
            for cell, executor in ((MULTIPROCESS, "multiprocess"), (DASK, "dask"))
        }
    if size > DAGSTER_MAX_SIZE:
        return {}
    script = str(BENCH_DIR / "dagster_multiprocess.py")
    return {MULTIPROCESS: [python, script, str(root), str(WORKERS)]}


def section(
    by_key: dict[Any, Any],
    sizes: list[int],
    fmt_s: Any,
    mark: Any,
    limit_s: float | None = None,
) -> list[str]:
    """The report's "Executors" table: run time, ratio to Dagster, per-asset overhead. A
    Dagster run killed at ``limit_s`` still bounds the ratio from below (shown as ``>``)."""
    rows = []
    for size in sizes:
        for cell in CELLS:
            ours = by_key.get(("assetloom", cell + CALL, size))
            theirs = by_key.get(("dagster", cell + CALL, size))
            if ours is None and theirs is None:
                continue
            ours_s = ours.median_s if ours else None
            theirs_s = theirs.median_s if theirs else None
            # A run killed by hand (not at this run's limit) says its own limit in its facts.
            killed_at = theirs.facts.get("limit_s", limit_s) if theirs is not None else None
            at_least = theirs is not None and theirs.status == "timeout" and killed_at is not None
            if at_least:
                theirs_s = killed_at
            ratio = theirs_s / ours_s if ours_s and theirs_s else None
            target = RATIO_TARGET.get((cell, size))
            ratio_met = "-" if ratio is None or target is None else mark(ratio >= target)
            shown_ratio = "-" if ratio is None else f"{'>' if at_least else ''}{ratio:.1f}x"
            shown_theirs = f"> {fmt_s(theirs_s)}" if at_least else fmt_s(theirs_s)
            per_asset = _per_asset_ms(ours, by_key.get(("assetloom", cell, size)))
            per_asset_met = (
                "-" if per_asset is None else mark(per_asset <= PER_ASSET_TARGET_MS[cell])
            )
            rows.append(
                f"| {cell} | {size} | {fmt_s(ours_s)} | {shown_theirs} | {shown_ratio} "
                f"| {'-' if target is None else f'{target:g}x'} | {ratio_met} "
                f"| {'-' if per_asset is None else f'{per_asset:.2f}'} "
                f"| {PER_ASSET_TARGET_MS[cell]:g} | {per_asset_met} |"
            )
    if not rows:
        return []
    return [
        "",
        "## Executors",
        "",
        f"The run alone (after the load), every asset of the project, {WORKERS} steps at a "
        "time: assetloom's multiprocess executor (long-lived workers, values on disk) and Dask "
        f"executor (a local cluster of {WORKERS} worker processes, started inside the timed "
        "run) against Dagster's multiprocess executor (`execute_job`, a process per step). "
        "Per-asset overhead = assetloom's run time / assets (every asset is a no-op).",
        "",
        "| cell | size | assetloom s | dagster s | ratio | target | met "
        "| ms per asset | target ms | met |",
        "|---|---:|---:|---:|---:|---:|:---:|---:|---:|:---:|",
        *rows,
    ]


def _per_asset_ms(call: Any, process: Any) -> float | None:
    """The run's time per materialized asset (the count comes from the process's facts)."""
    if call is None or call.median_s is None or process is None:
        return None
    assets = process.facts.get("materialized")
    return call.median_s / assets * 1000 if assets else None
