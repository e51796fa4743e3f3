"""``env`` in templates: nothing renders silently, and no message shows a variable's value.

An unset variable is an error located at the template, with "did you mean" among the NAMES
of the set variables, unless the template gives a default; a value the template read never
appears in an error message, whatever raised it.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assetloom.errors import SourceLocation, TemplateError
from assetloom.templating.environment import TemplateEnvironment, TemplateScope, env_accessor
from assetloom.yaml.source import PositionMap, parse_yaml_documents

PATH = "defs/t/defs.yaml"
POSITIONS: PositionMap = parse_yaml_documents("type: x\n", PATH)[0].positions
SECRET = "hunter2-Sup3rS3cret"


def fail_with(value: Any) -> None:
    raise ValueError(f"cannot use {value!r}")


def render(source: str) -> Any:
    scope = TemplateScope({"env": env_accessor(), "tables": {"orders": 1}, "check": fail_with})
    return TemplateEnvironment().render_tree(source, scope, POSITIONS, ("type",))


def refusal(source: str) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        render(source)
    assert caught.value.location == SourceLocation(PATH, 1, 7)
    return caught.value


@pytest.fixture(autouse=True)
def variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the variables these tests name are set, so suggestions do not depend on the
    environment the suite runs in (CI sets LOOM_* variables of its own)."""
    for name in [n for n in os.environ if n.startswith("LOOM_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("LOOM_TEST_MIN_AMOUNT", "5")
    monkeypatch.setenv("LOOM_SECRET_KEY", SECRET)
    monkeypatch.delenv("LOOM_TEST_MIN_AMOUNTT", raising=False)
    monkeypatch.delenv("QZX_NEVER_SET_IN_TESTS", raising=False)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ env.LOOM_TEST_MIN_AMOUNT }}", "5"),
        ("{{ env['LOOM_TEST_MIN_AMOUNT'] }}", "5"),
        ("{{ env('LOOM_TEST_MIN_AMOUNT') }}", "5"),
        ("{{ env('LOOM_TEST_MIN_AMOUNT', '9') }}", "5"),
        ("{{ env('QZX_NEVER_SET_IN_TESTS', '9') }}", "9"),
        ("{{ env('QZX_NEVER_SET_IN_TESTS', none) }}", None),
        ("{{ env.QZX_NEVER_SET_IN_TESTS | default('9') }}", "9"),
        ("{{ env['QZX_NEVER_SET_IN_TESTS'] | default(7) }}", 7),
        ("{{ env.QZX_NEVER_SET_IN_TESTS is defined }}", False),
        ("{{ env.LOOM_TEST_MIN_AMOUNT is defined }}", True),
        ("amount > {{ env.LOOM_TEST_MIN_AMOUNT }}", "amount > 5"),
        ("amount > {{ env.QZX_NEVER_SET_IN_TESTS | default(0) }}", "amount > 0"),
    ],
)
def test_set_variables_and_defaults(source: str, expected: Any) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "{{ env.LOOM_TEST_MIN_AMOUNTT }}",
        "WHERE amount > {{ env.LOOM_TEST_MIN_AMOUNTT }}",
        "{{ env['LOOM_TEST_MIN_AMOUNTT'] }}",
        "{{ env('LOOM_TEST_MIN_AMOUNTT') }}",
        "{{ [env.LOOM_TEST_MIN_AMOUNTT] }}",
        "{% if env.LOOM_TEST_MIN_AMOUNTT %}x{% endif %}",
        "{{ env.LOOM_TEST_MIN_AMOUNTT or '5' }}",
        "{{ env.LOOM_TEST_MIN_AMOUNTT ~ '' }}",
    ],
)
def test_an_unset_variable_is_a_located_error_suggesting_set_names(source: str) -> None:
    assert refusal(source).message == (
        "environment variable `LOOM_TEST_MIN_AMOUNTT` is not set and no default was given"
        " — did you mean `LOOM_TEST_MIN_AMOUNT`?"
    )


