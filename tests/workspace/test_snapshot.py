"""A location's snapshot: everything the workspace needs about its assets, as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import assetloom as dg
from assetloom.assets.key import AssetKey
from assetloom.errors import SourceLocation
from assetloom.workspace.snapshot import AssetSnapshot, CheckSnapshot, snapshot_assets

names = st.text("abcxyz_", min_size=1, max_size=8)
keys = st.lists(names, min_size=1, max_size=3).map(AssetKey)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(names, inner, max_size=3),
    max_leaves=6,
)
locations = st.none() | st.builds(
    SourceLocation, st.just("loc/defs/a.py"), st.integers(0, 99), st.integers(0, 99)
)


@given(
    st.builds(
        AssetSnapshot,
        key=keys,
        deps=st.lists(keys, max_size=3).map(tuple),
        node_name=names,
        is_executable=st.booleans(),
        group_name=st.none() | names,
        description=st.none() | st.text(max_size=10),
        kinds=st.lists(names, max_size=2).map(tuple),
        tags=st.dictionaries(names, names, max_size=2),
        owners=st.lists(names, max_size=2).map(tuple),
        metadata=st.dictionaries(names, json_values, max_size=3),
        code_version=st.none() | names,
        source=locations,
        checks=st.lists(st.builds(CheckSnapshot, names, st.none(), locations), max_size=2).map(
            tuple
        ),
    )
)
def test_a_snapshot_survives_the_trip_through_json(asset: AssetSnapshot) -> None:
    assert AssetSnapshot.from_json(json.loads(json.dumps(asset.to_json()))) == asset


def test_what_a_location_snapshots(tmp_path: Path) -> None:
    @dg.asset(
        key_prefix="sales",
        group_name="reports",
        kinds={"duckdb"},
        tags={"tier": "gold"},
        owners=["ana@example.com"],
        metadata={"rows": 3, "path": tmp_path, "nested": {"ok": [1.5, float("nan")]}},
        code_version="v2",
        deps=["raw/orders"],
    )
    def totals() -> None: ...

    @dg.asset_check(asset=totals, description="never empty")
    def not_empty() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=True)

    (orders_spec, snapshot) = snapshot_assets(
        dg.Definitions(assets=[dg.AssetSpec("raw/orders"), totals], asset_checks=[not_empty])
    )
    assert (orders_spec.key, orders_spec.is_executable) == (AssetKey("raw/orders"), False)
    assert snapshot.key == AssetKey(["sales", "totals"])
    assert snapshot.deps == (AssetKey(["raw", "orders"]),)
    assert (snapshot.group_name, snapshot.kinds, snapshot.tags, snapshot.owners) == (
        "reports",
        ("duckdb",),
        {"tier": "gold"},
        ("ana@example.com",),
    )
    # Metadata crosses as JSON: paths and other objects as text, NaN as a string.
    assert snapshot.metadata == {"rows": 3, "path": str(tmp_path), "nested": {"ok": [1.5, "nan"]}}
    assert snapshot.code_version == "v2"
    assert snapshot.source is not None
    assert snapshot.source.path.endswith("test_snapshot.py")
    assert [(c.name, c.description) for c in snapshot.checks] == [("not_empty", "never empty")]
    json.dumps(snapshot.to_json(), allow_nan=False)
