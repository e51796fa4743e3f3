"""Attribute docstrings (a string literal under an annotated field) as field descriptions in
JSON Schema, read from the source only when a schema is generated.

pydantic's ``use_attribute_docstrings`` does the same at class creation: it finds and
tokenizes the class's source and resolves the real path of every imported module, about
10 ms per model class in every process that merely loads a project. A load never shows a
description, so :class:`~assetloom.components.resolvable.Model` reads them here instead,
from its JSON Schema hook, which pydantic calls only while generating a schema.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["attribute_docstrings", "describe_properties", "described_from"]


def attribute_docstrings(cls: type) -> dict[str, str]:
    """``{field: docstring}`` for the annotated fields of ``cls`` and its bases (a subclass's
    own docstring wins); classes whose source cannot be read contribute nothing."""
    found: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if "__annotations__" in klass.__dict__ and not klass.__module__.startswith("pydantic."):
            found.update(_own_docstrings(klass))
    fields = getattr(cls, "model_fields", None)
    return found if fields is None else {k: v for k, v in found.items() if k in fields}


def describe_properties(schema: dict[str, Any], model: type) -> None:
    """Give each property of ``model``'s schema without a description the docstring of its
    field (what ``Model``'s JSON Schema hook does)."""
    _describe(schema, model, {})


def described_from(
    source: type, yaml_names: Mapping[str, str]
) -> Callable[[dict[str, Any], type], None]:
    """``json_schema_extra`` of a model derived from ``source`` (its YAML model): the same,
    with ``source``'s docstrings and ``yaml_names`` (field → property where they differ)."""
    return lambda schema, model: _describe(schema, source, yaml_names)


def _describe(schema: dict[str, Any], source: type, yaml_names: Mapping[str, str]) -> None:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    for field, doc in attribute_docstrings(source).items():
        prop = properties.get(yaml_names.get(field, field))
        if isinstance(prop, dict) and "description" not in prop:
            prop["description"] = doc


def _own_docstrings(cls: type) -> dict[str, str]:
    try:
        source = textwrap.dedent(inspect.getsource(cls))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return {}
    body = next((node.body for node in tree.body if isinstance(node, ast.ClassDef)), [])
    found: dict[str, str] = {}
    for statement, following in itertools.pairwise(body):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[statement.target.id] = inspect.cleandoc(following.value.value)
    return found
