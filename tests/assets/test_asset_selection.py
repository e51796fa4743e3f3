"""``AssetSelection`` is the selection grammar spelt in Python: each method writes the
selection string it stands for, so both ways of selecting agree."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import assetloom as dg


@dg.asset(group_name="raw", tags={"tier": "bronze"}, kinds={"csv"})
def orders() -> int:
    return 1


@dg.asset(group_name="marts", key_prefix="mart", owners=["team:bi"])
def revenue(orders: int) -> int:
    return orders


@dg.asset(key_prefix="mart")
def report(revenue: int) -> int:
    return revenue


DEFS = dg.Definitions(assets=[orders, revenue, report])


def keys(selection: dg.AssetSelection) -> set[str]:
    return {k.to_user_string() for k in selection.resolve(DEFS)}


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (dg.AssetSelection.all(), {"orders", "mart/revenue", "mart/report"}),
        (
            dg.AssetSelection.keys("orders", dg.AssetKey(["mart", "report"])),
            {"orders", "mart/report"},
        ),
        (dg.AssetSelection.assets(revenue), {"mart/revenue"}),
        (dg.AssetSelection.groups("raw", "marts"), {"orders", "mart/revenue"}),
        (dg.AssetSelection.key_prefixes("mart"), {"mart/revenue", "mart/report"}),
        (dg.AssetSelection.tag("tier", "bronze"), {"orders"}),
        (dg.AssetSelection.kind("csv"), {"orders"}),
        (dg.AssetSelection.owner("team:bi"), {"mart/revenue"}),
        (
            dg.AssetSelection.keys("mart/report").upstream(),
            {"orders", "mart/revenue", "mart/report"},
        ),
        (dg.AssetSelection.keys("mart/report").upstream(1, include_self=False), {"mart/revenue"}),
        (dg.AssetSelection.keys("orders").downstream(1), {"orders", "mart/revenue"}),
        (dg.AssetSelection.all().sinks(), {"mart/report"}),
        (dg.AssetSelection.all().roots(), {"orders"}),
        (
            dg.AssetSelection.all() - dg.AssetSelection.groups("raw"),
            {"mart/revenue", "mart/report"},
        ),
        (
            dg.AssetSelection.groups("raw") | dg.AssetSelection.owner("team:bi"),
            {"orders", "mart/revenue"},
        ),
        (dg.AssetSelection.all() & dg.AssetSelection.kind("csv"), {"orders"}),
        (dg.AssetSelection.keys(), set()),
        (dg.AssetSelection.from_string("group:raw+"), {"orders", "mart/revenue", "mart/report"}),
    ],
)
def test_selection_resolves_like_its_string(
    selection: dg.AssetSelection, expected: set[str]
) -> None:
    assert keys(selection) == expected


def test_keys_with_quotes_need_no_escaping_by_the_user() -> None:
    assert str(dg.AssetSelection.keys('we"ird')) == '(key:"we\\"ird")'


def test_materialize_takes_an_asset_selection() -> None:
    result = dg.materialize(DEFS, selection=dg.AssetSelection.groups("raw"))
    assert result.succeeded_keys == [dg.AssetKey("orders")]


ALL_KEYS = ["orders", "mart/revenue", "mart/report"]
key_sets = st.sets(st.sampled_from(ALL_KEYS))


@given(left=key_sets, right=key_sets)
def test_selection_algebra_is_set_algebra(left: set[str], right: set[str]) -> None:
    a, b = dg.AssetSelection.keys(*left), dg.AssetSelection.keys(*right)
    assert keys(a | b) == left | right
    assert keys(a & b) == left & right
    assert keys(a - b) == left - right
    assert keys(dg.AssetSelection.all() - a) == set(ALL_KEYS) - left
