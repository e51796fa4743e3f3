"""Any selection string gives keys or a SelectionError (a LoomError), within a time limit:
no other exception, no hang, whatever is typed after ``--select``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assetloom as dg
from assetloom.errors import LoomError
from assetloom.graph.asset_graph import AssetGraph
from assetloom.graph.selection import select
from tests.reliability.timeouts import within

TOKENS = [
    *"()*+=:,\"\\ ",
    "key:", "group:", "tag:", "kind:", "owner:", "code_location:", "sinks(", "roots(",
    " and ", " or ", " not ", "AND", "OR", "NOT", "a", "b", "c/d", "raw_*", "2", "0",
    "9" * 30, "9" * 5000, "é", "\x00", "\n", "a" * 300, "(" * 500, ")" * 500, "not " * 500,
]  # fmt: skip


@pytest.fixture(scope="module")
def graph() -> AssetGraph:
    @dg.asset(group_name="g", tags={"t": "v"}, kinds={"sql"}, owners=["team:x"])
    def a() -> None: ...

    @dg.asset(deps=[a], key=["c", "d"])
    def b() -> None: ...

    return dg.Definitions(assets=[a, b]).resolve_asset_graph()


def check(graph: AssetGraph, text: str) -> None:
    with within():
        try:
            keys = select(graph, text)
        except LoomError:
            return
    assert keys <= graph.all_keys


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(TOKENS), max_size=12).map("".join))
def test_selections_made_of_grammar_pieces(graph: AssetGraph, text: str) -> None:
    check(graph, text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_selections_made_of_any_characters(graph: AssetGraph, text: str) -> None:
    check(graph, text)
