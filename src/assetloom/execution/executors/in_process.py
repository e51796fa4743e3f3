"""The in-process executor: steps run one after another in this process, in plan order.

What ``materialize()`` uses by default, as in Dagster: no process boundary, so values may be
anything and an in-memory IO manager works.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from assetloom.assets.definition import AssetsDefinition
from assetloom.execution.executors.backend import RunSpec, StepBackend
from assetloom.execution.exit_guard import exit_refused
from assetloom.execution.step import StepResult, StepRunner


class InProcessExecutor:
    """Run every step in this process, one at a time."""

    @contextmanager
    def open(self, run: RunSpec) -> Iterator[StepBackend]:
        # `os._exit` raises for the whole run rather than per step: only steps (and the
        # run's own bookkeeping) run inside.
        with resources_set_up(run.resources), _ctrl_c_interrupts(run.resources), exit_refused():
            yield _InProcessBackend(run.runner())


class _InProcessBackend:
    capacity = 1

    def __init__(self, runner: StepRunner) -> None:
        self._runner = runner
        self._finished: list[StepResult] = []

    def submit(self, step: AssetsDefinition) -> None:
        self._finished.append(self._runner.run(step))

    def collect(self) -> Sequence[StepResult]:
        finished, self._finished = self._finished, []
        return finished

    def cancel(self) -> None:
        """Nothing runs between calls: Ctrl-C already stopped the step it interrupted."""


@contextmanager
def resources_set_up(resources: Mapping[str, Any]) -> Iterator[None]:
    """Call each resource's ``setup_for_execution`` before the steps of a process run and its
    ``teardown_after_execution`` after them."""
    for resource in resources.values():
        setup = getattr(resource, "setup_for_execution", None)
        if callable(setup):
            setup(None)
    try:
        yield
    finally:
        for resource in resources.values():
            teardown = getattr(resource, "teardown_after_execution", None)
            if callable(teardown):
                teardown(None)


@contextmanager
def _ctrl_c_interrupts(resources: Mapping[str, Any]) -> Iterator[None]:
    """On Ctrl-C, call ``interrupt()`` on every resource that has one.

    A query running in native code (DuckDB) holds the main thread, where Python runs signal
    handlers, so the KeyboardInterrupt would wait for the query to end. The signal's wake-up
    byte still arrives at once on a pipe, which a watcher thread reads.
    """
    targets = [r for r in resources.values() if callable(getattr(r, "interrupt", None))]
    if not targets or threading.current_thread() is not threading.main_thread():
        yield
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    previous = signal.set_wakeup_fd(write_end)

    def watch() -> None:
        while data := os.read(read_end, 64):
            if _STOP_WATCHING in data:
                return
            if signal.SIGINT in data:
                for target in targets:
                    target.interrupt()

    watcher = threading.Thread(target=watch, name="loom-ctrl-c", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)
        os.write(write_end, bytes([_STOP_WATCHING]))
        watcher.join()
        os.close(read_end)
        os.close(write_end)


_STOP_WATCHING = 0  # no signal has number 0
