from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

import pytest

from assetloom.assets.key import AssetKey
from assetloom.errors import SelectionError, UnknownAssetKeyError
from assetloom.graph.selection import (
    AssetAttributes,
    KeyPattern,
    SelectableGraph,
    Traverse,
    parse_selection,
    select,
)


class FakeGraph:
    """A SelectableGraph built from ``(upstream, downstream)`` edges."""

    def __init__(
        self,
        edges: Iterable[tuple[str, str]],
        attributes: Mapping[str, AssetAttributes] | None = None,
    ) -> None:
        self._parents: dict[AssetKey, set[AssetKey]] = {}
        self._children: dict[AssetKey, set[AssetKey]] = {}
        for up, down in edges:
            up_key, down_key = self._add(AssetKey(up)), self._add(AssetKey(down))
            self._children[up_key].add(down_key)
            self._parents[down_key].add(up_key)
        self._attributes = {AssetKey(k): attrs for k, attrs in (attributes or {}).items()}

    def _add(self, key: AssetKey) -> AssetKey:
        self._parents.setdefault(key, set())
        self._children.setdefault(key, set())
        return key

    @property
    def all_keys(self) -> AbstractSet[AssetKey]:
        return self._parents.keys()

    def attributes(self, key: AssetKey) -> AssetAttributes:
        return self._attributes.get(key, AssetAttributes())

    def parents(self, key: AssetKey) -> AbstractSet[AssetKey]:
        return self._parents[key]

    def children(self, key: AssetKey) -> AbstractSet[AssetKey]:
        return self._children[key]


# A diamond (raw_orders -> cleaned, enriched -> sales/report) and a separate branch that starts
# at an external asset (ext/weather -> weather_sales -> forecast).
GRAPH: SelectableGraph = FakeGraph(
    edges=[
        ("raw_orders", "cleaned"),
        ("raw_orders", "enriched"),
        ("cleaned", "sales/report"),
        ("enriched", "sales/report"),
        ("ext/weather", "weather_sales"),
        ("weather_sales", "forecast"),
    ],
    attributes={
        "raw_orders": AssetAttributes(
            group_name="ingest",
            tags={"tier": "bronze", "pii": ""},
            kinds=frozenset({"s3"}),
            owners=("data.eng@example.com",),
            code_location="etl",
        ),
        "cleaned": AssetAttributes(
            group_name="transform",
            tags={"tier": "silver"},
            kinds=frozenset({"duckdb"}),
            owners=("data.eng@example.com", "team:analytics"),
            code_location="etl",
        ),
        "enriched": AssetAttributes(
            group_name="transform",
            tags={"tier": "silver", "note": "a b=c"},
            kinds=frozenset({"duckdb", "python"}),
            code_location="etl",
        ),
        "sales/report": AssetAttributes(
            group_name="reporting",
            tags={"tier": "gold"},
            kinds=frozenset({"duckdb"}),
            owners=("alice@example.com",),
            code_location="etl",
        ),
        "weather_sales": AssetAttributes(
            group_name="ml", kinds=frozenset({"pandas"}), code_location="ml project"
        ),
        "forecast": AssetAttributes(group_name="ml", code_location="ml project"),
    },
)


def names(keys: AbstractSet[AssetKey]) -> set[str]:
    return {key.to_user_string() for key in keys}


def chain(length: int) -> FakeGraph:
    return FakeGraph((f"n{i}", f"n{i + 1}") for i in range(length - 1))


ALL = {"raw_orders", "cleaned", "enriched", "sales/report", "ext/weather", "weather_sales"}
ALL |= {"forecast"}


