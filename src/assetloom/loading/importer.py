"""ProjectImporter: a project's Python code imported under its own names, scoped to it.

A project's modules are imported by their dotted names from the project's import roots
(``components.etl``, ``defs.sales.assets``), so that their objects pickle and re-import in
worker processes. Two projects may both have a ``components`` package, so import state is
scoped to the importer that needs it:

- while :meth:`ProjectImporter.active` (re-entrant), the project's roots come first on
  ``sys.path``, and a module of one of the project's top-level names that another project
  (or any other place) provided is taken out of ``sys.modules`` first;
- on leaving, ``sys.path`` is as it was; the project's modules stay in ``sys.modules`` (the
  objects built from them keep working and pickling) until another project's importer
  claims their names, or :meth:`ProjectImporter.forget` drops them for a reload.

Nothing about past projects is kept in this module: each importer knows its own roots and
names, which is all it needs to clear the way for itself.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.machinery
import importlib.util
import inspect
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from assetloom.project import Project

__all__ = ["ProjectImporter"]

# Folder names a project's code lives under even without an ``__init__.py``.
ALWAYS_PROJECT_PACKAGES = ("components",)


class ProjectImporter:
    """Imports one project's modules; see the module docstring for the scoping rules."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.roots = tuple(project.import_roots)
        self.packages = _top_level_names(project)
        self.modules: set[str] = set()
        self._depth = 0
        self._added: list[str] = []

    @contextmanager
    def active(self) -> Iterator[None]:
        """Within the block, this project's modules are the ones its names import."""
        if self._depth == 0:
            self._enter()
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._leave()

    def import_module(self, name: str) -> ModuleType:
        """``importlib.import_module(name)`` with this project's names bound to its files."""
        with self.active():
            _bind_namespace_package(name.partition(".")[0], self.roots)
            return importlib.import_module(name)

    def import_file(self, name: str, file: Path) -> ModuleType:
        """Import ``file`` as module ``name`` (once: a module already imported from that
        file is reused); a module that raises is not left half-imported in sys.modules."""
        existing = sys.modules.get(name)
        if existing is not None and getattr(existing, "__file__", None) == str(file):
            return existing
        with self.active():
            parent = name.rpartition(".")[0]
            if parent:
                _bind_namespace_package(parent.partition(".")[0], self.roots)
            spec = importlib.util.spec_from_file_location(name, file)
            assert spec is not None
            assert spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[name]
                raise
            return module

    def module_name_for(self, file: Path) -> str:
        """The dotted name ``file`` imports under: from the import root holding it."""
        resolved = file.resolve()
        for root in self.roots:
            if resolved.is_relative_to(root):
                parts = resolved.relative_to(root).with_suffix("").parts
                return ".".join(part for part in parts if part != "__init__")
        return ".".join(("_assetloom_external", *file.with_suffix("").parts[-2:]))

    def files(self) -> list[str]:
        """The source files of the project's modules imported so far."""
        self._record()
        found = (getattr(sys.modules.get(name), "__file__", None) for name in self.modules)
        return [file for file in found if file]

    def forget(self) -> None:
        """Drop every module of the project from sys.modules, so the next import reads the
        files again (a reload after edits)."""
        self._record()
        for name in self.modules:
            module = sys.modules.pop(name, None)
            cached = getattr(module, "__cached__", None)
            if cached:
                # Bytecode is checked against the source's mtime in whole seconds and its
                # size: an edit within the second that keeps the size would go unseen.
                with contextlib.suppress(OSError):
                    os.unlink(cached)
        self.modules.clear()
        _forget_inspect_cache()
        importlib.invalidate_caches()

    # --- entering and leaving ---------------------------------------------------------

    def _enter(self) -> None:
        self._added = [str(root) for root in self.roots if str(root) not in sys.path]
        sys.path[:0] = self._added
        for name, module in list(sys.modules.items()):
            if name.partition(".")[0] in self.packages and not _comes_from(module, self.roots):
                del sys.modules[name]
        _forget_inspect_cache()
        importlib.invalidate_caches()
        for top in self.packages:
            _bind_namespace_package(top, self.roots)

    def _leave(self) -> None:
        for entry in self._added:
            if entry in sys.path:
                sys.path.remove(entry)
        self._added = []
        self._record()

    def _record(self) -> None:
        self.modules.update(
            name
            for name, module in list(sys.modules.items())
            if name.partition(".")[0] in self.packages and _comes_from(module, self.roots)
        )


def _top_level_names(project: Project) -> frozenset[str]:
    """The top-level module names a project's code is imported under: the packages of its
    first import root (``src/`` when there is one: a ``tests/`` package beside it is not the
    project's code), its defs folder and ``components/`` (both may lack an
    ``__init__.py``), its ``registry_modules``."""
    names = {project.defs_root.name, *ALWAYS_PROJECT_PACKAGES}
    names.update(module.partition(".")[0] for module in project.registry_modules)
    for root in project.import_roots[:1]:
        names.update(
            entry.name
            for entry in root.iterdir()
            if entry.is_dir()
            and entry.name.isidentifier()
            and entry.name != "assetloom"
            and (entry / "__init__.py").is_file()
        )
    return frozenset(names)


def _bind_namespace_package(top: str, roots: tuple[Path, ...]) -> None:
    """Bind ``top`` to the project's folder of that name when it has no ``__init__.py``.

    Python prefers a regular package anywhere on sys.path to a namespace package (a folder
    without ``__init__.py``) that comes first, so a project's plain ``components/`` folder
    would lose to any ``components`` package elsewhere; we bind it from the root explicitly.
    A namespace package runs no code, so binding it never fails on user code.
    """
    current = sys.modules.get(top)
    if current is not None and _comes_from(current, roots):
        return
    for root in roots:
        folder = root / top
        if folder.is_dir() and not (folder / "__init__.py").is_file():
            spec = importlib.machinery.ModuleSpec(top, None, is_package=True)
            spec.submodule_search_locations = [str(folder)]
            # A plain list, not the _NamespacePath Python would make: that one follows
            # sys.path, and the root leaves sys.path when the importer is not active.
            sys.modules[top] = importlib.util.module_from_spec(spec)
            return


def _comes_from(module: ModuleType, roots: tuple[Path, ...]) -> bool:
    try:  # a namespace package recomputes its path, and fails once its parent is gone
        files = [str(p) for p in getattr(module, "__path__", None) or ()]
    except (KeyError, AttributeError):
        files = []
    files.append(getattr(module, "__file__", None) or "")
    prefixes = tuple(f"{root}/" for root in roots)
    return any(f.startswith(prefixes) for f in files)


def _forget_inspect_cache() -> None:
    # inspect.getmodule caches each module's file by name and raises TypeError when a regular
    # package of that name comes back as a namespace package (pydantic's attribute docstrings
    # call it while a Model class is created): forget what it cached for modules now gone.
    cache = getattr(inspect, "_filesbymodname", None)
    if isinstance(cache, dict):
        for name in [n for n in cache if n not in sys.modules]:
            del cache[name]
