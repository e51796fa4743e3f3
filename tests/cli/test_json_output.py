"""``--json`` output: the values ``json.dumps(value, indent=2, ensure_ascii=False)`` gives, in
the same layout (a float may be spelled differently: ``5.9e-8`` for ``5.9e-08``)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetloom.cli.json_output import echo_json


def _json_values(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=20,
    )


NO_FLOATS = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text()
FLOATS = st.floats(allow_nan=False, allow_infinity=False)


def _printed(value: Any) -> str:
    printed: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("click.echo", printed.append)
        echo_json(value)
    return printed[0]


@given(_json_values(NO_FLOATS))
def test_without_floats_the_text_is_jsons_own(value: Any) -> None:
    assert _printed(value) == json.dumps(value, indent=2, ensure_ascii=False)


@given(_json_values(NO_FLOATS | FLOATS))
def test_any_value_reads_back_as_itself(value: Any) -> None:
    assert json.loads(_printed(value)) == value
