"""What ``loom list defs`` adds to each asset from run storage: its last materialization,
the outcome of its last step, and whether (and why) it is stale."""

from __future__ import annotations

import time
from typing import Any

from assetloom.assets.key import AssetKey
from assetloom.cli.recording import existing_project_storage
from assetloom.graph.asset_graph import AssetGraph
from assetloom.project import Project
from assetloom.storage.records import AssetState
from assetloom.storage.staleness import stale_reasons

HISTORY_HEADERS = ("materialized", "status", "stale")


def asset_history(project: Project, graph: AssetGraph) -> dict[AssetKey, dict[str, Any]]:
    """JSON-ready history fields for every executable asset (a project that never ran has
    none recorded, and opens no database)."""
    storage = existing_project_storage(project)
    states: dict[AssetKey, AssetState] = {}
    if storage is not None:
        with storage:
            states = storage.asset_states()
    fields = {}
    for key, reasons in stale_reasons(graph, states).items():
        state = states.get(key)
        fields[key] = {
            "last_materialization": _materialization(state),
            "status": state.last_status.value if state and state.last_status else None,
            "stale": bool(reasons),
            "stale_reasons": list(reasons),
        }
    return fields


def history_cells(row: dict[str, Any]) -> tuple[str, str, str]:
    """The table cells of a row's history fields (blank for an external asset)."""
    if "stale" not in row:
        return ("", "", "")
    materialized = row["last_materialization"]
    when = (
        time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(materialized["timestamp"]))
        if materialized
        else "never"
    )
    stale = "; ".join(row["stale_reasons"]) if row["stale"] else "no"
    return (when, row["status"] or "-", stale)


def _materialization(state: AssetState | None) -> dict[str, Any] | None:
    if state is None or state.materialized_at is None:
        return None
    return {
        "run_id": state.materialized_run_id,
        "timestamp": state.materialized_at,
        "code_version": state.code_version,
    }
