"""Checks an asset reports itself (``check_specs``), blocking checks, severities and
``@multi_asset_check`` (Dagster's asset checks guide)."""

import pytest

import assetloom as dg


def test_asset_yields_results_for_its_own_check_specs() -> None:
    @dg.asset(check_specs=[dg.AssetCheckSpec("has_rows", asset="orders")])
    def orders():
        rows = [1, 2]
        yield dg.Output(rows)
        yield dg.AssetCheckResult(passed=bool(rows), metadata={"rows": len(rows)})

    assert orders.check_keys == {dg.AssetCheckKey(dg.AssetKey("orders"), "has_rows")}
    result = dg.materialize([orders])
    assert result.asset_value("orders") == [1, 2]
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.check_name, evaluation.passed, evaluation.metadata) == (
        "has_rows",
        True,
        {"rows": 2},
    )


def test_materialize_result_carries_check_results() -> None:
    @dg.asset(
        check_specs=[
            dg.AssetCheckSpec("a", asset="t"),
            dg.AssetCheckSpec("b", asset="t"),
        ]
    )
    def t() -> dg.MaterializeResult:
        return dg.MaterializeResult(
            check_results=[
                dg.AssetCheckResult(check_name="a", passed=True),
                dg.AssetCheckResult(
                    check_name="b", passed=False, severity=dg.AssetCheckSeverity.WARN
                ),
            ]
        )

    evaluations = dg.materialize([t]).get_asset_check_evaluations()
    assert [(e.check_name, e.passed, e.severity) for e in evaluations] == [
        ("a", True, dg.AssetCheckSeverity.ERROR),
        ("b", False, dg.AssetCheckSeverity.WARN),
    ]


def test_an_ambiguous_check_result_fails_the_step() -> None:
    @dg.asset(check_specs=[dg.AssetCheckSpec("a", asset="t"), dg.AssetCheckSpec("b", asset="t")])
    def t():
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=True)

    result = dg.materialize([t], raise_on_error=False)
    assert "is ambiguous; give `asset_key` and `check_name`" in str(result.failures[0].error)


def test_a_check_spec_must_target_the_asset_itself() -> None:
    with pytest.raises(dg.DagsterInvalidDefinitionError, match="does not materialize"):

        @dg.asset(check_specs=[dg.AssetCheckSpec("c", asset="elsewhere")])
        def t() -> int:
            return 1


def _run_with_blocking_check(passed: bool, severity: dg.AssetCheckSeverity):
    @dg.asset
    def source() -> int:
        return 1

    @dg.asset_check(asset=source, blocking=True)
    def positive(source: int) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=passed, severity=severity)

    @dg.asset
    def downstream(source: int) -> int:
        return source + 1

    return dg.materialize([source, positive, downstream], raise_on_error=False)


def test_failed_blocking_check_stops_downstream_assets() -> None:
    result = _run_with_blocking_check(False, dg.AssetCheckSeverity.ERROR)
    assert result.succeeded_keys == [dg.AssetKey("source")]
    assert result.skipped_keys == [dg.AssetKey("downstream")]


def test_blocking_check_that_passes_or_only_warns_lets_downstream_run() -> None:
    for passed, severity in (
        (True, dg.AssetCheckSeverity.ERROR),
        (False, dg.AssetCheckSeverity.WARN),
    ):
        result = _run_with_blocking_check(passed, severity)
        assert dg.AssetKey("downstream") in result.succeeded_keys


def test_non_blocking_failed_check_does_not_stop_downstream() -> None:
    @dg.asset
    def a() -> int:
        return 1

    @dg.asset_check(asset=a)
    def fails() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=False)

    @dg.asset
    def b(a: int) -> int:
        return a

    assert dg.materialize([a, fails, b]).succeeded_keys == [dg.AssetKey("a"), dg.AssetKey("b")]


def test_multi_asset_check_reports_several_checks_once() -> None:
    calls: list[str] = []

    @dg.asset
    def orders() -> list[int]:
        return [3, 1]

    @dg.multi_asset_check(
        specs=[
            dg.AssetCheckSpec("not_empty", asset="orders"),
            dg.AssetCheckSpec("sorted", asset="orders", description="ascending"),
        ]
    )
    def orders_checks(orders: list[int]):
        calls.append("run")
        yield dg.AssetCheckResult(check_name="not_empty", passed=bool(orders))
        yield dg.AssetCheckResult(check_name="sorted", passed=orders == sorted(orders))

    result = dg.materialize([orders, orders_checks])
    assert calls == ["run"]
    outcome = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert outcome == {"not_empty": True, "sorted": False}
    assert orders_checks.check_keys == (
        dg.AssetCheckKey(dg.AssetKey("orders"), "not_empty"),
        dg.AssetCheckKey(dg.AssetKey("orders"), "sorted"),
    )


def test_multi_asset_check_on_an_unknown_asset_is_an_error() -> None:
    @dg.multi_asset_check(specs=[dg.AssetCheckSpec("c", asset="nowhere")])
    def checks():
        yield dg.AssetCheckResult(passed=True)

    with pytest.raises(dg.DagsterInvalidDefinitionError, match="`nowhere`, which no asset"):
        dg.Definitions(asset_checks=[checks]).validate()


def test_check_context_names_the_checks() -> None:
    @dg.asset
    def a() -> int:
        return 1

    @dg.asset_check(asset=a)
    def named(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(
            passed=context.selected_asset_check_keys == {dg.AssetCheckKey(a.key, "named")}
        )

    [evaluation] = dg.materialize([a, named]).get_asset_check_evaluations()
    assert evaluation.passed


def test_a_multi_asset_check_on_assets_of_two_steps_records_each_result_once() -> None:
    @dg.asset
    def one() -> int:
        return 1

    @dg.asset
    def two(one: int) -> int:
        return one + 1

    @dg.multi_asset_check(
        specs=[dg.AssetCheckSpec("c1", asset="one"), dg.AssetCheckSpec("c2", asset="two")]
    )
    def both(context: dg.AssetCheckExecutionContext):
        yield dg.AssetCheckResult(asset_key="one", passed=True)
        yield dg.AssetCheckResult(
            asset_key="two", passed=False, severity=dg.AssetCheckSeverity.WARN
        )

    result = dg.materialize([one, two, both])
    assert sorted((e.check_name, e.passed) for e in result.get_asset_check_evaluations()) == [
        ("c1", True),
        ("c2", False),
    ]
