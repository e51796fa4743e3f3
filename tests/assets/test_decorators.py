import logging

import pytest

import assetloom as dg
from assetloom.errors import MissingResourceError


def test_bare_asset() -> None:
    @dg.asset
    def orders() -> list[int]:
        """All the orders.

        One row per order."""
        return [1, 2]

    assert isinstance(orders, dg.AssetsDefinition)
    assert orders.key == dg.AssetKey("orders")
    assert orders.keys == {dg.AssetKey("orders")}
    spec = orders.specs[0]
    assert spec.group_name == "default"
    assert spec.description == "All the orders.\n\nOne row per order."
    assert spec.location is not None
    assert spec.location.path.endswith("test_decorators.py")


def test_asset_called_with_empty_parentheses() -> None:
    @dg.asset()
    def orders() -> int:
        return 1

    assert orders.key == dg.AssetKey("orders")


def test_direct_call_runs_the_function() -> None:
    @dg.asset
    def double(numbers: list[int]) -> list[int]:
        return [n * 2 for n in numbers]

    assert double([1, 2]) == [2, 4]
    assert double(numbers=[3]) == [6]


def test_name_key_prefix_and_key() -> None:
    @dg.asset(name="cleaned")
    def fn_a() -> None: ...

    @dg.asset(key_prefix="wh/raw")
    def orders() -> None: ...

    @dg.asset(key_prefix=["wh", "raw"], name="customers")
    def fn_b() -> None: ...

    @dg.asset(key=["x", "y"])
    def fn_c() -> None: ...

    @dg.asset(key="p/q")
    def fn_d() -> None: ...

    assert fn_a.key == dg.AssetKey("cleaned")
    assert orders.key == dg.AssetKey(["wh", "raw", "orders"])
    assert orders.node_name == "wh__raw__orders"
    assert fn_b.key == dg.AssetKey(["wh", "raw", "customers"])
    assert fn_c.key == dg.AssetKey(["x", "y"])
    assert fn_d.key == dg.AssetKey(["p", "q"])


def test_key_with_name_is_rejected() -> None:
    with pytest.raises(TypeError, match="either `key` or `name`/`key_prefix`"):
        dg.asset(key="a", name="b")


def test_every_attribute_reaches_the_spec() -> None:
    policy = dg.RetryPolicy(max_retries=2)

    @dg.asset(
        group_name="sales",
        description="explicit",
        metadata={"owner_team": "data"},
        kinds={"duckdb"},
        tags={"tier": "gold"},
        owners=["team:data"],
        code_version="3",
        retry_policy=policy,
    )
    def orders() -> None:
        """docstring loses to description"""

    spec = orders.specs[0]
    assert spec.group_name == "sales"
    assert spec.description == "explicit"
    assert spec.metadata == {"owner_team": "data"}
    assert spec.kinds == {"duckdb"}
    assert spec.tags == {"tier": "gold"}
    assert spec.owners == ("team:data",)
    assert spec.code_version == "3"
    assert orders.retry_policy is policy


def test_every_dep_form_mixed_in_one_list() -> None:
    @dg.asset
    def from_fn() -> None: ...

    @dg.multi_asset(specs=[dg.AssetSpec("multi_b"), dg.AssetSpec("multi_a")])
    def multi() -> None: ...

    @dg.asset(
        deps=[
            from_fn,
            multi,
            dg.AssetSpec("from_spec"),
            dg.AssetKey(["from", "key"]),
            dg.AssetDep("from_dep"),
            "from/string",
        ]
    )
    def downstream() -> None: ...

    assert downstream.specs[0].dep_keys == (
        dg.AssetKey("from_fn"),
        dg.AssetKey("multi_a"),
        dg.AssetKey("multi_b"),
        dg.AssetKey("from_spec"),
        dg.AssetKey(["from", "key"]),
        dg.AssetKey("from_dep"),
        dg.AssetKey(["from", "string"]),
    )
    graph = dg.Definitions(assets=[from_fn, multi, downstream]).resolve_asset_graph()
    assert graph.parents(dg.AssetKey("downstream")) == set(downstream.specs[0].dep_keys)
    assert graph.external_keys == {
        dg.AssetKey("from_spec"),
        dg.AssetKey(["from", "key"]),
        dg.AssetKey("from_dep"),
        dg.AssetKey(["from", "string"]),
    }


