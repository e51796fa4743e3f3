"""YAML parsing: plain values, exact positions, and clean errors at the right line:col."""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from assetloom.errors import SourceLocation, UnreadableFileError, YamlSyntaxError
from assetloom.yaml.source import (
    YamlDocument,
    parse_yaml_documents,
    read_yaml_documents,
)

PATH = "defs/etl/defs.yaml"

DEFS = """\
type: assetloom.components.EtlTables   # line 1
attributes:
  etl_tables:
    - name: orders
      deps: [raw_orders, raw_customers]
      query: "SELECT * FROM raw_orders"
    - name: customers
      deps:
        - raw_customers
        - "raw_regions"
      query: |
        SELECT *
        FROM raw_customers
"""


def one(text: str) -> YamlDocument:
    documents = parse_yaml_documents(text, PATH)
    assert len(documents) == 1
    return documents[0]


def at(line: int, col: int) -> SourceLocation:
    return SourceLocation(PATH, line, col)


def syntax_error(text: str) -> YamlSyntaxError:
    with pytest.raises(YamlSyntaxError) as info:
        parse_yaml_documents(text, PATH)
    return info.value


# --- values --------------------------------------------------------------------------------


def test_values_are_plain_python_data() -> None:
    document = one(DEFS)
    assert document.value == {
        "type": "assetloom.components.EtlTables",
        "attributes": {
            "etl_tables": [
                {
                    "name": "orders",
                    "deps": ["raw_orders", "raw_customers"],
                    "query": "SELECT * FROM raw_orders",
                },
                {
                    "name": "customers",
                    "deps": ["raw_customers", "raw_regions"],
                    "query": "SELECT *\nFROM raw_customers\n",
                },
            ]
        },
    }
    assert type(document.value) is dict
    assert type(document.value["attributes"]["etl_tables"]) is list
    assert document.path == PATH
    assert document.index == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("-17", -17),
        ("+12", 12),
        ("1_000", 1000),
        ("0x1F", 31),
        ("0o17", 15),
        ("017", 17),  # YAML 1.2: a leading zero is not octal
        ("-0b101", -5),
        ("1.5", 1.5),
        ("1.", 1.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("-2.5E-1", -0.25),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("null", None),
        ("~", None),
        ("", None),
        ("yes", "yes"),  # YAML 1.1 booleans are strings in 1.2
        ("on", "on"),
        ("tRue", "tRue"),
        ("nil", "nil"),
        ("2024-01-31", "2024-01-31"),  # dates stay strings, as in JSON
        ("1:20", "1:20"),
        ("0x", "0x"),
        ("-x", "-x"),
        ("-.5e3", -500.0),  # the spec's exponent sign is optional (ruamel's safe loader wants it)
        (".", "."),
        ("1.2.3", "1.2.3"),
        ("'1'", "1"),
        ('"true"', "true"),
        ("''", ""),
        ("!!str 12", "12"),
        ("!!int '12'", 12),
        ("!!float 3", 3.0),
        ("!!bool 'false'", False),
        ("!!null ''", None),
        ("! 12", "12"),
        ("!!map {a: 1}", {"a": 1}),
        ("!!seq [1]", [1]),
        ("! [1]", [1]),
    ],
)
def test_scalars_follow_the_yaml_1_2_core_schema(text: str, expected: Any) -> None:
    value = one(f"v: {text}\n").value["v"]
    assert value == expected
    assert type(value) is type(expected)


def test_nan_is_a_float() -> None:
    assert math.isnan(one("v: .nan\n").value["v"])


def test_values_match_ruamel_safe_loader_on_a_date_free_document() -> None:
    text = DEFS + "extra: {a: 1, b: [1.5, true, null, '2'], c: 0x10, d: -.5e+3}\n"
    assert one(text).value == YAML(typ="safe").load(text)


def test_non_string_scalar_keys_keep_their_type() -> None:
    assert one("2: a\ntrue: b\nnull: c\n1.5: d\n").value == {2: "a", True: "b", None: "c", 1.5: "d"}


