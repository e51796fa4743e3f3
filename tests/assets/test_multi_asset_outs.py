"""``@multi_asset(outs=...)``: outputs, their keys and attributes, the ways a function hands
back values, and subsetting (Dagster's multi-assets guide)."""

import pytest

import assetloom as dg


def test_outs_name_the_assets_and_a_tuple_gives_one_value_per_out() -> None:
    @dg.multi_asset(outs={"my_string_asset": dg.AssetOut(), "my_int_asset": dg.AssetOut()})
    def my_function() -> tuple[str, int]:
        return "abc", 123

    assert my_function.keys == {dg.AssetKey("my_string_asset"), dg.AssetKey("my_int_asset")}
    result = dg.materialize([my_function])
    assert result.asset_value("my_string_asset") == "abc"
    assert result.asset_value("my_int_asset") == 123
    assert result.output_for_node("my_function", "my_int_asset") == 123


def test_asset_out_sets_key_prefix_group_and_attributes() -> None:
    @dg.multi_asset(
        outs={
            "a": dg.AssetOut(key_prefix=["raw"], group_name="ingest", tags={"t": "1"}),
            "b": dg.AssetOut(
                key=dg.AssetKey(["other", "b"]),
                description="the b table",
                metadata={"rows": 3},
                code_version="2",
                owners=["team:data"],
                kinds={"duckdb"},
                dagster_type=int,
            ),
        },
        group_name="shared",
    )
    def both() -> tuple[int, int]:
        return 1, 2

    a = both.get_asset_spec(dg.AssetKey("raw/a"))
    b = both.get_asset_spec(dg.AssetKey("other/b"))
    assert (a.group_name, a.tags) == ("ingest", {"t": "1"})
    assert (b.group_name, b.description, b.metadata) == ("shared", "the b table", {"rows": 3})
    assert both.code_versions_by_key == {a.key: None, b.key: "2"}
    assert b.owners == ("team:data",)
    assert b.kinds == {"duckdb"}
    assert both.keys_by_output_name == {"a": a.key, "b": b.key}


def test_yielded_outputs_carry_values_and_metadata() -> None:
    @dg.multi_asset(outs={"left": dg.AssetOut(), "right": dg.AssetOut()})
    def split():
        yield dg.Output([1], output_name="left", metadata={"n": 1})
        yield dg.Output([2, 3], output_name="right")

    result = dg.materialize([split])
    assert result.asset_value("right") == [2, 3]
    by_key = {m.asset_key: m.metadata for m in result.get_asset_materialization_events()}
    assert by_key[dg.AssetKey("left")] == {"n": 1}


def test_materialize_result_with_positional_key() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("x"), dg.AssetSpec("y")])
    def xy():
        yield dg.MaterializeResult("x", metadata={"kind": "x"})
        yield dg.MaterializeResult(asset_key="y")

    result = dg.materialize([xy])
    assert result.succeeded_keys == [dg.AssetKey("x"), dg.AssetKey("y")]


def test_single_asset_may_return_an_output() -> None:
    @dg.asset
    def one() -> dg.Output[int]:
        return dg.Output(5, metadata={"five": True})

    result = dg.materialize([one])
    assert result.asset_value("one") == 5
    assert result.get_asset_materialization_events()[0].metadata == {"five": True}


def test_unknown_output_name_fails_the_step_naming_the_outputs() -> None:
    @dg.multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut()})
    def wrong():
        yield dg.Output(1, output_name="c")

    result = dg.materialize([wrong], raise_on_error=False)
    assert "yielded Output `c`; its outputs are `a`, `b`" in str(result.failures[0].error)


def test_optional_out_may_be_left_out() -> None:
    @dg.multi_asset(outs={"always": dg.AssetOut(), "maybe": dg.AssetOut(is_required=False)})
    def sometimes():
        yield dg.Output(1, output_name="always")

    result = dg.materialize([sometimes])
    assert result.succeeded_keys == [dg.AssetKey("always")]
    assert result.skipped_keys == [dg.AssetKey("maybe")]


def test_deps_and_internal_asset_deps_shape_the_graph() -> None:
    @dg.multi_asset(
        outs={"c": dg.AssetOut(), "d": dg.AssetOut()},
        deps=["a", "b"],
        internal_asset_deps={"c": {dg.AssetKey("a")}, "d": {dg.AssetKey("b")}},
    )
    def cd() -> tuple[int, int]:
        return 1, 2

    graph = dg.Definitions(assets=[cd]).resolve_asset_graph()
    assert graph.parents(dg.AssetKey("c")) == {dg.AssetKey("a")}
    assert graph.parents(dg.AssetKey("d")) == {dg.AssetKey("b")}


def test_internal_asset_deps_must_name_outputs() -> None:
    with pytest.raises(dg.DagsterInvalidDefinitionError, match="names no output"):

        @dg.multi_asset(outs={"c": dg.AssetOut()}, internal_asset_deps={"x": set()})
        def bad() -> int:
            return 1


def test_can_subset_runs_only_the_selected_outputs() -> None:
    seen: list[set[str]] = []

    @dg.multi_asset(
        outs={"a": dg.AssetOut(is_required=False), "b": dg.AssetOut(is_required=False)},
        can_subset=True,
    )
    def split(context: dg.AssetExecutionContext):
        seen.append(context.selected_output_names)
        for name in sorted(context.selected_output_names):
            yield dg.Output(name.upper(), output_name=name)

    @dg.asset
    def downstream(b: str) -> str:
        return b * 2

    result = dg.materialize([split, downstream], selection=["b", "downstream"])
    assert seen == [{"b"}]
    assert result.succeeded_keys == [dg.AssetKey("b"), dg.AssetKey("downstream")]
    assert result.asset_value("downstream") == "BB"
    assert dg.AssetKey("a") not in result.outcomes


def test_ins_typed_nothing_is_a_dependency_without_a_value() -> None:
    @dg.asset(ins={"upstream": dg.AssetIn(dagster_type=dg.Nothing)})
    def after() -> int:
        return 1

    assert after.specs[0].dep_keys == (dg.AssetKey("upstream"),)


def test_multi_asset_takes_exactly_one_of_outs_and_specs() -> None:
    with pytest.raises(dg.DagsterInvalidDefinitionError, match="exactly one of"):
        dg.multi_asset()


def test_io_manager_key_stores_the_value_with_that_resource(tmp_path) -> None:
    @dg.asset(io_manager_key="files")
    def stored() -> list[int]:
        return [1, 2]

    @dg.asset
    def total(stored: list[int]) -> int:
        return sum(stored)

    files = dg.FilesystemIOManager(tmp_path)
    result = dg.materialize([stored, total], resources={"files": files})
    assert result.asset_value("total") == 3
    assert files.load_input(dg.AssetKey("stored")) == [1, 2]


def test_a_multi_asset_returning_nothing_materializes_every_asset() -> None:
    ran: list[str] = []

    @dg.multi_asset(specs=[dg.AssetSpec("x"), dg.AssetSpec("y", deps=["x"])])
    def side_effects() -> None:
        ran.append("run")

    result = dg.materialize([side_effects])
    assert ran == ["run"]
    assert result.succeeded_keys == [dg.AssetKey("x"), dg.AssetKey("y")]
