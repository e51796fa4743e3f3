"""``loom check yaml``: validate ``defs.yaml`` files against the component schemas.

Imports the component classes (through the registry) and nothing else of the project: no
``build_defs``, no modules under ``defs/``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from assetloom.cli.counts import plural
from assetloom.cli.diagnostics import format_option, print_diagnostics
from assetloom.cli.exit_codes import ExitCode
from assetloom.cli.project_option import current_project, project_option
from assetloom.loading.session import FileReport
from assetloom.project import Project

DEFS_FILE = "defs.yaml"


@click.command("yaml")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@format_option
@project_option
def check_yaml_command(paths: tuple[Path, ...], output_format: str) -> None:
    """Validate every defs.yaml (every --- document) under defs/, or under PATHS."""
    absolute = [p.resolve() for p in paths]  # before current_project() changes directory
    project = current_project()
    reports = check_files(project, defs_files(project, absolute))
    diagnostics = [p.to_diagnostic() for r in reports for p in r.problems]
    print_diagnostics(diagnostics, project.root, output_format)
    if output_format == "text":
        click.echo(summary(reports), err=bool(diagnostics))
    if diagnostics:
        # SystemExit, not click's Exit: `loom` runs click with standalone_mode=False.
        sys.exit(ExitCode.INVALID)


def check_files(project: Project, files: Iterable[Path]) -> list[FileReport]:
    """Check ``files`` with the loader's own stages, up to attribute validation."""
    from assetloom.loading.session import LoadSession

    files = list(files)
    if not files:
        return []
    return LoadSession(project).check_documents(files)


def defs_files(project: Project, paths: Iterable[Path] = ()) -> list[Path]:
    """The ``defs.yaml`` files to check: under ``defs/`` by default; a folder given on the
    command line is searched, a file is checked whatever its name."""
    found: set[Path] = set()
    for path in list(paths) or [project.defs_root]:
        if path.is_file():
            found.add(path)
        elif path.is_dir():
            found.update(_walk(path))
    return sorted(found)


def _walk(folder: Path) -> Iterator[Path]:
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.name == "__pycache__":
            continue
        if entry.is_dir():
            yield from _walk(entry)
        elif entry.name == DEFS_FILE:
            yield entry


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
