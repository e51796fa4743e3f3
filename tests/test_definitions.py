import re

import pytest

import assetloom as dg
from assetloom.errors import CycleError, DefinitionsError, DuplicateAssetKeyError


class Warehouse(dg.ConfigurableResource):
    url: str


def _line_of(assets_def: dg.AssetsDefinition) -> str:
    assert assets_def.location is not None
    return f"{assets_def.location.path}:{assets_def.location.line}"


def test_definitions_holds_assets_checks_and_resources() -> None:
    @dg.asset
    def a() -> int:
        return 1

    @dg.asset_check(asset=a)
    def a_ok() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    warehouse = Warehouse(url="x")
    defs = dg.Definitions(assets=[a], asset_checks=[a_ok], resources={"warehouse": warehouse})
    assert defs.assets == (a,)
    assert defs.asset_checks == (a_ok,)
    assert defs.resources == {"warehouse": warehouse}
    assert defs.resolve_all_asset_keys() == [dg.AssetKey("a")]
    assert defs.get_assets_def("a") is a
    assert defs.get_assets_def(dg.AssetKey("a")) is a
    assert repr(defs) == "<Definitions 1 assets, 1 checks>"


def test_empty_definitions() -> None:
    defs = dg.Definitions()
    assert defs.resolve_all_asset_keys() == []
    assert dg.materialize(defs).success


def test_get_assets_def_of_an_unknown_key_suggests_a_close_one() -> None:
    @dg.asset
    def orders() -> None: ...

    with pytest.raises(dg.LoomError, match=r"no asset has key `order` — did you mean `orders`\?"):
        dg.Definitions(assets=[orders]).get_assets_def("order")


def test_undefined_dep_keys_become_external_assets() -> None:
    @dg.asset(deps=["transactions", "customers"])
    def risky() -> None: ...

    defs = dg.Definitions(assets=[risky])
    graph = defs.resolve_asset_graph()
    assert graph.external_keys == {dg.AssetKey("transactions"), dg.AssetKey("customers")}
    assert defs.resolve_all_asset_keys() == [
        dg.AssetKey("customers"),
        dg.AssetKey("risky"),
        dg.AssetKey("transactions"),
    ]
    result = dg.materialize(defs)
    assert result.succeeded_keys == [dg.AssetKey("risky")]


def test_merge_combines_everything() -> None:
    @dg.asset
    def a() -> int:
        return 1

    @dg.asset
    def b(a: int) -> int:
        return a + 1

    @dg.asset_check(asset=b)
    def b_ok(b: int) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=b == 2)

    warehouse = Warehouse(url="x")
    left = dg.Definitions(assets=[a], resources={"warehouse": warehouse})
    right = dg.Definitions(assets=[b], asset_checks=[b_ok], resources={"warehouse": warehouse})
    merged = dg.Definitions.merge(left, right)
    assert merged.resolve_all_asset_keys() == [dg.AssetKey("a"), dg.AssetKey("b")]
    assert merged.asset_checks == (b_ok,)
    assert merged.resources == {"warehouse": warehouse}
    assert merged.resolve_asset_graph().parents(dg.AssetKey("b")) == {dg.AssetKey("a")}
    result = dg.materialize(merged)
    assert result.output_for_node("b") == 2
    assert [e.passed for e in result.get_asset_check_evaluations()] == [True]


def test_merge_keeps_a_shared_asset_once() -> None:
    @dg.asset
    def a() -> None: ...

    merged = dg.Definitions.merge(dg.Definitions(assets=[a]), dg.Definitions(assets=[a]))
    assert merged.assets == (a,)


def test_merge_rejects_two_different_resources_with_one_name() -> None:
    with pytest.raises(
        DefinitionsError, match="resource `warehouse` is defined twice with different values"
    ):
        dg.Definitions.merge(
            dg.Definitions(resources={"warehouse": Warehouse(url="a")}),
            dg.Definitions(resources={"warehouse": Warehouse(url="b")}),
        )


