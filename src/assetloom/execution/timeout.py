"""Stopping a step that runs past its time limit, in whatever thread runs it.

Python has no way to stop a thread from outside, except to schedule an exception in it
(``PyThreadState_SetAsyncExc``): the exception is raised at the thread's next bytecode, so
Python code stops within milliseconds, and a long call into C stops when it returns. That
works the same in the main thread, a worker process and a Dask worker thread, which is why
timeouts live in the step, not in an executor (the multiprocess executor also kills a worker
that stays stuck in C past the limit).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class StepTimedOut(Exception):
    """Raised inside a step that ran past its time limit."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``StepTimedOut`` in this thread if the block runs longer than ``seconds``."""
    if seconds is None:
        yield
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()
    finished = False

    def interrupt() -> None:
        import ctypes  # here: most runs set no time limit, and every run imports this module

        with lock:
            if not finished:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(thread_id), ctypes.py_object(StepTimedOut)
                )

    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            finished = True
        timer.cancel()
