"""Schemas generated from the component models."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from jsonschema import Draft202012Validator

from assetloom.components.component import Component
from assetloom.components.resolvable import Model, Resolvable, Resolver
from assetloom.loading.registry import ComponentRegistry
from assetloom.project import Project
from assetloom.schema.generate import DEFS_SCHEMA_FILE, DRAFT, SchemaSet

from .conftest import GOOD_DEFS, MakeProject

ETL = "components.etl_table_component.EtlTableFactory"


class Mode(Model):
    kind: Literal["full", "incremental"] = "full"
    """How the table is refreshed."""


@dataclasses.dataclass
class Target:
    table: str
    partitions: int = 1


class Everything(Component, Model, Resolvable):
    """A component with every kind of field."""

    count: int
    ratio: float | None = None
    enabled: bool = True
    tags: dict[str, str] = {}
    mode: Mode = Mode()
    targets: list[Target] = []
    key: Annotated[Any, Resolver(lambda ctx, v: v.upper(), model_field_type=str)] = None
    anything: Any = None

    def build_defs(self, context: Any) -> Any:
        raise NotImplementedError


CANONICAL = f"{Everything.__module__}.Everything"


def schema_of(cls: type) -> dict[str, Any]:
    return SchemaSet.from_classes({"x.Everything": cls}).defs_schema


def valid(schema: dict[str, Any], instance: Any) -> bool:
    return Draft202012Validator(schema).is_valid(instance)


def doc(**attributes: Any) -> dict[str, Any]:
    return {"type": "x.Everything", "attributes": attributes}


def test_schemas_are_valid_draft_2020_12() -> None:
    schema = schema_of(Everything)
    assert schema["$schema"] == DRAFT
    Draft202012Validator.check_schema(schema)
    for ctype in SchemaSet.from_classes({"x.Everything": Everything}).types.values():
        Draft202012Validator.check_schema(ctype.standalone_schema())


def test_templates_are_accepted_wherever_a_typed_value_is_expected() -> None:
    schema = schema_of(Everything)
    template = "{{ env.N }}"
    assert valid(schema, doc(count=3))
    assert valid(schema, doc(count=template))
    for field in ("ratio", "enabled", "tags", "mode", "targets"):
        assert valid(schema, doc(count=1, **{field: template})), field
    assert valid(schema, doc(count=1, targets=[template, {"table": "t", "partitions": template}]))
    assert valid(schema, doc(count=1, mode={"kind": template}))
    assert valid(schema, doc(count=1, tags={"a": template}))
    # ... but a plain string is not a number, and a template is not a mapping key.
    assert not valid(schema, doc(count="three"))
    assert not valid(schema, doc(count=1, mode={"kind": "partial"}))


def test_unknown_keys_are_rejected_at_every_level() -> None:
    schema = schema_of(Everything)
    assert not valid(schema, doc(count=1, extra=1))
    assert not valid(schema, doc(count=1, mode={"kind": "full", "extra": 1}))
    assert not valid(schema, doc(count=1, targets=[{"table": "t", "extra": 1}]))
    assert not valid(schema, {**doc(count=1), "atributes": {}})
    assert not valid(schema, {**doc(count=1), "requirements": {"env": [], "extra": 1}})
    assert valid(schema, {**doc(count=1), "requirements": {"env": ["A"]}})
    assert not valid(schema, {**doc(count=1), "post_processing": {"assets": [{"operation": "x"}]}})


def test_required_attributes_make_attributes_required() -> None:
    schema = schema_of(Everything)
    assert not valid(schema, {"type": "x.Everything"})
    assert valid(schema, {"type": ".beside.Thing"})  # relative types are checked by the CLI
    assert not valid(schema, {"type": "x.Nope"})


def test_descriptions_and_examples_are_kept() -> None:
    schema = schema_of(Everything)
    defs = schema["$defs"]
    assert defs[CANONICAL]["description"] == "A component with every kind of field."
    assert defs[f"{CANONICAL}:Mode"]["properties"]["kind"]["description"] == (
        "How the table is refreshed."
    )
    # The type's accepted names: the one it was registered under, and its canonical name.
    assert schema["properties"]["type"]["anyOf"][0]["enum"] == sorted([CANONICAL, "x.Everything"])


def test_the_etl_schema_has_field_docs(make_project: MakeProject) -> None:
    root = make_project({"defs/a/defs.yaml": GOOD_DEFS})
    schemas = SchemaSet.for_registry(ComponentRegistry(Project.at(root)))
    table = schemas.defs_schema["$defs"][f"{ETL}:EtlTable"]["properties"]
    assert table["name"]["description"] == "The table's name, which is also its asset key."
    assert table["query"]["examples"] == ["select 1"]
    assert ETL in schemas.defs_schema["properties"]["type"]["anyOf"][0]["enum"]


def test_files_are_one_per_type_plus_the_combined_schema(make_project: MakeProject) -> None:
    root = make_project({"defs/a/defs.yaml": GOOD_DEFS})
    files = SchemaSet.for_registry(ComponentRegistry(Project.at(root))).files()
    assert f"{ETL}.json" in files
    assert DEFS_SCHEMA_FILE in files
    assert all(text.endswith("}\n") for text in files.values())
    # Generating twice gives byte-identical files (so `loom schema --check` is exact).
    again = SchemaSet.for_registry(ComponentRegistry(Project.at(root))).files()
    assert again == files


@pytest.mark.parametrize(
    ("attributes", "ok"),
    [
        ({"etl_tables": []}, True),
        ({"etl_tables": "{{ tables }}"}, True),
        ({"etl_tables": [{"name": "a", "query": "q", "deps": 5}]}, False),
        ({"etl_table": []}, False),
        (None, False),
    ],
)
def test_per_type_file_validates_attributes(
    make_project: MakeProject, attributes: Any, ok: bool
) -> None:
    root = make_project({"defs/a/defs.yaml": GOOD_DEFS})
    schemas = SchemaSet.for_registry(ComponentRegistry(Project.at(root)))
    standalone = schemas.types[ETL].standalone_schema()
    assert valid(standalone, attributes) is ok
    assert valid(schemas.defs_schema, {"type": ETL, "attributes": attributes}) is ok


def test_repository_schemas_do_not_drift() -> None:
    repo = Path(__file__).resolve().parents[2]
    if not (repo / "schemas").is_dir():
        pytest.skip("the repository has no committed schemas/ yet")
    from assetloom.cli.schema import compare, generate_files

    drift = compare(repo / "schemas", generate_files(Project.at(repo)))
    assert not drift, f"schemas/ is out of date (run `loom schema`): {drift}"
