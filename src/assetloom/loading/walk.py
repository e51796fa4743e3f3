"""Walk a project's ``defs/`` tree and merge everything it defines into one Definitions.

Folder rules, applied in sorted order:
- a folder with ``defs.yaml``: its documents are components. If one of them is a
  ``DefsFolderComponent`` the walk goes on below it and its post-processing applies to all of
  it; otherwise the component owns the folder (its ``.py`` and ``.sql`` files are its own).
- a folder with ``component.py``: its ``@component_instance`` functions are components.
- any other folder: every ``.py`` module is imported and its assets collected; sub-folders
  are walked the same way.
Errors of every file and document are gathered and raised together as ``LoadErrors``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from assetloom.components.builtin.defs_folder import DefsFolderComponent
from assetloom.components.component import ComponentLoadContext
from assetloom.defs import Definitions
from assetloom.errors import LoadErrors, LoomError, SourceLocation
from assetloom.loading.modules import (
    component_instances,
    definitions_in_module,
    import_defs_module,
)
from assetloom.loading.pipeline import (
    LoadedComponent,
    build,
    instantiate,
    run_build_defs,
)
from assetloom.loading.post_processing import apply_rules
from assetloom.loading.tree import DefsTree, Folder
from assetloom.project import Project

if TYPE_CHECKING:
    from assetloom.loading.session import LoadSession
    from assetloom.templating.environment import TemplateEnvironment

T = TypeVar("T")


def load_from_defs_folder(
    *,
    project_root: Path | str | None = None,
    path_within_project: Path | str | None = None,
) -> Definitions:
    """Load every definition under ``<project>/defs/``.

    ``path_within_project`` (Dagster's spelling) may be any path inside the project.
    Raises ``LoadErrors`` holding every problem found, each with ``path:line:col``.
    """
    from assetloom.loading.session import LoadSession

    if project_root is not None:
        project = Project.at(project_root)
    else:
        project = Project.find(Path(path_within_project or Path.cwd()))
    return LoadSession(project).load()


class DefsLoader:
    """One walk over one project's defs tree; keeps going after errors and reports all."""

    def __init__(self, session: LoadSession) -> None:
        self.project = session.project
        self.registry = session.registry
        self.errors: list[LoomError] = []
        self.read_documents = session.read_documents
        self.root_context = session.root_context
        self.session = session
        self.builds = session.builds
        self.tree = DefsTree(self.project, session.listings)
        #: Sub-folders of folders a component owns (its `defs.yaml` or `component.py`): the
        #: load does not walk them.
        self.unwalked: list[Path] = []

    def load(self) -> Definitions:
        if not self.project.defs_root.is_dir():
            raise LoadErrors(
                [LoomError(f"no `{self.project.relative(self.project.defs_root)}/` folder")]
            )
        parts = self._folder(self.project.defs_root)
        self.errors.extend(self.tree.errors)
        merged = self._attempt(
            lambda: Definitions.merge(*parts, code_location=self.project.name)
        )
        if self.errors:
            raise LoadErrors(self.errors)
        assert merged is not None
        return merged

    def _attempt(self, step: Callable[[], T]) -> T | None:
        """Run ``step``; record its LoomError(s) instead of stopping the walk."""
        try:
            return step()
        except LoomError as error:
            self.errors.append(error)
            return None

    def _folder(self, path: Path) -> list[Definitions]:
        folder = self.tree.folder(path)
        if folder is None:
            return []
        context = self.root_context.for_path(path)
        defs_file = folder.defs_file
        if defs_file is not None:
            loaded, own = self._built(
                defs_file, lambda: self._components_and_defs(defs_file, context)
            )
            folder_components = [c for c in loaded if isinstance(c.component, DefsFolderComponent)]
            if not folder_components:
                self.unwalked.extend(folder.folders)
                return own
            below = self._walk_children(folder, context)
            rules = [
                rule
                for c in folder_components
                if c.envelope.post_processing
                for rule in c.envelope.post_processing.assets
            ]
            merged = self._attempt(lambda: apply_rules(Definitions.merge(*below), rules))
            return [*own, merged] if merged is not None else own
        if folder.component_module is not None:
            file = folder.component_module
            self.unwalked.extend(folder.folders)
            return self._built(file, lambda: self._component_module(file, context))
        return self._walk_children(folder, context)

    def _built(self, file: Path, make: Callable[[], T]) -> T:
        """What ``file`` produced at the session's last load if it is unchanged, else
        ``make()``."""
        errors = len(self.errors)
        current = self.tree.stamp(file)
        return self.builds.build(file, make, lambda: len(self.errors) == errors, current)

    def _components_and_defs(
        self, file: Path, context: ComponentLoadContext
    ) -> tuple[list[LoadedComponent], list[Definitions]]:
        """The components of a ``defs.yaml``, and the definitions of those that are not
        ``DefsFolderComponent``s (those post-process the folder below instead)."""
        loaded = self._components_of(file, context)
        own = [
            d
            for c in loaded
            if not isinstance(c.component, DefsFolderComponent)
            for d in self._build(c)
        ]
        return loaded, own

    def _walk_children(self, folder: Folder, context: ComponentLoadContext) -> list[Definitions]:
        out: list[Definitions] = []
        for module in folder.modules:
            defs = self._built(
                module,
                lambda m=module: self._attempt(lambda: self._module(m, context)),  # type: ignore[misc]
            )
            if defs is not None:
                out.append(defs)
        for child in folder.folders:
            out.extend(self._folder(child))
        return out

    def _module(self, file: Path, context: ComponentLoadContext) -> Definitions:
        module = import_defs_module(file, self.registry.importer)
        return definitions_in_module(module, context)

    def _components_of(self, file: Path, context: ComponentLoadContext) -> list[LoadedComponent]:
        current = self.tree.stamp(file)
        documents = self._attempt(lambda: self.read_documents(file, current=current))
        loaded: list[LoadedComponent] = []
        for document in documents or ():
            if document.value is None:
                continue
            component = self._attempt(
                lambda d=document: instantiate(  # type: ignore[misc]
                    d, context=context, registry=self.registry, templates=self._templates
                )
            )
            if component is not None:
                loaded.append(component)
        return loaded

    def _templates(self) -> TemplateEnvironment:
        return self.session.templates

    def _build(self, loaded: LoadedComponent) -> list[Definitions]:
        defs = self._attempt(lambda: build(loaded, self.project.root))
        return [defs] if defs is not None else []

    def _component_module(self, file: Path, context: ComponentLoadContext) -> list[Definitions]:
        module = self._attempt(lambda: import_defs_module(file, self.registry.importer))
        if module is None:
            return []
        instances = self._attempt(lambda: component_instances(module, context)) or []
        out: list[Definitions] = []
        for instance in instances:
            defs = self._attempt(
                lambda i=instance: run_build_defs(  # type: ignore[misc]
                    i, context, SourceLocation(self.project.relative(file)), self.project.root
                )
            )
            if defs is not None:
                out.append(defs)
        return out
