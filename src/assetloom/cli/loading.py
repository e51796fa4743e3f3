"""Loading the current project for a command: every command that loads gets the same verdict
(load errors, dependency typos) printed the same way."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from assetloom.cli.counts import count_diagnostics
from assetloom.cli.diagnostics import print_diagnostics
from assetloom.cli.exit_codes import ExitCode
from assetloom.cli.project_option import current_project
from assetloom.defs import Definitions
from assetloom.errors import Diagnostic, LoomError, Severity
from assetloom.project import Project

if TYPE_CHECKING:
    from assetloom.loading.session import LoadSession


@dataclass(frozen=True)
class CheckedLoad:
    """The definitions (``None`` when loading failed) and everything found wrong with them."""

    definitions: Definitions | None
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


def load_and_check(project: Project, session: LoadSession | None = None) -> CheckedLoad:
    """Load ``project`` (through ``session`` when the command already has one) and check the
    graph: typo'd dependencies are errors, like load errors; unused external-asset
    declarations are warnings."""
    from assetloom.graph.lint import graph_diagnostics
    from assetloom.loading.dep_locations import DepLocator
    from assetloom.loading.session import LoadSession

    session = session or LoadSession(project)
    try:
        defs = session.load()
    except LoomError as error:
        return CheckedLoad(None, error.diagnostics())
    graph = defs.resolve_asset_graph()
    locate = DepLocator(project.root, session.parse_cache)
    return CheckedLoad(defs, graph_diagnostics(graph, project.external_assets, locate))


def load_project_definitions() -> tuple[Project, Definitions]:
    """The project and its definitions; on any error print them all and exit 1."""
    project = current_project()
    checked = load_and_check(project)
    if checked.errors or checked.definitions is None:
        fail(project, checked.errors)
    assert checked.definitions is not None
    return project, checked.definitions


def fail(project: Project, diagnostics: list[Diagnostic]) -> None:
    """Print ``diagnostics`` and their count, and exit: the definitions are invalid."""
    print_diagnostics(diagnostics, project.root)
    click.echo(count_diagnostics(diagnostics), err=True)
    raise SystemExit(ExitCode.INVALID)
