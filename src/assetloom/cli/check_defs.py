"""``loom check defs``: check the YAML against the schemas, load everything, check the graph;
report every problem of every file at once. Both steps go through one ``LoadSession``, so
each file is parsed and each component type imported once."""

from __future__ import annotations

import sys

import click

from assetloom.cli.counts import count_assets, count_diagnostics
from assetloom.cli.diagnostics import format_option, print_diagnostics
from assetloom.cli.exit_codes import ExitCode
from assetloom.cli.loading import load_and_check
from assetloom.cli.project_option import current_project, project_option
from assetloom.cli.workspace_option import current_workspace_file
from assetloom.defs import Definitions
from assetloom.errors import Diagnostic, Severity


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
    from assetloom.cli.check_yaml import walk_defs
    from assetloom.loading.session import LoadSession

    project = current_project()
    session = LoadSession(project)
    files, found = walk_defs(project)
    reports = session.check_documents(files, keep=True)
    diagnostics = [*found, *(p.to_diagnostic() for r in reports for p in r.problems)]
    checked = load_and_check(project, session)
    loaded = [*checked.diagnostics, *_missing_resources(checked.definitions)]
    # The load runs the same document checks (same words), and adds what only it can see:
    # templates, requirements, Python modules, build_defs, the graph. Each problem once.
    diagnostics = list(dict.fromkeys([*diagnostics, *loaded]))
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


def _missing_resources(defs: Definitions | None) -> list[Diagnostic]:
    """Resources an asset needs and nobody provides. Checked here, not on every load:
    ``materialize`` checks the resources of what it runs."""
    if defs is None:
        return []
    from assetloom.execution.plan import missing_resources

    return [error.to_diagnostic() for error in missing_resources(defs)]
