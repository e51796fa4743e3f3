"""Run events survive the two trips they make: pickling to a worker and JSON into storage."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetloom.assets.key import AssetKey
from assetloom.execution.events import (
    AssetMaterialized,
    CheckEvaluated,
    ErrorInfo,
    LogMessage,
    RunCancelled,
    RunEvent,
    RunFailed,
    RunStarted,
    RunSucceeded,
    StepFailed,
    StepRetried,
    StepSkipped,
    StepStarted,
    StepSucceeded,
    event_from_json,
    event_from_json_text,
)

names = st.text(st.characters(blacklist_characters="/", blacklist_categories=["Cs"]), min_size=1)
keys = st.lists(names, min_size=1, max_size=3).map(AssetKey)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False)
)
metadata = st.dictionaries(
    st.text(),
    st.recursive(
        json_scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=5,
    ),
    max_size=4,
)
errors = st.builds(ErrorInfo, st.text(), st.text(), st.text(), st.none() | st.text())
common = {"run_id": st.text(min_size=1), "timestamp": st.floats(0, 4e9)}
step = {**common, "step": names, "asset_keys": st.lists(keys, max_size=3).map(tuple)}

events = st.one_of(
    st.builds(
        RunStarted,
        **common,
        step_keys=st.lists(names).map(tuple),
        asset_keys=st.lists(keys).map(tuple),
        selection=st.none() | st.text(),
    ),
    st.builds(RunSucceeded, **common),
    st.builds(RunFailed, **common, error=st.none() | errors),
    st.builds(RunCancelled, **common),
    st.builds(StepStarted, **step),
    st.builds(StepSucceeded, **step, duration=st.floats(0, 1e6)),
    st.builds(StepFailed, **step, duration=st.floats(0, 1e6), error=errors),
    st.builds(StepSkipped, **step, reason=st.text()),
    st.builds(
        StepRetried, **step, attempt=st.integers(1, 10), delay=st.floats(0, 60), error=errors
    ),
    st.builds(
        AssetMaterialized,
        **common,
        step=names,
        key=keys,
        metadata=metadata,
        code_version=st.none() | st.text(),
    ),
    st.builds(
        CheckEvaluated,
        **common,
        step=names,
        key=keys,
        check_name=names,
        passed=st.booleans(),
        metadata=metadata,
        description=st.none() | st.text(),
    ),
    st.builds(
        LogMessage,
        **common,
        step=st.none() | names,
        level=st.sampled_from(["INFO", "WARNING"]),
        message=st.text(),
    ),
)


@given(events)
def test_every_event_round_trips_through_json(event: RunEvent) -> None:
    assert event_from_json_text(event.to_json_text()) == event


@given(events)
def test_every_event_round_trips_through_pickle(event: RunEvent) -> None:
    assert pickle.loads(pickle.dumps(event)) == event


def test_events_are_frozen() -> None:
    event = StepStarted(run_id="r", step="orders", asset_keys=(AssetKey("orders"),))
    with pytest.raises(AttributeError):
        event.run_id = "other"  # type: ignore[misc]


def test_step_and_asset_key_are_uniform_across_event_types() -> None:
    orders = AssetKey("shop/orders")
    assert StepStarted(run_id="r", step="orders", asset_keys=(orders,)).asset_key == orders
    assert StepStarted(run_id="r", step="m", asset_keys=(orders, AssetKey("x"))).asset_key is None
    assert AssetMaterialized(run_id="r", step="orders", key=orders).step_key == "orders"
    assert RunSucceeded(run_id="r").step_key is None


def test_metadata_that_is_not_json_is_kept_as_text() -> None:
    class Path:
        def __str__(self) -> str:
            return "/tmp/x"

    event = AssetMaterialized(
        run_id="r",
        step="a",
        key=AssetKey("a"),
        metadata={"rows": 58, "where": Path(), "ratio": float("nan"), "cols": ("a", "b")},
    )
    assert event.metadata == {"rows": 58, "where": "/tmp/x", "ratio": "nan", "cols": ["a", "b"]}


def test_an_error_keeps_type_message_and_traceback() -> None:
    try:
        raise KeyError("customer_id")
    except KeyError as error:
        info = ErrorInfo.from_exception(error, "defs/a.py:3:1")
    assert info.summary == "KeyError: 'customer_id'"
    assert "raise KeyError" in info.traceback
    assert info.location == "defs/a.py:3:1"


def test_an_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown event kind 'nope'"):
        event_from_json({"kind": "nope", "run_id": "r"})
