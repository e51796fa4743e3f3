"""Telling a run that is still going from one whose process died (SIGKILL, power loss).

A running run's writer beats every ``HEARTBEAT_SECONDS``. A run is abandoned when its beat
is older than ``STALE_AFTER_SECONDS`` (whatever host it ran on), or at once when it ran on
this host and its process is gone — a live beat with a dead pid cannot happen, and a reused
pid is caught by the beat.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

HEARTBEAT_SECONDS = 5.0
STALE_AFTER_SECONDS = 60.0


def this_host() -> str:
    return socket.gethostname()


def is_abandoned(
    pid: int | None, hostname: str | None, heartbeat_at: float | None, now: float
) -> bool:
    if heartbeat_at is not None and now - heartbeat_at > STALE_AFTER_SECONDS:
        return True
    if pid is not None and hostname == this_host():
        return not process_alive(pid)
    return False


def process_alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie, killed but not yet reaped, is not)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): the signal said it exists
    state = stat.rpartition(")")[2].split()[0]
    return state not in ("Z", "X")
