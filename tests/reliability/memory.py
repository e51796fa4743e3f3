"""A per-case memory bound for the fuzz suites: a case whose peak resident memory grows past
it fails, naming the case, instead of the machine swapping or the OOM killer ending the run.

Linux keeps a process's peak resident set (``VmHWM``) and lets the process reset it through
``/proc/self/clear_refs``: two small file operations per case, so every case is measured,
where tracemalloc would make the suites several times slower (and miss native allocations).
Elsewhere the bound is not enforced."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CASE_MEGABYTES = 64  # measured: no case of the suites grows it by 8 MB

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")
_RESET_PEAK = "5"  # clear_refs: reset the peak resident set size to the current one


class MemoryHog(AssertionError):
    """A fuzz case's peak memory grew past its bound."""


@contextmanager
def peak_memory_at_most(megabytes: int = CASE_MEGABYTES) -> Iterator[None]:
    """Fail the block with :class:`MemoryHog` when the process's peak resident memory during
    it is more than ``megabytes`` above its resident memory at the start."""
    if not _reset_peak():
        yield
        return
    start = _kilobytes("VmRSS")
    yield
    grown = (_kilobytes("VmHWM") - start) // 1024
    if grown > megabytes:
        raise MemoryHog(f"the case's peak memory grew by {grown} MB (bound: {megabytes} MB)")


def _reset_peak() -> bool:
    try:
        _CLEAR_REFS.write_text(_RESET_PEAK)
    except OSError:
        return False
    return True


def _kilobytes(field: str) -> int:
    found = re.search(rf"^{field}:\s+(\d+) kB$", _STATUS.read_text(), re.MULTILINE)
    assert found is not None, f"no {field} in {_STATUS}"
    return int(found[1])
