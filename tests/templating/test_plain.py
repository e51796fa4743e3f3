"""Plain data, the border of the template world: what crosses it and what it costs."""

from __future__ import annotations

import enum
from collections import OrderedDict
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetloom.errors import TemplateError
from assetloom.templating.plain import NotPlainError, TooLargeError, to_plain, weigh

LIMIT = 10**6


class Colour(enum.IntEnum):
    RED = 1


class Name(str):
    def shout(self) -> str:
        return self.upper()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Path("/a/b"), "/a/b"),
        (PurePosixPath("x/y"), "x/y"),
        (("a", 1), ["a", 1]),
        ({"b", "a"}, ["a", "b"]),
        (frozenset({2, 1}), [1, 2]),
        (OrderedDict(z=1, a=2), {"z": 1, "a": 2}),
        (MappingProxyType({"k": (1,)}), {"k": [1]}),
        ({"k": 1}.items(), [["k", 1]]),
        ((n for n in range(3)), [0, 1, 2]),
        (Colour.RED, 1),
        (Name("x"), "x"),
        ({1: None, 2.5: True}, {1: None, 2.5: True}),
    ],
)
def test_values_cross_over_as_exact_plain_types(value: Any, expected: Any) -> None:
    result = to_plain(value, limit=LIMIT)
    assert result == expected
    assert type(result) is type(expected)
    if isinstance(result, str):
        assert not hasattr(result, "shout")


@pytest.mark.parametrize("value", [object(), b"bytes", [1, object()], {"k": open}, iter([1])])
def test_anything_else_is_refused(value: Any) -> None:
    with pytest.raises(NotPlainError):
        to_plain(value, limit=LIMIT)


def test_a_mapping_key_must_be_a_scalar() -> None:
    with pytest.raises(TemplateError, match="a list cannot be a mapping key"):
        to_plain({("a", "b"): 1}, limit=LIMIT)


def test_other_decides_for_the_rest() -> None:
    marker = object()
    assert to_plain([1, marker], limit=LIMIT, other=lambda v: v) == [1, marker]


def test_a_value_that_holds_itself_stops_at_the_limit() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    with pytest.raises(TemplateError, match="nested deeper than 200 levels"):
        to_plain(loop, limit=10**9)
    with pytest.raises(TooLargeError):
        weigh(loop, 1_000)


def test_sharing_is_weighed_as_the_copy_would_be() -> None:
    inner = ["x" * 100] * 10
    outer = [inner] * 10
    assert weigh(outer, LIMIT) == 1 + 10 * (1 + 10 * 100)
    with pytest.raises(TooLargeError, match="10,000 characters"):
        weigh(outer, 10_000)


PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


def exact_types(value: Any) -> bool:
    if type(value) is list:
        return all(exact_types(item) for item in value)
    if type(value) is dict:
        return all(exact_types(k) and exact_types(v) for k, v in value.items())
    return type(value) in (str, int, float, bool, type(None))


@given(value=PLAIN)
def test_plain_data_crosses_unchanged_and_weighs_the_same_both_ways(value: Any) -> None:
    copy = to_plain(value, limit=LIMIT)
    assert copy == value
    assert exact_types(copy)
    weight = weigh(value, LIMIT)
    assert weigh(copy, LIMIT) == weight
    assert weigh(value, weight) == weight
    with pytest.raises(TooLargeError):
        weigh(value, weight - 1)
    with pytest.raises(TooLargeError):
        to_plain(value, limit=weight - 1)