# --- positions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key_path", "line", "col"),
    [
        ((), 1, 1),
        (("type",), 1, 7),
        (("attributes",), 3, 3),
        (("attributes", "etl_tables"), 4, 5),
        (("attributes", "etl_tables", 0), 4, 7),
        (("attributes", "etl_tables", 0, "name"), 4, 13),
        (("attributes", "etl_tables", 0, "deps"), 5, 13),
        (("attributes", "etl_tables", 0, "deps", 1), 5, 26),
        (("attributes", "etl_tables", 0, "query"), 6, 14),
        (("attributes", "etl_tables", 1, "deps"), 9, 9),
        (("attributes", "etl_tables", 1, "deps", 0), 9, 11),
        (("attributes", "etl_tables", 1, "deps", 1), 10, 11),
        (("attributes", "etl_tables", 1, "query"), 11, 14),
    ],
)
def test_location_is_the_value_node(key_path: tuple[Any, ...], line: int, col: int) -> None:
    positions = one(DEFS).positions
    assert positions.location(key_path) == at(line, col)
    assert positions.location(list(key_path)) == at(line, col)
    assert positions.has(key_path)


@pytest.mark.parametrize(
    ("key_path", "line", "col"),
    [
        (("type",), 1, 1),
        (("attributes",), 2, 1),
        (("attributes", "etl_tables"), 3, 3),
        (("attributes", "etl_tables", 0, "name"), 4, 7),
        (("attributes", "etl_tables", 1, "deps"), 8, 7),
        (("attributes", "etl_tables", 1, "query"), 11, 7),
    ],
)
def test_key_location_is_the_key_token(key_path: tuple[Any, ...], line: int, col: int) -> None:
    assert one(DEFS).positions.key_location(key_path) == at(line, col)


def test_key_location_of_a_list_item_is_the_item() -> None:
    positions = one(DEFS).positions
    assert positions.key_location(("attributes", "etl_tables", 1)) == at(7, 7)
    assert positions.key_location(("attributes", "etl_tables", 0, "deps", 1)) == at(5, 26)


def test_missing_paths_fall_back_to_the_nearest_existing_ancestor() -> None:
    positions = one(DEFS).positions
    missing_field = ("attributes", "etl_tables", 1, "owner")
    assert not positions.has(missing_field)
    assert positions.location(missing_field) == at(7, 7)
    assert positions.key_location(missing_field) == at(7, 7)
    assert positions.location(("attributes", "etl_tables", 5, "deps", 0)) == at(4, 5)
    assert positions.location(("attributes", "etl_tables", 0, "deps", 7)) == at(5, 13)
    assert positions.location(("nope", "deeper")) == at(1, 1)
    assert positions.location(("type", "not-a-mapping")) == at(1, 7)


def test_document_location_is_where_the_root_value_starts() -> None:
    text = "# a comment\n\n  # another\nkey: value\n"
    assert one(text).positions.document_location() == at(4, 1)


def test_columns_count_characters_not_bytes() -> None:
    positions = one("été: [ü, ö, 'x']\nnext: 1\n").positions
    assert positions.location(("été", 2)) == at(1, 13)
    assert positions.key_location(("next",)) == at(2, 1)


def test_flow_mapping_positions() -> None:
    positions = one("a: {b: 1, c: [x, {d: 2}]}\n").positions
    assert positions.location(("a", "c", 1, "d")) == at(1, 22)
    assert positions.key_location(("a", "c")) == at(1, 11)


def test_an_empty_value_is_located_after_its_key() -> None:
    document = one("a:\nb: 1\n")
    assert document.value == {"a": None, "b": 1}
    assert document.positions.key_location(("a",)) == at(1, 1)
    assert document.positions.location(("a",)) == at(1, 3)


# --- documents -----------------------------------------------------------------------------


