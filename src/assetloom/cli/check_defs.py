"""``loom check defs``: check the YAML against the schemas, then load everything and check
the graph; report every problem."""

from __future__ import annotations

import sys

import click

from assetloom.cli.loading import load_project_definitions
from assetloom.cli.project_option import current_project
from assetloom.graph.lint import likely_typo_deps


@click.command("defs")
@click.option("--strict", is_flag=True, help="Treat likely typos in dependencies as errors.")
def check_defs_command(strict: bool) -> None:
    """Load every definition and check the asset graph."""
    from assetloom.cli.check_yaml import check_files, defs_files, print_problems, summary

    project = current_project()
    reports = check_files(project, defs_files(project))
    problems = [p for r in reports for p in r.problems]
    if problems:  # the load would report the same mistakes again, less precisely
        print_problems(project, problems)
        click.echo(summary(reports))
        sys.exit(1)
    project, defs = load_project_definitions()
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
