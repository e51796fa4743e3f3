"""Finding ``workspace.yaml`` from the current folder; cheap, so every command can ask."""

from __future__ import annotations

from pathlib import Path

from assetloom.project import DEFS_DIR

WORKSPACE_FILE = "workspace.yaml"


def find_workspace_file(start: Path) -> Path | None:
    """``workspace.yaml`` in ``start`` or the nearest folder above it that has one — unless a
    project (a folder with ``defs/``) comes first: the nearest of the two wins, and in one
    folder holding both, the workspace (which then lists that project) wins."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / WORKSPACE_FILE).is_file():
            return folder / WORKSPACE_FILE
        if (folder / DEFS_DIR).is_dir():
            return None
    return None