# -- filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*", ALL),
        ("key:cleaned", {"cleaned"}),
        ("cleaned", {"cleaned"}),
        ('"cleaned"', {"cleaned"}),
        ("sales/report", {"sales/report"}),
        ('key:"sales/report"', {"sales/report"}),
        ("key:sales/report", {"sales/report"}),
        ("key:raw_*", {"raw_orders"}),
        ("key:*_sales", {"weather_sales"}),
        ('key:"*e*d"', {"cleaned", "enriched"}),
        ("key:sales/*", {"sales/report"}),
        ("key:*", ALL),
        ("ext*", {"ext/weather"}),
        ("key:nothing_*", set()),
        ("group:transform", {"cleaned", "enriched"}),
        ('group:"ml"', {"weather_sales", "forecast"}),
        ("group:nope", set()),
        ("tag:tier", {"raw_orders", "cleaned", "enriched", "sales/report"}),
        ("tag:pii", {"raw_orders"}),
        ("tag:tier=silver", {"cleaned", "enriched"}),
        ('tag:"tier"="gold"', {"sales/report"}),
        ('tag:note="a b=c"', {"enriched"}),
        ('tag:pii=""', {"raw_orders"}),
        ("tag:tier=platinum", set()),
        ("kind:duckdb", {"cleaned", "enriched", "sales/report"}),
        ("kind:python", {"enriched"}),
        ("owner:data.eng@example.com", {"raw_orders", "cleaned"}),
        ('owner:"team:analytics"', {"cleaned"}),
        ("code_location:etl", {"raw_orders", "cleaned", "enriched", "sales/report"}),
        ('code_location:"ml project"', {"weather_sales", "forecast"}),
    ],
)
def test_filters(text: str, expected: set[str]) -> None:
    assert names(select(GRAPH, text)) == expected


def test_none_selects_everything() -> None:
    assert names(select(GRAPH, None)) == ALL


def test_quoted_key_may_contain_any_character() -> None:
    graph = FakeGraph([("my table (v2)", 'say "hi"')])
    assert names(select(graph, 'key:"my table (v2)"')) == {"my table (v2)"}
    assert names(select(graph, r'"say \"hi\""')) == {'say "hi"'}


# -- traversals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A bare + is every layer; N+ / +N is N layers. The asset itself is always included.
        ("+sales/report", {"sales/report", "cleaned", "enriched", "raw_orders"}),
        ("1+sales/report", {"sales/report", "cleaned", "enriched"}),
        ("raw_orders+", {"raw_orders", "cleaned", "enriched", "sales/report"}),
        ("raw_orders+1", {"raw_orders", "cleaned", "enriched"}),
        ("+cleaned+", {"raw_orders", "cleaned", "sales/report"}),
        ("1+weather_sales+1", {"ext/weather", "weather_sales", "forecast"}),
        ("0+cleaned", {"cleaned"}),
        ("+key:forecast", {"ext/weather", "weather_sales", "forecast"}),
        ("+group:transform", {"raw_orders", "cleaned", "enriched"}),
        ("group:transform+", {"cleaned", "enriched", "sales/report"}),
        ("(cleaned or forecast)+", {"cleaned", "sales/report", "forecast"}),
        ("1+(cleaned or forecast)", {"raw_orders", "cleaned", "weather_sales", "forecast"}),
        ("+roots(kind:duckdb)", {"raw_orders", "cleaned", "enriched"}),
        ("2 + forecast", {"ext/weather", "weather_sales", "forecast"}),
        # Dagster's "all assets on the path between two assets".
        ("cleaned+ and +sales/report", {"cleaned", "sales/report"}),
        ("raw_orders+ and +forecast", set()),
    ],
)
def test_traversals(text: str, expected: set[str]) -> None:
    assert names(select(GRAPH, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+n5", {f"n{i}" for i in range(6)}),
        ("1+n5", {"n4", "n5"}),
        ("2+n5", {"n3", "n4", "n5"}),
        ("n5+", {"n5", "n6", "n7"}),
        ("n5+2", {"n5", "n6", "n7"}),
        ("n2+1", {"n2", "n3"}),
        ("2+n5+1", {"n3", "n4", "n5", "n6"}),
        ("+n5+", {f"n{i}" for i in range(8)}),
        ("99+n1", {"n0", "n1"}),
    ],
)
def test_layer_counts(text: str, expected: set[str]) -> None:
    assert names(select(chain(8), text)) == expected


