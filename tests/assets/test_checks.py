import pytest

import assetloom as dg
from assetloom.errors import UnknownCheckTargetError


@dg.asset
def orders() -> list[int]:
    return [1, 2, 3]


def test_check_runs_after_its_asset_and_takes_its_value() -> None:
    order: list[str] = []

    @dg.asset
    def numbers() -> list[int]:
        order.append("numbers")
        return [1, 2, 3]

    @dg.asset_check(asset=numbers)
    def no_negatives(numbers: list[int]) -> dg.AssetCheckResult:
        order.append("no_negatives")
        return dg.AssetCheckResult(
            passed=all(n >= 0 for n in numbers), metadata={"count": len(numbers)}
        )

    result = dg.materialize([no_negatives, numbers])
    assert order == ["numbers", "no_negatives"]
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.asset_key == dg.AssetKey("numbers")
    assert evaluation.check_name == "no_negatives"
    assert evaluation.passed is True
    assert evaluation.metadata == {"count": 3}


def test_check_definition_attributes() -> None:
    @dg.asset_check(asset="orders", name="has_rows", description="at least one row")
    def check_fn() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    assert isinstance(check_fn, dg.AssetChecksDefinition)
    assert check_fn.name == "has_rows"
    assert check_fn.asset_key == dg.AssetKey("orders")
    assert check_fn.description == "at least one row"
    assert check_fn().passed is True


def test_check_target_forms() -> None:
    for target in (orders, "orders", dg.AssetKey("orders"), dg.AssetSpec("orders")):

        @dg.asset_check(asset=target)
        def c() -> dg.AssetCheckResult:
            """Docstring becomes the description."""
            return dg.AssetCheckResult(passed=True)

        assert c.asset_key == dg.AssetKey("orders")
        assert c.description == "Docstring becomes the description."


def test_failing_check_is_reported_but_the_asset_succeeded() -> None:
    @dg.asset_check(asset=orders)
    def too_few(orders: list[int]) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=len(orders) > 10, description="want > 10")

    result = dg.materialize([orders, too_few])
    assert result.success
    assert result.succeeded_keys == [dg.AssetKey("orders")]
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.passed is False
    assert evaluation.description == "want > 10"


def test_check_that_raises_is_a_failure_naming_the_check() -> None:
    @dg.asset_check(asset=orders)
    def explodes() -> dg.AssetCheckResult:
        raise RuntimeError("boom")

    result = dg.materialize([orders, explodes], raise_on_error=False)
    assert not result.success
    assert result.succeeded_keys == [dg.AssetKey("orders")]
    [failure] = result.failures
    assert failure.summary == "check `explodes` on `orders` failed: RuntimeError: boom"
    assert 'raise RuntimeError("boom")' in failure.traceback


def test_check_returning_the_wrong_type_fails() -> None:
    @dg.asset_check(asset=orders)
    def wrong() -> bool:
        return True

    result = dg.materialize([orders, wrong], raise_on_error=False)
    assert "returned bool, expected AssetCheckResult" in str(result.failures[0].error)


def test_check_does_not_run_when_its_asset_fails() -> None:
    ran: list[str] = []

    @dg.asset
    def broken() -> None:
        raise ValueError("nope")

    @dg.asset_check(asset=broken)
    def c() -> dg.AssetCheckResult:
        ran.append("c")
        return dg.AssetCheckResult(passed=True)

    result = dg.materialize([broken, c], raise_on_error=False)
    assert ran == []
    assert result.get_asset_check_evaluations() == []


def test_check_with_context_and_resource() -> None:
    class Threshold(dg.ConfigurableResource):
        minimum: int

    @dg.asset_check(asset=orders)
    def big_enough(
        context: dg.AssetExecutionContext, orders: list[int], threshold: Threshold
    ) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(
            passed=len(orders) >= threshold.minimum,
            metadata={"key": context.asset_key.to_user_string()},
        )

    result = dg.materialize([orders, big_enough], resources={"threshold": Threshold(minimum=2)})
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.passed
    assert evaluation.metadata == {"key": "orders"}


def test_check_on_an_unknown_asset_is_rejected_with_its_location() -> None:
    @dg.asset_check(asset="orderz")
    def c() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    with pytest.raises(UnknownCheckTargetError) as info:
        dg.Definitions(assets=[orders], asset_checks=[c]).validate()
    message = str(info.value)
    assert "asset check `c` targets `orderz`, which no asset defines" in message
    assert "did you mean `orders`?" in message
    assert "test_checks.py:" in message


def test_check_on_an_external_dependency_is_allowed() -> None:
    @dg.asset(deps=["raw"])
    def cleaned() -> None: ...

    @dg.asset_check(asset="raw")
    def raw_ok() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    defs = dg.Definitions(assets=[cleaned], asset_checks=[raw_ok])
    assert defs.resolve_asset_graph().checks_for(dg.AssetKey("raw")) == [raw_ok]


def test_the_same_check_defined_twice_is_rejected() -> None:
    def make() -> dg.AssetChecksDefinition:
        @dg.asset_check(asset=orders)
        def dup() -> dg.AssetCheckResult:
            return dg.AssetCheckResult(passed=True)

        return dup

    with pytest.raises(dg.LoomError, match="asset check `dup` on `orders` is defined twice"):
        dg.Definitions(assets=[orders], asset_checks=[make(), make()]).validate()
