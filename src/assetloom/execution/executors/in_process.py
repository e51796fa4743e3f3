"""The in-process executor: steps run one after another in this process, in plan order.

What ``materialize()`` uses by default, as in Dagster: no process boundary, so values may be
anything and an in-memory IO manager works.
"""

from __future__ import annotations

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
        with resources_set_up(run.resources):
            yield _InProcessBackend(run.runner())


class _InProcessBackend:
    capacity = 1

    def __init__(self, runner: StepRunner) -> None:
        self._runner = runner
        self._finished: list[StepResult] = []

    def submit(self, step: AssetsDefinition) -> None:
        with exit_refused():
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
