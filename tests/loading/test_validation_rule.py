"""One rule for "is this document valid": the loader, ``loom check yaml`` (the session's
``check_documents``) and the published JSON Schema give the same verdict, in the same words
where they are ours.

The rule is the schema's: no string is coerced to a number or a boolean, an integer is a
valid number. One known difference is left: a float with no fractional part (``3.0``) is an
integer to JSON Schema, not to the loader; the generated documents leave such floats out.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from assetloom.errors import LoomError
from assetloom.loading.pipeline import check_document, instantiate
from assetloom.loading.session import LoadSession
from assetloom.project import Project
from assetloom.schema.generate import DEFS_SCHEMA_FILE, TEMPLATE_DEF, SchemaSet
from assetloom.yaml.source import parse_yaml_documents
from tests.projects import WriteProject, load, load_errors

REPOSITORY = Path(__file__).parents[2]

FLAGS = '''
import assetloom as dg


class Flags(dg.Component, dg.Model, dg.Resolvable):
    """A component with the scalar fields YAML most often gets wrong."""

    retries: int | None = None
    enabled: bool = True
    ratio: float = 1.0
    mode: dg.Literal["append", "overwrite"] = "append"

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions()
'''.replace("dg.Literal", "Literal").replace(
    "import assetloom as dg", "from typing import Literal\n\nimport assetloom as dg"
)

STRINGS_AS_SCALARS = """
type: components.flags.Flags
attributes:
  retries: "3"
  enabled: "yes"
"""


def test_strings_are_not_numbers_or_booleans_for_any_command(project: WriteProject) -> None:
    root = project(
        {"components/flags.py": FLAGS, "defs/flags/defs.yaml": STRINGS_AS_SCALARS}
    )
    expected = [
        'defs/flags/defs.yaml:3:12: attributes.retries: expected an integer or null, got "3" '
        "(a string)",
        'defs/flags/defs.yaml:4:12: attributes.enabled: expected a boolean, got "yes" '
        "(a string)",
    ]
    assert load_errors(root) == expected
    [report] = LoadSession(Project.at(root)).check_documents([root / "defs/flags/defs.yaml"])
    assert [str(problem) for problem in report.problems] == expected


def test_an_integer_is_a_valid_number(project: WriteProject) -> None:
    root = project(
        {
            "components/flags.py": FLAGS,
            "defs/flags/defs.yaml": "type: components.flags.Flags\nattributes: {ratio: 3}\n",
        }
    )
    [report] = LoadSession(Project.at(root)).check_documents([root / "defs/flags/defs.yaml"])
    assert report.problems == ()
    assert load(root).resolve_all_asset_keys() == []


def test_a_templated_value_is_judged_after_rendering_by_the_loader_only(
    project: WriteProject,
) -> None:
    root = project(
        {
            "components/flags.py": FLAGS,
            "defs/flags/defs.yaml": "type: components.flags.Flags\n"
            "attributes: {retries: \"{{ 'x' }}\"}\n",
        }
    )
    [report] = LoadSession(Project.at(root)).check_documents([root / "defs/flags/defs.yaml"])
    assert report.problems == ()
    assert load_errors(root) == [
        'defs/flags/defs.yaml:2:23: attributes.retries: expected an integer or null, got "x" '
        "(a string)"
    ]


# --- the property: three judges, one verdict ----------------------------------------------


class Judges:
    """The example project's components, the built-ins and ``Flags``, judged three ways."""

    def __init__(self, root: Path) -> None:
        session = LoadSession(Project.at(root))
        self.session = session
        self.context = session.root_context.for_path(root / "defs" / "generated")
        schemas = SchemaSet.for_registry(session.registry)
        self.published = json.loads(schemas.files()[DEFS_SCHEMA_FILE])
        self.schema = Draft202012Validator(self.published)
        self.by_alias = schemas.by_alias
        project_types = (t.name for t in schemas.types.values())
        self.types = [
            *sorted(t for t in project_types if not t.startswith("assetloom.")),
            "TemplatedSqlComponent", "PythonScriptComponent", "DefsFolderComponent",
        ]

    def canonical(self, type_name: str) -> str:
        return self.by_alias[type_name].name

    def verdicts(self, document: dict[str, Any]) -> tuple[bool, bool, bool]:
        [parsed] = parse_yaml_documents(json.dumps(document), "defs/generated/defs.yaml")
        return (
            self._passes(lambda: instantiate(parsed, context=self.context, registry=self.registry)),
            self._passes(
                lambda: check_document(parsed, context=self.context, registry=self.registry)
            ),
            self.schema.is_valid(document),
        )

    @property
    def registry(self) -> Any:
        return self.session.registry

    @staticmethod
    def _passes(judge: Any) -> bool:
        try:
            judge()
        except LoomError:
            return False
        return True


