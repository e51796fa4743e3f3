"""``loom check yaml``: validate ``defs.yaml`` files against the component schemas.

Imports the component classes (through the registry) and nothing else of the project: no
``build_defs``, no modules under ``defs/``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from assetloom.cli.project_option import current_project
from assetloom.project import Project
from assetloom.schema.validate import FileReport, Problem

DEFS_FILE = "defs.yaml"


@click.command("yaml")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="`json` prints a list of {path, line, col, message, schema_path}.",
)
def check_yaml_command(paths: tuple[Path, ...], output_format: str) -> None:
    """Validate every defs.yaml (every --- document) under defs/, or under PATHS."""
    absolute = [p.resolve() for p in paths]  # before current_project() changes directory
    project = current_project()
    reports = check_files(project, defs_files(project, absolute))
    problems = [p for r in reports for p in r.problems]
    if output_format == "json":
        click.echo(json.dumps([p.to_json() for p in problems], indent=2))
    else:
        print_problems(project, problems)
        click.echo(summary(reports))
    if problems:
        # SystemExit, not click's Exit: `loom` runs click with standalone_mode=False.
        sys.exit(1)


def print_problems(project: Project, problems: Iterable[Problem]) -> None:
    """Each problem as ``path:line:col: message`` with a code frame under it."""
    sources = _Sources(project)
    for problem in problems:
        click.echo(str(problem))
        frame = sources.frame(problem)
        if frame:
            click.echo(frame)


def check_files(
    project: Project, files: Iterable[Path], *, keep_parsed: bool = False
) -> list[FileReport]:
    """Check ``files``; the registry and the compiled validator are shared by all of them.
    ``keep_parsed``: keep the parsed documents in memory for a load that follows."""
    from assetloom.loading.registry import ComponentRegistry
    from assetloom.schema.validate import DefsValidator

    files = list(files)
    if not files:
        return []
    validator = DefsValidator(ComponentRegistry(project), keep_parsed=keep_parsed)
    reports = [validator.check_file(file) for file in files]
    validator.parse_cache.save()
    return reports


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
    files = len(reports)
    documents = sum(r.documents for r in reports)
    problems = sum(len(r.problems) for r in reports)
    checked = f"checked {_plural(files, 'file')}, {_plural(documents, 'component')}"
    if not problems:
        return f"{checked}: no problems"
    broken = sum(1 for r in reports if r.problems)
    return f"{checked}: {_plural(problems, 'problem')} in {_plural(broken, 'file')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class _Sources:
    """File lines, read once, for code frames."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._lines: dict[str, list[str]] = {}

    def frame(self, problem: Problem) -> str:
        """The offending line and a caret under the column (nothing for whole-file errors)."""
        lines = self._read(problem.path)
        if not problem.line or problem.line > len(lines):
            return ""
        text = lines[problem.line - 1]
        gutter = f"{problem.line:>4} | "
        before = text[: max(problem.col - 1, 0)]
        pad = "".join(c if c == "\t" else " " for c in before)
        return f"{gutter}{text}\n{' ' * (len(gutter) - 2)}| {pad}^"

    def _read(self, path: str) -> list[str]:
        if path not in self._lines:
            try:
                text = (self.project.root / path).read_text(encoding="utf-8-sig", errors="replace")
            except OSError:
                text = ""
            self._lines[path] = text.splitlines()
        return self._lines[path]
