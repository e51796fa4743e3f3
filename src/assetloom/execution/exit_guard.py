"""``os._exit`` inside an asset fails that step instead of ending a shared process.

In this process (the in-process executor) or a Dask worker, one asset calling ``os._exit``
would end every step the process holds, and the run with it. While steps run, ``os._exit``
raises ``StepExited`` instead. The multiprocess executor does not need this: each step has a
worker of its own, whose death fails only that step.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from assetloom.execution.step import StepExited

_REAL_EXIT = os._exit
_guards = 0
_guards_lock = threading.Lock()


@contextmanager
def exit_refused() -> Iterator[None]:
    """Make ``os._exit`` raise for the duration of the block (nested and threaded uses are
    counted; the real function is back when the last block ends)."""
    global _guards
    with _guards_lock:
        _guards += 1
        os._exit = _refuse_exit
    try:
        yield
    finally:
        with _guards_lock:
            _guards -= 1
            if _guards == 0:
                os._exit = _REAL_EXIT


def _refuse_exit(status: int) -> NoReturn:
    raise StepExited(f"the asset called os._exit({status})")