# -- operators and functions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cleaned or forecast", {"cleaned", "forecast"}),
        ("kind:duckdb and group:transform", {"cleaned", "enriched"}),
        ("kind:duckdb AND NOT tag:tier=gold", {"cleaned", "enriched"}),
        ("not code_location:etl", {"ext/weather", "weather_sales", "forecast"}),
        ("not not cleaned", {"cleaned"}),
        # not binds tighter than and, which binds tighter than or.
        ("not group:ml and not code_location:etl", {"ext/weather"}),
        ("cleaned or enriched and kind:python", {"cleaned", "enriched"}),
        ("cleaned OR forecast and kind:pandas", {"cleaned"}),
        ("(cleaned or forecast) and group:ml", {"forecast"}),
        ("not (group:ml or group:transform) and tag:tier", {"raw_orders", "sales/report"}),
        ("sinks(*)", {"sales/report", "forecast"}),
        ("roots(*)", {"raw_orders", "ext/weather"}),
        # Within the expression: a root or sink may have parents or children outside it.
        ("roots(group:transform)", {"cleaned", "enriched"}),
        ("sinks(group:transform)", {"cleaned", "enriched"}),
        ("sinks(group:transform+)", {"sales/report"}),
        ("roots(+group:ml)", {"ext/weather"}),
        ("sinks(not *)", set()),
    ],
)
def test_operators_and_functions(text: str, expected: set[str]) -> None:
    assert names(select(GRAPH, text)) == expected


def test_sequence_is_a_union_of_keys_and_expressions() -> None:
    assert names(select(GRAPH, ["sales/report", "group:ml", "raw_orders+1"])) == {
        "sales/report",
        "weather_sales",
        "forecast",
        "raw_orders",
        "cleaned",
        "enriched",
    }
    assert select(GRAPH, []) == frozenset()
    assert names(select(GRAPH, ["*"])) == ALL


def test_sequence_item_that_is_a_key_needs_no_quoting() -> None:
    graph = FakeGraph([("my table (v2)", "and")])
    assert names(select(graph, ["my table (v2)", "and"])) == {"my table (v2)", "and"}


# -- unknown keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cleand", "no asset has key `cleand` — did you mean `cleaned`?"),
        ("key:sales/reprt", "no asset has key `sales/reprt` — did you mean `sales/report`?"),
        ("+cleand+ or forecast", "no asset has key `cleand` — did you mean `cleaned`?"),
        ("not cleand", "no asset has key `cleand` — did you mean `cleaned`?"),
        ("group:ml and zzz", "no asset has key `zzz`"),
    ],
)
def test_unknown_key(text: str, message: str) -> None:
    with pytest.raises(UnknownAssetKeyError) as caught:
        select(GRAPH, text)
    assert str(caught.value) == message
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, SelectionError)


def test_unknown_key_in_a_sequence() -> None:
    with pytest.raises(UnknownAssetKeyError, match="no asset has key `forcast`"):
        select(GRAPH, ["cleaned", "forcast"])


# -- syntax errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("key:a and", "expected an expression at column 10"),
        ("", "expected an expression at column 1"),
        ("and a", "expected an expression, found `and` at column 1"),
        ("a or", "expected an expression at column 5"),
        ("not", "expected an expression at column 4"),
        ("a b", "expected `and`, `or` or the end, found `b` at column 3"),
        ('a "b"', 'expected `and`, `or` or the end, found `"b"` at column 3'),
        ("a And b", "expected `and`, `or` or the end, found `And` at column 3"),
        ("(key:a", "unclosed `(` at column 1"),
        ("sinks((a)", "unclosed `(` at column 6"),
        ("(a b)", "expected `)`, `and` or `or`, found `b` at column 4"),
        ("a)", "unmatched `)` at column 2"),
        ("()", "expected an expression, found `)` at column 2"),
        ('key:"a', 'unclosed `"` at column 5'),
        ('"a\\"', 'unclosed `"` at column 1'),
        ("grop:x", "unknown attribute `grop` at column 1 — did you mean `group`?"),
        ("a or tags:x", "unknown attribute `tags` at column 6 — did you mean `tag`?"),
        (
            "color:red",
            "unknown attribute `color` at column 1; known attributes: `code_location`, "
            "`group`, `key`, `kind`, `owner`, `tag`",
        ),
        ("sink(*)", "unknown function `sink` at column 1 — did you mean `sinks`?"),
        ("leaves(*)", "unknown function `leaves` at column 1; known functions: `roots`, `sinks`"),
        ("sinks()", "expected an expression, found `)` at column 7"),
        ("group:", "expected a value after `group:` at column 7"),
        ("group: )", "expected a value after `group:`, found `)` at column 8"),
        ("key:or", "expected a value after `key:`, found `or` at column 5"),
        ("tag:k=", "expected a value after `=` at column 7"),
        ("group:a=b", "unexpected `=` at column 8 — only `tag:` takes `=value`"),
        ("++a", "expected an expression, found `+` at column 2"),
        ("+not a", "expected an expression, found `not` at column 2"),
        ("a++", "expected `and`, `or` or the end, found `+` at column 3"),
        ("a+1+", "expected `and`, `or` or the end, found `+` at column 4"),
        ("2+", "expected an expression at column 3"),
        ("a & b", "unexpected character `&` at column 3 — use `and`"),
        ("a | b", "unexpected character `|` at column 3 — use `or`"),
        ("a,b", "unexpected character `,` at column 2 — use `or` to combine selections"),
        ("!a", "unexpected character `!` at column 1 — use `not`"),
        ("'a'", "unexpected character `'` at column 1 — quote values with double quotes (`\"`)"),
        ("a#b", "unexpected character `#` at column 2"),
        (
            "x:y:z",
            "unknown attribute `x` at column 1; known attributes: `code_location`, "
            "`group`, `key`, `kind`, `owner`, `tag`",
        ),
        ("group:a:b", "expected `and`, `or` or the end, found `:` at column 8"),
    ],
)
def test_syntax_errors(text: str, problem: str) -> None:
    with pytest.raises(SelectionError) as caught:
        parse_selection(text)
    assert str(caught.value) == f"invalid selection `{text}`: {problem}"
    assert isinstance(caught.value, ValueError)
    assert not isinstance(caught.value, UnknownAssetKeyError)


