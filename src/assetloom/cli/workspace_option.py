"""How a command finds its workspace: ``-w/--workspace FILE``, or a ``workspace.yaml`` in the
current folder or above, unless a project is nearer (see ``find_workspace_file``) or
``--project`` names one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from assetloom.cli.project_option import current_project, given_project_dir
from assetloom.project import Project

_META_KEY = "assetloom.workspace_file"

F = TypeVar("F", bound=Callable[..., Any])


def _remember(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta[_META_KEY] = value


def workspace_option(command: F) -> F:
    """``-w/--workspace FILE``: load the code locations of a workspace.yaml."""
    option = click.option(
        "--workspace",
        "-w",
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        default=None,
        expose_value=False,
        callback=_remember,
        help="A workspace.yaml: load its code locations together (default: the nearest "
        "workspace.yaml, unless a project is nearer).",
    )
    return option(command)


def current_workspace_file() -> Path | None:
    """The workspace this command works on, or None for a single project."""
    ctx = click.get_current_context()
    given: Path | None = ctx.meta.get(_META_KEY)
    if given_project_dir(ctx) is not None:
        if given is not None:
            raise click.UsageError("give --project or --workspace, not both")
        return None
    if given is not None:
        return given.resolve()
    from assetloom.workspace.discovery import find_workspace_file

    return find_workspace_file(Path.cwd())


def workspace_storage_project(workspace_file: Path) -> Project:
    """The workspace's folder as a project: where its runs are stored (``.loom/runs.sqlite``,
    or ``[tool.assetloom] storage`` in a pyproject.toml beside workspace.yaml)."""
    return Project.at(workspace_file.parent)


def current_storage_project() -> Project:
    """Whose runs this command reads: the workspace's, or the project's."""
    workspace_file = current_workspace_file()
    if workspace_file is None:
        return current_project()
    return workspace_storage_project(workspace_file)