def test_merge_accepts_equal_resources() -> None:
    merged = dg.Definitions.merge(
        dg.Definitions(resources={"warehouse": Warehouse(url="a")}),
        dg.Definitions(resources={"warehouse": Warehouse(url="a")}),
    )
    assert merged.resources == {"warehouse": Warehouse(url="a")}


def _make_orders() -> dg.AssetsDefinition:
    @dg.asset(name="orders")
    def first() -> None: ...

    return first


def test_duplicate_keys_are_rejected_naming_both_sources() -> None:
    one = _make_orders()

    @dg.asset(name="orders")
    def two() -> None: ...

    with pytest.raises(DuplicateAssetKeyError) as info:
        dg.Definitions(assets=[one, two]).validate()
    message = str(info.value)
    assert "asset key `orders` is defined twice" in message
    assert _line_of(one) in message
    assert message.startswith(_line_of(two))
    assert info.value.related == (one.location,)


def test_duplicate_keys_across_merge_are_rejected() -> None:
    one = _make_orders()
    two = _make_orders()
    with pytest.raises(DuplicateAssetKeyError, match="asset key `orders` is defined twice"):
        dg.Definitions.merge(dg.Definitions(assets=[one]), dg.Definitions(assets=[two])).validate()


def test_duplicate_key_inside_a_multi_asset() -> None:
    one = _make_orders()

    @dg.multi_asset(specs=[dg.AssetSpec("orders"), dg.AssetSpec("other")])
    def multi() -> None: ...

    with pytest.raises(DuplicateAssetKeyError, match=re.escape(_line_of(one))):
        dg.Definitions(assets=[one, multi]).validate()


def test_cycles_are_rejected_listing_the_whole_cycle() -> None:
    @dg.asset(deps=["c"])
    def a() -> None: ...

    @dg.asset(deps=[a])
    def b() -> None: ...

    @dg.asset(deps=[b])
    def c() -> None: ...

    @dg.asset(deps=[c])
    def after_the_cycle() -> None: ...

    for order in ([a, b, c, after_the_cycle], [after_the_cycle, c, b, a]):
        with pytest.raises(CycleError) as info:
            dg.Definitions(assets=order).validate()
        assert "dependency cycle: a -> b -> c -> a" in str(info.value)
        message = str(info.value)
        assert message.startswith(_line_of(a))
        assert f"(`b` at {b.location}, `c` at {c.location})" in message
        assert info.value.related == (b.location, c.location)


def test_a_self_dependency_is_a_cycle() -> None:
    @dg.asset(deps=["a"])
    def a() -> None: ...

    with pytest.raises(CycleError, match="dependency cycle: a -> a"):
        dg.Definitions(assets=[a]).validate()


def test_a_cycle_through_an_input_parameter() -> None:
    @dg.asset
    def x(y: int) -> int:
        return y

    @dg.asset
    def y(x: int) -> int:
        return x

    with pytest.raises(CycleError, match="dependency cycle: x -> y -> x"):
        dg.Definitions(assets=[y, x]).validate()


def test_something_else_in_assets_is_rejected() -> None:
    with pytest.raises(DefinitionsError, match=r"takes @asset functions and AssetSpecs, got 3"):
        dg.Definitions(assets=[3])  # type: ignore[list-item]


def test_definitions_are_a_plain_immutable_container_validated_on_demand() -> None:
    @dg.asset(name="orders")
    def one() -> None: ...

    @dg.asset(name="orders")
    def two() -> None: ...

    defs = dg.Definitions(assets=[one, two])  # building checks nothing about the graph
    assert defs.assets == (one, two)
    with pytest.raises(AttributeError, match="immutable"):
        defs.assets = ()  # type: ignore[misc]
    with pytest.raises(DuplicateAssetKeyError):
        defs.resolve_asset_graph()
    with pytest.raises(DuplicateAssetKeyError):
        dg.materialize(defs)


def test_an_external_spec_yields_to_the_asset_of_the_same_key() -> None:
    @dg.asset
    def orders() -> None: ...

    graph = dg.Definitions(assets=[dg.AssetSpec("orders"), orders]).validate()
    assert graph.executable_keys == {dg.AssetKey("orders")}
