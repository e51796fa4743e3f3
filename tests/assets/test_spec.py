import pytest

import assetloom as dg


def test_spec_defaults() -> None:
    spec = dg.AssetSpec("raw/orders")
    assert spec.key == dg.AssetKey(["raw", "orders"])
    assert spec.deps == ()
    assert spec.description is None
    assert spec.metadata == {}
    assert spec.group_name is None
    assert spec.kinds == frozenset()
    assert spec.tags == {}
    assert spec.owners == ()
    assert spec.code_version is None
    assert spec.skippable is False


def test_spec_keeps_every_attribute() -> None:
    spec = dg.AssetSpec(
        dg.AssetKey("orders"),
        deps=["raw/orders", dg.AssetKey("customers")],
        description="All orders",
        metadata={"rows": 3},
        group_name="sales",
        kinds={"duckdb", "sql"},
        tags={"tier": "gold"},
        owners=["team:data", "ann@example.com"],
        code_version="v2",
        skippable=True,
    )
    assert spec.dep_keys == (dg.AssetKey("raw/orders"), dg.AssetKey("customers"))
    assert all(isinstance(dep, dg.AssetDep) for dep in spec.deps)
    assert spec.description == "All orders"
    assert spec.metadata == {"rows": 3}
    assert spec.group_name == "sales"
    assert spec.kinds == {"duckdb", "sql"}
    assert spec.tags == {"tier": "gold"}
    assert spec.owners == ("team:data", "ann@example.com")
    assert spec.code_version == "v2"
    assert spec.skippable is True


def test_spec_is_frozen() -> None:
    spec = dg.AssetSpec("a")
    with pytest.raises(AttributeError):
        spec.group_name = "x"  # type: ignore[misc]


def test_duplicate_deps_are_listed_once_in_order() -> None:
    spec = dg.AssetSpec("c", deps=["b", "a", dg.AssetKey("b"), dg.AssetDep("a")])
    assert spec.dep_keys == (dg.AssetKey("b"), dg.AssetKey("a"))


def test_replace_attributes_replaces_wholesale() -> None:
    spec = dg.AssetSpec("a", deps=["x"], tags={"k": "v"}, owners=["o1"], group_name="g")
    replaced = spec.replace_attributes(
        deps=["y"], tags={"k2": "v2"}, group_name="h", description="new"
    )
    assert replaced.dep_keys == (dg.AssetKey("y"),)
    assert replaced.tags == {"k2": "v2"}
    assert replaced.group_name == "h"
    assert replaced.description == "new"
    assert replaced.owners == ("o1",)
    assert replaced.key == spec.key
    # the original is untouched
    assert spec.dep_keys == (dg.AssetKey("x"),)
    assert spec.group_name == "g"


def test_replace_attributes_can_change_the_key() -> None:
    assert dg.AssetSpec("a").replace_attributes(key="b/c").key == dg.AssetKey("b/c")


def test_replace_attributes_rejects_unknown_names() -> None:
    with pytest.raises(TypeError, match=r"AssetSpec has no attribute\(s\) \['colour'\]"):
        dg.AssetSpec("a").replace_attributes(colour="red")


def test_merge_attributes_adds_to_collections() -> None:
    spec = dg.AssetSpec(
        "a", deps=["x"], metadata={"m": 1}, kinds={"sql"}, tags={"k": "v"}, owners=["o1"]
    )
    merged = spec.merge_attributes(
        deps=["y", "x"],
        metadata={"n": 2},
        kinds={"duckdb"},
        tags={"k": "w", "t": "u"},
        owners=["o1", "o2"],
    )
    assert merged.dep_keys == (dg.AssetKey("x"), dg.AssetKey("y"))
    assert merged.metadata == {"m": 1, "n": 2}
    assert merged.kinds == {"sql", "duckdb"}
    assert merged.tags == {"k": "w", "t": "u"}
    assert merged.owners == ("o1", "o2")
    assert spec.metadata == {"m": 1}


def test_merge_attributes_with_nothing_is_an_equal_copy() -> None:
    spec = dg.AssetSpec("a", deps=["x"], tags={"k": "v"})
    assert spec.merge_attributes() == spec


def test_asset_dep_from_every_form() -> None:
    @dg.asset
    def upstream() -> int:
        return 1

    expected = dg.AssetKey("upstream")
    assert dg.AssetDep("upstream").asset_key == expected
    assert dg.AssetDep(expected).asset_key == expected
    assert dg.AssetDep(["upstream"]).asset_key == expected
    assert dg.AssetDep(upstream).asset_key == expected
    assert dg.AssetDep(dg.AssetSpec("upstream")).asset_key == expected
    assert dg.AssetDep(dg.AssetDep("upstream")).asset_key == expected
    assert dg.AssetDep("a/b").asset_key == dg.AssetKey(["a", "b"])
    assert dg.AssetDep("x") == dg.AssetDep(dg.AssetKey("x"))


def test_asset_dep_on_a_multi_asset_is_ambiguous() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("a"), dg.AssetSpec("b")])
    def both() -> None: ...

    with pytest.raises(ValueError, match="AssetDep needs exactly one asset, got 2 keys"):
        dg.AssetDep(both)


def test_a_dep_of_the_wrong_type_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="cannot use 42 as a dependency"):
        dg.AssetSpec("a", deps=[42])  # type: ignore[list-item]


def test_spec_in_definitions_is_external_and_never_executed() -> None:
    ran: list[str] = []

    @dg.asset(deps=["raw_orders"])
    def orders() -> str:
        ran.append("orders")
        return "orders"

    defs = dg.Definitions(assets=[dg.AssetSpec("raw_orders", group_name="raw"), orders])
    graph = defs.resolve_asset_graph()
    assert graph.external_keys == {dg.AssetKey("raw_orders")}
    assert graph.executable_keys == {dg.AssetKey("orders")}
    assert graph.spec(dg.AssetKey("raw_orders")).group_name == "raw"

    result = dg.materialize(defs)
    assert result.success
    assert ran == ["orders"]
    assert result.succeeded_keys == [dg.AssetKey("orders")]
    assert [m.asset_key for m in result.get_asset_materialization_events()] == [
        dg.AssetKey("orders")
    ]


def test_an_external_spec_cannot_be_called() -> None:
    defs = dg.Definitions(assets=[dg.AssetSpec("ext")])
    assets_def = defs.get_assets_def("ext")
    assert not assets_def.is_executable
    with pytest.raises(TypeError, match="`ext` is an external asset and cannot be called"):
        assets_def()


def test_an_executable_asset_replaces_a_spec_with_the_same_key() -> None:
    @dg.asset
    def orders() -> int:
        return 1

    for assets in ([dg.AssetSpec("orders"), orders], [orders, dg.AssetSpec("orders")]):
        defs = dg.Definitions(assets=assets)
        assert defs.get_assets_def("orders") is orders
        assert defs.resolve_asset_graph().external_keys == frozenset()


def test_assets_definition_of_specs_declares_external_assets() -> None:
    external = dg.AssetsDefinition(specs=[dg.AssetSpec("vendor/feed"), dg.AssetSpec("rates")])
    assert external.is_external
    defs = dg.Definitions(assets=[external])
    graph = defs.resolve_asset_graph()
    assert graph.external_keys == {dg.AssetKey(["vendor", "feed"]), dg.AssetKey("rates")}
