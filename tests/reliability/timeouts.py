"""A per-case time limit for the fuzz suites: a case that runs past it fails as a hang,
instead of the whole test stalling until pytest-timeout kills it without saying which case.
Each case is held to a memory bound too (see ``memory.py``)."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from tests.reliability.memory import peak_memory_at_most

CASE_SECONDS = 2.0


class Hang(AssertionError):
    """A fuzz case ran past its time limit."""


@contextmanager
def within(seconds: float = CASE_SECONDS) -> Iterator[None]:
    """Fail the block with :class:`Hang` after ``seconds`` of wall time, or with
    :class:`MemoryHog` when it takes too much memory. SIGALRM's timer is shared with
    pytest-timeout: its remaining time is put back afterwards."""

    def hang(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"the case ran for more than {seconds} s")

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, hang)
    previous_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with peak_memory_at_most():
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            remaining = previous_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(remaining, 0.001))
