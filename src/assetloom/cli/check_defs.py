"""``loom check defs``: load everything and check the graph, reporting every problem of every
file at once. When the load fails, the document checks of ``loom check yaml`` run too, through
the same ``LoadSession`` (each file parsed and each component type imported once), for the
problems a failing stage hides; a load that succeeds has none of those left to find."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assetloom.cli.counts import count_assets, count_diagnostics
from assetloom.cli.diagnostics import format_option, print_diagnostics
from assetloom.cli.exit_codes import ExitCode
from assetloom.cli.loading import load_and_check
from assetloom.cli.project_option import current_project, project_option
from assetloom.cli.workspace_option import current_workspace_file
from assetloom.defs import Definitions
from assetloom.errors import Diagnostic, Severity

if TYPE_CHECKING:
    from assetloom.loading.session import LoadSession


@click.command("defs")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@format_option
@project_option
def check_defs_command(strict: bool, output_format: str) -> None:
    """Load every definition and check the asset graph."""
    workspace_file = current_workspace_file()
    if workspace_file is not None:
        from assetloom.cli.workspace_commands import check_workspace_defs

        check_workspace_defs(workspace_file, strict, output_format)
        return
    from assetloom.loading.session import LoadSession

    project = current_project()
    session = LoadSession(project)
    checked = load_and_check(project, session)
    diagnostics = [
        *session.walk_warnings,
        *checked.diagnostics,
        *_missing_resources(checked.definitions),
    ]
    if checked.definitions is None:
        # A load stops each document at its first failing stage; the document checks of
        # `check yaml` go on past it (to the attributes after a failed requirement, say), so
        # that every problem of every file is shown at once. Each problem once, same words.
        diagnostics = list(dict.fromkeys([*_document_checks(session), *diagnostics]))
    elif session.unwalked_folders:
        # A `defs.yaml` below a folder a component owns is not loaded, but `check yaml`
        # judges it: so does `check defs`, in the same words.
        checks = _document_checks(session, session.unwalked_folders)
        diagnostics = list(dict.fromkeys([*diagnostics, *checks]))
    print_diagnostics(diagnostics, project.root, output_format)
    failed = any(d.severity is Severity.ERROR or strict for d in diagnostics)
    if output_format == "text":
        if failed or checked.definitions is None:
            click.echo(count_diagnostics(diagnostics), err=True)
        else:
            graph = checked.definitions.resolve_asset_graph()
            warnings = f", {count_diagnostics(diagnostics)}" if diagnostics else ""
            click.echo(f"all definitions loaded: {count_assets(graph)}{warnings}")
    if failed:
        sys.exit(ExitCode.INVALID)


def _document_checks(session: LoadSession, folders: Iterable[Path] = ()) -> list[Diagnostic]:
    """What ``loom check yaml`` reports for the ``defs.yaml`` files under ``folders`` (the
    whole defs tree by default): the walk's problems, then each document's."""
    from assetloom.cli.check_yaml import walk_defs

    files, found = walk_defs(session.project, folders)
    reports = session.check_documents(files)
    return [*found, *(p.to_diagnostic() for r in reports for p in r.problems)]


def _missing_resources(defs: Definitions | None) -> list[Diagnostic]:
    """Resources an asset needs and nobody provides. Checked here, not on every load:
    ``materialize`` checks the resources of what it runs."""
    if defs is None:
        return []
    from assetloom.execution.plan import missing_resources

    return [error.to_diagnostic() for error in missing_resources(defs)]
