"""Project: where a project's folders are and what its ``[tool.assetloom]`` settings say."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assetloom.errors import LoomError, SourceLocation

DEFS_DIR = "defs"
SCHEMAS_DIR = "schemas"
SOURCE_DIR = "src"
STORAGE_DIR = ".loom"


@dataclass(frozen=True)
class Project:
    """A project root with ``defs/``, ``components/`` and ``schemas/`` below it."""

    root: Path
    name: str
    settings: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def at(cls, root: Path | str) -> Project:
        """The project rooted at ``root`` (its pyproject.toml is optional)."""
        root = Path(root).resolve()
        pyproject = root / "pyproject.toml"
        data: dict[str, Any] = {}
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as error:
                raise LoomError(
                    f"invalid TOML: {error}", location=SourceLocation("pyproject.toml")
                ) from error
        settings = data.get("tool", {}).get("assetloom", {})
        name = settings.get("name") or data.get("project", {}).get("name") or root.name
        return cls(root=root, name=str(name), settings=settings)

    @classmethod
    def find(cls, start: Path | str | None = None) -> Project:
        """The nearest folder at or above ``start`` that has a ``defs/`` folder."""
        here = Path(start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / DEFS_DIR).is_dir():
                return cls.at(folder)
        raise LoomError(
            f"no project found: neither {here} nor any folder above it has a `{DEFS_DIR}/` "
            "folder (use --project DIR)"
        )

    @property
    def defs_root(self) -> Path:
        return self.root / str(self.settings.get("defs_dir", DEFS_DIR))

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

    def relative(self, path: Path) -> str:
        """``path`` relative to the root, for messages; absolute when outside it."""
        if not path.is_relative_to(self.root):
            resolved = path.resolve()  # only when needed: it stats every part of the path
            if not resolved.is_relative_to(self.root):
                return path.as_posix()
            path = resolved
        return path.relative_to(self.root).as_posix()
