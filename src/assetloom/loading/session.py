"""LoadSession: the one pipeline every command, and every long-lived process, loads through.

A session owns what a load needs — the project, its type registry and importer, the parse
cache — so two commands can never judge one file differently: ``loom check yaml`` runs the
document pipeline up to attribute validation (:meth:`LoadSession.check_documents`), ``loom
check defs``, ``list defs`` and ``materialize`` run all of it (:meth:`LoadSession.load`).
Nothing outlives the session but what Python itself keeps (imported modules).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assetloom.components.component import ComponentLoadContext
from assetloom.defs import Definitions
from assetloom.errors import Diagnostic, LoadErrors, LoomError, SourceLocation
from assetloom.loading.file_builds import FileBuilds, SourceStamps, Stamp, stamp
from assetloom.loading.gc_pause import collect_previous_import, collection_paused
from assetloom.loading.importer import ProjectImporter
from assetloom.loading.pipeline import check_document
from assetloom.loading.registry import ComponentRegistry
from assetloom.loading.tree import FolderListings, max_file_size
from assetloom.loading.user_code import interrupts_noted
from assetloom.project import Project
from assetloom.yaml.parse_cache import DISABLE_VARIABLE, ParseCache
from assetloom.yaml.source import YamlDocument, read_yaml_documents

if TYPE_CHECKING:
    from assetloom.templating.environment import TemplateEnvironment

__all__ = ["FileReport", "LoadSession"]

PARSE_CACHE_FILE = Path("cache", "yaml.marshal")


@dataclass(frozen=True, slots=True)
class FileReport:
    """What checking one ``defs.yaml`` found: its documents and its problems."""

    path: str
    documents: int
    problems: tuple[LoomError, ...]


class LoadSession:
    """Loads one project, as often as asked, and judges its ``defs.yaml`` files."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.importer = ProjectImporter(project)
        self.registry = ComponentRegistry(project, self.importer)
        enabled = os.environ.get(DISABLE_VARIABLE, "") in ("", "0")
        self.parse_cache = ParseCache(project.storage_dir / PARSE_CACHE_FILE if enabled else None)
        self.builds = FileBuilds()
        self.listings = FolderListings()
        self._max_file_size = max_file_size(project)
        self._sources = SourceStamps()
        self._documents: dict[Path, tuple[Stamp, list[YamlDocument]]] = {}
        self._last: Definitions | None = None
        #: The warnings of the last load's walk of the defs tree (look-alike files, symlinks
        #: not followed); its errors are load errors.
        self.walk_warnings: list[Diagnostic] = []
        #: The folders below a folder a component owns, which the last load did not walk
        #: (`loom check defs` still checks the `defs.yaml` files there, as `check yaml` does).
        self.unwalked_folders: list[Path] = []
        self.root_context = ComponentLoadContext(
            path=project.defs_root,
            project_root=project.root,
            defs_root=project.defs_root,
            settings=project.settings,
        )

    @functools.cached_property
    def templates(self) -> TemplateEnvironment:
        """The project's template environment (its ``template_*`` limits), made when a
        document first has templates."""
        from assetloom.templating.environment import TemplateEnvironment

        return TemplateEnvironment.for_settings(self.project.settings)

    def check_documents(self, files: Iterable[Path], *, keep: bool = False) -> list[FileReport]:
        """Every problem of every document of ``files``, found by the loader's own stages up
        to attribute validation: no template rendered, no ``build_defs`` run, no module
        under ``defs/`` imported (a ``.module.Class`` type beside the file excepted).

        With ``keep`` the parsed documents stay for a load that follows (``loom check
        defs``); ``loom check yaml`` keeps none, so it holds one file's documents at a time."""
        with self.importer.active(), interrupts_noted():
            reports = [self._check_file(file, keep=keep) for file in files]
        self.parse_cache.save()
        return reports

    def load(self) -> Definitions:
        """Every definition of the project, merged and validated once; raises
        ``LoadErrors`` holding every problem found.

        A file unchanged since the session's last load is not read again: what it produced
        then is reused (see :meth:`reload`), and the graph is validated from the last one."""
        from assetloom.loading.walk import DefsLoader

        loader = DefsLoader(self)
        self.walk_warnings = loader.tree.warnings
        self.unwalked_folders = loader.unwalked
        reloading = self._last is not None
        with self.importer.active(), interrupts_noted(), collection_paused():
            try:
                defs = loader.load()
            finally:
                if reloading:
                    self.parse_cache.save_at_exit()
                else:
                    self.parse_cache.save()
            try:
                if self._last is not None:
                    defs.validate_from(self._last)
                else:
                    defs.validate()
            except LoomError as error:
                raise LoadErrors([error]) from None
        self._sources.record(self.importer.files())
        self._last = defs
        return defs

    def reload(self) -> Definitions:
        """Load again, seeing every edit since the last load. When only ``defs.yaml`` files
        changed, only those are rebuilt (the rest of the project is reused, and the graph is
        patched); when a Python module of the project changed, the project is imported and
        built afresh."""
        if self._sources.changed():
            self.importer.forget()
            self.registry = ComponentRegistry(self.project, self.importer)
            self.builds.clear()
            self._last = None
            collect_previous_import()
        return self.load()

    def read_documents(
        self, file: Path, *, keep: bool = True, current: Stamp | None = None
    ) -> list[YamlDocument]:
        """The documents of ``file``, parsed once per session while the file is unchanged
        (``loom check defs`` checks the files, then loads them), unless ``keep`` is false;
        raises what ``read_yaml_documents`` raises. ``current``: the file's stamp, if the
        caller has just taken it."""
        kept = self._documents.get(file)
        if keep or kept is not None:  # `check yaml` keeps nothing: no stamp to take
            current = current or stamp(file)
            if kept is not None and kept[0] == current:
                return kept[1]
        display = self.project.relative(file)
        max_size = self._max_file_size
        documents = read_yaml_documents(file, display, self.parse_cache, max_size=max_size)
        if keep and current is not None:
            self._documents[file] = (current, documents)
        return documents

    def _check_file(self, file: Path, *, keep: bool) -> FileReport:
        display = self.project.relative(file)
        try:
            documents = self.read_documents(file, keep=keep)
        except LoomError as error:
            return FileReport(display, 0, tuple(error.iter_errors()))
        except OSError as error:
            message = f"cannot read the file: {error.strerror or error}"
            return FileReport(display, 0, (LoomError(message, location=SourceLocation(display)),))
        context = self.root_context.for_path(file.parent)
        problems: list[LoomError] = []
        for document in documents:
            if document.value is None:
                continue
            if document.template_marks and isinstance(document.value, dict):
                attributes = document.value.get("attributes")
                problems.extend(
                    self.templates.syntax_errors(attributes, document.positions, ("attributes",))
                )
            try:
                check_document(document, context=context, registry=self.registry)
            except LoomError as error:
                problems.extend(error.iter_errors())
        return FileReport(display, len(documents), tuple(problems))
