"""Validate parsed ``defs.yaml`` documents against the generated schemas, with positions.

jsonschema is imported here only, and lazily. One compiled
validator checks every document whose ``type`` the schema set knows; a type written relative to
its folder (``.mod.Class``) is resolved through the registry and checked by its own per-type
validator, compiled once per class.

Each jsonschema error becomes a :class:`Problem` at the offending node itself: an unknown key at
the key (with "did you mean"), a wrong value at that value. For ``anyOf``/``oneOf`` (optional
fields, unions, the template alternative) we do not report "is not valid under any of the given
schemas": we pick the branch whose type matches the value and report that branch's errors,
which sit deeper, or — when no branch's type matches — one "expected X, got Y" at the value.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError as ValidationError_

from assetloom.components.resolvable import render_path, yaml_model_for
from assetloom.errors import (
    ComponentLoadError,
    LoomError,
    SourceLocation,
    UnknownComponentTypeError,
    YamlSyntaxError,
    did_you_mean,
)
from assetloom.loading.envelope import DefsDocument
from assetloom.schema.generate import SchemaSet, is_template_branch
from assetloom.templating.environment import has_templates
from assetloom.yaml.parse_cache import parse_cache_for
from assetloom.yaml.source import YamlDocument, read_yaml_documents

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

    from assetloom.loading.registry import ComponentRegistry

__all__ = ["DefsValidator", "FileReport", "Problem", "compile_validator"]


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong in a ``defs.yaml``, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str
    schema_path: str | None = None

    @property
    def location(self) -> SourceLocation:
        return SourceLocation(self.path, self.line, self.col)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "message": self.message,
            "schema_path": self.schema_path,
        }

    @classmethod
    def from_error(cls, error: LoomError, schema_path: str | None = None) -> Problem:
        loc = error.location or SourceLocation("")
        return cls(loc.path, loc.line, loc.col, error.message, schema_path)


@dataclass(frozen=True, slots=True)
class FileReport:
    """The outcome of checking one file."""

    path: str
    documents: int
    problems: tuple[Problem, ...]


def compile_validator(schema: dict[str, Any]) -> Validator:
    """A reusable draft 2020-12 validator for ``schema`` (build it once, use it often).
    jsonschema is imported here, on first use, to keep it off every other command's path."""
    from jsonschema import Draft202012Validator

    # No check_schema() here: the schemas are ours, generated, and meta-validated in the
    # test suite; checking them again on every run cost a third of `loom check yaml`.
    return Draft202012Validator(schema)


