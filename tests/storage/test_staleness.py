"""An asset is stale when never materialized, when its code version changed, or when an
upstream was materialized after it — and so is everything downstream of a stale asset."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import assetloom as dg
from assetloom.assets.key import AssetKey
from assetloom.graph.asset_graph import AssetGraph
from assetloom.storage.records import AssetState
from assetloom.storage.staleness import stale_reasons


def graph(code_version: str | None = "v1") -> AssetGraph:
    """raw (external) -> orders -> report; orders has a code version."""

    @dg.asset(deps=["raw"], code_version=code_version)
    def orders() -> None: ...

    @dg.asset(deps=[orders])
    def report() -> None: ...

    return dg.Definitions(assets=[orders, report]).resolve_asset_graph()


def state(name: str, at: float, code_version: str | None = None) -> tuple[AssetKey, AssetState]:
    key = AssetKey(name)
    return key, AssetState(key, at, "run", code_version, None, None, None)


def reasons(
    states: dict[AssetKey, AssetState], code_version: str | None = "v1"
) -> dict[str, tuple[str, ...]]:
    found = stale_reasons(graph(code_version), states)
    return {key.to_user_string(): why for key, why in found.items()}


def test_assets_never_materialized_are_stale_and_externals_are_not_listed() -> None:
    assert reasons({}) == {"orders": ("never materialized",), "report": ("never materialized",)}


def test_assets_materialized_in_order_with_the_same_code_are_fresh() -> None:
    assert reasons(dict([state("orders", 10, "v1"), state("report", 11)])) == {
        "orders": (),
        "report": (),
    }


def test_a_changed_code_version_makes_the_asset_and_its_downstream_stale() -> None:
    states = dict([state("orders", 10, "v1"), state("report", 11)])
    assert reasons(states, code_version="v2") == {
        "orders": ("code version changed (v1 -> v2)",),
        "report": ("upstream `orders` is stale",),
    }


def test_an_upstream_materialized_later_makes_the_downstream_stale() -> None:
    states = dict([state("orders", 12, "v1"), state("report", 11)])
    assert reasons(states) == {"orders": (), "report": ("upstream `orders` materialized after it",)}


@given(st.floats(0, 100), st.floats(0, 100))
def test_report_is_stale_exactly_when_orders_is_newer(orders_at: float, report_at: float) -> None:
    states = dict([state("orders", orders_at, "v1"), state("report", report_at)])
    assert bool(reasons(states)["report"]) == (orders_at > report_at)
