"""Helpers for testing a component, as Dagster's "testing your component" guides do:
``component_defs`` builds a component's Definitions in Python; ``create_defs_folder_sandbox``
writes it into a throwaway project and loads it through the real loader."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assetloom.components.component import Component, ComponentLoadContext
from assetloom.defs import Definitions


def component_defs(
    *,
    component: Component,
    resources: Mapping[str, Any] | None = None,
    context: ComponentLoadContext | None = None,
) -> Definitions:
    """``component.build_defs`` with a test context (the current directory) unless one is
    given, plus ``resources`` (so ``materialize(component_defs(...))`` can run it)."""
    defs = component.build_defs(context or ComponentLoadContext.for_test())
    if resources:
        defs = Definitions.merge(defs, Definitions(resources=resources))
    return defs


@contextmanager
def create_defs_folder_sandbox(*, project_name: str | None = None) -> Iterator[DefsFolderSandbox]:
    """A throwaway project with an empty ``defs/`` folder, removed afterwards: scaffold
    components into it and load them exactly as the loader would."""
    with tempfile.TemporaryDirectory(prefix="assetloom-sandbox-") as tmp:
        root = Path(tmp) / (project_name or "sandbox")
        (root / "defs").mkdir(parents=True)
        yield DefsFolderSandbox(root)


@dataclass(frozen=True)
class DefsFolderSandbox:
    """The project ``create_defs_folder_sandbox`` made."""

    project_root: Path

    @property
    def defs_folder_path(self) -> Path:
        return self.project_root / "defs"

    def scaffold_component(
        self,
        component_cls: type[Component],
        defs_path: Path | str | None = None,
        scaffold_params: Mapping[str, Any] | None = None,
        scaffold_format: str = "yaml",
        defs_yaml_contents: Mapping[str, Any] | None = None,
    ) -> Path:
        """Write ``defs_path/defs.yaml`` (``type:`` the class, unless ``defs_yaml_contents``
        says otherwise) and return the folder. assetloom has no scaffolders:
        ``scaffold_params`` are accepted and ignored; the format is always YAML."""
        del scaffold_params, scaffold_format
        folder = self.defs_folder_path / (defs_path or f"{component_cls.__name__.lower()}_1")
        folder.mkdir(parents=True, exist_ok=True)
        document = {
            "type": f"{component_cls.__module__}.{component_cls.__qualname__}",
            **(defs_yaml_contents or {}),
        }
        # JSON is YAML: no YAML writer needed.
        (folder / "defs.yaml").write_text(json.dumps(document, indent=2), encoding="utf-8")
        return folder

    @contextmanager
    def load_component_and_build_defs(
        self, *, defs_path: Path | str
    ) -> Iterator[tuple[Component, Definitions]]:
        """The component that ``defs_path/defs.yaml`` declares, and the Definitions it
        builds, through the loader's own pipeline (templates, validation, post-processing)."""
        from assetloom.loading.pipeline import build, instantiate
        from assetloom.loading.session import LoadSession
        from assetloom.project import Project

        session = LoadSession(Project.at(self.project_root))
        folder = self.defs_folder_path / defs_path
        [document] = session.read_documents(folder / "defs.yaml")
        with session.importer.active():
            loaded = instantiate(
                document,
                context=session.root_context.for_path(folder),
                registry=session.registry,
                templates=lambda: session.templates,
            )
            defs = build(loaded, self.project_root)
        yield loaded.component, defs