def test_a_suggestion_never_shows_a_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOM_SECRET_KEY_2", SECRET)
    message = refusal("{{ env.LOOM_SECRET_KY }}").message
    assert "LOOM_SECRET_KEY" in message
    assert SECRET not in message


@pytest.mark.parametrize(
    "source",
    [
        "{{ tables[env.LOOM_SECRET_KEY] }}",
        "{{ tables.get(env.LOOM_SECRET_KEY).missing }}",
        "{{ check(env.LOOM_SECRET_KEY) }}",
        "{{ check(env('LOOM_SECRET_KEY')) }}",
        "{{ check(env['LOOM_SECRET_KEY'] ~ '!') }}",
        "{{ env.LOOM_SECRET_KEY | int(base=2) + [] }}",
        "{{ (env.LOOM_SECRET_KEY ~ '/x').nope }}",
        "{{ {env.LOOM_SECRET_KEY: 1}[2] }}",
        "{{ range(env.LOOM_SECRET_KEY|length, 0, 0) }}",
    ],
)
def test_an_error_message_never_shows_the_value_of_a_variable_read(source: str) -> None:
    error = refusal(source)
    assert SECRET not in str(error)
    assert SECRET[:8] not in str(error)


def test_the_original_error_is_not_kept_when_it_may_hold_a_value() -> None:
    error = refusal("{{ check(env.LOOM_SECRET_KEY) }}")
    assert error.__cause__ is None
    assert error.__suppress_context__


def test_a_hidden_value_is_replaced_by_the_variable_name() -> None:
    assert refusal("{{ tables[env.LOOM_SECRET_KEY] }}").message == (
        "dict value has no key `<value of $LOOM_SECRET_KEY>` — did you mean `orders`?"
    ) or refusal("{{ tables[env.LOOM_SECRET_KEY] }}").message == (
        "dict value has no key `<value of $LOOM_SECRET_KEY>`"
    )
    assert refusal("{{ check(env.LOOM_SECRET_KEY) }}").message == (
        "template raised ValueError: cannot use '<value of $LOOM_SECRET_KEY>'"
    )


FIXED_TEXT = (
    "template raised ValueError: cannot use '<value of $LOOM_TEST_ANY>' "
    "dict value has no key `<value of $LOOM_TEST_ANY>` — did you mean `orders`?"
)


@settings(max_examples=100, deadline=None)
@given(value=st.text(st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=30))
def test_no_value_leaks_whatever_it_is(value: str) -> None:
    """Not even escaped, as `repr` shows it (a value the message's own words hold is not a
    leak, and cannot be told from one)."""
    assume(value not in FIXED_TEXT and repr(value)[1:-1] not in FIXED_TEXT)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOOM_TEST_ANY", value)
        for source in ("{{ check(env.LOOM_TEST_ANY) }}", "{{ tables[env.LOOM_TEST_ANY] }}"):
            with pytest.raises(TemplateError) as caught:
                render(source)
            assert value not in caught.value.message
            assert repr(value)[1:-1] not in caught.value.message
            assert "$LOOM_TEST_ANY" in caught.value.message


def test_variables_are_read_when_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    environment = TemplateEnvironment()
    scope = TemplateScope({"env": env_accessor()})
    monkeypatch.setenv("LOOM_TEST_LATE", "one")
    assert environment.render_tree("{{ env.LOOM_TEST_LATE }}", scope, POSITIONS) == "one"
    monkeypatch.setenv("LOOM_TEST_LATE", "two")
    assert environment.render_tree("{{ env.LOOM_TEST_LATE }}", scope, POSITIONS) == "two"


def test_a_variable_named_like_a_jinja_attribute_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("alters_data", "unsafe_callable", "jinja_pass_arg"):
        monkeypatch.setenv(name, "1")
    assert render("{{ env('LOOM_TEST_MIN_AMOUNT') }}") == "5"
    assert render("{{ env.alters_data }}") == "1"


def test_env_takes_a_name_and_one_default() -> None:
    assert refusal("{{ env(1) }}").message == "env() takes a variable name, got int"
    assert refusal("{{ env('A', 1, 2) }}").message == "env() takes a name and at most one default"