def test_multiple_documents_keep_absolute_positions_and_indices() -> None:
    text = "a: 1\n---\nb:\n  - x\n---\n# only a comment\n---\nc: 3\n"
    documents = parse_yaml_documents(text, PATH)
    assert [(d.index, d.value) for d in documents] == [
        (0, {"a": 1}),
        (1, {"b": ["x"]}),
        (3, {"c": 3}),
    ]
    assert documents[1].positions.location(("b", 0)) == at(4, 5)
    assert documents[1].positions.document_location() == at(3, 1)
    assert documents[2].positions.key_location(("c",)) == at(8, 1)
    # positions are per document: `a` is not part of the second one
    assert not documents[1].positions.has(("a",))


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "---\n# nothing\n...\n"])
def test_empty_files_and_documents_are_skipped(text: str) -> None:
    assert parse_yaml_documents(text, PATH) == []


def test_a_trailing_separator_adds_no_document() -> None:
    assert [d.value for d in parse_yaml_documents("a: 1\n---\n", PATH)] == [{"a": 1}]


def test_an_explicit_null_document_is_kept() -> None:
    documents = parse_yaml_documents("--- ~\n---\n''\n", PATH)
    assert [(d.index, d.value) for d in documents] == [(0, None), (1, "")]


def test_documents_are_frozen() -> None:
    document = one("a: 1\n")
    with pytest.raises(AttributeError):
        document.value = {}  # type: ignore[misc]


# --- anchors, aliases, merge keys ----------------------------------------------------------

ANCHORS = """\
base: &base
  owner: data
  tags: [a, b]
items:
  - <<: *base
    name: one
    tags: [c]
  - *base
  - <<: [{owner: first}, *base]
    name: three
"""


def test_aliases_share_the_anchored_value() -> None:
    value = one(ANCHORS).value
    assert value["items"][1] == {"owner": "data", "tags": ["a", "b"]}
    assert value["items"][1] is value["base"]


def test_merge_keys_add_missing_keys_and_explicit_keys_win() -> None:
    items = one(ANCHORS).value["items"]
    assert items[0] == {"name": "one", "tags": ["c"], "owner": "data"}
    assert items[2] == {"name": "three", "owner": "first", "tags": ["a", "b"]}
    assert "<<" not in items[0]


def test_positions_under_an_alias_point_into_the_anchored_node() -> None:
    positions = one(ANCHORS).positions
    assert positions.location(("items", 1)) == at(8, 5)
    assert positions.location(("items", 1, "tags", 1)) == at(3, 13)
    assert positions.key_location(("items", 1, "owner")) == at(2, 3)
    assert positions.key_location(("items", 1)) == at(8, 5)


def test_positions_of_merged_keys_point_at_their_source() -> None:
    positions = one(ANCHORS).positions
    assert positions.location(("items", 0, "owner")) == at(2, 10)
    assert positions.key_location(("items", 0, "owner")) == at(2, 3)
    assert positions.location(("items", 0, "tags", 0)) == at(7, 12)
    assert positions.location(("items", 2, "owner")) == at(9, 18)
    assert positions.location(("items", 2, "tags", 0)) == at(3, 10)
    assert positions.has(("items", 2, "tags", 1))


def test_an_undefined_alias_is_a_syntax_error() -> None:
    error = syntax_error("a: 1\nb: *missing\n")
    assert str(error) == (
        f"{PATH}:2:4: could not parse YAML: alias `*missing` refers to no anchor defined before it"
    )


def test_anchors_do_not_cross_documents() -> None:
    error = syntax_error("a: &x 1\n---\nb: *x\n")
    assert error.location == at(3, 4)


def test_a_merge_value_must_be_a_mapping() -> None:
    error = syntax_error("a:\n  <<: [1, 2]\n")
    assert str(error) == (
        f"{PATH}:2:7: could not parse YAML: the value of a `<<` merge key must be a mapping or a "
        "list of mappings"
    )


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    assert one("'<<': 1\n").value == {"<<": 1}


# --- errors --------------------------------------------------------------------------------


def test_duplicate_key_points_at_the_second_occurrence() -> None:
    error = syntax_error("type: a\nattributes:\n  x: 1\nname: a\n\nname: b\n")
    assert str(error) == f"{PATH}:6:1: duplicate key `name` (first defined at line 4)"
    assert error.location == at(6, 1)
    assert error.related == (at(4, 1),)


