"""Project: where a project's folders are and what its ``[tool.assetloom]`` settings say.

Dagster's layout (``dg scaffold project``) is a project too, as is: ``[tool.dg.project]
root_module = "my_project"`` (and an optional ``defs_module``) puts the defs folder at
``src/my_project/defs``, with ``src/`` importable.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assetloom.errors import LoomError, SourceLocation

DEFS_DIR = "defs"
PYPROJECT = "pyproject.toml"
SCHEMAS_DIR = "schemas"
SOURCE_DIR = "src"
STORAGE_DIR = ".loom"


@dataclass(frozen=True)
class Project:
    """A project root with ``defs/``, ``components/`` and ``schemas/`` below it."""

    root: Path
    name: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    dg_settings: Mapping[str, Any] = field(default_factory=dict)
    """``[tool.dg.project]``: Dagster's ``root_module`` and ``defs_module``."""

    @classmethod
    def at(cls, root: Path | str) -> Project:
        """The project rooted at ``root`` (its pyproject.toml is optional)."""
        root = Path(root).resolve()
        data = _pyproject(root)
        tool = data.get("tool", {})
        settings = tool.get("assetloom", {})
        dg_settings = tool.get("dg", {}).get("project", {})
        name = settings.get("name") or data.get("project", {}).get("name")
        return cls(root, str(name or root.name), settings, dg_settings)

    @classmethod
    def find(cls, start: Path | str | None = None) -> Project:
        """The project ``start`` (default: the working directory) is in: the nearest folder
        at or above it with a ``defs/`` folder, unless a folder further up has a
        pyproject.toml with ``[tool.assetloom]`` or ``[tool.dg.project]`` whose defs folder
        holds that one (``src/my_project/defs`` of a Dagster project)."""
        here = Path(start or Path.cwd()).resolve()
        nearest: Path | None = None
        for folder in (here, *here.parents):
            tool = _pyproject(folder).get("tool", {}) if (folder / PYPROJECT).is_file() else {}
            if "assetloom" in tool or "project" in tool.get("dg", {}):
                configured = cls.at(folder)
                if nearest is None or (nearest / DEFS_DIR).is_relative_to(configured.defs_root):
                    return configured
                break
            if nearest is None and (folder / DEFS_DIR).is_dir():
                nearest = folder
        if nearest is not None:
            return cls.at(nearest)
        raise LoomError(
            f"no project found: neither {here} nor any folder above it has a `{DEFS_DIR}/` "
            "folder or a pyproject.toml with [tool.assetloom] or [tool.dg.project] "
            "(use --project DIR)"
        )

    @property
    def defs_root(self) -> Path:
        """``[tool.assetloom] defs_dir``, else the folder of ``[tool.dg.project]``'s
        ``defs_module`` (default ``<root_module>.defs``), else ``defs/``."""
        if "defs_dir" in self.settings:
            return self.root / str(self.settings["defs_dir"])
        root_module = self.dg_settings.get("root_module")
        module = self.dg_settings.get("defs_module") or (
            f"{root_module}.defs" if root_module else None
        )
        if not module:
            return self.root / DEFS_DIR
        folders = [base.joinpath(*str(module).split(".")) for base in self.import_roots]
        return next((folder for folder in folders if folder.is_dir()), folders[0])

    @property
    def component_folders(self) -> tuple[Path, ...]:
        """Where the project's own component classes live: ``components/`` at the root, or
        a Dagster project's ``<root_module>/components``."""
        folders = [self.root / "components"]
        root_module = self.dg_settings.get("root_module")
        if root_module:
            folders += [base / str(root_module) / "components" for base in self.import_roots]
        return tuple(folder for folder in folders if folder.is_dir())

    @property
    def import_roots(self) -> tuple[Path, ...]:
        """Where the project's modules import from: ``src/`` (when there is one) before the
        root, so a module under ``src/`` is named from there."""
        source = self.root / SOURCE_DIR
        return (source, self.root) if source.is_dir() else (self.root,)

    @property
    def schemas_dir(self) -> Path:
        return self.root / SCHEMAS_DIR

    @property
    def storage_dir(self) -> Path:
        return self.root / str(self.settings.get("storage_dir", STORAGE_DIR))

    @property
    def registry_modules(self) -> tuple[str, ...]:
        return tuple(self.settings.get("registry_modules", ()))

    @property
    def external_assets(self) -> tuple[str, ...]:
        """Keys the project means to depend on without defining (no typo warning for them)."""
        return tuple(self.settings.get("external_assets", ()))

    def relative(self, path: Path | str) -> str:
        """``path`` relative to the root, for messages (see :func:`relative_path`)."""
        return relative_path(path, self.root)


# A part `.` or `..`, or an empty part: a path pathlib would normalise first.
_UNNORMAL = re.compile(r"/\.{0,2}/")


def relative_path(path: Path | str, root: Path) -> str:
    """``path`` (absolute, or relative to the working directory) relative to ``root``, as
    every message shows a path; as given when it is outside ``root``. The one place paths
    are made relative."""
    text, prefix = os.fspath(path), f"{root}/"
    if text.startswith(prefix):  # the common case, without pathlib
        rest = text[len(prefix) :]
        if rest and not _UNNORMAL.search(f"/{rest}/"):
            return rest
    path = Path(path)
    absolute = path if path.is_absolute() else Path.cwd() / path
    if not absolute.is_relative_to(root):
        resolved = absolute.resolve()  # only when needed: it stats every part of the path
        if not resolved.is_relative_to(root):
            return path.as_posix()
        absolute = resolved
    return absolute.relative_to(root).as_posix()


def _pyproject(folder: Path) -> dict[str, Any]:
    """``folder``'s pyproject.toml, parsed (empty when there is none)."""
    file = folder / PYPROJECT
    if not file.is_file():
        return {}
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise LoomError(f"invalid TOML: {error}", location=SourceLocation(PYPROJECT)) from error