def test_select_reports_syntax_errors_too() -> None:
    with pytest.raises(SelectionError, match=r"expected an expression at column 10$"):
        select(GRAPH, "key:a and")


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    text = "(" * 200 + "a" + ")" * 200
    with pytest.raises(SelectionError, match="more than 64 nested parentheses at column 65"):
        parse_selection(text)
    assert parse_selection("(" * 64 + "a" + ")" * 64) == KeyPattern("a")


# -- the tree -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("a", "key:a"),
        ('"a/b"', "key:a/b"),
        ('key:"my table"', 'key:"my table"'),
        ('key:"and"', 'key:"and"'),
        ('tag:"k"="v"', "tag:k=v"),
        ("tag:k", "tag:k"),
        ("owner:alice@example.com", "owner:alice@example.com"),
        ("2+a+3", "2+key:a+3"),
        ("+a+", "+key:a+"),
        ("0+a+0", "key:a"),
        ("NOT a AND b OR c", "not key:a and key:b or key:c"),
        ("a or (b and c)", "key:a or key:b and key:c"),
        ("(a or b) and c", "(key:a or key:b) and key:c"),
        ("not (a and b)", "not (key:a and key:b)"),
        ("+(not a)", "+(not key:a)"),
        ("(1+a)+", "(1+key:a)+"),
        ("sinks(+group:x)+1", "sinks(+group:x)+1"),
        ("  roots ( * )  ", "roots(*)"),
    ],
)
def test_canonical_text_round_trips(text: str, canonical: str) -> None:
    selection = parse_selection(text)
    assert str(selection) == canonical
    assert parse_selection(canonical) == selection


def test_tree_is_immutable_and_parses_are_cached() -> None:
    selection = parse_selection("2+key:a")
    assert selection == Traverse(KeyPattern("a"), upstream=2, downstream=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        selection.upstream = 3  # type: ignore[misc]
    assert parse_selection("2+key:a") is selection


def test_resolve_uses_the_graph_given() -> None:
    selection = parse_selection("+n2")
    assert names(selection.resolve(chain(3))) == {"n0", "n1", "n2"}
    assert names(selection.resolve(FakeGraph([("n2", "x")]))) == {"n2"}


# -- scale ----------------------------------------------------------------------------------


def test_traversals_over_a_ten_thousand_node_chain() -> None:
    graph = chain(10_000)
    assert len(select(graph, "+n9999")) == 10_000
    assert len(select(graph, "n0+")) == 10_000
    assert len(select(graph, "5000+n9999")) == 5001
    assert len(select(graph, "+n5000+")) == 10_000
    assert names(select(graph, "sinks(*)")) == {"n9999"}
    assert names(select(graph, "roots(not n0)")) == {"n1"}
    assert len(select(graph, "key:n1*")) == 1111
    assert len(select(graph, "n0+ and +n9999 and not key:n9*")) == 10_000 - 1111
