"""The Dask executor: each step a Dask task, on an existing scheduler or a local cluster.

``--dask-address tcp://host:8786`` uses a running scheduler; without it a ``LocalCluster``
with one single-threaded worker process per CPU (or ``--max-concurrent``) starts for the run
and stops after it. A step is submitted as soon as its upstream steps finished, so Dask
always runs steps in dependency order while the run loop keeps the semantics (skips, blocking
checks, cancellation) that every executor shares.

Each worker gets the definitions once per run: definitions loaded from a project are loaded
again there; definitions built in memory are sent pickled (cloudpickle), once. dask is
imported only here.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from functools import partial
from typing import Any

from assetloom.assets.definition import AssetsDefinition
from assetloom.assets.key import AssetKey
from assetloom.execution.executors.backend import (
    RunSpec,
    StepBackend,
    WorkerDefinitions,
    portable,
    steps_by_name,
)
from assetloom.execution.exit_guard import exit_refused
from assetloom.execution.result import AssetOutcome, RemoteError, StepFailure
from assetloom.execution.step import StepResult, StepRunner

_RUNNERS: dict[str, tuple[StepRunner, dict[str, AssetsDefinition]]] = {}
"""On a Dask worker: the step runner of each run it has seen (the definitions, loaded once)."""


class DaskExecutor:
    """Run steps as Dask tasks (``address``: an existing scheduler; else a local cluster of
    ``n_workers`` processes, default the CPU count)."""

    def __init__(self, address: str | None = None, n_workers: int | None = None) -> None:
        self.address = address
        self.n_workers = n_workers

    @contextmanager
    def open(self, run: RunSpec) -> Iterator[StepBackend]:
        run.check_values_can_travel("Dask")
        import dask
        from distributed import Client, LocalCluster

        with ExitStack() as stack:
            stop_workers = None
            if self.address is not None:
                client = stack.enter_context(Client(self.address, set_as_default=False))  # type: ignore[no-untyped-call]
            else:
                # A worker that dies fails its task at once instead of being retried on
                # another worker: a step that calls os._exit must fail, as on every executor.
                stack.enter_context(dask.config.set({"distributed.scheduler.allowed-failures": 0}))
                cluster = stack.enter_context(
                    LocalCluster(  # type: ignore[no-untyped-call]
                        n_workers=self.n_workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",
                        silence_logs=logging.ERROR,
                    )
                )
                client = stack.enter_context(Client(cluster, set_as_default=False))  # type: ignore[no-untyped-call]
                stop_workers = partial(_kill_workers, cluster)
            yield _DaskBackend(client, run, stop_workers)


class _DaskBackend:
    def __init__(
        self, client: Any, run: RunSpec, stop_workers: Callable[[], None] | None = None
    ) -> None:
        self._client = client
        self._run = run
        self._stop_workers = stop_workers
        workers = len(client.scheduler_info().get("workers", {})) or 1
        # A few steps queued per worker, so a worker never idles while the next step travels.
        self._capacity = 4 * workers
        source = WorkerDefinitions.of(run)
        self._source = source if run.project_root is not None else client.scatter(source)
        from distributed import as_completed

        # Results come back with the completions, in batches: asking each future for its
        # result would cost a round trip to a worker per step.
        self._completed = as_completed(  # type: ignore[no-untyped-call]
            loop=client.loop, with_results=True, raise_errors=False
        )
        self._running: dict[Any, AssetsDefinition] = {}
        self._started: dict[Any, float] = {}

    @property
    def capacity(self) -> int:
        return self._capacity

    def submit(self, step: AssetsDefinition) -> None:
        future = self._client.submit(
            _run_step,
            self._source,
            step.node_name,
            step.keys,
            key=f"{step.node_name}-{self._run.run_id}",
            pure=False,
        )
        self._running[future] = step
        self._started[future] = time.monotonic()
        self._completed.add(future)  # type: ignore[no-untyped-call]

    def collect(self) -> Sequence[StepResult]:
        done = self._completed.next_batch(block=True)  # type: ignore[no-untyped-call]
        return [self._result_of(future, outcome) for future, outcome in done]

    def _result_of(self, future: Any, outcome: Any) -> StepResult:
        step = self._running.pop(future)
        started = self._started.pop(future)
        if isinstance(outcome, StepResult):
            return outcome
        keys = tuple(sorted(step.keys))
        error = outcome if isinstance(outcome, BaseException) else None
        if error is None:
            reason = RemoteError("WorkerLost", f"its Dask task ended as {future.status}")
        else:
            reason = RemoteError(type(error).__name__, f"its Dask task failed: {error}")
        return StepResult(
            step.node_name,
            keys,
            dict.fromkeys(keys, AssetOutcome.FAILURE),
            failures=(StepFailure(step.node_name, keys, reason, "", step.location),),
            duration=time.monotonic() - started,
        )

    def cancel(self) -> None:
        """Cancel the tasks; on a cluster of our own, also kill its workers: a task cannot be
        stopped inside a running worker, and closing the cluster would wait for it."""
        self._client.cancel(list(self._running), force=True)
        self._running.clear()
        if self._stop_workers is not None:
            self._stop_workers()


def _kill_workers(cluster: Any) -> None:
    for nanny in list(cluster.workers.values()):
        process = getattr(getattr(nanny, "process", None), "process", None)
        pid = getattr(process, "pid", None)
        if pid is not None:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _run_step(source: WorkerDefinitions, node_name: str, keys: frozenset[AssetKey]) -> StepResult:
    """The Dask task: run one step (or the ``keys`` subset of a multi-asset) with the run's
    definitions, loaded once per worker."""
    loaded = _RUNNERS.get(source.run_id)
    if loaded is None:
        runner = source.runner()
        _RUNNERS.clear()  # a long-lived worker keeps the definitions of its latest run only
        loaded = _RUNNERS[source.run_id] = runner, steps_by_name(runner.graph)
    runner, steps = loaded
    with exit_refused():
        result = runner.run(steps[node_name].subset_for(keys))
    return portable(result)
