import pytest

import assetloom as dg
from assetloom.errors import UnknownAssetKeyError
from assetloom.execution.events import RunEvent

K = dg.AssetKey


def _pipeline(ran: list[str]) -> list[dg.AssetsDefinition]:
    """source -> cleaned -> report, and an independent side branch."""

    @dg.asset(group_name="raw", kinds={"python"})
    def source() -> list[int]:
        ran.append("source")
        return [3, 1, 2]

    @dg.asset(group_name="clean", tags={"tier": "silver"})
    def cleaned(source: list[int]) -> list[int]:
        ran.append("cleaned")
        return sorted(source)

    @dg.asset(group_name="clean", tags={"tier": "gold"}, owners=["team:bi"])
    def report(cleaned: list[int]) -> str:
        ran.append("report")
        return ",".join(map(str, cleaned))

    @dg.asset(group_name="side")
    def side() -> str:
        ran.append("side")
        return "side"

    return [report, side, cleaned, source]


def test_runs_in_dependency_order_and_passes_values() -> None:
    ran: list[str] = []
    result = dg.materialize(_pipeline(ran))
    assert result.success
    assert ran.index("source") < ran.index("cleaned") < ran.index("report")
    assert sorted(ran) == ["cleaned", "report", "side", "source"]
    assert result.output_for_node("report") == "1,2,3"
    assert result.succeeded_keys == [K("cleaned"), K("report"), K("side"), K("source")]
    assert result.failed_keys == []
    assert result.skipped_keys == []


def _deps_pipeline(ran: list[str]) -> list[dg.AssetsDefinition]:
    """The same shape as ``_pipeline``, linked by ``deps`` so any subset can run alone."""

    @dg.asset(group_name="raw", kinds={"python"})
    def source() -> None:
        ran.append("source")

    @dg.asset(group_name="clean", tags={"tier": "silver"}, deps=[source])
    def cleaned() -> None:
        ran.append("cleaned")

    @dg.asset(group_name="clean", tags={"tier": "gold"}, owners=["team:bi"], deps=[cleaned])
    def report() -> None:
        ran.append("report")

    @dg.asset(group_name="side")
    def side() -> None:
        ran.append("side")

    return [report, side, cleaned, source]


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ("*", ["cleaned", "report", "side", "source"]),
        ("report", ["report"]),
        ("key:report", ["report"]),
        ("key:s*", ["side", "source"]),
        ("+report", ["cleaned", "report", "source"]),
        ("1+report", ["cleaned", "report"]),
        ("source+", ["cleaned", "report", "source"]),
        ("group:clean", ["cleaned", "report"]),
        ("tag:tier=gold", ["report"]),
        ("tag:tier", ["cleaned", "report"]),
        ("kind:python", ["source"]),
        ('owner:"team:bi"', ["report"]),
        ("group:clean and not tag:tier=gold", ["cleaned"]),
        ("side or report", ["report", "side"]),
        ("sinks(*)", ["report", "side"]),
        ("roots(group:clean)", ["cleaned"]),
        (["source", "side"], ["side", "source"]),
    ],
)
def test_selection(selection: str | list[str], expected: list[str]) -> None:
    ran: list[str] = []
    result = dg.materialize(_deps_pipeline(ran), selection=selection)
    assert sorted(ran) == expected
    assert [k.to_user_string() for k in result.succeeded_keys] == expected


def test_selection_by_key_and_by_definition() -> None:
    ran: list[str] = []
    assets = _pipeline(ran)
    side = next(a for a in assets if a.key == K("side"))
    dg.materialize(assets, selection=[K("source"), side])
    assert sorted(ran) == ["side", "source"]


def test_selection_never_runs_external_assets() -> None:
    @dg.asset(deps=["outside"])
    def inside() -> None: ...

    result = dg.materialize([inside], selection="+inside")
    assert result.succeeded_keys == [K("inside")]


def test_selecting_an_asset_without_its_upstream_value_fails_clearly() -> None:
    ran: list[str] = []
    result = dg.materialize(_pipeline(ran), selection="report", raise_on_error=False)
    assert result.failed_keys == [K("report")]
    assert "no value for `cleaned` in this run" in str(result.failures[0].error)


def test_unknown_key_in_selection_suggests_a_close_one() -> None:
    with pytest.raises(UnknownAssetKeyError, match="did you mean `report`"):
        dg.materialize(_pipeline([]), selection="reprt")


def _failing_pipeline(ran: list[str]) -> list[dg.AssetsDefinition]:
    @dg.asset
    def upstream() -> int:
        ran.append("upstream")
        return 1

    @dg.asset
    def broken(upstream: int) -> int:
        ran.append("broken")
        raise ValueError(f"bad value {upstream}")

    @dg.asset
    def after_broken(broken: int) -> int:
        ran.append("after_broken")
        return broken

    @dg.asset(deps=[after_broken])
    def further_down() -> None:
        ran.append("further_down")

    @dg.asset(deps=[upstream])
    def independent() -> None:
        ran.append("independent")

    return [upstream, broken, after_broken, further_down, independent]


def test_failure_skips_downstream_and_runs_independent_branches() -> None:
    ran: list[str] = []
    result = dg.materialize(_failing_pipeline(ran), raise_on_error=False)
    assert not result.success
    assert sorted(ran) == ["broken", "independent", "upstream"]
    assert result.succeeded_keys == [K("independent"), K("upstream")]
    assert result.failed_keys == [K("broken")]
    assert result.skipped_keys == [K("after_broken"), K("further_down")]
    assert result.outcomes[K("after_broken")] is dg.AssetOutcome.SKIPPED

    [failure] = result.failures
    assert failure.asset_keys == (K("broken"),)
    assert failure.summary == "asset `broken` failed: ValueError: bad value 1"
    assert "Traceback (most recent call last)" in failure.traceback
    assert 'raise ValueError(f"bad value {upstream}")' in failure.traceback
    assert failure.location is not None
    assert failure.location.path.endswith("test_materialize.py")


