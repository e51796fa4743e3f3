"""The workspace graph joins the locations' snapshots by key, and a run is planned on it in as
few per-location batches as the dependency order allows."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetloom.assets.key import AssetKey
from assetloom.errors import CycleError, LoadErrors, SourceLocation
from assetloom.graph.selection import select
from assetloom.workspace.graph import WorkspaceGraph
from assetloom.workspace.run import plan_batches
from assetloom.workspace.snapshot import AssetSnapshot


def asset(key: str, *deps: str, executable: bool = True, at: str = "") -> AssetSnapshot:
    return AssetSnapshot(
        key=AssetKey(key),
        deps=tuple(AssetKey(d) for d in deps),
        is_executable=executable,
        source=SourceLocation(at, 3, 1) if at else None,
    )


def keys(*names: str) -> set[AssetKey]:
    return {AssetKey(n) for n in names}


def test_a_dep_on_another_locations_key_is_a_real_edge() -> None:
    graph = WorkspaceGraph(
        {
            "one": [asset("code_location_1_asset")],
            "two": [asset("code_location_2_asset", "code_location_1_asset", "raw")],
        }
    )
    first, second, raw = (
        AssetKey("code_location_1_asset"),
        AssetKey("code_location_2_asset"),
        AssetKey("raw"),
    )
    assert graph.parents(second) == {first, raw}
    assert not graph.is_external(first)
    assert graph.is_external(raw)  # nobody defines it
    assert (graph.code_location(first), graph.code_location(second)) == ("one", "two")
    assert graph.code_location(raw) is None
    assert graph.executable_keys == {first, second}


def test_code_location_selects_on_the_joined_graph() -> None:
    graph = WorkspaceGraph({"one": [asset("a")], "two": [asset("b", "a"), asset("c", "b")]})
    assert select(graph, "code_location:two") == keys("b", "c")
    assert select(graph, "+code_location:two") == keys("a", "b", "c")
    assert select(graph, "code_location:one+1") == keys("a", "b")


def test_a_key_materialized_by_two_locations_names_both() -> None:
    with pytest.raises(LoadErrors) as caught:
        WorkspaceGraph(
            {
                "one": [asset("orders", at="one/defs/assets.py")],
                "two": [asset("orders", at="two/defs/assets.py")],
            }
        )
    (error,) = caught.value.iter_errors()
    assert str(error) == (
        "two/defs/assets.py:3:1: asset `orders` is defined in two code locations: `one` "
        "(one/defs/assets.py:3:1) and `two` (two/defs/assets.py:3:1)"
    )
    assert error.related == (SourceLocation("one/defs/assets.py", 3, 1),)


def test_a_declared_spec_defers_to_the_location_that_materializes_it() -> None:
    graph = WorkspaceGraph({"one": [asset("orders", executable=False)], "two": [asset("orders")]})
    assert graph.code_location(AssetKey("orders")) == "two"
    assert not graph.is_external(AssetKey("orders"))


def test_a_cycle_through_two_locations_is_an_error() -> None:
    with pytest.raises(CycleError, match="a -> b -> a"):
        WorkspaceGraph({"one": [asset("a", "b")], "two": [asset("b", "a")]})


def test_batches_follow_dependencies_and_keep_a_location_together() -> None:
    graph = WorkspaceGraph(
        {
            "one": [asset("a1"), asset("a2", "a1"), asset("a3", "b1")],
            "two": [asset("b1", "a1"), asset("b2")],
        }
    )
    plan = [
        (b.location, [k.to_user_string() for k in b.keys])
        for b in plan_batches(graph, graph.executable_keys)
    ]
    assert plan == [("one", ["a1", "a2"]), ("two", ["b1", "b2"]), ("one", ["a3"])]


@st.composite
def workspaces(draw: st.DrawFn) -> dict[str, list[AssetSnapshot]]:
    """Random DAGs over up to 12 keys, spread over up to 3 locations (deps point backwards)."""
    count = draw(st.integers(1, 12))
    locations: dict[str, list[AssetSnapshot]] = {}
    for index in range(count):
        deps = draw(st.sets(st.integers(0, index - 1), max_size=3)) if index else set()
        location = draw(st.sampled_from(["one", "two", "three"]))
        locations.setdefault(location, []).append(asset(f"k{index}", *(f"k{d}" for d in deps)))
    return locations


@given(workspaces())
def test_every_plan_runs_each_asset_once_after_its_upstream(
    snapshots: dict[str, list[AssetSnapshot]],
) -> None:
    graph = WorkspaceGraph(snapshots)
    batches = plan_batches(graph, graph.executable_keys)
    order = [key for batch in batches for key in batch.keys]
    assert sorted(order) == sorted(graph.executable_keys)
    position = {key: index for index, key in enumerate(order)}
    for key in order:
        assert all(position[p] < position[key] for p in graph.parents(key))
    for batch in batches:
        assert {graph.code_location(k) for k in batch.keys} == {batch.location}
    for before, after in itertools.pairwise(batches):
        assert before.location != after.location  # otherwise they would be one batch
