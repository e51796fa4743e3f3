"""How a command finds its project: ``--project DIR`` (before or after the subcommand) or
the nearest folder with ``defs/``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from assetloom.project import Project

_META_KEY = "assetloom.project_dir"
_ROOT_KEY = "assetloom.project_root"

F = TypeVar("F", bound=Callable[..., Any])


def remember_project_dir(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    """Record ``--project`` where every command of this invocation can find it; given twice,
    the one after the subcommand wins."""
    if value is not None:
        ctx.meta[_META_KEY] = value


def project_option(command: F) -> F:
    """``--project DIR`` on a subcommand, so ``loom list defs --project DIR`` works too."""
    option = click.option(
        "--project",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        expose_value=False,
        callback=remember_project_dir,
        help="Project root (default: the nearest folder with a defs/ folder).",
    )
    return option(command)


def current_project() -> Project:
    """The project named on the command line (paths in messages and settings are relative
    to its root, whatever the working directory)."""
    ctx = click.get_current_context()
    project_dir: Path | None = ctx.meta.get(_META_KEY)
    project = Project.at(project_dir) if project_dir is not None else Project.find()
    ctx.meta[_ROOT_KEY] = project.root
    return project


def given_project_dir(ctx: click.Context) -> Path | None:
    """``--project`` as given on the command line, if it was."""
    given: Path | None = ctx.meta.get(_META_KEY)
    return given


def loaded_project_root(ctx: click.Context) -> Path | None:
    """The root of the project a command of this invocation found, if it got that far."""
    root: Path | None = ctx.meta.get(_ROOT_KEY)
    return root
