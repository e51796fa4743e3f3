"""``context.log``: a logger whose lines also become the step's ``LogMessage`` events.

The lines still go to Python logging (the ``assetloom.run`` logger), and are also kept with
the step's other events, so they reach the progress display and run storage from any
executor — a worker process hands them back with the step's result.
"""

from __future__ import annotations

import logging
from collections.abc import MutableSequence
from typing import Any

from assetloom.execution.events import LogMessage, RunEvent

RUN_LOGGER = logging.getLogger("assetloom.run")


class StepLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """Appends a ``LogMessage`` to ``events`` for every line logged, whatever the level."""

    def __init__(self, run_id: str, step: str, events: MutableSequence[RunEvent]) -> None:
        super().__init__(RUN_LOGGER, {"run_id": run_id, "step": step})
        self._run_id = run_id
        self._step = step
        self._events = events

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        text = str(msg) % args if args else str(msg)
        self._events.append(
            LogMessage(
                run_id=self._run_id,
                step=self._step,
                level=logging.getLevelName(level),
                message=text,
            )
        )
        super().log(level, msg, *args, **kwargs)
