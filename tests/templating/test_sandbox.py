"""Templates cannot touch the machine: known server-side template injection payloads, every
attribute of every object a template can reach, and random attribute/call chains are each
refused with a located error — and no file is opened, listed, written or run meanwhile.

File access is watched with a Python audit hook (``open``, ``os.*``, ``subprocess.*``,
``shutil.*``...), so a payload that reads ``/etc/passwd`` without writing anything is caught
too; a canary file in the project checks that nothing was written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assetloom.components.component import ComponentLoadContext
from assetloom.errors import SourceLocation, TemplateError
from assetloom.loading.template_vars import context_data
from assetloom.templating.environment import TemplateEnvironment, TemplateScope, env_accessor
from assetloom.templating.plain import SCALARS
from assetloom.yaml.source import PositionMap, parse_yaml_documents

PATH = "defs/t/defs.yaml"
DOCUMENT = "type: x\nattributes:\n  query: placeholder\n"
AT_QUERY = SourceLocation(PATH, 3, 10)
CANARY_TEXT = "canary: untouched\n"

# Audit events that mean the file system, a process or the network was touched.
WATCHED_EVENTS = (
    "open",
    "os.",
    "shutil.",
    "subprocess.",
    "socket.",
    "ctypes.",
    "glob.",
    "tempfile.",
)
_recording: list[list[str]] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _recording and event.startswith(WATCHED_EVENTS):
        _recording[-1].append(event)


sys.addaudithook(_audit)


@contextmanager
def no_machine_access() -> Iterator[None]:
    """Fail if anything inside touches files, processes or sockets."""
    events: list[str] = []
    _recording.append(events)
    try:
        yield
    finally:
        _recording.pop()
    assert events == [], f"the template touched the machine: {events}"


def udf(a: Any, b: Any) -> Any:
    return [a, b]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "canary.txt").write_text(CANARY_TEXT)
    (tmp_path / "defs").mkdir()
    return tmp_path


def exposed(root: Path) -> dict[str, Any]:
    """Every kind of object a real load exposes: env, context, template vars, a UDF."""
    context = ComponentLoadContext(
        path=root / "defs" / "t", project_root=root, defs_root=root / "defs"
    )
    return {
        "env": env_accessor(),
        "context": context_data(context),
        "root": root,  # a Path from a template var: crosses over as a string
        "tables": ["orders", "customers"],
        "settings": {"region": "eu", "retries": 3, "paths": {root}},
        "ratio": 0.5,
        "enabled": True,
        "nothing": None,
        "udf": udf,
    }


@pytest.fixture
def scope(root: Path) -> TemplateScope:
    return TemplateScope(exposed(root))


@pytest.fixture
def positions() -> PositionMap:
    return parse_yaml_documents(DOCUMENT, PATH)[0].positions


@pytest.fixture
def environment(scope: TemplateScope, positions: PositionMap) -> TemplateEnvironment:
    environment = TemplateEnvironment()
    environment.render_tree(
        "{{ tables }} {% for t in tables %}{{ t }}{% endfor %}", scope, positions
    )
    return environment  # warmed up: jinja2 imported, nothing left to import lazily


def render(
    environment: TemplateEnvironment, source: str, scope: TemplateScope, positions: PositionMap
) -> Any:
    with no_machine_access():
        return environment.render_tree(source, scope, positions, ("attributes", "query"))


def render_or_error(
    environment: TemplateEnvironment, source: str, scope: TemplateScope, positions: PositionMap
) -> Any:
    try:
        return render(environment, source, scope, positions)
    except TemplateError as error:
        return error


def assert_refused_or_plain(outcome: Any) -> None:
    if isinstance(outcome, TemplateError):
        assert outcome.location == AT_QUERY
    else:
        assert_plain(outcome)


def assert_untouched(root: Path) -> None:
    assert (root / "canary.txt").read_text() == CANARY_TEXT
    assert sorted(p.name for p in root.iterdir()) == ["canary.txt", "defs"]
    assert list((root / "defs").iterdir()) == []


def assert_plain(value: Any) -> None:
    """Exact plain types all the way down."""
    if type(value) in (list,):
        for item in value:
            assert_plain(item)
    elif type(value) is dict:
        for key, item in value.items():
            assert_plain(key)
            assert_plain(item)
    else:
        assert type(value) in SCALARS, f"{type(value).__name__} leaked out of a template"


PAYLOADS = [
    # the classic escape through the class hierarchy
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__ }}",
    "{{ [].__class__.__base__.__subclasses__() }}",
    "{{ {}.__class__ }}",
    "{{ (1).__class__ }}",
    "{{ tables.__class__ }}",
    "{{ tables.__len__() }}",
    "{{ tables.__getitem__(0) }}",
    "{{ '' ~ tables.__class__ }}",
    "{{ (tables|first).__class__ }}",
    "{{ udf(1, 2).__class__ }}",
    "{{ dict(a=1).__class__ }}",
    "{{ tables.copy().__class__ }}",
    "{{ tables.index.__self__ }}",
    "{{ tables.index.__func__ }}",
    "{{ 'a'.upper.__self__ }}",
    # jinja2's global gadgets
    "{{ cycler.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ lipsum() }}",
    "{{ cycler(1, 2).next() }}",
    "{{ joiner() }}",
    "{{ namespace(a=1) }}",
    "{% set ns = namespace() %}{% set ns.x = 1 %}",
    "{{ range.__self__ }}",
    "{{ range.__func__.__globals__ }}",
    "{{ range.__self__.globals }}",
    "{{ dict.fromkeys([1]) }}",
    "{{ dict.mro() }}",
    "{{ dict.__subclasses__() }}",
    # jinja2's own objects
    "{{ self }}",
    "{{ self.__init__.__globals__.__builtins__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__dict__ }}",
    "{{ loop }}",
    "{% for t in tables %}{{ loop.__class__ }}{% endfor %}",
    "{% for t in tables %}{{ loop._iterator }}{% endfor %}",
    "{% for t in tables %}{{ loop.__init__.__globals__ }}{% endfor %}",
    "{% macro m() %}{% endmacro %}{{ m.__globals__ }}",
    "{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}",
    "{% macro m() %}{% endmacro %}{{ m._environment }}",
    "{% macro m() %}{% endmacro %}{{ m.arguments }}",
    "{% macro m() %}{% endmacro %}{{ m }}",
    "{{ caller }}",
    "{{ super() }}",
    "{% block b %}{{ super.__self__ }}{% endblock %}",
    # names web frameworks put in scope
    "{{ config }}",
    "{{ config.items() }}",
    "{{ request.application.__globals__ }}",
    "{{ __builtins__ }}",
    "{{ __import__('os') }}",
    "{{ globals() }}",
    "{{ open('/etc/passwd').read() }}",
    "{{ eval('1') }}",
    "{{ undefined_thing.__class__ }}",
    # format strings and the attr filter
    "{{ '{0.__class__}'.format(tables) }}",
    "{{ '{0.__class__.__mro__}'.format('') }}",
    "{{ '{x.__class__}'.format_map({'x': 1}) }}",
    "{{ ''.format }}",
    "{{ ''['format']('{0.__class__}', 1) }}",
    "{{ tables['__class__'] }}",
    "{{ settings['__class__'] }}",
    "{{ ''.encode('utf-8') }}",
    "{{ '%s' % tables.__class__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ context.project_root|attr('read_text') }}",
    "{{ tables|map(attribute='__class__')|list }}",
    "{{ tables|map('attr', '__class__')|list }}",
    "{{ tables|selectattr('__class__')|list }}",
    "{{ tables|sort(attribute='__class__') }}",
    "{{ tables|groupby('__class__') }}",
    "{{ tables|sum(attribute='__class__') }}",
    # the objects of the scope: paths are strings, functions have no attributes
    "{{ context.project_root.read_text() }}",
    "{{ context.project_root.joinpath('defs', 'evil.py').write_text('pwned') }}",
    "{{ context.project_root.iterdir() }}",
    "{{ root.read_text() }}",
    "{{ root.parent }}",
    "{{ context.__class__ }}",
    "{{ settings.paths.pop() }}",
    "{{ env.__class__ }}",
    "{{ env.__class__.__init__.__globals__ }}",
    "{{ env.__dict__ }}",
    "{{ env.__init__ }}",
    "{{ env('HOME').__class__ }}",
    "{{ udf.__globals__ }}",
    "{{ udf.__code__ }}",
    "{{ udf.function }}",
    "{{ udf.function.__globals__ }}",
    "{{ udf.name }}",
    "{{ udf }}",
    # mutation
    "{{ tables.append('x') }}",
    "{{ tables.pop() }}",
    "{{ settings.update({}) }}",
    "{{ settings.setdefault('a', 1) }}",
    "{{ settings.clear() }}",
    "{% set _ = settings.update({'region': 'us'}) %}",
    # files through template statements
    "{% include '/etc/passwd' %}",
    "{% import '/etc/passwd' as p %}",
    "{% from '/etc/passwd' import x %}",
    "{% extends '/etc/passwd' %}",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_injection_payload_is_refused_with_a_located_error(
    payload: str,
    environment: TemplateEnvironment,
    scope: TemplateScope,
    positions: PositionMap,
    root: Path,
) -> None:
    with pytest.raises(TemplateError) as caught:
        render(environment, payload, scope, positions)
    assert caught.value.location == AT_QUERY
    assert str(caught.value).startswith(f"{PATH}:3:10: ")
    assert_untouched(root)


def test_the_battery_is_refused_in_text_templates_too(
    environment: TemplateEnvironment, scope: TemplateScope, positions: PositionMap, root: Path
) -> None:
    for payload in PAYLOADS:
        with pytest.raises(TemplateError) as caught:
            render(environment, f"SELECT 1 -- {payload}", scope, positions)
        assert caught.value.location == AT_QUERY, payload
    assert_untouched(root)


@pytest.mark.parametrize("name", sorted(exposed(Path("/tmp"))))
def test_every_attribute_of_every_exposed_object_is_refused_or_plain(
    name: str,
    environment: TemplateEnvironment,
    scope: TemplateScope,
    positions: PositionMap,
    root: Path,
) -> None:
    """Each name `dir()` gives for the object — and for the object the template actually
    sees — read, and called with no arguments: an error, or plain data."""
    value = scope.names[name]
    attributes = sorted({*dir(value), *dir(exposed(root)[name])})
    for attribute in attributes:
        for source in (f"{{{{ {name}.{attribute} }}}}", f"{{{{ {name}.{attribute}() }}}}"):
            assert_refused_or_plain(render_or_error(environment, source, scope, positions))
    assert_untouched(root)


def test_what_templates_see_of_the_load_context_is_strings(
    environment: TemplateEnvironment, scope: TemplateScope, positions: PositionMap, root: Path
) -> None:
    assert render(environment, "{{ context }}", scope, positions) == {
        "project_root": root.as_posix(),
        "defs_root": (root / "defs").as_posix(),
        "path": (root / "defs" / "t").as_posix(),
        "relative_path": "defs/t",
    }
    assert render(environment, "{{ root }}/data", scope, positions) == f"{root.as_posix()}/data"
    assert render(environment, "{{ settings.paths }}", scope, positions) == [str(root)]


def test_plain_methods_and_filters_still_work(
    environment: TemplateEnvironment, scope: TemplateScope, positions: PositionMap
) -> None:
    cases = {
        "{{ tables|map('upper')|list }}": ["ORDERS", "CUSTOMERS"],
        "{{ tables|join(',') }}": "orders,customers",
        "{{ 'a,b'.split(',') }}": ["a", "b"],
        "{{ settings.items()|list }}": [
            ["region", "eu"],
            ["retries", 3],
            ["paths", [scope.names["root"]]],
        ],
        "{{ settings.get('region') }}": "eu",
        "{{ 'x'.center(5) }}": "  x  ",
        "{% for k, v in settings.items() %}{{ k }};{% endfor %}": "region;retries;paths;",
        "{% for t in tables %}{{ loop.index }}{{ loop.cycle('a', 'b') }}{% endfor %}": "1a2b",
        "{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m('y') }}": "<y>",
        "{{ udf('a', 1) }}": ["a", 1],
        "{{ range(3)|list }}": [0, 1, 2],
        "{{ dict(a=1) }}": {"a": 1},
        (
            "{% for g in [{'k': 1}, {'k': 1}]|groupby('k') %}"
            "{{ g.grouper }}{{ g.list|length }}{% endfor %}"
        ): "12",
        "{{ '%05d' % 42 }}": "00042",
    }
    for source, expected in cases.items():
        assert render(environment, source, scope, positions) == expected, source


def test_a_function_returning_an_object_is_refused_naming_itself(
    environment: TemplateEnvironment, positions: PositionMap, root: Path
) -> None:
    with (root / "canary.txt").open() as handle:
        scope = TemplateScope({"handle": lambda: handle, "where": lambda: root})
        assert render(environment, "{{ where() }}", scope, positions) == str(root)
        error = environment_error(environment, "{{ handle() }}", scope, positions)
        assert handle.tell() == 0  # a file is an iterator, but it is not read
    assert error.message == (
        "template function `handle` returned a `TextIOWrapper`, which templates cannot use "
        "(only strings, numbers, booleans, None, lists and dicts)"
    )
    assert error.location == AT_QUERY


def test_a_scope_value_that_is_not_data_is_refused() -> None:
    with pytest.raises(TemplateError) as caught:
        TemplateScope({"lock": object()})
    assert caught.value.message == (
        "template name `lock` is a `object`, which templates cannot use "
        "(only strings, numbers, booleans, None, lists, dicts and functions)"
    )


def environment_error(
    environment: TemplateEnvironment, source: str, scope: TemplateScope, positions: PositionMap
) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        environment.render_tree(source, scope, positions, ("attributes", "query"))
    return caught.value


# --- random chains -------------------------------------------------------------------------

ATTRIBUTE_NAMES = sorted(
    {
        name
        for value in (*exposed(Path("/tmp")).values(), "", [], {}, 1, 1.5, True, None, Path("/"))
        for name in dir(value)
    }
    | {"project_root", "region", "paths", "function", "name", "lookup", "HOME", "PATH"}
)
START_NAMES = [*sorted(exposed(Path("/tmp"))), "range", "dict", "self", "loop", "cycler", "lipsum"]
ARGUMENTS = st.sampled_from(["", "0", "'x'", "'/etc/passwd'", "1, 2", "'a', 'b'", "tables", "root"])
STEPS = st.one_of(
    st.sampled_from(ATTRIBUTE_NAMES).map(lambda name: f".{name}"),
    st.sampled_from(["[0]", "[-1]", "['region']", "['__class__']", "[1:]", "['HOME']"]),
    ARGUMENTS.map(lambda args: f"({args})"),
    st.sampled_from(["|first", "|list", "|string", "|tojson", "|length", "|items", "|default(1)"]),
)
CHAINS = st.builds(
    lambda start, steps: start + "".join(steps),
    st.sampled_from(START_NAMES),
    st.lists(STEPS, min_size=1, max_size=5),
)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chain=CHAINS, text=st.booleans())
def test_random_chains_never_yield_an_object_nor_touch_the_machine(
    chain: str,
    text: bool,
    environment: TemplateEnvironment,
    scope: TemplateScope,
    positions: PositionMap,
    root: Path,
) -> None:
    source = f"value: {{{{ {chain} }}}}" if text else f"{{{{ {chain} }}}}"
    assert_refused_or_plain(render_or_error(environment, source, scope, positions))
    assert_untouched(root)


def test_the_watch_sees_a_file_being_read(root: Path) -> None:
    with pytest.raises(AssertionError, match="touched the machine"), no_machine_access():
        (root / "canary.txt").read_text()


@pytest.mark.parametrize("name", ["cycler", "joiner", "namespace", "lipsum", "self", "config"])
def test_a_removed_gadget_is_an_undefined_name_like_any_other(
    name: str, environment: TemplateEnvironment, scope: TemplateScope, positions: PositionMap
) -> None:
    for source in (f"{{{{ {name} }}}}", f"{{{{ {name}() }}}}"):
        error = environment_error(environment, source, scope, positions)
        assert error.message.startswith(f"undefined name `{name}` in template; available names: ")
