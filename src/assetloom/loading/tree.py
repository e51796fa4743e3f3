"""The one walk of a project's ``defs/`` tree, and what it refuses to follow.

Every command sees the tree through :class:`DefsTree`, so ``check yaml`` and the loader list
the same files and give the same warnings. The tree is data other people write, so the walk
is careful with it:

- only regular files are taken: a FIFO, socket or device (or a symlink to one, such as
  ``/dev/zero``) named like a file the loader reads is a located error, never opened;
- a file over ``[tool.assetloom] max_file_size`` bytes (default 10 MB) is a located error;
- a file or folder that cannot be read is a located error, not a ``PermissionError``;
- a symlink pointing outside the project is not followed (a warning says so) unless
  ``[tool.assetloom] follow_external_symlinks = true``; a folder reached twice (a symlink
  loop, a second link to one folder, a link to a folder holding the project, such as ``/``)
  is walked once;
- a look-alike of ``defs.yaml`` (``defs.yml``, ``Defs.yaml``, ``defs .yaml``,
  ``component.yaml``, a folder named ``defs.yaml``, ...) is a located warning: it is not
  loaded, and silently skipping it would hide a component.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from assetloom.errors import (
    Diagnostic,
    LoomError,
    Severity,
    SourceLocation,
    UnreadableFileError,
)
from assetloom.project import Project
from assetloom.yaml.source import DEFAULT_MAX_FILE_SIZE

__all__ = ["COMPONENT_MODULE", "DEFS_FILE", "DefsTree", "Folder", "FolderListings", "max_file_size"]

DEFS_FILE: Final = "defs.yaml"
COMPONENT_MODULE: Final = "component.py"
SKIPPED: Final = frozenset({"__pycache__", "node_modules"})
LOOKALIKE_CODE: Final = "LOOM902"
EXTERNAL_SYMLINK_CODE: Final = "LOOM903"
# Names meant as `defs.yaml`, once spaces are dropped and case is folded.
_LOOKALIKES: Final = frozenset(
    {
        "defs.yaml",
        "defs.yml",
        "defs.yaml.j2",
        "defs.yaml.yaml",
        "def.yaml",
        "definitions.yaml",
        "definitions.yml",
        "component.yaml",
        "component.yml",
    }
)
_SPACES: Final = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Folder:
    """One folder of the tree, as the loader needs it: its ``defs.yaml``, its
    ``component.py``, its other Python modules and its sub-folders, each sorted by name."""

    path: Path
    defs_file: Path | None
    component_module: Path | None
    modules: tuple[Path, ...]
    folders: tuple[Path, ...]


def max_file_size(project: Project) -> int:
    """``[tool.assetloom] max_file_size``: the largest file the loader reads, in bytes."""
    value: Any = project.settings.get("max_file_size", DEFAULT_MAX_FILE_SIZE)
    if type(value) is not int or value <= 0:
        raise LoomError(
            f"[tool.assetloom] max_file_size must be a positive number of bytes, got {value!r}",
            location=SourceLocation("pyproject.toml"),
        )
    return value


class FolderListings:
    """The folders a session listed, kept while each folder is unchanged, so that a reload
    lists again only the folders where something was added, removed or renamed.

    A folder's modification time changes exactly then (an edit of a file inside does not
    change it; the file's own stamp tells that). A listing is kept only when the folder had
    not changed for :data:`SETTLED_NS` before it was listed: a file system stamps times with a
    coarse clock, so a change made in the same tick as the listing would leave the time as
    it was. Folders holding symlinks, or whose listing found a problem, are listed each time.
    """

    SETTLED_NS: Final = 2_000_000_000

    def __init__(self) -> None:
        self._kept: dict[str, tuple[int, Folder]] = {}

    def get(self, folder: str, changed: int | None) -> Folder | None:
        """The kept listing of ``folder`` if its modification time is still ``changed``."""
        kept = self._kept.get(folder)
        if kept is None or kept[0] != changed:
            return None
        return kept[1]

    def keep(self, folder: str, changed: int, listing: Folder) -> None:
        if time.time_ns() - changed > self.SETTLED_NS:
            self._kept[folder] = (changed, listing)
        else:
            self._kept.pop(folder, None)


class DefsTree:
    """Walks one project's defs tree, collecting located errors and warnings on the way
    (``errors``, ``warnings``) instead of stopping at the first."""

    def __init__(self, project: Project, listings: FolderListings | None = None) -> None:
        self.project = project
        self._listings = listings
        self.max_size = max_file_size(project)
        self.follow_external = project.settings.get("follow_external_symlinks", False) is True
        self.errors: list[LoomError] = []
        self.warnings: list[Diagnostic] = []
        self._root = Path(os.path.realpath(project.root))
        self._visited: set[str] = set()
        # The real path of each folder listed: its parent's, plus its name, unless a symlink
        # led there (only the root and symlinks cost a realpath). Strings, not Paths: this
        # runs for every folder of the tree.
        self._real: dict[str, str] = {}
        self._stamps: dict[str, tuple[int, int]] = {}

    def stamp(self, file: Path) -> tuple[int, int] | None:
        """``(mtime_ns, size)`` of a file this walk listed and stat'ed, so the loader need
        not stat it again; None for a file of a kept listing (its content may have changed
        since, so the caller stats it)."""
        return self._stamps.get(os.fspath(file))

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Errors and warnings, as every command reports them."""
        return [*(e.to_diagnostic() for e in self.errors), *self.warnings]

    def folder(self, path: Path) -> Folder | None:
        """The entries of ``path`` the loader reads; None when it cannot be listed or was
        walked already (reached again through a symlink). Most entries cost no system call:
        the listing itself says whether each is a folder, a file or a symlink; a folder the
        session listed before and that has not changed since costs one."""
        listed = os.fspath(path)
        real = self._real.pop(listed, None) or os.path.realpath(listed)
        if real in self._visited:
            return None
        self._visited.add(real)
        if self._listings is None:
            return self._list(path, listed, real)[0]
        try:
            changed = os.stat(listed).st_mtime_ns
        except OSError:
            changed = None
        kept = self._listings.get(listed, changed)
        if kept is not None:
            for child in kept.folders:
                self._real[os.fspath(child)] = f"{real}/{child.name}"
            return kept
        problems = len(self.errors) + len(self.warnings)
        folder, linked = self._list(path, listed, real)
        quiet = problems == len(self.errors) + len(self.warnings)
        if folder is not None and changed is not None and quiet and not linked:
            self._listings.keep(listed, changed, folder)
        return folder

    def _list(self, path: Path, listed: str, real: str) -> tuple[Folder | None, bool]:
        """The folder's entries, and whether any is a symlink."""
        try:
            entries = sorted(os.scandir(listed), key=_name)
        except OSError as error:
            self._error(path, f"cannot read the folder: {_reason(error)}")
            return None, False
        defs_file = component_module = None
        modules: list[Path] = []
        folders: list[Path] = []
        linked = False
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name in SKIPPED:
                continue
            if entry.is_symlink():
                linked = True
                file = path / name
                target = self._may_follow(file)
                if target is None:
                    continue
                if target.is_dir():
                    self._real[entry.path] = os.fspath(target)
                    folders.append(file)
                    self._lookalike(file, is_folder=True)
                    continue
            elif entry.is_dir(follow_symlinks=False):
                self._real[entry.path] = f"{real}/{name}"
                file = path / name
                folders.append(file)
                if _may_look_alike(name):
                    self._lookalike(file, is_folder=True)
                continue
            else:
                file = path / name
            if not _is_loaded_name(name):
                self._lookalike(file, is_folder=False)
            elif self._readable(file, entry):
                if name == DEFS_FILE:
                    defs_file = file
                elif name == COMPONENT_MODULE:
                    component_module = file
                else:
                    modules.append(file)
        return Folder(path, defs_file, component_module, tuple(modules), tuple(folders)), linked

    def defs_files(self, paths: Iterable[Path] = ()) -> list[Path]:
        """Every ``defs.yaml`` under ``defs/`` (or under the folders in ``paths``; a file
        there is taken whatever its name), sorted."""
        found: set[Path] = set()
        for path in list(paths) or [self.project.defs_root]:
            if path.is_dir():
                found.update(self._defs_files_below(path))
            else:
                found.add(path)
        return sorted(found, key=_parts)

    def _defs_files_below(self, path: Path) -> Iterator[Path]:
        pending = [path]
        while pending:
            folder = self.folder(pending.pop())
            if folder is None:
                continue
            if folder.defs_file is not None:
                yield folder.defs_file
            pending.extend(reversed(folder.folders))

    def _readable(self, path: Path, entry: os.DirEntry[str]) -> bool:
        """Whether a file the loader reads is safe to read; if not, the error says why."""
        try:
            status = entry.stat()  # through a symlink: what it leads to
        except OSError as error:
            self._error(path, f"cannot read the file: {_reason(error)}")
            return False
        if not stat.S_ISREG(status.st_mode):
            self._error(path, f"not a regular file ({_describe(status.st_mode)}); not read")
        elif status.st_size > self.max_size:
            self._error(path, _too_large(status.st_size, self.max_size))
        elif path.suffix == ".py" and not os.access(path, os.R_OK):
            self._error(path, "cannot read the file: permission denied")
        else:
            self._stamps[entry.path] = (status.st_mtime_ns, status.st_size)
            return True  # (a defs.yaml that cannot be read says so itself when read)
        return False

    def _may_follow(self, link: Path) -> Path | None:
        """The real path ``link`` leads to, if the walk may follow it."""
        target = Path(os.path.realpath(link))
        if self._root.is_relative_to(target):  # `/`, or another folder holding the project
            where, hint = "a folder holding the project (a loop)", None
        elif self.follow_external or target.is_relative_to(self._root):
            return target
        else:
            where = "outside the project"
            hint = "set `follow_external_symlinks = true` under [tool.assetloom] to follow it"
        self.warnings.append(
            Diagnostic(
                Severity.WARNING,
                EXTERNAL_SYMLINK_CODE,
                f"`{link.name}` is a symlink to {target}, {where}: not followed",
                self._location(link),
                hint=hint,
            )
        )
        return None

    def _lookalike(self, path: Path, *, is_folder: bool) -> None:
        name = _SPACES.sub("", path.name).casefold()
        if name not in _LOOKALIKES:
            return
        what = "a folder" if is_folder else "a file"
        self.warnings.append(
            Diagnostic(
                Severity.WARNING,
                LOOKALIKE_CODE,
                f"`{path.name}` is {what}, not loaded: components are read from files named "
                f"exactly `{DEFS_FILE}`",
                self._location(path),
                hint=f"rename it to `{DEFS_FILE}`" if not is_folder else None,
            )
        )

    def _error(self, path: Path, message: str) -> None:
        self.errors.append(UnreadableFileError(message, location=self._location(path)))

    def _location(self, path: Path) -> SourceLocation:
        return SourceLocation(self.project.relative(path))


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _parts(path: Path) -> list[str]:
    """Sorts as ``Path`` does (part by part), without building ``Path.parts``."""
    return os.fspath(path).split(os.sep)


def _may_look_alike(name: str) -> bool:
    """A cheap first test for :meth:`DefsTree._lookalike`: every look-alike has a dot."""
    return "." in name


def _is_loaded_name(name: str) -> bool:
    return name == DEFS_FILE or name.endswith(".py")


def _too_large(size: int, limit: int) -> str:
    return (
        f"the file is {size:,} bytes, over the limit of {limit:,} "
        "(`[tool.assetloom] max_file_size`); not read"
    )


def _describe(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "a broken symlink"
    return (error.strerror or str(error)).lower()
