"""``loom check yaml``: validate ``defs.yaml`` files against the component schemas.

Imports the component classes (through the registry) and nothing else of the project: no
``build_defs``, no modules under ``defs/``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from assetloom.cli.counts import plural
from assetloom.cli.diagnostics import format_option, print_diagnostics
from assetloom.cli.exit_codes import ExitCode
from assetloom.cli.project_option import current_project, project_option
from assetloom.cli.workspace_option import current_workspace_file
from assetloom.errors import Diagnostic, Severity
from assetloom.loading.session import FileReport
from assetloom.project import Project


@click.command("yaml")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@format_option
@project_option
def check_yaml_command(paths: tuple[Path, ...], output_format: str) -> None:
    """Validate every defs.yaml (every --- document) under defs/, or under PATHS."""
    absolute = [p.resolve() for p in paths]  # relative to the working directory
    workspace_file = current_workspace_file()
    if workspace_file is not None:
        from assetloom.cli.workspace_commands import for_each_project

        for_each_project(workspace_file, ["check", "yaml", "--format", output_format], absolute)
    project = current_project()
    files, found = walk_defs(project, absolute)
    reports = check_files(project, files)
    diagnostics = [*found, *(p.to_diagnostic() for r in reports for p in r.problems)]
    print_diagnostics(diagnostics, project.root, output_format)
    if output_format == "text":
        click.echo(summary(reports), err=bool(diagnostics))
    if any(d.severity is Severity.ERROR for d in diagnostics):
        # SystemExit, not click's Exit: `loom` runs click with standalone_mode=False.
        sys.exit(ExitCode.INVALID)


def check_files(project: Project, files: Iterable[Path]) -> list[FileReport]:
    """Check ``files`` with the loader's own stages, up to attribute validation."""
    from assetloom.loading.session import LoadSession

    files = list(files)
    if not files:
        return []
    return LoadSession(project).check_documents(files)


def walk_defs(
    project: Project, paths: Iterable[Path] = ()
) -> tuple[list[Path], list[Diagnostic]]:
    """The ``defs.yaml`` files to check (under ``defs/`` by default; a folder given on the
    command line is searched, a file is checked whatever its name), and the errors and
    warnings of the walk: the loader's own walk, so both see the same files."""
    from assetloom.loading.tree import DefsTree

    tree = DefsTree(project)
    files = tree.defs_files(paths)
    return files, tree.diagnostics


def summary(reports: list[FileReport]) -> str:
    """``checked 2 files, 3 components: no problems`` (or ``: 1 error in 1 file``)."""
    files = len(reports)
    documents = sum(r.documents for r in reports)
    problems = sum(len(r.problems) for r in reports)
    checked = f"checked {plural(files, 'file')}, {plural(documents, 'component')}"
    if not problems:
        return f"{checked}: no problems"
    broken = sum(1 for r in reports if r.problems)
    return f"{checked}: {plural(problems, 'error')} in {plural(broken, 'file')}"
