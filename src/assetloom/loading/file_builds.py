"""What each file of a project's defs tree produced at the last load, so that a reload
rebuilds only the files that changed since.

A file is known by its stamp (modification time in nanoseconds and size), taken before it is
read: an edit made while it was being built leaves a stamp that no longer matches. Only a
build without errors is kept, so a broken file reports its errors at every load.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

__all__ = ["FileBuilds", "SourceStamps", "Stamp", "stamp"]

T = TypeVar("T")
Stamp = tuple[int, int]


def stamp(file: Path | str) -> Stamp | None:
    """``(mtime_ns, size)`` of ``file``; None when it cannot be stat'ed."""
    try:
        status = os.stat(file)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


@dataclass(frozen=True, slots=True)
class _Build:
    stamp: Stamp
    value: Any


class FileBuilds:
    """The last successful build of each file, by path."""

    def __init__(self) -> None:
        self._builds: dict[Path, _Build] = {}

    def build(
        self,
        file: Path,
        make: Callable[[], T],
        succeeded: Callable[[], bool],
        current: Stamp | None = None,
    ) -> T:
        """The kept build of ``file`` if it is unchanged, else ``make()`` (kept when
        ``succeeded()`` says so afterwards). ``current`` is the file's stamp if the caller
        has just taken it."""
        current = current or stamp(file)
        kept = self._builds.get(file)
        if kept is not None and kept.stamp == current:
            value: T = kept.value
            return value
        value = make()
        if current is not None and succeeded():
            self._builds[file] = _Build(current, value)
        else:
            self._builds.pop(file, None)
        return value

    def clear(self) -> None:
        self._builds.clear()


class SourceStamps:
    """Stamps of the Python files a load imported: a reload that finds one changed must
    import the project afresh (classes and functions of other files may depend on it)."""

    def __init__(self) -> None:
        self._stamps: dict[str, Stamp | None] = {}

    def record(self, files: Iterable[str]) -> None:
        self._stamps = {file: stamp(file) for file in files}

    def changed(self) -> bool:
        return any(stamp(file) != known for file, known in self._stamps.items())
