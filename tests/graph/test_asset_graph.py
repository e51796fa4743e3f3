import pytest

import assetloom as dg
from assetloom.graph.asset_graph import AssetGraph

K = dg.AssetKey


@dg.asset(group_name="raw", deps=["source"])
def raw() -> None: ...


@dg.asset(group_name="clean", deps=[raw])
def clean() -> None: ...


@dg.asset(deps=[clean])
def report() -> None: ...


@dg.asset(deps=[clean])
def dashboard() -> None: ...


@dg.asset
def lonely() -> None: ...


@pytest.fixture
def graph() -> AssetGraph:
    defs = dg.Definitions(
        assets=[report, dashboard, lonely, clean, raw, dg.AssetSpec("spec_only", group_name="ext")]
    )
    return defs.resolve_asset_graph()


def test_all_keys_and_external_keys(graph: AssetGraph) -> None:
    assert set(graph.all_keys) == {
        K(n) for n in ["source", "raw", "clean", "report", "dashboard", "lonely", "spec_only"]
    }
    assert len(graph) == 7
    assert graph.external_keys == {K("source"), K("spec_only")}
    assert graph.is_external(K("source"))
    assert not graph.is_external(K("raw"))
    executable = ["raw", "clean", "report", "dashboard", "lonely"]
    assert graph.executable_keys == {K(n) for n in executable}
    assert graph.has(K("source"))
    assert not graph.has(K("nothing"))


def test_direct_parents_and_children(graph: AssetGraph) -> None:
    assert graph.parents(K("raw")) == {K("source")}
    assert graph.parents(K("source")) == set()
    assert graph.children(K("clean")) == {K("report"), K("dashboard")}
    assert graph.children(K("report")) == set()


def test_transitive_upstream_and_downstream(graph: AssetGraph) -> None:
    assert graph.upstream([K("report")]) == {K("report"), K("clean"), K("raw"), K("source")}
    assert graph.downstream([K("raw")]) == {K("raw"), K("clean"), K("report"), K("dashboard")}


def test_upstream_and_downstream_with_depth(graph: AssetGraph) -> None:
    assert graph.upstream([K("report")], depth=0) == {K("report")}
    assert graph.upstream([K("report")], depth=1) == {K("report"), K("clean")}
    assert graph.upstream([K("report")], depth=2) == {K("report"), K("clean"), K("raw")}
    assert graph.downstream([K("source")], depth=2) == {K("source"), K("raw"), K("clean")}


def test_topological_order_puts_every_asset_after_its_upstream(graph: AssetGraph) -> None:
    order = graph.toposorted()
    assert len(order) == 7
    position = {key: i for i, key in enumerate(order)}
    for key in order:
        for parent in graph.parents(key):
            assert position[parent] < position[key]
    assert graph.toposorted([K("report"), K("raw"), K("clean")]) == [
        K("raw"),
        K("clean"),
        K("report"),
    ]


def test_topological_order_is_deterministic() -> None:
    orders = {
        tuple(dg.Definitions(assets=assets).resolve_asset_graph().toposorted())
        for assets in ([report, dashboard, clean, raw], [raw, clean, dashboard, report])
    }
    assert len(orders) == 1


def test_groups(graph: AssetGraph) -> None:
    assert graph.groups == {
        "raw": [K("raw")],
        "clean": [K("clean")],
        "default": [K("dashboard"), K("lonely"), K("report")],
        "ext": [K("spec_only")],
    }


def test_spec_and_location(graph: AssetGraph) -> None:
    assert graph.spec(K("raw")).group_name == "raw"
    assert graph.spec(K("source")) == dg.AssetSpec("source")
    assert graph.assets_def(K("raw")) is raw
    assert graph.assets_def(K("source")) is None
    location = graph.location(K("raw"))
    assert location is not None
    assert location.path.endswith("test_asset_graph.py")
    assert graph.location(K("source")) is None


def test_attributes_feed_the_selection(graph: AssetGraph) -> None:
    attributes = graph.attributes(K("raw"))
    assert attributes.group_name == "raw"
    assert graph.attributes(K("source")).group_name is None


def test_parameter_inputs_are_edges() -> None:
    @dg.asset
    def a() -> int:
        return 1

    @dg.asset
    def b(a: int) -> int:
        return a

    graph = dg.Definitions(assets=[b, a]).resolve_asset_graph()
    assert graph.parents(K("b")) == {K("a")}
    assert graph.bindings(b).inputs == {"a": K("a")}
    assert graph.bindings(b).resources == ()
