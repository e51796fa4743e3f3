"""The multiprocess executor: each step runs in one of a pool of long-lived worker processes.

Workers hold the definitions for the whole run, so a step costs one message each way, not a
process start and a project load. Definitions loaded from a project are loaded again in each
worker (``spawn``: nothing of this process — threads, open databases — leaks into them);
definitions built in memory are inherited with ``fork``. Values pass between steps through
the IO manager, so it must be one every process can read (the CLI's is on disk).

Because each worker has its own pipe, the pool always knows which step a worker was running:
a worker that dies (``os._exit``, a crash in native code) or stays stuck past the step's time
limit fails that step alone and is replaced, and the run goes on. Workers ignore Ctrl-C; the
run cancels by stopping them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from assetloom.assets.definition import AssetsDefinition
from assetloom.errors import LoomError
from assetloom.execution.executors.backend import (
    RunSpec,
    StepBackend,
    WorkerDefinitions,
    portable,
    steps_by_name,
)
from assetloom.execution.executors.in_process import resources_set_up
from assetloom.execution.result import AssetOutcome, StepFailure
from assetloom.execution.step import StepExited, StepResult, step_time_limit
from assetloom.execution.timeout import StepTimedOut

STUCK_GRACE = 2.0
"""Seconds past its time limit that a step stuck in native code gets before its worker is
killed (Python code stops at the limit itself)."""

STOP_WAIT = 1.0
"""Seconds a stopped worker gets to exit before it is killed."""


class MultiprocessExecutor:
    """Run steps in up to ``max_concurrent`` worker processes (default: the CPU count)."""

    def __init__(self, max_concurrent: int | None = None) -> None:
        self.max_concurrent = max_concurrent or os.cpu_count() or 1

    @contextmanager
    def open(self, run: RunSpec) -> Iterator[StepBackend]:
        run.check_values_can_travel("multiprocess")
        pool = _WorkerPool(run, self.max_concurrent)
        try:
            yield pool
        finally:
            pool.close()


@dataclass(frozen=True, slots=True)
class _LoadFailed:
    """Sent by a worker that could not get the definitions, instead of any result."""

    message: str


class _Worker:
    __slots__ = ("conn", "deadline", "process", "started", "step")

    def __init__(self, process: multiprocessing.process.BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.step: AssetsDefinition | None = None
        self.started = 0.0
        self.deadline: float | None = None


class _WorkerPool:
    def __init__(self, run: RunSpec, size: int) -> None:
        self._run = run
        self._size = size
        self._workers: list[_Worker] = []
        self._context = (
            multiprocessing.get_context("spawn")
            if run.project_root is not None
            else multiprocessing.get_context("fork")
        )
        self._source = WorkerDefinitions.of(run)

    @property
    def capacity(self) -> int:
        return self._size

    def submit(self, step: AssetsDefinition) -> None:
        worker = next((w for w in self._workers if w.step is None), None)
        if worker is None:
            worker = self._spawn()
        worker.conn.send((step.node_name, step.keys))  # the keys: a subset of a multi-asset
        worker.step = step
        worker.started = time.monotonic()
        limit = step_time_limit(step, self._run.step_timeout)
        worker.deadline = None if limit is None else worker.started + limit + STUCK_GRACE

    def collect(self) -> Sequence[StepResult]:
        busy = [w for w in self._workers if w.step is not None]
        deadlines = [w.deadline for w in busy if w.deadline is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
        finished: list[StepResult] = []
        for worker in busy:
            if worker.conn in ready or worker.process.sentinel in ready:
                finished.append(self._receive(worker))
            elif worker.deadline is not None and time.monotonic() >= worker.deadline:
                finished.append(self._give_up_on(worker))
        return finished

    def _receive(self, worker: _Worker) -> StepResult:
        step = worker.step
        assert step is not None
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(STOP_WAIT)
            return self._replace(worker, _died(worker.process.exitcode))
        if isinstance(message, _LoadFailed):
            raise LoomError(f"a worker process could not load the definitions: {message.message}")
        worker.step = None
        return message  # type: ignore[no-any-return]

    def _give_up_on(self, worker: _Worker) -> StepResult:
        worker.process.kill()
        worker.process.join()
        step = worker.step
        assert step is not None
        limit = step_time_limit(step, self._run.step_timeout)
        return self._replace(
            worker, StepTimedOut(f"timed out after {limit:g}s (stuck; its worker was killed)")
        )

    def _replace(self, worker: _Worker, error: Exception) -> StepResult:
        """Fail the step a lost worker was running, and drop the worker (a new one starts
        on the next submit)."""
        step = worker.step
        assert step is not None
        self._workers.remove(worker)
        worker.conn.close()
        keys = tuple(sorted(step.keys))
        failure = StepFailure(step.node_name, keys, error, "", step.location)
        return StepResult(
            step.node_name,
            keys,
            dict.fromkeys(keys, AssetOutcome.FAILURE),
            failures=(failure,),
            duration=time.monotonic() - worker.started,
        )

    def _spawn(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child_end, self._source), daemon=True
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self._workers.append(worker)
        return worker

    def cancel(self) -> None:
        for worker in self._workers:
            worker.process.terminate()
        for worker in self._workers:
            _stop(worker.process)
        self._workers.clear()

    def close(self) -> None:
        for worker in self._workers:
            with suppress(OSError):
                worker.conn.send(None)
        for worker in self._workers:
            _stop(worker.process)
            worker.conn.close()
        self._workers.clear()


def _stop(process: multiprocessing.process.BaseProcess) -> None:
    process.join(STOP_WAIT)
    if process.is_alive():
        process.kill()
        process.join()


def _died(exitcode: int | None) -> StepExited:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"was killed by signal {-exitcode}"
    else:
        how = f"exited with code {exitcode} (os._exit, or a crash in native code)"
    return StepExited(f"the worker process running the asset {how}")


def _worker_main(conn: Connection, source: WorkerDefinitions) -> None:
    """A worker: get the definitions once, then run the steps it is sent until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        runner = source.runner()
        steps = steps_by_name(runner.graph)
    except BaseException as error:
        conn.send(_LoadFailed(f"{type(error).__name__}: {error}"))
        return
    with resources_set_up(runner.resources):
        while True:
            try:
                message = conn.recv()
            except EOFError:  # the run is gone
                return
            if message is None:
                return
            node, keys = message
            conn.send(portable(runner.run(steps[node].subset_for(keys))))
