"""Executors decide where and when each step of a plan runs; ``step.py`` decides what running
one means, so every executor gives the same results.

``in_process`` is what ``materialize()`` uses by default; ``multiprocess`` (the CLI's
default) and ``dask`` are imported only when asked for.
"""

from __future__ import annotations

from assetloom.execution.executors.backend import Executor

EXECUTOR_NAMES = ("in_process", "multiprocess", "dask")


def executor_named(
    name: str, *, max_concurrent: int | None = None, dask_address: str | None = None
) -> Executor:
    """The executor ``loom materialize --executor NAME`` stands for."""
    if name == "in_process":
        from assetloom.execution.executors.in_process import InProcessExecutor

        return InProcessExecutor()
    if name == "multiprocess":
        from assetloom.execution.executors.multiprocess import MultiprocessExecutor

        return MultiprocessExecutor(max_concurrent=max_concurrent)
    if name == "dask":
        from assetloom.execution.executors.dask import DaskExecutor

        return DaskExecutor(address=dask_address, n_workers=max_concurrent)
    raise ValueError(f"unknown executor `{name}` (one of {', '.join(EXECUTOR_NAMES)})")


__all__ = ["EXECUTOR_NAMES", "Executor", "executor_named"]
