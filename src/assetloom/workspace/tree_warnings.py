"""The warnings of each project location's defs tree (look-alike files LOOM902, symlinks out
of the project LOOM903). A location process answers only with assets or with the errors that
stopped its load, so ``check defs`` walks the trees itself: a walk of names, cheap, and it
runs none of the locations' code."""

from __future__ import annotations

from dataclasses import replace

from assetloom.errors import Diagnostic, LoomError
from assetloom.loading.tree import DefsTree
from assetloom.project import Project
from assetloom.workspace.config import LocationKind, WorkspaceConfig
from assetloom.workspace.location_client import location_prefix
from assetloom.workspace.snapshot import rebase


def tree_warnings(config: WorkspaceConfig) -> list[Diagnostic]:
    """The walk's warnings of every project location, with paths seen from the workspace.
    Its errors are left out: the location's own load reports them."""
    warnings: list[Diagnostic] = []
    for location in config.locations:
        if location.kind is not LocationKind.PROJECT or not location.root.is_dir():
            continue
        try:
            tree = DefsTree(Project.at(location.root))
        except LoomError:  # a broken pyproject.toml: the location's load reports it
            continue
        tree.defs_files()
        prefix = location_prefix(location.root, config.root)
        warnings += [replace(w, location=rebase(w.location, prefix)) for w in tree.warnings]
    return warnings
