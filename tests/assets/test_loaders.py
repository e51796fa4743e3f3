"""``load_assets_from_modules`` / ``load_assets_from_current_module``, ``SourceAsset`` and
``MetadataValue``."""

import assetloom as dg
from tests.assets.loader_modules import fruit


def test_loads_every_asset_and_source_asset_once() -> None:
    loaded = dg.load_assets_from_modules([fruit])
    assert {type(item).__name__ for item in loaded} == {"AssetsDefinition", "SourceAsset"}
    assert len(loaded) == 3
    assert fruit.here == loaded
    defs = dg.Definitions(assets=loaded, asset_checks=dg.load_asset_checks_from_modules([fruit]))
    result = dg.materialize(defs)
    assert result.asset_value("pie") == "piepiepie"
    assert [e.passed for e in result.get_asset_check_evaluations()] == [True]


def test_group_name_and_key_prefix_apply_to_the_loaded_assets_and_their_links() -> None:
    loaded = dg.load_assets_from_modules([fruit], group_name="bakery", key_prefix="shop")
    defs = dg.Definitions(assets=loaded)
    graph = defs.resolve_asset_graph()
    pie_key = dg.AssetKey(["shop", "pie"])
    assert graph.parents(pie_key) == {dg.AssetKey(["shop", "apples"])}
    assert graph.parents(dg.AssetKey(["shop", "apples"])) == {dg.AssetKey("apples_raw")}
    assert graph.spec(pie_key).group_name == "bakery"
    assert dg.materialize(defs).asset_value("shop/pie") == "piepiepie"


def test_source_asset_is_an_external_asset() -> None:
    defs = dg.Definitions(assets=[fruit.apples_source, fruit.apples])
    graph = defs.resolve_asset_graph()
    assert graph.is_external(dg.AssetKey("apples_raw"))
    assert graph.spec(dg.AssetKey("apples_raw")).description == "delivered by a vendor"


def test_metadata_values_keep_their_kind_and_value() -> None:
    assert dg.MetadataValue.url("https://x").value == "https://x"
    assert dg.MetadataValue.int(3) == dg.MetadataValue("int", 3)
    assert dg.MetadataValue.asset("a/b").value == dg.AssetKey(["a", "b"])
    assert str(dg.MetadataValue.md("# t")) == "# t"