class DefsValidator:
    """Checks ``defs.yaml`` files of one project against its component schemas."""

    def __init__(
        self,
        registry: ComponentRegistry,
        schemas: SchemaSet | None = None,
        *,
        keep_parsed: bool = False,
    ) -> None:
        self.registry = registry
        self.keep_parsed = keep_parsed
        self.project = registry.project
        self._given_schemas = schemas
        self.parse_cache = parse_cache_for(self.project.storage_dir)
        self._by_class: dict[type, Validator] = {}

    @cached_property
    def schemas(self) -> SchemaSet:
        """Every known type's schema, built on the first document the models reject:
        listing every type imports the built-ins and reads the entry points."""
        return self._given_schemas or SchemaSet.for_registry(self.registry)

    @cached_property
    def _validator(self) -> Validator:
        return compile_validator(self.schemas.defs_schema)

    def check_file(self, file: Path) -> FileReport:
        display = self.project.relative(file)
        try:
            documents = read_yaml_documents(
                file, display, self.parse_cache, keep=self.keep_parsed
            )
        except YamlSyntaxError as error:
            return FileReport(display, 0, (Problem.from_error(error),))
        except OSError as error:
            problem = Problem(display, 0, 0, f"cannot read the file: {error.strerror or error}")
            return FileReport(display, 0, (problem,))
        problems = [p for doc in documents for p in self.check_document(doc, file.parent)]
        return FileReport(display, len(documents), tuple(problems))

    def check_document(self, document: YamlDocument, base_dir: Path) -> list[Problem]:
        """Every problem of one document, sorted by position."""
        value = document.value
        if not isinstance(value, dict):
            loc = document.positions.document_location()
            message = (
                "a defs.yaml document must be a mapping with a `type` key, "
                f"not {_describe_value(value)}"
            )
            return [Problem(loc.path, loc.line, loc.col, message, "#/type")]
        type_name = value.get("type")
        if isinstance(type_name, str) and self._models_accept(document, type_name, base_dir):
            return []
        explainer = _Explainer(document)
        problems: list[Problem] = []
        if isinstance(type_name, str):
            type_problem, extra = self._check_type(document, type_name, base_dir)
            if type_problem is not None:
                problems.append(type_problem)
            problems.extend(extra)
            errors: Iterable[ValidationError] = (
                e
                for e in self._validator.iter_errors(value)
                if tuple(e.absolute_path)[:1] != ("type",)
            )
        else:
            errors = self._validator.iter_errors(value)
        problems.extend(explainer.problems(errors))
        return _dedupe(problems)

    def _models_accept(self, document: YamlDocument, type_name: str, base_dir: Path) -> bool:
        """The fast path for a valid document: its type resolves and the strict pydantic
        models the schemas are generated from accept it (~100x cheaper than jsonschema, and
        no schema is built at all when every document passes). Anything else, and any
        document with templates, goes through the schema for located messages."""
        value = document.value
        if document.template_marks and has_templates(value):
            return False
        try:
            cls = self.registry.resolve(
                type_name, base_dir=base_dir, location=SourceLocation(document.path)
            )
            DefsDocument.model_validate(value, strict=True)
            yaml_model_for(cls).model_validate(value.get("attributes") or {}, strict=True)
        except (LoomError, ValidationError_):
            return False
        return True

    # --- the component type ------------------------------------------------------------

    def _check_type(
        self, document: YamlDocument, type_name: str, base_dir: Path
    ) -> tuple[Problem | None, list[Problem]]:
        """A problem with ``type`` itself, and — for a type the combined schema does not
        list (``.mod.Class``) — the problems of ``attributes`` under its own schema."""
        if type_name in self.schemas.by_alias:
            return None, []
        location = document.positions.location(("type",))
        try:
            cls = self.registry.resolve(type_name, base_dir=base_dir, location=location)
        except (UnknownComponentTypeError, ComponentLoadError) as error:
            return Problem.from_error(error, "#/properties/type"), []
        validator = self._validator_for(cls)
        attributes = document.value.get("attributes")
        if attributes is None:
            attributes = {}
        errors = validator.iter_errors(attributes)
        return None, _Explainer(document, prefix=("attributes",)).problems(errors)

    def _validator_for(self, cls: type) -> Validator:
        validator = self._by_class.get(cls)
        if validator is None:
            known = next((t for t in self.schemas.types.values() if t.cls is cls), None)
            if known is None:
                single = SchemaSet.from_classes({f"{cls.__module__}.{cls.__qualname__}": cls})
                known = next(iter(single.types.values()))
            validator = compile_validator(known.standalone_schema())
            self._by_class[cls] = validator
        return validator


# --- turning jsonschema errors into located problems -----------------------------------

_ROOT_KEYS_NOUN: Final = "top-level key"
_JSON_NAMES: Final = {
    "array": "a list",
    "object": "a mapping",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
}


