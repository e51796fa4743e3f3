"""Resolvable: a class's annotated fields become its YAML attributes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Annotated, Literal

import pytest
from pydantic import ValidationError

import assetloom as dg
from assetloom.components.resolvable import ResolutionContext, resolve_attributes, yaml_model_for
from assetloom.errors import DefsDocumentError, SourceLocation


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Column(dg.Model):
    name: str
    nullable: bool = True


class Table(dg.Model, dg.Resolvable):
    name: str
    columns: list[Column] = []
    by_name: dict[str, Column] = {}
    owner: str | None = None
    color: Color = Color.RED
    mode: Literal["append", "overwrite"] = "append"
    key: dg.ResolvedAssetKey | None = None


def _resolve(cls: type, attributes: object) -> object:
    return resolve_attributes(cls, attributes, ResolutionContext())


def test_a_model_resolves_nested_models_lists_dicts_optionals_enums_and_literals() -> None:
    table = _resolve(
        Table,
        {
            "name": "orders",
            "columns": [{"name": "id", "nullable": False}, {"name": "amount"}],
            "by_name": {"id": {"name": "id"}},
            "color": "blue",
            "mode": "overwrite",
            "key": "raw/orders",
        },
    )
    assert isinstance(table, Table)
    assert table.columns == [Column(name="id", nullable=False), Column(name="amount")]
    assert table.by_name == {"id": Column(name="id")}
    assert table.owner is None
    assert table.color is Color.BLUE
    assert table.mode == "overwrite"
    assert table.key == dg.AssetKey(["raw", "orders"])


def test_defaults_apply_when_attributes_are_omitted() -> None:
    table = _resolve(Table, {"name": "t"})
    assert isinstance(table, Table)
    assert (table.columns, table.by_name, table.color, table.mode, table.key) == (
        [], {}, Color.RED, "append", None
    )


def test_a_literal_rejects_other_values() -> None:
    with pytest.raises(ValidationError) as caught:
        _resolve(Table, {"name": "t", "mode": "upsert"})
    [problem] = caught.value.errors()
    assert problem["loc"] == ("mode",)


def test_a_model_without_resolvers_is_its_own_yaml_model() -> None:
    assert yaml_model_for(Column) is Column
    assert yaml_model_for(Table) is not Table
    assert yaml_model_for(Table) is yaml_model_for(Table)  # built once per class


@dataclass
class Partition:
    start: str
    end: str | None = None


@dataclass
class Job(dg.Resolvable):
    """Nightly job."""

    target: dg.ResolvedAssetKey
    partitions: list[Partition] = field(default_factory=list)
    retries: int = 2
    specs: list[dg.ResolvedAssetSpec] = field(default_factory=list)


def test_a_dataclass_resolves_with_nested_dataclasses_and_resolved_types() -> None:
    job = Job.resolve_from_yaml(
        {
            "target": "marts/revenue",
            "partitions": [{"start": "2024-01"}],
            "specs": [{"key": "a/b", "deps": ["c"], "group_name": "g", "kinds": ["sql"]}],
        }
    )
    assert job.target == dg.AssetKey(["marts", "revenue"])
    assert job.partitions == [Partition("2024-01")]
    assert job.retries == 2
    [spec] = job.specs
    assert isinstance(spec, dg.AssetSpec)
    assert spec.key == dg.AssetKey(["a", "b"])
    assert [d.asset_key for d in spec.deps] == [dg.AssetKey("c")]
    assert spec.group_name == "g"
    assert set(spec.kinds) == {"sql"}


def test_a_dataclass_rejects_unknown_fields_and_requires_its_required_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        Job.resolve_from_yaml({"partitions": [{"start": "x", "stop": "y"}]})
    assert {(e["type"], e["loc"]) for e in caught.value.errors()} == {
        ("missing", ("target",)),
        ("extra_forbidden", ("partitions", 0, "stop")),
    }


def test_resolved_asset_spec_takes_every_spec_attribute() -> None:
    @dataclass
    class Holder(dg.Resolvable):
        spec: dg.ResolvedAssetSpec

    holder = Holder.resolve_from_yaml(
        {
            "spec": {
                "key": "k",
                "description": "d",
                "metadata": {"m": 1},
                "group_name": "g",
                "kinds": ["duckdb"],
                "tags": {"t": "v"},
                "owners": ["team:data"],
                "code_version": "7",
            }
        }
    )
    spec = holder.spec
    assert (spec.description, dict(spec.metadata), spec.group_name) == ("d", {"m": 1}, "g")
    assert (dict(spec.tags), list(spec.owners), spec.code_version) == (
        {"t": "v"}, ["team:data"], "7"
    )


def _upper(context: ResolutionContext, value: str) -> str:
    return value.upper()


def _parse_pair(context: ResolutionContext, value: str) -> tuple[int, int]:
    left, right = value.split("x")
    return int(left), int(right)


class Shape(dg.Model, dg.Resolvable):
    name: Annotated[str, dg.Resolver(_upper)]
    size: Annotated[tuple[int, int], dg.Resolver(_parse_pair, model_field_type=str)]
    label: Annotated[str, dg.Resolver.default(description="A label.")] = "none"


def test_a_resolver_maps_the_yaml_type_to_the_python_value() -> None:
    shape = _resolve(Shape, {"name": "box", "size": "3x4"})
    assert isinstance(shape, Shape)
    assert (shape.name, shape.size, shape.label) == ("BOX", (3, 4), "none")


def test_model_field_type_is_what_the_yaml_must_hold() -> None:
    with pytest.raises(ValidationError) as caught:
        _resolve(Shape, {"name": "box", "size": [3, 4]})
    [problem] = caught.value.errors()
    assert (problem["loc"], problem["type"]) == (("size",), "string_type")


def test_resolver_default_keeps_the_default_resolution_and_documents_the_field() -> None:
    shape = _resolve(Shape, {"name": "b", "size": "1x1", "label": "x"})
    assert isinstance(shape, Shape)
    assert shape.label == "x"
    schema = yaml_model_for(Shape).model_json_schema()
    assert schema["properties"]["label"]["description"] == "A label."


def test_an_error_in_a_resolver_carries_the_yaml_location() -> None:
    seen: list[tuple[object, ...]] = []

    def locate(path: tuple[object, ...]) -> SourceLocation:
        seen.append(path)
        return SourceLocation("defs/x/defs.yaml", 7, 11)

    context = ResolutionContext(path=("attributes",), locate=locate)  # type: ignore[arg-type]
    with pytest.raises(DefsDocumentError) as caught:
        resolve_attributes(Shape, {"name": "b", "size": "ax4"}, context)
    assert seen == [("attributes", "size")]
    assert str(caught.value) == (
        "defs/x/defs.yaml:7:11: attributes.size: ValueError: "
        "invalid literal for int() with base 10: 'a'"
    )


def test_a_resolver_inside_a_list_item_is_located_at_the_item() -> None:
    class Many(dg.Model, dg.Resolvable):
        shapes: list[Shape]

    paths: list[tuple[object, ...]] = []

    def locate(path: tuple[object, ...]) -> SourceLocation:
        paths.append(path)
        return SourceLocation("f.yaml", 1, 1)

    context = ResolutionContext(path=("attributes",), locate=locate)  # type: ignore[arg-type]
    with pytest.raises(DefsDocumentError, match=r"attributes\.shapes\[1\]\.size: ValueError"):
        resolve_attributes(
            Many, {"shapes": [{"name": "a", "size": "1x1"}, {"name": "b", "size": "1"}]}, context
        )
    assert paths == [("attributes", "shapes", 1, "size")]
