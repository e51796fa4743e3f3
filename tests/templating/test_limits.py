"""Rendering is bounded: past each limit a located TemplateError, never a hang or a huge
allocation. Sizes come from hypothesis, on both sides of each bound; every test has a
timeout, so a bound that fails to hold fails the test instead of hanging the suite."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assetloom.errors import LoomError, SourceLocation, TemplateError
from assetloom.templating.environment import TemplateEnvironment, TemplateScope
from assetloom.templating.limits import TemplateLimits
from assetloom.yaml.source import PositionMap, parse_yaml_documents
from tests.projects import WriteProject, load_errors

PATH = "defs/t/defs.yaml"
AT = SourceLocation(PATH, 1, 7)
POSITIONS: PositionMap = parse_yaml_documents("type: x\n", PATH)[0].positions
SMALL = TemplateLimits(max_output=10_000, max_iterations=1_000, max_range=500, max_int_bits=512)
BIG = 10**12  # far past every limit: would hang or exhaust memory if it were computed

pytestmark = pytest.mark.timeout(60)
bounded = settings(max_examples=60, deadline=2000)


def render(source: str, limits: TemplateLimits = SMALL, **names: Any) -> Any:
    environment = TemplateEnvironment(limits)
    return environment.render_tree(source, TemplateScope(names), POSITIONS, ("type",))


def refusal(source: str, limits: TemplateLimits = SMALL, **names: Any) -> str:
    with pytest.raises(TemplateError) as caught:
        render(source, limits, **names)
    assert caught.value.location == AT
    return caught.value.message


OUTPUT = "template value exceeds 10,000 characters (template_max_output)"
PRINTED = "template output exceeds 10,000 characters (template_max_output)"


@bounded
@given(count=st.integers(0, 20_000))
def test_string_and_list_repetition(count: int) -> None:
    for source, size in (("{{ 'ab' * n }}", 2 * count), ("{{ ['x'] * n }}", count + 1)):
        if size <= SMALL.max_output:
            assert len(render(source, n=count)) == (2 * count if "ab" in source else count)
        else:
            assert refusal(source, n=count) == OUTPUT


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'a' * n }}",
        "{{ n * 'a' }}",
        "{{ [1] * n }}",
        "{{ 'a'.center(n) }}",
        "{{ 'a'.ljust(n) }}",
        "{{ 'a'.zfill(n) }}",
        "{{ 'a'|center(n) }}",
        "{{ '%*d' % (n, 1) }}",
        "{{ ('%' ~ n ~ 'd') % 1 }}",
        "{{ ('%.' ~ n ~ 'f') % 1.5 }}",
        "{{ ('%' ~ n ~ 'd')|format(1) }}",
        "{{ 'a\\nb'|indent(n) }}",
        "{{ [1]|batch(n, 0)|list }}",
        "{{ [1]|slice(n)|list }}",
        "{{ range(n) }}",
        "{{ 2 ** n }}",
        "{{ 10 ** 100 * 10 ** n }}",
        "{{ 'ab'.replace('a', 'a' * 5000).replace('a', 'a' * 5000) }}",
        "{{ ('a' * 5000).replace('', 'bb') }}",
        "{{ (' ' * 3000).join(['a'] * 3000) }}",
        "{{ ['a' * 3000] * 3000 }}",
    ],
)
def test_a_multiplying_operation_is_refused_before_it_runs(source: str) -> None:
    """With n = 10**12 each of these would take hours or terabytes if it ran."""
    message = refusal(source, n=BIG)
    assert "template_max" in message or "not available" in message


@bounded
@given(doublings=st.integers(1, 40))
def test_doubling_a_value_stops_at_the_output_limit(doublings: int) -> None:
    steps = "".join("{% set s = s ~ s %}{% set l = l + l %}" for _ in range(doublings))
    source = "{% set s = 'x' %}{% set l = [1] %}" + steps + "{{ s|length }}"
    if 2**doublings < SMALL.max_output:
        assert render(source) == str(2**doublings)
    else:
        assert refusal(source) == OUTPUT


def test_sharing_a_big_value_in_literals_is_weighed_as_a_whole() -> None:
    source = (
        "{% set a = 'x' * 3000 %}{% set b = [a, a, a] %}{% set c = [b, b, b] %}"
        "{% set d = {'k': c, 'j': c} %}{{ d|length }}"
    )
    assert refusal(source) == OUTPUT


@bounded
@given(size=st.integers(0, 2_000))
def test_range_size(size: int) -> None:
    if size <= SMALL.max_range:
        assert render("{{ range(n)|length }}", n=size) == size
    else:
        assert refusal("{{ range(n) }}", n=size) == (
            f"range of {size:,} numbers exceeds 500 (template_max_range)"
        )


def test_a_range_too_big_to_count() -> None:
    assert refusal("{{ range(10 ** 100) }}") == (
        f"range of {SMALL.max_range + 1:,} numbers exceeds 500 (template_max_range)"
    )


@bounded
@given(outer=st.integers(0, 60), inner=st.integers(0, 60))
def test_loop_iterations_are_counted_across_nested_loops(outer: int, inner: int) -> None:
    source = "{% for i in range(a) %}{% for j in range(b) %}{% endfor %}{% endfor %}done"
    if outer + outer * inner <= SMALL.max_iterations:
        assert render(source, a=outer, b=inner) == "done"
    else:
        assert refusal(source, a=outer, b=inner) == (
            "template loops ran more than 1,000 iterations (template_max_iterations)"
        )


def test_iterations_count_over_a_whole_document() -> None:
    environment = TemplateEnvironment(SMALL)
    loop = "{% for i in range(400) %}{% endfor %}"
    document = {"a": loop, "b": loop, "c": loop}
    with pytest.raises(TemplateError) as caught:
        environment.render_tree(document, TemplateScope({}), POSITIONS)
    assert "template_max_iterations" in caught.value.message
    # ...but each document starts afresh
    assert environment.render_tree({"a": loop, "b": loop}, TemplateScope({}), POSITIONS)


@bounded
@given(exponent=st.integers(0, 2_000))
def test_exponentiation(exponent: int) -> None:
    if exponent <= SMALL.max_int_bits:
        assert render("{{ 2 ** n }}", n=exponent) == 2**exponent
    else:
        assert refusal("{{ 2 ** n }}", n=exponent) == (
            "integer result would exceed 512 bits (template_max_int_bits)"
        )


@bounded
@given(count=st.integers(0, 2_000))
def test_printed_output(count: int) -> None:
    source = "{% for i in range(n) %}0123456789{% endfor %}"
    if count * 10 <= SMALL.max_output:
        assert render(source, TemplateLimits(max_output=10_000, max_range=10_000), n=count) == (
            "0123456789" * count
        )
    else:
        assert refusal(source, TemplateLimits(max_output=10_000, max_range=10_000), n=count) == (
            PRINTED
        )


@pytest.mark.parametrize(
    "source",
    [
        # text captured by a block set, a macro or a filter block counts as printed
        "{% set x %}{% for i in r %}{{ s }}{% endfor %}{% endset %}{{ x|length }}",
        "{% macro m() %}{% for i in r %}{{ s }}{% endfor %}{% endmacro %}{{ m()|length }}",
        "{% filter upper %}{% for i in r %}{{ s }}{% endfor %}{% endfilter %}",
        "{% for i in r %}{{ s }}{% endfor %}",
    ],
)
def test_everything_a_template_prints_counts(source: str) -> None:
    assert refusal(source, s="x" * 100, r=list(range(900))) == PRINTED


def test_printing_a_value_too_big_to_print() -> None:
    assert refusal("{{ x }}!", x=["y" * 1_000] * 20) == OUTPUT


def slow_limits(timeout: float) -> TemplateLimits:
    return TemplateLimits(timeout=timeout, max_iterations=10**9, max_range=10**5)


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}{% endfor %}",
        "{% for i in range(10**5) %}{% for j in range(10**5) %}{{ '' }}{% endfor %}{% endfor %}",
        "{% for i in range(10**5) %}{% if big == big2 %}{% endif %}{% endfor %}",
        "{% for i in range(10**5) %}{% if big is eq big2 %}{% endif %}{% endfor %}",
        "{% macro f(n) %}{% for i in range(10) %}{{ f(n) }}{% endfor %}{% endmacro %}{{ f(1) }}",
        "{% for i in range(10**5) %}{{ big|sort|length }}{% endfor %}",
    ],
)
@pytest.mark.parametrize("timeout", [0.05, 0.3])
def test_render_time_is_bounded(source: str, timeout: float) -> None:
    big = list(range(20_000))
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render(source, slow_limits(timeout), big=big, big2=list(big))
    elapsed = time.monotonic() - started
    assert caught.value.location == AT
    assert caught.value.message == (
        f"template rendering took longer than {timeout:g} s (template_timeout)"
    ) or caught.value.message.startswith("template raised RecursionError")
    assert elapsed < timeout + 1.0


def test_the_time_limit_covers_a_whole_document() -> None:
    environment = TemplateEnvironment(slow_limits(0.2))
    spin = "{% for i in range(10**5) %}{% endfor %}"
    document = {f"k{i}": spin for i in range(1_000)}
    started = time.monotonic()
    with pytest.raises(TemplateError, match="template_timeout"):
        environment.render_tree(document, TemplateScope({}), POSITIONS)
    assert time.monotonic() - started < 1.5


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    for source in ("{{ " + "(" * 5_000 + "1" + ")" * 5_000 + " }}", "{% for i in x %}" * 40):
        message = refusal(source, x=[])
        assert message.startswith("template syntax error"), message


# --- settings ------------------------------------------------------------------------------


def test_limits_come_from_the_project_settings() -> None:
    limits = TemplateLimits.from_settings(
        {"template_timeout": 2, "template_max_output": 5, "template_max_range": 7, "name": "x"}
    )
    assert limits == TemplateLimits(timeout=2.0, max_output=5, max_range=7)
    assert TemplateEnvironment.for_settings({}).limits == TemplateLimits()


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("template_timeout", "1s", "expected a positive number, got '1s'"),
        ("template_timeout", 0, "expected a positive number, got 0"),
        ("template_max_output", 1.5, "expected a positive integer, got 1.5"),
        ("template_max_range", True, "expected a positive integer, got True"),
        ("template_max_iterations", -1, "expected a positive integer, got -1"),
    ],
)
def test_a_bad_limit_setting_is_reported_at_pyproject(key: str, value: Any, expected: str) -> None:
    with pytest.raises(LoomError) as caught:
        TemplateLimits.from_settings({key: value})
    assert str(caught.value) == f"pyproject.toml: [tool.assetloom] {key}: {expected}"


COMPONENT = '''
import assetloom as dg


class Tables(dg.Component, dg.Model, dg.Resolvable):
    names: list[str]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions(assets=[dg.AssetSpec(n) for n in self.names])
'''


def test_a_project_setting_bounds_its_templates(project: WriteProject) -> None:
    root: Path = project(
        {
            "pyproject.toml": "[tool.assetloom]\ntemplate_max_range = 3\n",
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: "{{ range(5) | map('string') | list }}"
            """,
        }
    )
    assert load_errors(root) == [
        "defs/t/defs.yaml:3:10: range of 5 numbers exceeds 3 (template_max_range)"
    ]
