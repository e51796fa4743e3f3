"""The one place Diagnostics are drawn: as text with a code frame, to stderr, or as JSON, to
stdout. Every command reports through here, so they cannot disagree on form or stream.

Text::

    defs/etl/defs.yaml:5:13: error[LOOM102]: attributes.etl_tables[0].deps: expected a list
       5 |       deps: 5
         |             ^
         = hint: ...
         = related: defs/other/defs.yaml:3:7

Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import click

from assetloom.cli.json_output import echo_json
from assetloom.errors import Diagnostic, Severity, SourceLocation
from assetloom.yaml.source import DEFAULT_MAX_FILE_SIZE, read_source

OUTPUT_FORMATS = ("text", "json")

_SEVERITY_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}
_GUTTER = 5  # "   5 | ": the line number right-aligned in 4 columns, then " | "


#: ``--format text|json``, the same on every check command.
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="`json` prints a list of {severity, code, message, path, line, col, related, hint}.",
)


def print_diagnostics(
    diagnostics: Sequence[Diagnostic], root: Path | None, output_format: str = "text"
) -> None:
    """``text``: each diagnostic with its code frame, to stderr (paths are read relative to
    ``root`` for the frames). ``json``: the list, to stdout, even when empty."""
    if output_format == "json":
        echo_json([d.to_json() for d in diagnostics])
        return
    frames = CodeFrames(root)
    colour = False if os.environ.get("NO_COLOR") else None  # None: only on a terminal
    for diagnostic in diagnostics:
        click.echo(render(diagnostic, frames), err=True, color=colour)


def render(diagnostic: Diagnostic, frames: CodeFrames) -> str:
    """One diagnostic as text, styled (click strips the styles off a non-terminal)."""
    where = f"{click.style(str(diagnostic.location), bold=True)}: " if diagnostic.location else ""
    label = click.style(
        f"{diagnostic.severity}[{diagnostic.code}]",
        fg=_SEVERITY_COLOURS[diagnostic.severity],
        bold=True,
    )
    lines = [f"{where}{label}: {diagnostic.message}"]
    if diagnostic.location is not None:
        lines.extend(frames.frame(diagnostic.location))
    note = " " * _GUTTER + "= "
    if diagnostic.hint:
        lines.append(f"{note}{click.style('hint', bold=True)}: {diagnostic.hint}")
    lines.extend(f"{note}related: {related}" for related in diagnostic.related)
    return "\n".join(lines)


class CodeFrames:
    """The offending source line with a caret under the column; each file read once."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._lines: dict[str, list[str]] = {}

    def frame(self, location: SourceLocation) -> list[str]:
        """Two lines (source, caret), or none for a whole-file location or unreadable file."""
        if not location.line:
            return []
        lines = self._read(location.path)
        if location.line > len(lines):
            return []
        text = lines[location.line - 1]
        before = text[: max(location.col - 1, 0)]
        pad = "".join(c if c == "\t" else " " for c in before)
        return [
            f"{location.line:>{_GUTTER - 1}} | {text}",
            f"{' ' * _GUTTER}| {pad}{click.style('^', bold=True)}",
        ]

    def _read(self, path: str) -> list[str]:
        if path not in self._lines:
            try:
                file = Path(path) if self.root is None else self.root / path
                # Safely: the file may be a FIFO, a device or huge (the error may say so).
                data = read_source(file, path, DEFAULT_MAX_FILE_SIZE)
                text = data.decode("utf-8-sig", errors="replace")
            except OSError:
                text = ""
            self._lines[path] = text.splitlines()
        return self._lines[path]
