"""Keep Python's cycle collector off the objects a load builds.

A load allocates tens of thousands of long-lived objects (specs, assets, keys) that form no
garbage cycles; every few hundred allocations the collector wakes up and walks the growing
heap again, which measured 35-40% of a 10,000-asset load. So the collector is paused during
the load, and what the load built is then *frozen* (``gc.freeze``): moved out of the
collector's generations, so that the first collection after the pause, and every one after
it, does not walk it all again (that first collection alone was 6% of a 10,000-asset load).
Reference counting still frees whatever the load drops.

Each load first gives back what the previous one froze (``gc.unfreeze``), so that a
collection between two loads sees it again; garbage cycles no collection reached by the end
of the next load are frozen with it. A long-lived session that imports the project afresh
calls :func:`collect_previous_import`, which frees the classes and functions of the previous
import (they hold reference cycles) whatever was frozen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collect_previous_import", "collection_paused"]


@contextmanager
def collection_paused() -> Iterator[None]:
    """Disable the cycle collector for the block and freeze what exists after it; a caller
    that had disabled the collector keeps it so (and nothing is frozen)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    gc.unfreeze()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def collect_previous_import() -> None:
    """Collect what a forgotten import left (modules, classes and functions refer to each
    other, so only the collector frees them), frozen ones included."""
    gc.unfreeze()
    gc.collect()
