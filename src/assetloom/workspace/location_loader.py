"""Inside a location process: turn one code location into its Definitions, and forget it again
for a reload.

The three forms of ``workspace.yaml`` meet here: a project is walked like ``loom`` walks any
project; a Python file or module is imported and its ``Definitions`` object, ``@definitions``
functions and assets collected, as for a module under ``defs/``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from assetloom.components.component import ComponentLoadContext
from assetloom.defs import Definitions
from assetloom.errors import ComponentLoadError, LoadErrors, SourceLocation
from assetloom.workspace.config import LocationKind


def load_location(kind: LocationKind, root: Path, target: str | None) -> Definitions:
    """The location's definitions; raises LoomError (LoadErrors holding every problem)."""
    if kind is LocationKind.PROJECT:
        from assetloom.loading.session import LoadSession
        from assetloom.project import Project

        return LoadSession(Project.at(root)).load()
    from assetloom.loading.modules import definitions_in_module

    assert target is not None  # the workspace config gives files and modules a target
    module = (
        _import_file(Path(target), root)
        if kind is LocationKind.PYTHON_FILE
        else (_import_module(target, root))
    )
    context = ComponentLoadContext(path=root, project_root=root, defs_root=root)
    try:
        return definitions_in_module(module, context)
    except ComponentLoadError as error:
        raise LoadErrors([error]) from None


def declared_external_keys(kind: LocationKind, root: Path) -> tuple[str, ...]:
    """Keys a project means to depend on without defining (``external_assets``)."""
    if kind is not LocationKind.PROJECT:
        return ()
    from assetloom.project import Project

    return Project.at(root).external_assets


def _import_file(file: Path, root: Path) -> ModuleType:
    from assetloom.loading.importer import ProjectImporter
    from assetloom.loading.modules import import_defs_module
    from assetloom.project import Project

    if not file.is_file():
        raise LoadErrors([ComponentLoadError(f"no such file: {file}")])
    base = root if file.is_relative_to(root) else file.parent
    _importable(base)
    try:
        return import_defs_module(file, ProjectImporter(Project.at(base)))
    except ComponentLoadError as error:
        raise LoadErrors([error]) from None


def _import_module(name: str, root: Path) -> ModuleType:
    from assetloom.loading.user_code import user_frame

    _importable(root)
    try:
        return importlib.import_module(name)
    except Exception as error:
        where = user_frame(error, root)
        path, _, line = where.rpartition(":") if where else ("", "", "0")
        raise LoadErrors(
            [
                ComponentLoadError(
                    f"importing module `{name}` raised {type(error).__name__}: {error}",
                    location=SourceLocation(path, int(line), 1) if path else None,
                )
            ]
        ) from error


def _importable(folder: Path) -> None:
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))


def forget_modules(root: Path) -> None:
    """Drop every module imported from below ``root``, so loading again reads the files anew
    (modules of the interpreter and of installed packages stay: they did not change)."""
    prefix = f"{root}/"
    stale = []
    for name, module in sys.modules.items():
        file = getattr(module, "__file__", None) or ""
        if file.startswith(prefix) and "/site-packages/" not in file:
            stale.append(name)
    for name in stale:
        del sys.modules[name]
    importlib.invalidate_caches()
