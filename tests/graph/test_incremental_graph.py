"""AssetGraph.updated: a graph patched after some definitions changed is the graph built
afresh from the new definitions (or None, when the patch declines and a fresh build must
explain), whatever the change."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import assetloom as dg
from assetloom.errors import DefinitionsError
from assetloom.graph.asset_graph import AssetGraph

NAMES = [f"t{i}" for i in range(8)]


def _asset(name: str, deps: list[str]) -> dg.AssetsDefinition:
    @dg.asset(name=name, deps=deps)
    def table() -> None: ...

    return table


def _file(names: list[str], deps: dict[str, list[str]]) -> list[dg.AssetsDefinition]:
    return [_asset(name, deps.get(name, [])) for name in names]


FILES = st.lists(
    st.lists(st.sampled_from(NAMES), max_size=3, unique=True), min_size=1, max_size=4
)
DEPS = st.dictionaries(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=2))


def _shape(graph: AssetGraph) -> dict[str, Any]:
    return {
        "parents": {k.to_user_string(): sorted(map(str, graph.parents(k))) for k in graph.all_keys},
        "children": {
            k.to_user_string(): sorted(map(str, graph.children(k))) for k in graph.all_keys
        },
        "external": sorted(k.to_user_string() for k in graph.external_keys),
        "executable": sorted(k.to_user_string() for k in graph.executable_keys),
    }


def _fresh(files: list[list[dg.AssetsDefinition]]) -> AssetGraph | None:
    try:
        return dg.Definitions(assets=[a for f in files for a in f]).validate()
    except DefinitionsError:
        return None


@settings(max_examples=150, deadline=None)
@given(files=FILES, deps=DEPS, edited=st.integers(0, 3), new_names=FILES, new_deps=DEPS)
def test_a_patched_graph_is_the_graph_built_afresh(
    files: list[list[str]],
    deps: dict[str, list[str]],
    edited: int,
    new_names: list[list[str]],
    new_deps: dict[str, list[str]],
) -> None:
    before = [_file(names, deps) for names in files]
    graph = _fresh(before)
    if graph is None:
        return  # the first load already failed: nothing to patch
    index = edited % len(before)
    after = list(before)
    after[index] = _file(new_names[0], new_deps)
    patched = graph.updated(before[index], after[index])
    fresh = _fresh(after)
    if patched is not None:
        assert fresh is not None, "the patch accepted what a fresh build rejects"
        assert _shape(patched) == _shape(fresh)


def test_an_edit_that_keeps_the_keys_is_patched_not_rebuilt() -> None:
    before = [_file(["a", "b"], {}), _file(["c"], {"c": ["a"]})]
    graph = _fresh(before)
    assert graph is not None
    edited = _file(["c"], {"c": ["b", "external"]})
    patched = graph.updated(before[1], edited)
    assert patched is not None
    assert patched.parents(dg.AssetKey("c")) == {dg.AssetKey("b"), dg.AssetKey("external")}
    assert patched.children(dg.AssetKey("a")) == frozenset()
    assert patched.external_keys == {dg.AssetKey("external")}
    assert graph.parents(dg.AssetKey("c")) == {dg.AssetKey("a")}  # the old graph is untouched
