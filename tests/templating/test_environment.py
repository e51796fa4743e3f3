"""Templates in YAML strings: native values, sandboxing, and errors located at the string."""

from __future__ import annotations

import subprocess
import sys
import uuid
from typing import Any

import pytest

from assetloom.errors import SourceLocation, TemplateError
from assetloom.templating.environment import (
    TemplateEnvironment,
    TemplateScope,
    env_accessor,
    has_templates,
)
from assetloom.yaml.source import KeyPath, PositionMap, parse_yaml_documents

PATH = "defs/etl/defs.yaml"

DEFS = """\
type: assetloom.components.EtlTables
attributes:
  etl_tables:
    - name: orders
      deps: "{{ upstream }}"
      query: "SELECT * FROM {{ schema }}.orders"
    - name: customers
      deps: [raw_customers]
      limit: "{{ limit * 2 }}"
  untouched:
    nested: [1, 2, {a: b}]
"""


def boom() -> None:
    raise ValueError("the warehouse is closed")


def make_scope(**extra: Any) -> TemplateScope:
    names: dict[str, Any] = {
        "env": env_accessor(),
        "context": {"project_name": "shop", "path": "defs/etl"},
        "upstream": ["raw_orders", "raw_customers"],
        "schema": "analytics",
        "limit": 21,
        "settings": {"region": "eu", "retries": 3},
        "boom": boom,
    }
    names.update(extra)
    return TemplateScope(names)


def positions_of(text: str = DEFS) -> PositionMap:
    return parse_yaml_documents(text, PATH)[0].positions


def render_tree(
    value: Any, scope: TemplateScope, positions: PositionMap, base_path: KeyPath = ()
) -> Any:
    return TemplateEnvironment().render_tree(value, scope, positions, base_path)


def render(source: str, scope: TemplateScope | None = None) -> Any:
    """Render one string as if it were the value of `type:` (line 1, col 7)."""
    return render_tree(source, scope or make_scope(), positions_of(), ("type",))


def render_error(source: str, scope: TemplateScope | None = None) -> TemplateError:
    with pytest.raises(TemplateError) as info:
        render(source, scope)
    return info.value


AT_TYPE = f"{PATH}:1:7"
NAMES = "boom, context, env, limit, schema, settings, upstream"


# --- native values and strings -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ upstream }}", ["raw_orders", "raw_customers"]),
        ("{{ limit }}", 21),
        ("{{ limit / 2 }}", 10.5),
        ("{{ [1, 2] + [3] }}", [1, 2, 3]),
        ("{{ {'a': {'b': limit}} }}", {"a": {"b": 21}}),
        ("{{ settings }}", {"region": "eu", "retries": 3}),
        ("{{ settings.retries > 2 }}", True),
        ("{{ none }}", None),
        ("{{ schema ~ '_v2' }}", "analytics_v2"),
        ("  {{ limit }}\n", 21),
        ('{{ "}}" }}', "}}"),
        ("{{ upstream | length }}", 2),
        ("{{ context.project_name }}", "shop"),
        ("{{ context.path.split('/')[-1] }}", "etl"),
    ],
)
def test_a_single_expression_keeps_its_python_value(source: str, expected: Any) -> None:
    result = render(source)
    assert result == expected
    assert type(result) is type(expected)


def test_a_native_result_is_a_copy_of_plain_data() -> None:
    upstream = ["a", "b"]
    result = render("{{ upstream }}", make_scope(upstream=upstream))
    assert result == upstream
    assert result is not upstream


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("SELECT * FROM {{ schema }}.orders", "SELECT * FROM analytics.orders"),
        ("{{ limit }}{{ limit }}", "2121"),
        ("{{ limit }} rows", "21 rows"),
        ("{{ upstream }}!", "['raw_orders', 'raw_customers']!"),
        ("{% if limit > 20 %}big{% else %}small{% endif %}", "big"),
        ("{% for t in upstream %}{{ t }};{% endfor %}", "raw_orders;raw_customers;"),
        ("SELECT *\nFROM {{ schema }}.t\n", "SELECT *\nFROM analytics.t\n"),
        ("{{- limit -}}", "21"),
        ("{{ none }} and {{ true }}", "None and True"),
    ],
)
def test_mixed_text_and_blocks_render_to_a_string(source: str, expected: str) -> None:
    assert render(source) == expected


def test_render_tree_renders_every_template_leaf() -> None:
    document = parse_yaml_documents(DEFS, PATH)[0]
    rendered = render_tree(document.value, make_scope(), document.positions)
    tables = rendered["attributes"]["etl_tables"]
    assert tables[0] == {
        "name": "orders",
        "deps": ["raw_orders", "raw_customers"],
        "query": "SELECT * FROM analytics.orders",
    }
    assert tables[1]["limit"] == 42


