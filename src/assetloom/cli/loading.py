"""Loading the current project for a command, with errors printed the same way everywhere."""

from __future__ import annotations

import click

from assetloom.cli.project_option import current_project
from assetloom.defs import Definitions
from assetloom.errors import LoomError
from assetloom.project import Project


def load_project_definitions() -> tuple[Project, Definitions]:
    """The project and its definitions; on failure print every error and exit 1."""
    project = current_project()
    from assetloom.loading.walk import DefsLoader

    try:
        return project, DefsLoader(project).load()
    except LoomError as error:
        report_errors(error)
        raise SystemExit(1) from None


def report_errors(error: LoomError) -> None:
    problems = list(error.iter_errors())
    for problem in problems:
        click.echo(str(problem), err=True)
    report_error_count(len(problems))


def report_error_count(count: int) -> None:
    """The closing ``N errors`` line every command prints after its errors."""
    click.echo(f"{count} error{'' if count == 1 else 's'}", err=True)
