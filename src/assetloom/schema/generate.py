"""JSON Schema (draft 2020-12) for ``defs.yaml``, generated from the models the loader uses.

Two kinds of schema come out of one :class:`SchemaSet`:

* one per component type, for its ``attributes`` (``schemas/<module.Class>.json``), built from
  ``yaml_model_for(cls)`` — the very model that validates attributes at load time;
* ``defs.schema.json`` for a whole document: the closed envelope (``type``, ``attributes``,
  ``template_vars_module``, ``requirements``, ``post_processing``) plus one ``if``/``then`` per
  type, so a validator that ignores discriminators still checks ``attributes`` field by field.

Since templates render before validation, a ``{{ ... }}`` string is accepted wherever the
attribute models expect a non-string value: such a node becomes ``anyOf: [node, template]``
(or gains the template branch when it already is an ``anyOf``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from assetloom.components.resolvable import yaml_model_for
from assetloom.loading.envelope import DefsDocument

__all__ = [
    "DEFS_SCHEMA_FILE",
    "DRAFT",
    "TEMPLATE_DEF",
    "ComponentType",
    "SchemaSet",
    "dumps",
    "is_template_branch",
]

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
DEFS_SCHEMA_FILE: Final = "defs.schema.json"
# A `$defs` key no pydantic model name can take (those are identifiers).
TEMPLATE_DEF: Final = "assetloom.Template"
_TEMPLATE_REF: Final = f"#/$defs/{TEMPLATE_DEF}"
_TEMPLATE_SCHEMA: Final[dict[str, Any]] = {
    "type": "string",
    "pattern": r"\{\{[\s\S]*\}\}",
    "description": "A `{{ ... }}` template; it renders to the expected value before validation.",
}
_DOC_KEYS: Final = ("title", "description", "default", "examples", "deprecated")
_STRING_CONSTRAINTS: Final = frozenset(
    {"pattern", "enum", "const", "format", "minLength", "maxLength"}
)
_RELATIVE_TYPE_PATTERN: Final = r"^\.[A-Za-z_][\w.]*$"


def is_template_branch(schema: Any) -> bool:
    """Whether ``schema`` is the "a ``{{ }}`` template" branch this module adds."""
    return isinstance(schema, dict) and schema.get("$ref") == _TEMPLATE_REF


@dataclass(frozen=True)
class ComponentType:
    """A component class and every ``type:`` name that resolves to it."""

    name: str
    """The canonical dotted name, ``module.Class`` (also the schema file's stem)."""
    cls: type
    aliases: tuple[str, ...]
    """Every accepted spelling, the canonical name included, sorted."""

    @cached_property
    def attributes_schema(self) -> dict[str, Any]:
        """The attributes schema with its own ``$defs`` (refs are ``#/$defs/<Model>``)."""
        model = yaml_model_for(self.cls)
        schema = model.model_json_schema(mode="validation", schema_generator=_Generator)
        defs = schema.pop("$defs", {})
        root = _allow_templates_inside(schema)
        for key, value in defs.items():
            defs[key] = _allow_templates_inside(value)
        defs[TEMPLATE_DEF] = dict(_TEMPLATE_SCHEMA)
        get_description = getattr(self.cls, "get_description", None)
        description = get_description() if callable(get_description) else None
        if description and "description" not in root:
            root["description"] = description
        root["title"] = self.cls.__name__
        root["$defs"] = dict(sorted(defs.items()))
        return root

    @property
    def has_required_attributes(self) -> bool:
        return bool(self.attributes_schema.get("required"))

    def standalone_schema(self) -> dict[str, Any]:
        """The per-type file's content."""
        return {"$schema": DRAFT, "$id": f"{self.name}.json", **self.attributes_schema}


class SchemaSet:
    """The schemas of a set of component types, built once and reused."""

    def __init__(self, types: Iterable[ComponentType]) -> None:
        self.types = {t.name: t for t in sorted(types, key=lambda t: t.name)}
        self.by_alias = {alias: t for t in self.types.values() for alias in t.aliases}

    @classmethod
    def from_classes(cls, names: Mapping[str, type]) -> SchemaSet:
        """Group ``{type name: class}`` by class; the canonical name is ``module.Class``."""
        grouped: dict[type, set[str]] = {}
        for name, component in names.items():
            grouped.setdefault(component, set()).add(name)
        types = []
        for component, aliases in grouped.items():
            canonical = f"{component.__module__}.{component.__qualname__}"
            types.append(ComponentType(canonical, component, tuple(sorted({*aliases, canonical}))))
        return cls(types)

    @classmethod
    def for_registry(cls, registry: Any) -> SchemaSet:
        """Every type a :class:`~assetloom.loading.registry.ComponentRegistry` knows:
        the project's ``components/`` classes, built-ins and registered short names."""
        names: dict[str, type] = dict(registry.short_names())
        for module_name, component in registry.project_components():
            names[f"{module_name}.{component.__name__}"] = component
        return cls.from_classes(names)

    @cached_property
    def defs_schema(self) -> dict[str, Any]:
        """The schema of one whole ``defs.yaml`` document."""
        envelope = DefsDocument.model_json_schema(mode="validation", schema_generator=_Generator)
        defs: dict[str, Any] = envelope.pop("$defs", {})
        properties = envelope["properties"]
        type_doc = {k: v for k, v in properties["type"].items() if k in _DOC_KEYS}
        properties["type"] = {
            **type_doc,
            "type": "string",
            "anyOf": [
                {"enum": sorted(self.by_alias)},
                {
                    "pattern": _RELATIVE_TYPE_PATTERN,
                    "description": "A class in a module beside this file.",
                },
            ],
        }
        branches = []
        for ctype in self.types.values():
            defs.update(_namespaced(ctype.name, ctype.attributes_schema))
            ref = {"$ref": f"#/$defs/{ctype.name}"}
            then: dict[str, Any] = {"properties": {"attributes": ref}}
            if ctype.has_required_attributes:
                then["required"] = ["attributes"]
            else:
                then["properties"]["attributes"] = {"anyOf": [ref, {"type": "null"}]}
            condition = {
                "properties": {"type": _one_of_values(ctype.aliases)},
                "required": ["type"],
            }
            branches.append({"if": condition, "then": then})
        defs[TEMPLATE_DEF] = dict(_TEMPLATE_SCHEMA)
        schema: dict[str, Any] = {
            "$schema": DRAFT,
            "$id": DEFS_SCHEMA_FILE,
            **envelope,
        }
        if branches:
            schema["allOf"] = branches
        schema["$defs"] = dict(sorted(defs.items()))
        return schema

    def files(self) -> dict[str, str]:
        """``{file name: JSON text}`` for everything ``loom schema`` writes."""
        out = {f"{name}.json": dumps(t.standalone_schema()) for name, t in self.types.items()}
        out[DEFS_SCHEMA_FILE] = dumps(self.defs_schema)
        return out


def dumps(schema: Mapping[str, Any]) -> str:
    """Stable text for a schema file (so ``loom schema --check`` compares exactly)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _one_of_values(values: tuple[str, ...]) -> dict[str, Any]:
    return {"const": values[0]} if len(values) == 1 else {"enum": list(values)}


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, but a field it cannot express (an arbitrary Python type) accepts
    anything instead of failing the whole schema."""

    def handle_invalid_for_json_schema(
        self, schema: core_schema.CoreSchema, error_info: str
    ) -> JsonSchemaValue:
        return {}


# --- templates ---------------------------------------------------------------------------


def _accepts_any_string(node: Mapping[str, Any]) -> bool:
    kind = node.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return "string" in kinds and not (_STRING_CONSTRAINTS & node.keys())


def _accepts_anything(node: Mapping[str, Any]) -> bool:
    return not (node.keys() - set(_DOC_KEYS))


def _allow_templates_inside(node: dict[str, Any]) -> dict[str, Any]:
    """Let every value *below* ``node`` be a template (``node`` itself stays as it is)."""
    node = copy.copy(node)
    if isinstance(node.get("properties"), dict):
        node["properties"] = {k: _allow_template(v) for k, v in node["properties"].items()}
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            node[key] = _allow_template(node[key])
    if isinstance(node.get("prefixItems"), list):
        node["prefixItems"] = [_allow_template(v) for v in node["prefixItems"]]
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(node.get(key), list):
            node[key] = [_allow_templates_inside(v) for v in node[key]]
    return node


def _allow_template(node: Any) -> Any:
    """Let the value ``node`` describes, and every value below it, be a template."""
    if not isinstance(node, dict) or _accepts_anything(node) or _accepts_any_string(node):
        return node
    node = _allow_templates_inside(node)
    for key in ("anyOf", "oneOf"):
        branches = node.get(key)
        if isinstance(branches, list) and len(node) - _doc_key_count(node) == 1:
            if not any(_accepts_any_string(b) or is_template_branch(b) for b in branches):
                node[key] = [*branches, {"$ref": _TEMPLATE_REF}]
            return node
    docs = {k: node.pop(k) for k in _DOC_KEYS if k in node}
    return {**docs, "anyOf": [node, {"$ref": _TEMPLATE_REF}]}


def _doc_key_count(node: Mapping[str, Any]) -> int:
    return sum(1 for k in _DOC_KEYS if k in node)


# --- merging per-type schemas into defs.schema.json ---------------------------------------


def _namespaced(type_name: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` and its ``$defs`` as flat entries named ``type_name`` and
    ``type_name:Model``, with every internal ``$ref`` rewritten to match."""
    root = copy.deepcopy(dict(schema))
    defs = root.pop("$defs", {})
    defs.pop(TEMPLATE_DEF, None)
    renamed = {name: f"{type_name}:{name}" for name in defs}

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: rewrite(v) for k, v in node.items()}
            ref = out.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                target = ref.removeprefix("#/$defs/")
                if target in renamed:
                    out["$ref"] = f"#/$defs/{_pointer_escape(renamed[target])}"
            return out
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    out = {type_name: rewrite(root)}
    out.update({renamed[name]: rewrite(value) for name, value in defs.items()})
    return out


def _pointer_escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
