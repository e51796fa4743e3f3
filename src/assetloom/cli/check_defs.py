"""``loom check defs``: check the YAML against the schemas, load everything, check the graph;
report every problem of every file at once."""

from __future__ import annotations

import sys

import click

from assetloom.cli.loading import report_error_count
from assetloom.cli.project_option import current_project
from assetloom.errors import LoomError
from assetloom.graph.lint import likely_typo_deps


@click.command("defs")
@click.option("--strict", is_flag=True, help="Treat likely typos in dependencies as errors.")
def check_defs_command(strict: bool) -> None:
    """Load every definition and check the asset graph."""
    from assetloom.cli.check_yaml import check_files, defs_files, print_problems
    from assetloom.loading.walk import DefsLoader

    project = current_project()
    reports = check_files(project, defs_files(project), keep_parsed=True)
    problems = [p for r in reports for p in r.problems]
    print_problems(project, problems)  # with code frames: the more precise report
    reported = {p.path for p in problems}
    try:
        defs = DefsLoader(project).load()
    except LoomError as error:
        # A file the schema check flagged would be reported again, less precisely; errors
        # of other files (Python modules, build_defs, templates) still need reporting.
        rest = [e for e in error.iter_errors() if not e.location or e.location.path not in reported]
        for problem in rest:
            click.echo(str(problem), err=True)
        _fail(len(problems) + len(rest))
    if problems:
        _fail(len(problems))
    graph = defs.resolve_asset_graph()
    warnings = likely_typo_deps(graph, project.external_assets)
    label = "error" if strict else "warning"
    for warning in warnings:
        click.echo(f"{warning.location}: {label}: {warning.message}", err=True)
    if strict and warnings:
        sys.exit(1)
    click.echo(
        f"all definitions loaded: {len(graph.executable_keys)} assets, "
        f"{len(graph.external_keys)} external"
        + (f", {len(warnings)} warnings" if warnings else "")
    )


def _fail(count: int) -> None:
    report_error_count(count)
    sys.exit(1)
