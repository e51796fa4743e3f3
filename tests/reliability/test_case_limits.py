"""The per-case limits every fuzz suite relies on do fail a case: one that runs too long, one
that takes too much memory."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.reliability.memory import MemoryHog, peak_memory_at_most
from tests.reliability.timeouts import Hang, within


def test_a_case_that_runs_too_long_fails_as_a_hang() -> None:
    with pytest.raises(Hang, match=r"more than 0\.1 s"), within(0.1):
        time.sleep(5)


def test_a_case_that_takes_too_much_memory_fails_as_such() -> None:
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("the peak of resident memory can be reset only on Linux")
    with pytest.raises(MemoryHog, match="grew by"), peak_memory_at_most(megabytes=16):
        _resident_megabytes(64)


def test_a_case_within_its_memory_bound_passes() -> None:
    with peak_memory_at_most(megabytes=16):
        _resident_megabytes(1)


def _resident_megabytes(megabytes: int) -> None:
    taken = bytearray(megabytes * 1024 * 1024)
    taken[::4096] = b"\x01" * len(taken[::4096])  # every page touched, so it is resident
