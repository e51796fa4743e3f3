"""Properties of run storage, whatever the events and however they are batched: the log reads
back as written, and each asset's state is the latest of its events."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assetloom.assets.key import AssetKey
from assetloom.execution.events import (
    AssetMaterialized,
    ErrorInfo,
    RunEvent,
    StepFailed,
    StepSucceeded,
)
from assetloom.storage.records import StepStatus
from assetloom.storage.run_storage import RunStorage

KEYS = [AssetKey(name) for name in ("a", "b", "c/d")]
stamps = st.integers(0, 20).map(float)  # few values: ties are likely


def materialized(key: AssetKey, at: float) -> RunEvent:
    return AssetMaterialized(run_id=f"run{int(at)}", timestamp=at, step=key.name, key=key)


def outcome(key: AssetKey, at: float, ok: bool) -> RunEvent:
    common = {"run_id": f"run{int(at)}", "timestamp": at, "step": key.name, "asset_keys": (key,)}
    if ok:
        return StepSucceeded(**common, duration=0.0)
    return StepFailed(**common, duration=0.0, error=ErrorInfo("E", "x"))


events = st.lists(
    st.one_of(
        st.builds(materialized, st.sampled_from(KEYS), stamps),
        st.builds(outcome, st.sampled_from(KEYS), stamps, st.booleans()),
    ),
    max_size=30,
)


@settings(max_examples=25, deadline=None)
@given(events, st.lists(st.integers(1, 5), min_size=1, max_size=30))
def test_state_is_the_latest_event_whatever_the_batches(
    written: list[RunEvent], batch_sizes: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        storage = RunStorage.open(f"sqlite:///{Path(folder) / 'runs.sqlite'}")
        with storage:
            rest, sizes = list(written), iter(batch_sizes * 30)
            while rest:
                size = next(sizes)
                storage.append(rest[:size])
                rest = rest[size:]
            states = storage.asset_states()
            for run_id in {e.run_id for e in written}:
                assert storage.events(run_id) == [e for e in written if e.run_id == run_id]
    for key in KEYS:
        latest_materialized = max(
            (e.timestamp for e in written if isinstance(e, AssetMaterialized) and e.key == key),
            default=None,
        )
        ends = [
            e for e in written if isinstance(e, StepSucceeded | StepFailed) and e.asset_key == key
        ]
        state = states.get(key)
        if latest_materialized is None and not ends:
            assert state is None
            continue
        assert state is not None
        assert state.materialized_at == latest_materialized
        if ends:
            newest = max(e.timestamp for e in ends)
            assert state.last_status_at == newest
            candidates = {
                StepStatus.SUCCEEDED if isinstance(e, StepSucceeded) else StepStatus.FAILED
                for e in ends
                if e.timestamp == newest
            }
            assert state.last_status in candidates