def test_render_tree_copies_only_what_changed() -> None:
    document = parse_yaml_documents(DEFS, PATH)[0]
    value = document.value
    rendered = render_tree(value, make_scope(), document.positions)
    assert rendered is not value
    assert rendered["attributes"] is not value["attributes"]
    assert rendered["attributes"]["untouched"] is value["attributes"]["untouched"]
    assert (
        rendered["attributes"]["etl_tables"][1]["deps"]
        is value["attributes"]["etl_tables"][1]["deps"]
    )
    # the parsed document is left as it was
    assert value["attributes"]["etl_tables"][0]["deps"] == "{{ upstream }}"


def test_render_tree_returns_the_same_object_when_there_is_nothing_to_render() -> None:
    value = {"a": [1, "plain", {"b": None}], "c": "{ not a template }"}
    assert render_tree(value, make_scope(), positions_of()) is value
    text = "just text"
    assert render_tree(text, make_scope(), positions_of()) is text


def test_keys_are_never_rendered() -> None:
    value = {"{{ schema }}": "{{ schema }}"}
    assert render_tree(value, make_scope(), positions_of()) == {"{{ schema }}": "analytics"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{{ x }}", True),
        ("{% if x %}y{% endif %}", True),
        ("plain", False),
        ("{ x }", False),
        ({"a": [1, {"b": "x {{ y }}"}]}, True),
        ({"{{ key }}": "value"}, False),
        ([1, 2.5, None, True], False),
        (42, False),
    ],
)
def test_has_templates(value: Any, expected: bool) -> None:
    assert has_templates(value) is expected


# --- errors --------------------------------------------------------------------------------


def test_an_undefined_name_lists_the_names_and_suggests_one() -> None:
    error = render_error("{{ upstrem }}")
    assert str(error) == (
        f"{AT_TYPE}: undefined name `upstrem` in template; available names: {NAMES}"
        " — did you mean `upstream`?"
    )


def test_an_undefined_name_fails_in_mixed_strings_and_inside_native_values() -> None:
    expected = f"undefined name `nope` in template; available names: {NAMES}"
    assert render_error("x {{ nope }} y").message == expected
    assert render_error("{{ [1, nope] }}").message == expected
    assert render_error("{{ {'k': nope} }}").message == expected
    assert render_error("{% if nope %}x{% endif %}").message == expected


def test_defined_tests_and_default_still_work_with_undefined_names() -> None:
    assert render("{{ nope is defined }}") is False
    assert render("{{ nope | default('fallback') }}") == "fallback"


def test_a_missing_key_or_attribute_suggests_the_close_one() -> None:
    assert render_error("{{ settings.regoin }}").message == (
        "dict value has no key `regoin` — did you mean `region`?"
    )
    assert render_error("{{ context.project_nme }}").message == (
        "dict value has no key `project_nme` — did you mean `project_name`?"
    )
    assert render_error("{{ schema.uper() }}").message == (
        "str value has no attribute `uper` — did you mean `upper` or `isupper`?"
    )
    assert render_error("{{ upstream[5] }}").message == "list value has no item `5`"


def test_an_exception_raised_by_a_template_function_is_reported() -> None:
    error = render_error("{{ boom() }}")
    assert str(error) == f"{AT_TYPE}: template raised ValueError: the warehouse is closed"
    assert isinstance(error.__cause__, ValueError)
    assert (
        render_error("{{ 1 / 0 }}").message == "template raised ZeroDivisionError: division by zero"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ limit + }}", "template syntax error: unexpected 'end of print statement'"),
        (
            "x {{ limit",
            "template syntax error: unexpected end of template, expected 'end of print statement'",
        ),
        (
            "{% if limit %}x",
            "template syntax error: Unexpected end of template. Jinja was looking for the "
            "following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be "
            "closed is 'if'",
        ),
        (
            "{{ limit | lenght }}",
            "template syntax error: no filter named `lenght` — did you mean `length`?",
        ),
        ("{{ limit is evn }}", "template syntax error: no test named `evn` — did you mean `even`?"),
        (
            "SELECT\n  {{ limit +* 2 }}\n",
            "template syntax error: unexpected '*' (line 2 of the template)",
        ),
    ],
)
def test_syntax_errors(source: str, message: str) -> None:
    error = render_error(source)
    assert error.message == message
    assert error.location == SourceLocation(PATH, 1, 7)


