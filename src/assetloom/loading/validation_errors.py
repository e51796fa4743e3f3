"""Map pydantic validation errors onto YAML positions, one located error per problem.

pydantic reports a field path such as ``("etl_tables", 1, "deps", 0)``; we point at that exact
node (for an unknown key: the key itself; for a missing field: the mapping that lacks it) and
suggest the closest allowed name for unknown keys.
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from assetloom.components.resolvable import PathPart, render_path
from assetloom.errors import DefsDocumentError, did_you_mean
from assetloom.yaml.source import YamlDocument


def located_errors(
    error: ValidationError,
    document: YamlDocument,
    model: type[BaseModel],
    base: tuple[PathPart, ...] = (),
    *,
    unknown_noun: str = "attribute",
) -> list[DefsDocumentError]:
    """One DefsDocumentError per distinct problem, at the offending node."""
    out: dict[tuple[PathPart, ...], DefsDocumentError] = {}
    for item in error.errors(include_url=False):
        loc = _document_path(document, base, item["loc"])
        kind = item["type"]
        positions = document.positions
        if kind == "extra_forbidden":
            name = str(loc[-1])
            allowed = fields_at(model, loc[len(base) : -1])
            message = f"unknown {unknown_noun} `{name}`" + did_you_mean(name, allowed)
            if allowed:
                message += f" (allowed: {', '.join(sorted(allowed))})"
            location = positions.key_location(loc)
        elif kind == "missing":
            message = f"missing required {unknown_noun} `{loc[-1]}`"
            location = positions.location(loc[:-1])
        else:
            message = f"{_lower_first(item['msg'])}, got {_describe(item.get('input'))}"
            location = positions.location(loc)
        if loc in out:  # union members fail at the same node: keep the first, it is enough
            continue
        shown = render_path(loc)
        out[loc] = DefsDocumentError(
            f"{shown}: {message}" if shown else message, location=location
        )
    return list(out.values())


def _document_path(
    document: YamlDocument, base: tuple[PathPart, ...], loc: Sequence[Any]
) -> tuple[PathPart, ...]:
    """pydantic's loc with union-member tags (``'str'``, ``'list[str]'``...) dropped: only
    parts that are real keys or indices of the document survive."""
    path: tuple[PathPart, ...] = base
    node: Any = _at(document.value, base)
    for index, part in enumerate(loc):
        is_last = index == len(loc) - 1
        if _has_child(node, part):
            path = (*path, part)
            node = node[part]
        elif is_last and isinstance(part, str) and isinstance(node, dict):
            path = (*path, part)  # a missing or unknown key names itself
    return path


def _at(value: Any, path: Sequence[PathPart]) -> Any:
    for part in path:
        if not _has_child(value, part):
            return None
        value = value[part]
    return value


def _has_child(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def fields_at(model: type[BaseModel], path: Sequence[PathPart]) -> list[str]:
    """The field names allowed at ``path`` inside ``model`` (empty when unknown)."""
    annotation: Any = model
    for part in path:
        annotation = _step(annotation, part)
        if annotation is None:
            return []
    for candidate in _models_in(annotation):
        return [info.alias or name for name, info in candidate.model_fields.items()]
    return []


def _step(annotation: Any, part: PathPart) -> Any:
    for candidate in _unwrapped(annotation):
        is_model = isinstance(candidate, type) and issubclass(candidate, BaseModel)
        if isinstance(part, str) and is_model and part in candidate.model_fields:
            return candidate.model_fields[part].annotation
        origin = get_origin(candidate)
        args = get_args(candidate)
        if isinstance(part, int) and origin in (list, tuple, set, frozenset) and args:
            return args[0]
        if isinstance(part, str) and origin is dict and len(args) == 2:
            return args[1]
    return None


def _unwrapped(annotation: Any) -> Iterator[Any]:
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _unwrapped(get_args(annotation)[0])
    elif origin in (Union, types.UnionType):
        for arg in get_args(annotation):
            yield from _unwrapped(arg)
    else:
        yield annotation


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    for candidate in _unwrapped(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            yield candidate


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"
