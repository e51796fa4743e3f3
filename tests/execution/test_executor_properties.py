"""Property: on any graph, whichever assets fail, every executor reaches the outcomes the
rules give — a failing asset fails, an asset with a failed or skipped upstream is skipped,
every other asset succeeds — and reports one step end per asset, after its start."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assetloom as dg
from assetloom.execution.events import RunEvent
from assetloom.execution.executors import executor_named
from assetloom.execution.io_managers import FilesystemIOManager
from assetloom.execution.result import AssetOutcome

Graph = dict[int, list[int]]  # asset index -> indexes of its upstream assets


@st.composite
def graphs_with_failures(draw: st.DrawFn) -> tuple[Graph, set[int]]:
    size = draw(st.integers(min_value=1, max_value=12))
    graph = {
        i: sorted(draw(st.sets(st.integers(0, i - 1), max_size=3))) if i else []
        for i in range(size)
    }
    failing = draw(st.sets(st.integers(0, size - 1), max_size=size))
    return graph, failing


def build(graph: Graph, failing: set[int]) -> list[dg.AssetsDefinition]:
    assets = []
    for i, upstream in graph.items():

        @dg.asset(name=f"a{i}", deps=[f"a{j}" for j in upstream])
        def step(fails: bool = i in failing) -> int:
            if fails:
                raise ValueError("asked to fail")
            return 1

        assets.append(step)
    return assets


def expected_outcomes(graph: Graph, failing: set[int]) -> dict[str, AssetOutcome]:
    outcomes: dict[int, AssetOutcome] = {}
    for i, upstream in graph.items():  # indexes are in dependency order
        if any(outcomes[j] is not AssetOutcome.SUCCESS for j in upstream):
            outcomes[i] = AssetOutcome.SKIPPED
        elif i in failing:
            outcomes[i] = AssetOutcome.FAILURE
        else:
            outcomes[i] = AssetOutcome.SUCCESS
    return {f"a{i}": outcome for i, outcome in outcomes.items()}


def check(executor_name: str, graph: Graph, failing: set[int]) -> None:
    events: list[RunEvent] = []
    with tempfile.TemporaryDirectory() as storage:
        result = dg.materialize(
            build(graph, failing),
            executor=executor_named(executor_name, max_concurrent=2),
            io_manager=FilesystemIOManager(Path(storage)),
            raise_on_error=False,
            observer=events.append,
        )
    got = {key.to_user_string(): outcome for key, outcome in result.outcomes.items()}
    expected = expected_outcomes(graph, failing)
    assert got == expected
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    for index, event in enumerate(events):
        if event.step_key is None:
            continue
        if event.kind == "step_started":
            starts[event.step_key] = index
        elif event.kind in STEP_ENDS:
            assert event.step_key not in ends, f"{event.step_key} ended twice"
            ends[event.step_key] = index
    assert set(ends) == set(expected)
    assert set(starts) == {name for name, o in expected.items() if o is not AssetOutcome.SKIPPED}
    assert all(starts[name] < ends[name] for name in starts)


STEP_ENDS = ("step_succeeded", "step_failed", "step_skipped")


@settings(max_examples=150, deadline=None)
@given(graphs_with_failures())
def test_in_process_reaches_the_rules_outcomes(case: tuple[Graph, set[int]]) -> None:
    check("in_process", *case)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs_with_failures())
def test_multiprocess_reaches_the_same_outcomes(case: tuple[Graph, set[int]]) -> None:
    check("multiprocess", *case)