def test_a_parameter_named_after_an_upstream_asset_receives_its_value() -> None:
    @dg.asset
    def numbers() -> list[int]:
        return [1, 2, 3]

    @dg.asset
    def total(numbers: list[int]) -> int:
        return sum(numbers)

    result = dg.materialize([total, numbers])
    assert result.output_for_node("total") == 6
    graph = dg.Definitions(assets=[numbers, total]).resolve_asset_graph()
    assert graph.parents(dg.AssetKey("total")) == {dg.AssetKey("numbers")}


def test_a_parameter_named_after_a_prefixed_upstream_asset() -> None:
    @dg.asset(key_prefix="raw")
    def numbers() -> list[int]:
        return [1, 2]

    @dg.asset(key_prefix="raw")
    def total(numbers: list[int]) -> int:
        return sum(numbers)

    @dg.asset(deps=[numbers])
    def other(numbers: list[int]) -> int:
        return len(numbers)

    result = dg.materialize([numbers, total, other])
    assert result.output_for_node("raw__total") == 3
    assert result.output_for_node("other") == 2


def test_ins_maps_a_parameter_to_an_upstream_key() -> None:
    @dg.asset(key=["raw", "numbers"])
    def numbers() -> list[int]:
        return [4, 5]

    @dg.asset(ins={"values": dg.AssetIn(key="raw/numbers")})
    def total(values: list[int]) -> int:
        return sum(values)

    @dg.asset(ins={"numbers": dg.AssetIn(key_prefix="raw")})
    def count(numbers: list[int]) -> int:
        return len(numbers)

    result = dg.materialize([numbers, total, count])
    assert result.output_for_node("total") == 9
    assert result.output_for_node("count") == 2


def test_ins_naming_no_parameter_is_rejected() -> None:
    with pytest.raises(TypeError, match=r"`f` has no parameter\(s\) \['nope'\] named in `ins`"):

        @dg.asset(ins={"nope": dg.AssetIn(key="a")})
        def f() -> None: ...


def test_context_gives_log_asset_key_and_run_id(caplog: pytest.LogCaptureFixture) -> None:
    seen: dict[str, object] = {}

    @dg.asset(key_prefix="wh")
    def orders(context: dg.AssetExecutionContext) -> None:
        context.log.info("hello from orders")
        seen["key"] = context.asset_key
        seen["run_id"] = context.run_id

    with caplog.at_level(logging.INFO):
        result = dg.materialize([orders], run_id="run-123")
    assert seen == {"key": dg.AssetKey(["wh", "orders"]), "run_id": "run-123"}
    assert result.run_id == "run-123"
    assert "hello from orders" in caplog.text


def test_unannotated_context_parameter_also_gets_the_context() -> None:
    @dg.asset
    def orders(context) -> str:  # type: ignore[no-untyped-def]
        return context.asset_key.to_user_string()  # type: ignore[no-any-return]

    assert dg.materialize([orders]).output_for_node("orders") == "orders"


class Warehouse(dg.ConfigurableResource):
    url: str


def test_other_parameters_are_resources_by_name() -> None:
    @dg.asset
    def orders(warehouse: Warehouse, greeting) -> str:  # type: ignore[no-untyped-def]
        return f"{greeting} {warehouse.url}"

    result = dg.materialize(
        [orders], resources={"warehouse": Warehouse(url="duckdb://x"), "greeting": "hi"}
    )
    assert result.output_for_node("orders") == "hi duckdb://x"


def test_resources_from_definitions_and_from_materialize() -> None:
    @dg.asset
    def orders(warehouse: Warehouse) -> str:
        return warehouse.url

    defs = dg.Definitions(assets=[orders], resources={"warehouse": Warehouse(url="a")})
    assert dg.materialize(defs).output_for_node("orders") == "a"
    overridden = dg.materialize(defs, resources={"warehouse": Warehouse(url="b")})
    assert overridden.output_for_node("orders") == "b"


def test_a_missing_resource_fails_before_anything_runs() -> None:
    ran: list[str] = []

    @dg.asset
    def first() -> None:
        ran.append("first")

    @dg.asset(deps=[first])
    def second(warehouse: Warehouse) -> None:
        ran.append("second")

    with pytest.raises(MissingResourceError) as info:
        dg.materialize([first, second], resources={"warehous": Warehouse(url="x")})
    message = str(info.value)
    assert "asset `second` needs resource `warehouse`, which was not provided" in message
    assert "did you mean `warehous`?" in message
    assert "test_decorators.py:" in message
    assert ran == []
    assert isinstance(info.value, LookupError)