def test_duplicate_keys_are_found_in_nested_and_flow_mappings() -> None:
    error = syntax_error("a:\n  - {x: 1, y: 2, x: 3}\n")
    assert str(error) == f"{PATH}:2:18: duplicate key `x` (first defined at line 2)"


def test_same_key_in_sibling_mappings_is_fine() -> None:
    assert one("- name: a\n- name: b\n").value == [{"name": "a"}, {"name": "b"}]


def test_duplicate_merge_keys() -> None:
    error = syntax_error("a: &a {x: 1}\nb:\n  <<: *a\n  <<: *a\n")
    assert str(error) == f"{PATH}:4:3: duplicate key `<<` (first defined at line 3)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb\nc: 2\n", "2:1: could not parse YAML: expected ':' after a key"),
        (
            "a:\n\tb: 1\n",
            "2:1: could not parse YAML: tabs cannot be used for indentation; use spaces",
        ),
        (
            "a:\n  - 1\n\t- 2\n",
            "3:1: could not parse YAML: tabs cannot be used for indentation; use spaces",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            "3:2: could not parse YAML: expected a mapping key here; check the indentation",
        ),
        (
            "a: 1\n- b\n",
            "2:1: could not parse YAML: expected a mapping key here; check the indentation",
        ),
        (
            "k:\n  - a\n  b: 2\n",
            "3:3: could not parse YAML: expected a `- ` list item here; check the indentation",
        ),
        ("a: [1, 2\nb: 3\n", "2:2: could not parse YAML: expected ',' or ']' (opened at line 1)"),
        ("a: {b: 1\n", "2:1: could not parse YAML: expected ',' or '}' (opened at line 1)"),
        ("a: 'abc\nb: 2\n", "1:4: could not parse YAML: a quoted string is never closed"),
        (
            "a: b: c\n",
            "1:5: could not parse YAML: unexpected ':' (put the value in quotes if it contains "
            "': ', or check the indentation)",
        ),
        (
            "a: @foo\n",
            "1:4: could not parse YAML: a value cannot start with `@`; put the value in quotes",
        ),
        (
            'x: "a\\q"\n',
            "1:6: could not parse YAML: unknown escape sequence in a double-quoted string "
            "(use single quotes for backslashes)",
        ),
        ("é: x\x01y\n", "1:5: could not parse YAML: control character 0x0001 is not allowed"),
        (
            "[a, b]: 1\n",
            "1:1: could not parse YAML: a mapping key must be a scalar (a string or number), "
            "not a list",
        ),
        (
            "? {a: 1}\n: 2\n",
            "1:3: could not parse YAML: a mapping key must be a scalar (a string or number), "
            "not a mapping",
        ),
        (
            "x: &k [1]\n*k : 2\n",
            "2:1: could not parse YAML: an alias used as a mapping key must refer to a scalar",
        ),
        ("a: !env HOME\n", "1:4: could not parse YAML: unsupported tag `!env`"),
        (
            "a: !!python/object:os.system x\n",
            "1:4: could not parse YAML: unsupported tag `!!python/object:os.system`",
        ),
        ("a: !!set {x: null}\n", "1:4: could not parse YAML: unsupported tag `!!set` on a mapping"),
        ("a: !!seq {x: 1}\n", "1:4: could not parse YAML: unsupported tag `!!seq` on a mapping"),
        ("a: !!map [1]\n", "1:4: could not parse YAML: unsupported tag `!!map` on a list"),
        ("a: !!timestamp 2024-01-01\n", "1:4: could not parse YAML: unsupported tag `!!timestamp`"),
        ("a: !!int twelve\n", "1:4: could not parse YAML: `twelve` is not a valid `!!int` value"),
        ("a: !!bool yes\n", "1:4: could not parse YAML: `yes` is not a valid `!!bool` value"),
    ],
)
def test_syntax_errors_are_one_clean_line_at_the_problem(text: str, expected: str) -> None:
    error = syntax_error(text)
    assert str(error) == f"{PATH}:{expected}"
    assert "\n" not in error.message
    assert "unicode string" not in error.message


def test_an_error_in_a_later_document_has_its_absolute_line() -> None:
    error = syntax_error("a: 1\n---\nb: 1\nb: 2\n")
    assert str(error) == f"{PATH}:4:1: duplicate key `b` (first defined at line 3)"


