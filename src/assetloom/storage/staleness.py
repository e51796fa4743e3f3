"""Which assets are stale, and why (``loom list defs``, ``loom materialize --stale``).

An asset is stale when it was never materialized, when its ``code_version`` differs from the
one recorded with its latest materialization, or when an upstream asset was materialized after
it. Staleness also flows downstream: an asset whose upstream is stale is stale too, so one
``--stale`` run brings the whole graph up to date instead of one layer per run.
"""

from __future__ import annotations

from collections.abc import Mapping

from assetloom.assets.key import AssetKey
from assetloom.graph.asset_graph import AssetGraph
from assetloom.storage.records import AssetState


def stale_reasons(
    graph: AssetGraph, states: Mapping[AssetKey, AssetState]
) -> dict[AssetKey, tuple[str, ...]]:
    """Every executable asset with the reasons it is stale (none: it is up to date)."""
    executable = graph.executable_keys
    reasons: dict[AssetKey, tuple[str, ...]] = {}
    for key in graph.toposorted():
        if key in executable:
            reasons[key] = _reasons(graph, key, states, reasons)
    return reasons


def _reasons(
    graph: AssetGraph,
    key: AssetKey,
    states: Mapping[AssetKey, AssetState],
    upstream_reasons: Mapping[AssetKey, tuple[str, ...]],
) -> tuple[str, ...]:
    state = states.get(key)
    if state is None or state.materialized_at is None:
        return ("never materialized",)
    found: list[str] = []
    code_version = graph.spec(key).code_version
    if code_version != state.code_version and (code_version or state.code_version):
        found.append(f"code version changed ({state.code_version} -> {code_version})")
    for parent in graph.parent_list(key):
        name = parent.to_user_string()
        parent_state = states.get(parent)
        parent_at = parent_state.materialized_at if parent_state else None
        if parent_at is not None and parent_at > state.materialized_at:
            found.append(f"upstream `{name}` materialized after it")
        elif upstream_reasons.get(parent):
            found.append(f"upstream `{name}` is stale")
    return tuple(found)
