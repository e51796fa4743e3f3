"""Documents that would make every later walk blow up are refused by the parser, at the
offending node, fast and in little memory: deep nesting, alias bombs, huge integers."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator

import pytest

from assetloom.errors import YamlSyntaxError
from assetloom.yaml.source import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    parse_yaml_documents,
)

PATH = "defs/bad/defs.yaml"


def refusal(text: str) -> str:
    """The error parsing ``text`` gives, after checking it came within a second and 50 MiB."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(YamlSyntaxError) as info:
            parse_yaml_documents(text, PATH)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 50 * 2**20
    return str(info.value)


def block_nesting(levels: int) -> str:
    lines = ["type: x", "attributes:"]
    lines += [f"{'  ' * level}k{level}:" for level in range(1, levels)]
    return "\n".join([*lines, f"{'  ' * levels}leaf"]) + "\n"


def laughs(rows: int, under: str = "attributes") -> str:
    """Each row an anchored list of ten aliases of the row before: 10**rows values."""
    lines = ["type: x", f"{under}:", "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for row in range(1, rows):
        aliases = ", ".join([f"*l{row - 1}"] * 10)
        lines.append(f"  l{row}: &l{row} [{aliases}]")
    return "\n".join(lines) + "\n"


def test_block_nesting_thousands_deep_is_refused_where_it_passes_the_limit() -> None:
    assert refusal(block_nesting(5000)) == (
        f"{PATH}:{MAX_DEPTH + 2}:{2 * MAX_DEPTH + 1}: could not parse YAML: "
        f"values are nested more than {MAX_DEPTH} levels deep"
    )


@pytest.mark.parametrize(("opener", "closer"), [("[", "]"), ("{a: ", "}")])
def test_flow_nesting_thousands_deep_is_refused(opener: str, closer: str) -> None:
    text = "type: x\nattributes: " + opener * 20_000 + "1" + closer * 20_000 + "\n"
    assert refusal(text).startswith(f"{PATH}:2:")
    assert refusal(text).endswith(f"nested more than {MAX_DEPTH} levels deep")


def test_nesting_up_to_the_limit_is_fine() -> None:
    [document] = parse_yaml_documents(block_nesting(MAX_DEPTH), PATH)
    value = document.value["attributes"]
    for level in range(1, MAX_DEPTH):
        value = value[f"k{level}"]
    assert value == "leaf"


@pytest.mark.parametrize("under", ["attributes", "post_processing"])
def test_a_billion_laughs_is_refused_at_the_alias_that_passes_the_limit(under: str) -> None:
    message = refusal(laughs(9, under))
    assert message.startswith(f"{PATH}:7:")
    assert f"expand to more than {MAX_ALIAS_EXPANSION:,} values (at `*l3`)" in message


def test_a_bomb_of_merge_keys_is_refused_too() -> None:
    lines = ["type: x", "a0: &a0 {x: 1, y: 2, z: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}"]
    for row in range(1, 12):
        lines.append(f"a{row}: &a{row} {{p: *a{row - 1}, q: *a{row - 1}, <<: *a{row - 1}}}")
    assert "expand to more than" in refusal("\n".join(lines) + "\n")


def test_aliases_that_nest_past_the_limit_are_refused() -> None:
    deep = "[" * 60 + "1" + "]" * 60
    text = f"a: &deep {deep}\nb: {'[' * 50}*deep{']' * 50}\n"
    assert refusal(text).endswith(
        f"values are nested more than {MAX_DEPTH} levels deep (with what `*deep` stands for)"
    )


def test_ordinary_reuse_of_anchors_is_fine() -> None:
    text = "defaults: &d {retries: 3, tags: [a, b]}\n" + "".join(
        f"t{i}: {{<<: *d, name: t{i}, also: *d}}\n" for i in range(2000)
    )
    [document] = parse_yaml_documents(text, PATH)
    assert document.value["t1999"]["retries"] == 3


@pytest.mark.parametrize("literal", ["9" * 5000, "-" + "1" * 5000, "0x" + "f" * 5000])
def test_an_integer_of_thousands_of_digits_is_refused(literal: str) -> None:
    assert refusal(f"type: x\nattributes: {{n: {literal}}}\n") == (
        f"{PATH}:2:17: could not parse YAML: an integer of 5,000 digits is too large "
        f"(at most {MAX_INT_DIGITS:,}); quote it if it is meant as a string"
    )


def test_a_tagged_huge_integer_is_refused_and_a_quoted_one_is_a_string() -> None:
    assert "is too large" in refusal(f"n: !!int {'7' * 2000}\n")
    [document] = parse_yaml_documents(f"n: '{'7' * 2000}'\n", PATH)
    assert document.value["n"] == "7" * 2000


@pytest.fixture(autouse=True)
def _no_leftover_tracing() -> Iterator[None]:
    yield
    assert not tracemalloc.is_tracing()
