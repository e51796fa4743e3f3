"""Dagster's side of the executor cells: every asset of a generated project, run as one job on
Dagster's multiprocess executor (a process per step), the way a deployment runs it.

Run with the Dagster venv's python, ``PYTHONPATH=<project>/src`` and ``DAGSTER_HOME`` set (the
harness does): ``python dagster_multiprocess.py <project root> <max_concurrent>``. A file, not
``-c``: the executor rebuilds the job in each step process from this module
(``reconstructable``); those processes read ``max_concurrent`` from the environment.
"""

import json
import os
import sys
import time
from pathlib import Path

import dagster as dg

MAX_CONCURRENT_ENV = "BENCH_MAX_CONCURRENT"


def all_assets_job() -> dg.JobDefinition:
    import bench_project

    defs = dg.load_from_defs_folder(path_within_project=Path(bench_project.__file__).parent)
    executor = dg.multiprocess_executor.configured(
        {"max_concurrent": int(os.environ.get(MAX_CONCURRENT_ENV, "2"))}
    )
    job = dg.define_asset_job(
        "all_assets", selection=dg.AssetSelection.all(), executor_def=executor
    )
    return dg.Definitions.merge(defs, dg.Definitions(jobs=[job])).get_job_def("all_assets")


if __name__ == "__main__":
    os.environ[MAX_CONCURRENT_ENV] = sys.argv[2]
    with dg.DagsterInstance.get() as instance:
        start = time.perf_counter()
        with dg.execute_job(dg.reconstructable(all_assets_job), instance=instance) as result:
            elapsed = time.perf_counter() - start
            if not result.success:
                sys.exit("the run failed")
            materialized = len(result.get_asset_materialization_events())
    print(json.dumps({"call_s": elapsed, "materialized": materialized}))
