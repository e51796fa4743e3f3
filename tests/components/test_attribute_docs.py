"""A docstring under a component field is that field's description in JSON Schema, read from
the source only when a schema is generated (never while a project loads)."""

from __future__ import annotations

import inspect
from typing import Annotated, Any

import pytest
from pydantic import ConfigDict, Field

import assetloom as dg
from assetloom.components import attribute_docs
from assetloom.components.resolvable import yaml_model_for
from tests.projects import WriteProject, load


class Table(dg.Model):
    name: str
    """The table's name."""
    query: str = Field(description="Given by Field, which wins.")
    """Not used: Field's description wins."""
    rows: int = 0


class Partitioned(Table):
    name: str
    """A partitioned table's name."""
    partition: str = "day"
    """How the table is split."""


class WithOwnExtra(dg.Model):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "t"}]})

    name: str
    """Still documented."""


def _properties(model: Any) -> dict[str, Any]:
    schema = model.model_json_schema()
    found: dict[str, Any] = schema["properties"]
    return found


def test_a_field_docstring_is_its_description() -> None:
    properties = _properties(Table)
    assert properties["name"]["description"] == "The table's name."
    assert properties["query"]["description"] == "Given by Field, which wins."
    assert "description" not in properties["rows"]


def test_a_subclass_documents_its_own_fields_and_keeps_its_bases() -> None:
    properties = _properties(Partitioned)
    assert properties["name"]["description"] == "A partitioned table's name."
    assert properties["partition"]["description"] == "How the table is split."
    assert properties["query"]["description"] == "Given by Field, which wins."


def test_a_model_with_its_own_json_schema_extra_keeps_its_docstrings() -> None:
    schema = WithOwnExtra.model_json_schema()
    assert schema["properties"]["name"]["description"] == "Still documented."
    assert schema["examples"] == [{"name": "t"}]


def _upper(context: dg.ResolutionContext, value: str) -> str:
    return value.upper()


class Renamed(dg.Model, dg.Resolvable):
    label: Annotated[str, dg.Resolver(_upper, model_field_name="title")]
    """Shown as the title."""


def test_a_derived_yaml_model_documents_the_name_written_in_yaml() -> None:
    properties = _properties(yaml_model_for(Renamed))
    assert properties["title"]["description"] == "Shown as the title."


def test_a_class_without_source_has_no_docstrings() -> None:
    namespace: dict[str, Any] = {"dg": dg}
    exec("class Nowhere(dg.Model):\n    name: str\n    'doc'\n", namespace)
    assert attribute_docs.attribute_docstrings(namespace["Nowhere"]) == {}
    assert "description" not in _properties(namespace["Nowhere"])["name"]


COMPONENT = '''
import assetloom as dg


class Tables(dg.Component, dg.Model, dg.Resolvable):
    names: list[str]
    """One asset per name."""

    def build_defs(self, context):
        return dg.Definitions(assets=[dg.AssetSpec(name) for name in self.names])
'''


def test_loading_a_project_reads_no_docstrings(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/a/defs.yaml": "type: components.tables.Tables\nattributes: {names: [a]}\n",
        }
    )

    def refuse(*args: object) -> None:
        raise AssertionError("read source code while loading")

    monkeypatch.setattr(inspect, "findsource", refuse)
    assert [a.key.to_user_string() for a in load(root).assets] == ["a"]
