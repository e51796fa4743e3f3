"""What a run claims when it starts — its warehouse, its value storage — so that any process
of the run can tell when one of them disappears under it.

A claim is recorded in the environment, which worker processes inherit: a claimed path that
no longer exists was deleted during the run, and re-creating it would hide the loss behind
an empty database or folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from assetloom.errors import LoomError

CLAIMS_ENV = "ASSETLOOM_CLAIMED_PATHS"


class RunStoppedError(LoomError):
    """Something the whole run needs is unusable: every later step would fail the same way,
    so the run stops instead of reporting the same cause once per asset."""

    stops_run: ClassVar[bool] = True


@contextmanager
def claimed(path: Path) -> Iterator[None]:
    """Record ``path`` (which must exist) as claimed by this run for the block."""
    before = os.environ.get(CLAIMS_ENV)
    os.environ[CLAIMS_ENV] = os.pathsep.join(filter(None, [before, str(path.resolve())]))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(CLAIMS_ENV, None)
        else:
            os.environ[CLAIMS_ENV] = before


def deleted_during_run(path: Path) -> bool:
    """Whether ``path`` was claimed by the running run and no longer exists."""
    claims = os.environ.get(CLAIMS_ENV)
    if not claims:
        return False
    return str(path.resolve()) in claims.split(os.pathsep) and not path.exists()