def test_raise_on_error_raises_the_assets_own_error_after_the_run_ends() -> None:
    ran: list[str] = []
    with pytest.raises(ValueError, match="bad value 1") as info:  # as Dagster raises it
        dg.materialize(_failing_pipeline(ran))
    assert "independent" in ran
    [note] = info.value.__notes__
    assert "test_materialize.py:" in note
    assert note.endswith("asset `broken` failed: ValueError: bad value 1")


def test_raise_on_error_is_the_default() -> None:
    @dg.asset
    def boom() -> None:
        raise KeyError("k")

    with pytest.raises(KeyError, match="k"):
        dg.materialize([boom])


def test_assets_and_checks_in_one_list() -> None:
    @dg.asset
    def a() -> int:
        return 2

    @dg.asset_check(asset=a)
    def a_is_even(a: int) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=a % 2 == 0, metadata={"value": a})

    result = dg.materialize([a, a_is_even])
    [evaluation] = result.get_asset_check_evaluations()
    assert (evaluation.asset_key, evaluation.check_name, evaluation.passed) == (
        K("a"),
        "a_is_even",
        True,
    )
    assert evaluation.metadata == {"value": 2}


def test_result_api() -> None:
    @dg.asset(key_prefix="wh")
    def orders(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        context.add_output_metadata({"from_context": True})
        return dg.MaterializeResult(metadata={"rows": 2}, value=[1, 2])

    @dg.multi_asset(specs=[dg.AssetSpec("x"), dg.AssetSpec("y")])
    def xy():  # type: ignore[no-untyped-def]
        yield dg.MaterializeResult(asset_key="x", value="vx")
        yield dg.MaterializeResult(asset_key="y", value="vy")

    result = dg.materialize([orders, xy])
    assert isinstance(result, dg.ExecuteInProcessResult)
    assert result.success
    assert result.output_for_node("wh__orders") == [1, 2]
    assert result.output_for_node("wh/orders") == [1, 2]
    assert result.asset_value("wh/orders") == [1, 2]
    [materialization] = result.asset_materializations_for_node("wh__orders")
    assert materialization.asset_key == K(["wh", "orders"])
    assert materialization.metadata == {"from_context": True, "rows": 2}

    assert result.output_for_node("xy", "x") == "vx"
    assert result.output_for_node("xy", output_name="y") == "vy"
    with pytest.raises(ValueError, match="node `xy` has several outputs; pass `output_name`"):
        result.output_for_node("xy")
    assert [m.asset_key for m in result.asset_materializations_for_node("xy")] == [K("x"), K("y")]

    with pytest.raises(UnknownAssetKeyError, match="no node `order` in this run"):
        result.output_for_node("order")


def test_resources_are_set_up_and_torn_down_once_per_run() -> None:
    calls: list[str] = []

    class Tracked(dg.ConfigurableResource):
        name: str

        def setup_for_execution(self, context: object) -> None:
            calls.append(f"setup {self.name}")

        def teardown_after_execution(self, context: object) -> None:
            calls.append(f"teardown {self.name}")

    @dg.asset
    def a(tracked: Tracked) -> None:
        calls.append("a")

    @dg.asset
    def b(tracked: Tracked) -> None:
        calls.append("b")

    dg.materialize([a, b], resources={"tracked": Tracked(name="t")})
    assert calls == ["setup t", "a", "b", "teardown t"]


def test_a_check_missing_a_resource_fails_before_anything_runs() -> None:
    ran: list[str] = []

    @dg.asset
    def a() -> None:
        ran.append("a")

    @dg.asset_check(asset=a)
    def a_ok(threshold) -> dg.AssetCheckResult:  # type: ignore[no-untyped-def]
        return dg.AssetCheckResult(passed=True)

    with pytest.raises(dg.LoomError, match="asset check `a_ok` on `a` needs resource `threshold`"):
        dg.materialize([a, a_ok])
    assert ran == []


def test_a_custom_io_manager_receives_every_value() -> None:
    io = dg.InMemoryIOManager()

    @dg.asset
    def a() -> int:
        return 1

    dg.materialize([a], io_manager=io)
    assert io.values == {K("a"): 1}


def test_observer_sees_the_run_and_each_step_end() -> None:
    events: list[RunEvent] = []
    dg.materialize(_failing_pipeline([]), raise_on_error=False, observer=events.append)
    ends = {e.step_key: e.kind for e in events if e.kind.startswith("step_") and e.step_key}
    assert ends == {
        "upstream": "step_succeeded",
        "broken": "step_failed",
        "after_broken": "step_skipped",
        "further_down": "step_skipped",
        "independent": "step_succeeded",
    }
    assert events[0].kind == "run_started"
    assert events[-1].kind == "run_failed"


def test_selection_by_code_location() -> None:
    ran: list[str] = []
    defs = dg.Definitions(assets=_deps_pipeline(ran), code_location="warehouse")
    dg.materialize(defs, selection="code_location:warehouse and group:raw")
    assert ran == ["source"]
    ran.clear()
    with pytest.raises(dg.EmptySelectionError, match="`code_location:elsewhere` matches no"):
        dg.materialize(defs, selection="code_location:elsewhere")
    assert ran == []
