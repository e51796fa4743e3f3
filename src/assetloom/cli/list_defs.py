"""``loom list defs``: the loaded asset graph, as a table or as JSON."""

from __future__ import annotations

from typing import Any

import click

from assetloom.cli.asset_history import HISTORY_HEADERS, asset_history, history_cells
from assetloom.cli.counts import count_assets
from assetloom.cli.json_output import echo_json
from assetloom.cli.loading import load_project_definitions
from assetloom.cli.project_option import project_option
from assetloom.cli.workspace_option import current_workspace_file
from assetloom.errors import SourceLocation
from assetloom.graph.asset_graph import AssetGraph


@click.command("defs")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools.")
@project_option
def list_defs_command(as_json: bool) -> None:
    """List the assets of the project, external assets included."""
    workspace_file = current_workspace_file()
    if workspace_file is not None:
        from assetloom.cli.workspace_commands import list_workspace_defs

        list_workspace_defs(workspace_file, as_json, _print_table)
        return
    project, defs = load_project_definitions()
    graph = defs.resolve_asset_graph()
    rows = asset_rows(graph)
    history = asset_history(project, graph)
    for row, key in zip(rows, graph.toposorted(), strict=True):
        row.update(history.get(key, {}))
    if as_json:
        echo_json({"assets": rows})
        return
    _print_table(rows)
    click.echo(count_assets(graph))


def asset_rows(graph: AssetGraph) -> list[dict[str, Any]]:
    """One JSON-ready row per key, in dependency order."""
    rows = []
    for key in graph.toposorted():
        spec = graph.spec(key)
        location = graph.location(key)
        rows.append(
            {
                "key": key.to_user_string(),
                "deps": [p.to_user_string() for p in graph.parent_list(key)],
                "group": spec.group_name,
                "kinds": sorted(spec.kinds),
                "description": spec.description,
                "is_external": graph.is_external(key),
                "code_location": graph.code_location,
                "source": _source(location),
            }
        )
    return rows


def _source(location: SourceLocation | None) -> str | None:
    """``path:line`` (the column adds nothing to a listing), or the path for a whole file."""
    if location is None:
        return None
    return f"{location.path}:{location.line}" if location.line else location.path


def _print_table(rows: list[dict[str, Any]]) -> None:
    with_history = any("stale" in row for row in rows)
    headers: tuple[str, ...] = ("key", "group", "deps", "kinds", "source")
    headers += HISTORY_HEADERS if with_history else ()
    cells = [
        (
            row["key"] + (" (external)" if row["is_external"] else ""),
            row["group"] or "",
            ", ".join(row["deps"]),
            ", ".join(row["kinds"]),
            row["source"] or "",
        )
        + (history_cells(row) if with_history else ())
        for row in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    click.echo("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    for cell in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip())
