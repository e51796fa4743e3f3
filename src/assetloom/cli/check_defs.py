"""``loom check defs``: load everything and check the graph; report every problem."""

from __future__ import annotations

import click

from assetloom.cli.loading import load_project_definitions
from assetloom.graph.lint import likely_typo_deps


@click.command("defs")
@click.option("--strict", is_flag=True, help="Treat likely typos in dependencies as errors.")
def check_defs_command(strict: bool) -> None:
    """Load every definition and check the asset graph."""
    project, defs = load_project_definitions()
    graph = defs.resolve_asset_graph()
    warnings = likely_typo_deps(graph, project.external_assets)
    label = "error" if strict else "warning"
    for warning in warnings:
        click.echo(f"{warning.location}: {label}: {warning.message}", err=True)
    if strict and warnings:
        raise SystemExit(1)
    click.echo(
        f"all definitions loaded: {len(graph.executable_keys)} assets, "
        f"{len(graph.external_keys)} external"
        + (f", {len(warnings)} warnings" if warnings else "")
    )
