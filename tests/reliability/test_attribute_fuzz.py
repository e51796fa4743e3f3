"""Any attribute values — of the right shape, the wrong one, or holding templates — load or
give located LoomErrors, within a time limit; ``loom check yaml`` exits 0 or 1 and never
prints a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from assetloom.cli.main import cli
from tests.reliability.conftest import load_and_check

TEMPLATE_PIECES = [
    "{{ ", " }}", "{% ", " %}", "env.HOME", "env('X', 1)", "context.project_root", "1 + 1",
    "'a' * 99999999", "9 ** 9 ** 9", "range(10 ** 9)", "x.__class__", "lipsum", "|", "(",
]  # fmt: skip
strings = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(TEMPLATE_PIECES), max_size=8).map("".join),
    st.sampled_from(["", "a", "orders", "raw/orders", "3", "yes", "null", "1e400"]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    strings,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(strings, inner, max_size=4)
    ),
    max_leaves=25,
)
tables = st.lists(
    st.fixed_dictionaries(
        {"name": st.one_of(strings, values)},
        optional={"deps": st.one_of(st.lists(strings, max_size=3), values), "retries": values},
    ),
    max_size=4,
)
attributes = st.one_of(
    st.fixed_dictionaries({}, optional={"tables": tables, "options": values, "anything": values}),
    values,
)


def document(attributes: Any) -> str:
    """The document as JSON, which YAML reads as it is."""
    return json.dumps({"type": "components.tables.Tables", "attributes": attributes})


@settings(max_examples=300, deadline=None)
@given(attributes=attributes)
def test_any_attribute_values_load_or_give_loom_errors(project_root: Path, attributes: Any) -> None:
    load_and_check(project_root, document(attributes))


@settings(max_examples=60, deadline=None)
@given(attributes=attributes)
def test_check_yaml_never_prints_a_traceback(project_root: Path, attributes: Any) -> None:
    (project_root / "defs" / "x" / "defs.yaml").write_text(document(attributes))
    result = CliRunner().invoke(cli, ["--project", str(project_root), "check", "yaml"])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "hidden_under", ["attributes", "post_processing", "requirements", "template_vars_module"]
)
def test_an_alias_bomb_anywhere_in_a_document_is_refused(
    project_root: Path, hidden_under: str
) -> None:
    rows = "".join(f"  r{r}: &r{r} [{', '.join([f'*r{r - 1}'] * 10)}]\n" for r in range(1, 9))
    text = (
        "type: components.tables.Tables\n"
        f"{hidden_under}:\n  r0: &r0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n{rows}"
    )
    (project_root / "defs" / "x" / "defs.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["--project", str(project_root), "check", "defs"])
    assert result.exit_code == 1
    assert "values (at `*r3`)" in result.output