def test_errors_point_at_the_string_that_holds_the_template() -> None:
    document = parse_yaml_documents(DEFS, PATH)[0]
    value = document.value
    value["attributes"]["etl_tables"][1]["deps"] = ["ok", "{{ nope }}"]
    with pytest.raises(TemplateError) as info:
        render_tree(value, make_scope(), document.positions)
    # the list was replaced above, so the nearest parsed node is the `deps` value
    assert info.value.location == SourceLocation(PATH, 8, 13)
    with pytest.raises(TemplateError) as info:
        render_tree(value["attributes"], make_scope(), document.positions, ("attributes",))
    assert info.value.location == SourceLocation(PATH, 8, 13)
    value["attributes"]["etl_tables"][1]["deps"] = ["raw_customers"]
    value["attributes"]["etl_tables"][1]["limit"] = "{{ nope }}"
    with pytest.raises(TemplateError) as info:
        render_tree(value, make_scope(), document.positions)
    assert info.value.location == SourceLocation(PATH, 9, 14)


def test_template_error_is_a_value_error() -> None:
    assert isinstance(render_error("{{ nope }}"), ValueError)


# --- sandbox -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ upstream.__class__ }}", "access to attribute '__class__' of 'list' object is unsafe"),
        (
            "x {{ upstream.__class__.__mro__ }}",
            "access to attribute '__class__' of 'list' object is unsafe",
        ),
        (
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "access to attribute '__class__' of 'str' object is unsafe",
        ),
        (
            "{{ boom.__globals__ }}",
            "access to attribute '__globals__' of 'function' object is unsafe",
        ),
        (
            "{{ env.__class__ }}",
            "access to attribute '__class__' of 'EnvAccessor' object is unsafe",
        ),
        ("{{ upstream.append('x') }}", "access to attribute 'append' of 'list' object is unsafe"),
        (
            "{% set _ = settings.update({'region': 'us'}) %}",
            "access to attribute 'update' of 'dict' object is unsafe",
        ),
        ("{{ settings.pop('region') }}", "access to attribute 'pop' of 'dict' object is unsafe"),
    ],
)
def test_the_sandbox_blocks_dunders_and_mutation(source: str, message: str) -> None:
    upstream = ["raw_orders"]
    settings = {"region": "eu"}
    scope = make_scope(upstream=upstream, settings=settings)
    error = render_error(source, scope)
    assert str(error) == f"{AT_TYPE}: the template sandbox does not allow this: {message}"
    assert upstream == ["raw_orders"]
    assert settings == {"region": "eu"}


# --- scope, caching, lazy import -----------------------------------------------------------


def test_scope_copies_its_names() -> None:
    names = {"a": 1}
    scope = TemplateScope(names)
    names["a"] = 2
    assert scope.names == {"a": 1}
    assert repr(TemplateScope({"b": 2, "a": 1})) == "TemplateScope(a, b)"


def test_each_distinct_template_compiles_once_per_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    environment = TemplateEnvironment()
    positions = positions_of()
    sandbox = environment._jinja()
    compiled: list[str] = []
    original_expression = sandbox.compile_expression
    original_template = sandbox.from_string

    def compile_expression(source: str, undefined_to_none: bool = True) -> Any:
        compiled.append(source)
        return original_expression(source, undefined_to_none)

    def from_string(source: Any) -> Any:
        if isinstance(source, str):  # compile_expression passes its parsed tree through here
            compiled.append(source)
        return original_template(source)

    monkeypatch.setattr(sandbox, "compile_expression", compile_expression)
    monkeypatch.setattr(sandbox, "from_string", from_string)
    tag = uuid.uuid4().hex
    native = "{{ '" + tag + "' ~ schema }}"
    mixed = tag + " {{ limit }}"

    def render_here(source: str, scope: TemplateScope) -> Any:
        return environment.render_tree(source, scope, positions, ("type",))

    for _ in range(3):
        assert render_here(native, make_scope()) == f"{tag}analytics"
        assert render_here(mixed, make_scope()) == f"{tag} 21"
        assert render_here(native, make_scope(schema="other")) == f"{tag}other"
    assert compiled == [f" '{tag}' ~ schema ", mixed]
    # another session's environment compiles for itself: nothing is cached process-wide
    assert render(native) == f"{tag}analytics"
    assert len(compiled) == 2


def test_jinja2_is_imported_only_when_a_template_is_rendered() -> None:
    code = """
import sys
import assetloom
from assetloom.templating.environment import TemplateEnvironment, TemplateScope, has_templates
from assetloom.yaml.source import parse_yaml_documents

document = parse_yaml_documents("a: [plain, text]\\nb: '{{ x }}'\\n", "f.yaml")[0]
scope = TemplateScope({"x": 1})
environment = TemplateEnvironment()
assert has_templates(document.value)
assert environment.render_tree(document.value["a"], scope, document.positions, ("a",)) == [
    "plain", "text"
]
assert "jinja2" not in sys.modules, "imported too early"
assert environment.render_tree(document.value, scope, document.positions)["b"] == 1
assert "jinja2" in sys.modules
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
