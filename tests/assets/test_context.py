"""The execution context (``context.run``, selected outputs, metadata) and
``build_asset_context`` for calling an asset function directly."""

import pytest

import assetloom as dg


def test_context_knows_the_run_and_its_tags() -> None:
    @dg.asset
    def who(context: dg.AssetExecutionContext) -> tuple[str, dict[str, str]]:
        return context.run.run_id, dict(context.run.tags)

    result = dg.materialize([who], run_id="r1", tags={"team": "data"})
    assert result.asset_value("who") == ("r1", {"team": "data"})


def test_add_output_metadata_by_output_name() -> None:
    @dg.multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut()})
    def ab(context: dg.AssetExecutionContext) -> tuple[int, int]:
        context.add_output_metadata({"note": "from a"}, output_name="a")
        return 1, 2

    by_key = {m.asset_key: m.metadata for m in dg.materialize([ab]).materializations}
    assert by_key[dg.AssetKey("a")] == {"note": "from a"}
    assert by_key[dg.AssetKey("b")] == {}


def test_asset_key_of_a_multi_asset_step_is_an_invariant_violation() -> None:
    @dg.multi_asset(outs={"a": dg.AssetOut(), "b": dg.AssetOut()})
    def ab(context: dg.AssetExecutionContext) -> tuple[int, int]:
        _ = context.asset_key
        return 1, 2

    result = dg.materialize([ab], raise_on_error=False)
    assert isinstance(result.failures[0].error, dg.DagsterInvariantViolationError)


def test_build_asset_context_for_a_direct_call() -> None:
    class Greeter(dg.ConfigurableResource):
        greeting: str

    @dg.asset
    def hello(context: dg.AssetExecutionContext) -> str:
        context.add_output_metadata({"called": True})
        return f"{context.resources.greeter.greeting} from {context.asset_key.to_user_string()}"

    context = dg.build_asset_context(resources={"greeter": Greeter(greeting="hi")})
    assert hello(context) == "hi from hello"
    assert context.added_metadata(dg.AssetKey("hello")) == {"called": True}


def test_unknown_resource_on_the_context_is_an_attribute_error_naming_the_others() -> None:
    context = dg.build_asset_context(resources={"db": object()})
    assert getattr(context.resources, "missing", None) is None
    with pytest.raises(dg.DagsterUnknownResourceError, match=r"provided: db"):
        _ = context.resources.missing


def test_required_resource_keys_are_checked_and_on_the_context() -> None:
    class Api(dg.ConfigurableResource):
        url: str

    @dg.asset(required_resource_keys={"api"})
    def fetched(context: dg.AssetExecutionContext) -> str:
        return context.resources.api.url

    with pytest.raises(dg.DagsterInvalidDefinitionError, match="needs resource `api`"):
        dg.materialize([fetched])
    result = dg.materialize([fetched], resources={"api": Api(url="http://x")})
    assert result.asset_value("fetched") == "http://x"


def test_output_required_false_lets_an_asset_yield_nothing() -> None:
    @dg.asset(output_required=False)
    def maybe():
        if False:
            yield dg.Output(1)

    result = dg.materialize([maybe])
    assert result.success
    assert result.skipped_keys == [dg.AssetKey("maybe")]


def test_context_in_a_unit_test_has_no_partition_and_lists_its_resources() -> None:
    with dg.build_asset_context(resources={"db": "conn"}) as context:
        assert not context.has_partition_key
        assert context.resources.original_resource_dict() == {"db": "conn"}