def test_syntax_error_is_a_value_error() -> None:
    assert isinstance(syntax_error("a: [\n"), ValueError)


# --- files ---------------------------------------------------------------------------------


def test_read_yaml_documents_uses_the_display_path(tmp_path: Path) -> None:
    file = tmp_path / "defs.yaml"
    file.write_text("\ufeffa:\n  b: 1\n", encoding="utf-8")
    (document,) = read_yaml_documents(file, "defs/defs.yaml")
    assert document.value == {"a": {"b": 1}}
    assert document.path == "defs/defs.yaml"
    assert document.positions.location(("a", "b")) == SourceLocation("defs/defs.yaml", 2, 6)


def test_a_file_that_is_not_utf8_is_a_located_syntax_error(tmp_path: Path) -> None:
    file = tmp_path / "defs.yaml"
    file.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(YamlSyntaxError) as info:
        read_yaml_documents(file, "defs.yaml")
    assert str(info.value) == (
        "defs.yaml:2:7: could not parse YAML: the file is not valid UTF-8 (byte 0xe9)"
    )


def test_a_file_that_cannot_be_read_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError) as info:
        read_yaml_documents(tmp_path / "nope.yaml", "nope.yaml")
    assert str(info.value) == "nope.yaml: cannot read the file: no such file or directory"


def test_only_regular_files_under_the_size_limit_are_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")  # a plain read would block until someone writes
    (tmp_path / "big.yaml").write_text("- 1\n" * 10 + "#" * 10)
    with pytest.raises(UnreadableFileError, match="not a regular file"):
        read_yaml_documents(tmp_path / "fifo.yaml", "fifo.yaml")
    with pytest.raises(UnreadableFileError, match="/dev/zero: not a regular file"):
        read_yaml_documents(Path("/dev/zero"), "/dev/zero")
    with pytest.raises(UnreadableFileError, match="over the size limit of 49 bytes"):
        read_yaml_documents(tmp_path / "big.yaml", "big.yaml", max_size=49)
    assert len(read_yaml_documents(tmp_path / "big.yaml", "big.yaml", max_size=50)) == 1


# --- speed ---------------------------------------------------------------------------------


def _defs_yaml(items: int) -> str:
    lines = ["type: assetloom.components.EtlTables", "attributes:", "  etl_tables:"]
    for i in range(items):
        lines += [
            f"    - name: table_{i}",
            f"      deps: [raw_{i}, raw_{i + 1}]",
            f'      query: "SELECT * FROM raw_{i} JOIN raw_{i + 1} USING (id)"',
        ]
    return "\n".join(lines) + "\n"


def test_a_ten_item_defs_file_parses_well_under_a_millisecond() -> None:
    text = _defs_yaml(10)
    parse_yaml_documents(text, PATH)  # warm up the lazy imports
    best = math.inf
    for _ in range(20):
        start = time.perf_counter()
        for _ in range(10):
            parse_yaml_documents(text, PATH)
        best = min(best, (time.perf_counter() - start) / 10)
    assert best < 0.001, f"{best * 1e6:.0f} µs"


def test_without_the_c_parser_the_pure_python_one_gives_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = [parse_yaml_documents(text, PATH)[0] for text in (DEFS, ANCHORS)]
    monkeypatch.setitem(sys.modules, "ruamel.yaml.cyaml", None)  # `import` now fails
    slow = [parse_yaml_documents(text, PATH)[0] for text in (DEFS, ANCHORS)]
    assert [d.value for d in slow] == [d.value for d in fast]
    for path in [("attributes", "etl_tables", 1, "deps", 1), ("attributes", "etl_tables")]:
        assert slow[0].positions.location(path) == fast[0].positions.location(path)
        assert slow[0].positions.key_location(path) == fast[0].positions.key_location(path)
    assert slow[1].positions.location(("items", 1, "tags", 1)) == at(3, 13)
    assert (
        str(syntax_error("a: 1\nb\n"))
        == f"{PATH}:2:1: could not parse YAML: expected ':' after a key"
    )