class _Explainer:
    """Maps jsonschema errors for one document onto its positions."""

    def __init__(self, document: YamlDocument, prefix: tuple[Any, ...] = ()) -> None:
        self.document = document
        self.positions = document.positions
        self.prefix = prefix
        self._suggested: set[tuple[Any, ...]] = set()
        self._missing: dict[Problem, tuple[Any, ...]] = {}

    def problems(self, errors: Iterable[ValidationError]) -> list[Problem]:
        """The problems of ``errors``, less "missing `x`" where an unknown key already got
        "did you mean `x`?" (a misspelt key is one mistake, not two)."""
        self._suggested.clear()
        self._missing.clear()
        found = [p for error in errors for p in self._explain(error)]
        return [p for p in found if self._missing.get(p) not in self._suggested]

    def _explain(self, error: ValidationError) -> Iterator[Problem]:
        if error.validator in ("anyOf", "oneOf") and error.context:
            yield from self._explain_branches(error)
            return
        path = (*self.prefix, *error.absolute_path)
        handler = _HANDLERS.get(str(error.validator))
        if handler is not None:
            yield from handler(self, error, path)
            return
        yield self._at(path, f"{_where(path)}{error.message}", error)

    def _explain_branches(self, error: ValidationError) -> Iterator[Problem]:
        """Descend into the branch that fits the value, or say which types would."""
        branches: dict[int, list[ValidationError]] = {}
        for sub in error.context or ():
            branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
        options = error.validator_value if isinstance(error.validator_value, list) else []
        depth = len(error.absolute_path)
        fitting: list[list[ValidationError]] = []
        expected: list[str] = []
        for index, subs in sorted(branches.items()):
            schema = options[index] if index < len(options) else {}
            if is_template_branch(schema):
                continue
            mismatch = [s for s in subs if s.validator == "type" and len(s.absolute_path) == depth]
            if mismatch:
                expected.extend(_type_names(mismatch[0].validator_value))
            else:
                fitting.append(subs)
        if fitting:
            best = min(fitting, key=lambda subs: sum(1 for s in subs for _ in self._explain(s)))
            for sub in best:
                yield from self._explain(sub)
            return
        path = (*self.prefix, *error.absolute_path)
        if not expected:
            yield self._at(path, f"{_where(path)}{error.message}", error)
            return
        wanted = " or ".join(dict.fromkeys(_JSON_NAMES.get(t, t) for t in expected))
        message = f"{_where(path)}expected {wanted}, got {_describe_value(error.instance)}"
        yield self._at(path, message, error)

    def _at(
        self, path: Sequence[Any], message: str, error: ValidationError, *, key: bool = False
    ) -> Problem:
        loc = self.positions.key_location(path) if key else self.positions.location(path)
        return Problem(loc.path, loc.line, loc.col, message, _schema_path(error))

    # --- per-keyword messages ---------------------------------------------------------

    def _unknown_keys(self, error: ValidationError, path: tuple[Any, ...]) -> Iterator[Problem]:
        instance = error.instance if isinstance(error.instance, dict) else {}
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = list(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        noun = _key_noun(path)
        for key in instance:
            if key in allowed or (patterns and _matches_any(str(key), patterns)):
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            if close:
                self._suggested.add((*path, close[0]))
            hint = did_you_mean(str(key), allowed)
            if not hint:
                hint = (
                    f" (expected one of {', '.join(f'`{k}`' for k in allowed)})"
                    if allowed
                    else f" (no {noun}s are allowed here)"
                )
            message = f"{_where(path)}unknown {noun} `{key}`{hint}"
            yield self._at((*path, key), message, error, key=True)

    def _required(self, error: ValidationError, path: tuple[Any, ...]) -> Iterator[Problem]:
        instance = error.instance if isinstance(error.instance, dict) else {}
        required = error.validator_value if isinstance(error.validator_value, list) else []
        noun = _key_noun(path)
        for key in required:
            if key not in instance:
                problem = self._at(path, f"{_where(path)}missing required {noun} `{key}`", error)
                self._missing[problem] = (*path, key)
                yield problem

    def _type(self, error: ValidationError, path: tuple[Any, ...]) -> Iterator[Problem]:
        wanted = " or ".join(_JSON_NAMES.get(t, t) for t in _type_names(error.validator_value))
        message = f"{_where(path)}expected {wanted}, got {_describe_value(error.instance)}"
        yield self._at(path, message, error)

    def _enum(self, error: ValidationError, path: tuple[Any, ...]) -> Iterator[Problem]:
        options = error.validator_value if isinstance(error.validator_value, list) else []
        shown = ", ".join(f"`{o}`" for o in options)
        hint = ""
        if isinstance(error.instance, str):
            hint = did_you_mean(error.instance, [str(o) for o in options])
        message = f"{_where(path)}{_describe_value(error.instance)} is not one of {shown}{hint}"
        yield self._at(path, message, error)

    def _const(self, error: ValidationError, path: tuple[Any, ...]) -> Iterator[Problem]:
        message = (
            f"{_where(path)}expected `{error.validator_value}`, "
            f"got {_describe_value(error.instance)}"
        )
        yield self._at(path, message, error)


_Handler = Callable[[_Explainer, "ValidationError", tuple[Any, ...]], Iterator[Problem]]
_HANDLERS: Final[dict[str, _Handler]] = {
    "additionalProperties": _Explainer._unknown_keys,
    "unevaluatedProperties": _Explainer._unknown_keys,
    "required": _Explainer._required,
    "type": _Explainer._type,
    "enum": _Explainer._enum,
    "const": _Explainer._const,
}


def _where(path: Sequence[Any]) -> str:
    return f"{render_path(path)}: " if path else ""


def _key_noun(path: Sequence[Any]) -> str:
    if not path:
        return _ROOT_KEYS_NOUN
    return "attribute" if path[0] == "attributes" else "key"


def _type_names(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _describe_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (a boolean)"
    if isinstance(value, int):
        return f"`{value}` (an integer)"
    if isinstance(value, float):
        return f"`{value}` (a number)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'"{shown}" (a string)'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _matches_any(key: str, patterns: Sequence[str]) -> bool:
    import re

    return any(re.search(p, key) for p in patterns)


def _schema_path(error: ValidationError) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_schema_path]
    return "#/" + "/".join(parts)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    """Drop repeats, and a second "expected ..." at a node that already has one (the
    envelope and the type's own schema both check ``attributes``)."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for problem in sorted(problems, key=lambda p: (p.line, p.col)):
        kind = "type" if ": expected " in f": {problem.message}" else problem.message
        key = (problem.path, problem.line, problem.col, kind)
        if key in seen:
            continue
        seen.add(key)
        out.append(problem)
    return out
