"""``loom materialize --stale`` and ``--from-failure RUN_ID``: narrowing a run to the assets
that need it, from what run storage remembers."""

from __future__ import annotations

import click

from assetloom.assets.key import AssetKey
from assetloom.cli.recording import existing_project_storage, open_project_storage
from assetloom.graph.asset_graph import AssetGraph
from assetloom.project import Project
from assetloom.storage.history import keys_to_rerun
from assetloom.storage.staleness import stale_reasons


def stale_keys(project: Project, graph: AssetGraph) -> frozenset[AssetKey]:
    """The executable assets that are stale (all of them when nothing was ever recorded)."""
    storage = existing_project_storage(project)
    if storage is None:
        return graph.executable_keys
    with storage:
        states = storage.asset_states()
    return frozenset(key for key, why in stale_reasons(graph, states).items() if why)


def failed_keys(project: Project, graph: AssetGraph, run_id: str) -> frozenset[AssetKey]:
    """The assets run ``run_id`` planned and did not materialize, that the graph still has;
    the ones it no longer has are named on stderr."""
    with open_project_storage(project) as storage:
        record = storage.run(run_id)
        wanted = keys_to_rerun(storage.events(record.run_id))
    gone = sorted(wanted - graph.executable_keys)
    if gone:
        names = ", ".join(f"`{k.to_user_string()}`" for k in gone)
        click.echo(f"not rerun (no longer defined or not executable): {names}", err=True)
    return wanted & graph.executable_keys


def asked_for(
    selection: str | None, *, job: str | None = None, stale: bool, from_failure: str | None
) -> str | None:
    """The run's selection as the user gave it, for ``loom runs`` (None: everything)."""
    parts = [selection] if selection else []
    if job:
        parts.append(f"--job {job}")
    if stale:
        parts.append("--stale")
    if from_failure:
        parts.append(f"--from-failure {from_failure}")
    return " ".join(parts) or None