def test_multi_asset_yielding_materialize_results() -> None:
    @dg.multi_asset(
        specs=[dg.AssetSpec("a"), dg.AssetSpec("b", group_name="g")], group_name="multi"
    )
    def both():  # type: ignore[no-untyped-def]
        yield dg.MaterializeResult(asset_key="a", metadata={"rows": 1})
        yield dg.MaterializeResult(asset_key="b", metadata={"rows": 2})

    assert both.keys == {dg.AssetKey("a"), dg.AssetKey("b")}
    assert [s.group_name for s in both.specs] == ["multi", "g"]
    with pytest.raises(ValueError, match=r"materializes 2 assets; use `\.keys`"):
        _ = both.key

    result = dg.materialize([both])
    assert result.success
    assert {
        (m.asset_key, m.metadata["rows"]) for m in result.asset_materializations_for_node("both")
    } == {(dg.AssetKey("a"), 1), (dg.AssetKey("b"), 2)}


def test_multi_asset_returning_materialize_results() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("a"), dg.AssetSpec("b")])
    def both() -> tuple[dg.MaterializeResult, dg.MaterializeResult]:
        return (
            dg.MaterializeResult(asset_key="a", metadata={"n": 1}),
            dg.MaterializeResult(asset_key=dg.AssetKey("b"), metadata={"n": 2}),
        )

    result = dg.materialize([both])
    assert sorted(k.to_user_string() for k in result.succeeded_keys) == ["a", "b"]
    metadata = {m.asset_key.to_user_string(): m.metadata for m in result.materializations}
    assert metadata == {"a": {"n": 1}, "b": {"n": 2}}


def test_multi_asset_missing_a_result_fails_naming_the_asset() -> None:
    @dg.multi_asset(specs=[dg.AssetSpec("a"), dg.AssetSpec("b")])
    def both():  # type: ignore[no-untyped-def]
        yield dg.MaterializeResult(asset_key="a")

    result = dg.materialize([both], raise_on_error=False)
    assert not result.success
    assert "`both` produced no result for `b`" in str(result.failures[0].error)


def test_materialize_result_metadata_is_recorded() -> None:
    @dg.asset
    def orders() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"row_count": 42, "source": "api"})

    result = dg.materialize([orders])
    [materialization] = result.asset_materializations_for_node("orders")
    assert materialization.asset_key == dg.AssetKey("orders")
    assert materialization.metadata == {"row_count": 42, "source": "api"}


def test_retry_policy_retries_really_happen() -> None:
    attempts: list[int] = []

    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=2))
    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError("try again")
        return "ok"

    result = dg.materialize([flaky])
    assert len(attempts) == 3
    assert result.output_for_node("flaky") == "ok"


def test_retry_policy_gives_up_after_max_retries() -> None:
    attempts: list[int] = []

    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=1))
    def broken() -> None:
        attempts.append(1)
        raise ConnectionError("down")

    result = dg.materialize([broken], raise_on_error=False)
    assert len(attempts) == 2
    assert result.failed_keys == [dg.AssetKey("broken")]


def test_context_resources_gives_attribute_access() -> None:
    @dg.asset
    def orders(context: dg.AssetExecutionContext) -> str:
        return context.resources.warehouse.url  # type: ignore[no-any-return]

    result = dg.materialize([orders], resources={"warehouse": Warehouse(url="w")})
    assert result.output_for_node("orders") == "w"


def test_a_single_asset_may_yield_its_materialize_result() -> None:
    @dg.asset
    def orders():  # type: ignore[no-untyped-def]
        yield dg.MaterializeResult(metadata={"rows": 1}, value=[1])

    result = dg.materialize([orders])
    assert result.output_for_node("orders") == [1]
    assert result.asset_materializations_for_node("orders")[0].metadata == {"rows": 1}


def test_resource_param_marks_any_object_as_a_resource() -> None:
    class Client:
        def get(self) -> int:
            return 7

    @dg.asset
    def fetched(client: dg.ResourceParam[Client]) -> int:
        return client.get()

    assert dg.materialize([fetched], resources={"client": Client()}).asset_value("fetched") == 7


def test_op_execution_context_is_the_asset_context() -> None:
    assert dg.OpExecutionContext is dg.AssetExecutionContext