@pytest.fixture(scope="module")
def judges(tmp_path_factory: pytest.TempPathFactory) -> Judges:
    root = tmp_path_factory.mktemp("judged")
    shutil.copytree(REPOSITORY / "components", root / "components")
    (root / "components" / "flags.py").write_text(FLAGS, encoding="utf-8")
    (root / "defs" / "generated").mkdir(parents=True)
    return Judges(root)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer()),
    st.sampled_from(["3", "yes", "true", "1.5", "append", "overwrit", "a", "b/c", ""]),
    st.text(alphabet="abcxyz_", min_size=1, max_size=6),
)
TEXT = st.text(alphabet="abcxyz_", min_size=1, max_size=6)


def _near(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values the schema ``schema`` accepts, and now and then a value that breaks it: a
    wrong scalar instead of a node, a required key dropped, an unknown key added."""
    return st.integers(0, 11).flatmap(
        lambda roll: SCALARS if roll == 0 else _valid(schema, defs)
    )


def _valid(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "$ref" in schema:
        target = schema["$ref"].removeprefix("#/$defs/").replace("~1", "/").replace("~0", "~")
        if target == TEMPLATE_DEF:
            return st.nothing()  # templated strings aside: they render before validation
        return st.deferred(lambda: _near(defs[target], defs))
    for key in ("anyOf", "oneOf"):
        if key in schema and "properties" not in schema:
            return st.one_of([_valid(branch, defs) for branch in schema[key]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    kind = schema.get("type")
    if kind == "object":
        return _mapping(schema, defs)
    if kind == "array":
        return st.lists(_near(schema.get("items", {}), defs), max_size=3)
    return {
        "string": TEXT,
        "integer": st.integers(-5, 5),
        "number": st.floats(-5, 5).filter(lambda f: not f.is_integer()),
        "boolean": st.booleans(),
        "null": st.none(),
    }.get(str(kind), SCALARS)


def _mapping(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", ()))
    if not properties:
        return st.dictionaries(TEXT, SCALARS, max_size=2)
    fields = {
        name: _near(node, defs) if name in required else st.none() | _near(node, defs)
        for name, node in properties.items()
    }
    return st.fixed_dictionaries(
        {},
        optional=fields,
    ).flatmap(
        lambda chosen: st.sampled_from(["as is", "as is", "as is", "unknown key"]).map(
            lambda how: {**chosen, "nmae": 1} if how == "unknown key" else chosen
        )
    )


def _documents(judges: Judges) -> st.SearchStrategy[dict[str, Any]]:
    defs = judges.published["$defs"]
    return st.sampled_from(judges.types).flatmap(
        lambda type_name: _near(defs[judges.canonical(type_name)], defs).map(
            lambda attributes: {"type": type_name, "attributes": attributes}
        )
    )


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_loader_check_yaml_and_the_published_schema_agree(judges: Judges, data: Any) -> None:
    document = data.draw(_documents(judges))
    loader, check_yaml, schema = judges.verdicts(document)
    assert loader == check_yaml == schema, document
