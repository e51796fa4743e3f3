"""Map pydantic validation errors onto YAML positions, one located error per mistake.

pydantic reports a field path such as ``("etl_tables", 1, "deps", 0)``; we point at that exact
node (an unknown key: the key itself, with "did you mean"; a missing field: the mapping that
lacks it) and word every problem the way the published JSON Schema would ("expected a list,
got `5` (an integer)"), since the loader and ``loom check yaml`` share this module.

A union (``Csv | Table``) fails once per member. We report the member that fits the value —
the one whose errors sit below the node rather than at it, fewest errors first — or, when no
member fits, one "expected a mapping or an integer, got ..." at the node.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from assetloom.components.resolvable import PathPart, render_path
from assetloom.errors import DefsDocumentError, did_you_mean
from assetloom.yaml.source import YamlDocument

KeyPath = tuple[PathPart, ...]

# What a value of the wrong kind was expected to be, by pydantic error type.
_WANTED = {
    "string_type": "a string",
    "int_type": "an integer",
    "float_type": "a number",
    "bool_type": "a boolean",
    "none_required": "null",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "frozen_set_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "dataclass_type": "a mapping",
}
_CHOICE_ERRORS = frozenset({"literal_error", "enum"})


@dataclass(frozen=True, slots=True)
class _Issue:
    """One pydantic error: where it sits in the document, and which union members it took."""

    path: KeyPath
    branches: tuple[tuple[int, str], ...]
    """(depth in ``path``, member tag) for each union member on the way."""
    kind: str
    message: str
    value: Any
    ignored: bool = False
    """Not to be reported, yet it tells which union member was not taken."""

    @property
    def is_mismatch(self) -> bool:
        """The value itself is of the wrong kind (not something below it)."""
        return not self.ignored and (self.kind in _WANTED or self.kind in _CHOICE_ERRORS)


def located_errors(
    error: ValidationError,
    document: YamlDocument,
    model: type[BaseModel],
    base: KeyPath = (),
    *,
    ignore: Callable[[KeyPath], bool] | None = None,
) -> list[DefsDocumentError]:
    """One DefsDocumentError per mistake, at the offending node, sorted by position.
    ``ignore``: paths whose problems are not reported (unrendered templates, say)."""
    issues = [
        _issue(document, base, item, ignore) for item in error.errors(include_url=False)
    ]
    issues = [i for i in _choose_union_members(issues) if not i.ignored]
    explainer = _Explainer(document, model, base)
    problems = [p for issue in issues for p in explainer.explain(issue)]
    return explainer.without_redundant(problems)


# --- reading pydantic's errors -------------------------------------------------------------


def _issue(
    document: YamlDocument,
    base: KeyPath,
    item: Any,
    ignore: Callable[[KeyPath], bool] | None,
) -> _Issue:
    """pydantic's loc split into real keys or indices of the document and the union-member
    tags (``'Csv'``, ``'int'``, ``'list[str]'``) between them."""
    path: KeyPath = base
    branches: list[tuple[int, str]] = []
    node: Any = _at(document.value, base)
    loc = item["loc"]
    for index, part in enumerate(loc):
        if _has_child(node, part):
            path = (*path, part)
            node = node[part]
        elif index == len(loc) - 1 and isinstance(part, str) and isinstance(node, dict):
            path = (*path, part)  # a missing or unknown key names itself
        else:
            branches.append((len(path), str(part)))
    ignored = ignore is not None and ignore(path)
    return _Issue(path, tuple(branches), item["type"], item["msg"], item.get("input"), ignored)


def _choose_union_members(issues: list[_Issue]) -> list[_Issue]:
    """Keep, at each union, the issues of the member that fits best (outermost union first);
    when no member fits, one mismatch at the union's node stands for all of them."""
    while True:
        tagged = [i for i in issues if i.branches]
        if not tagged:
            return issues
        depth = min(i.branches[0][0] for i in tagged)
        node = next(i.path[:depth] for i in tagged if i.branches[0][0] == depth)
        members: dict[str, list[_Issue]] = {}
        rest: list[_Issue] = []
        for issue in issues:
            if issue.branches and issue.branches[0][0] == depth and issue.path[:depth] == node:
                members.setdefault(issue.branches[0][1], []).append(issue)
            else:
                rest.append(issue)
        fitting = [
            found for found in members.values()
            if not any(i.is_mismatch and len(i.path) == depth for i in found)
        ]
        if fitting:
            best = min(fitting, key=lambda found: sum(not i.ignored for i in found))
            chosen = [_untag(i) for i in best]
        else:
            chosen = [_mismatch_of_all(node, [i for m in members.values() for i in m])]
        issues = rest + chosen


def _untag(issue: _Issue) -> _Issue:
    return _Issue(
        issue.path, issue.branches[1:], issue.kind, issue.message, issue.value, issue.ignored
    )


def _mismatch_of_all(node: KeyPath, issues: list[_Issue]) -> _Issue:
    wanted = [_WANTED.get(i.kind, "") for i in issues if len(i.path) == len(node)]
    message = " or ".join(dict.fromkeys(w for w in wanted if w))
    value = next((i.value for i in issues if len(i.path) == len(node)), None)
    return _Issue(node, (), "union_mismatch", message, value)


# --- wording -------------------------------------------------------------------------------


class _Explainer:
    """Turns issues into located errors worded like the published schema's verdicts."""

    def __init__(self, document: YamlDocument, model: type[BaseModel], base: KeyPath) -> None:
        self.positions = document.positions
        self.model = model
        self.base = base
        self.suggested: set[KeyPath] = set()
        self.missing: dict[int, KeyPath] = {}

    def explain(self, issue: _Issue) -> Iterator[DefsDocumentError]:
        path = issue.path
        if issue.kind == "extra_forbidden":
            yield self._unknown_key(path)
        elif issue.kind == "missing":
            noun = _key_noun(path[:-1])
            problem = self._at(path[:-1], f"missing required {noun} `{path[-1]}`")
            self.missing[id(problem)] = path
            yield problem
        elif issue.kind in _CHOICE_ERRORS:
            yield self._not_a_choice(path, issue.value)
        elif issue.kind == "union_mismatch" and issue.message:
            yield self._expected(path, issue.message, issue.value)
        elif issue.kind in _WANTED:
            yield self._expected(path, _WANTED[issue.kind], issue.value)
        else:
            yield self._at(path, f"{_lower_first(issue.message)}, got {describe(issue.value)}")

    def without_redundant(self, problems: list[DefsDocumentError]) -> list[DefsDocumentError]:
        """Less "missing `x`" where an unknown key already got "did you mean `x`?" (a
        misspelt key is one mistake, not two), sorted by position."""
        kept = [p for p in problems if self.missing.get(id(p)) not in self.suggested]
        return sorted(kept, key=_position)

    def _unknown_key(self, path: KeyPath) -> DefsDocumentError:
        name = str(path[-1])
        allowed = fields_at(self.model, path[len(self.base) : -1])
        hint = did_you_mean(name, allowed)
        if hint:
            self.suggested.update((*path[:-1], a) for a in allowed if f"`{a}`" in hint)
        elif allowed:
            hint = f" (expected one of {', '.join(f'`{a}`' for a in allowed)})"
        else:
            hint = f" (no {_key_noun(path[:-1])}s are allowed here)"
        message = f"{_where(path[:-1])}unknown {_key_noun(path[:-1])} `{name}`{hint}"
        return DefsDocumentError(message, location=self.positions.key_location(path))

    def _expected(self, path: KeyPath, wanted: str, value: Any) -> DefsDocumentError:
        if "null" not in wanted and self._accepts_null(path):
            wanted += " or null"
        return self._at(path, f"expected {wanted}, got {describe(value)}")

    def _not_a_choice(self, path: KeyPath, value: Any) -> DefsDocumentError:
        options = [str(o) for o in self._choices(path)]
        shown = ", ".join(f"`{o}`" for o in options)
        hint = did_you_mean(value, options) if isinstance(value, str) else ""
        return self._at(path, f"{describe(value)} is not one of {shown}{hint}")

    def _at(self, path: KeyPath, message: str) -> DefsDocumentError:
        return DefsDocumentError(f"{_where(path)}{message}", location=self.positions.location(path))

    def _annotation(self, path: KeyPath) -> Any:
        annotation: Any = self.model
        for part in path[len(self.base) :]:
            annotation = _step(annotation, part)
            if annotation is None:
                return None
        return annotation

    def _accepts_null(self, path: KeyPath) -> bool:
        return any(a is type(None) for a in _unwrapped(self._annotation(path)))

    def _choices(self, path: KeyPath) -> list[Any]:
        out: list[Any] = []
        for candidate in _unwrapped(self._annotation(path)):
            if get_origin(candidate) is Literal:
                out.extend(get_args(candidate))
            elif isinstance(candidate, type) and issubclass(candidate, enum.Enum):
                out.extend(member.value for member in candidate)
        return out


def _position(problem: DefsDocumentError) -> tuple[int, int]:
    return (problem.location.line, problem.location.col) if problem.location else (0, 0)


def describe(value: Any) -> str:
    """A value as a message shows it: ``"ten" (a string)``, `` `5` (an integer)``."""
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


def _where(path: Sequence[PathPart]) -> str:
    return f"{render_path(path)}: " if path else ""


def _key_noun(path: Sequence[PathPart]) -> str:
    if not path:
        return "top-level key"
    return "attribute" if path[0] == "attributes" else "key"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- walking the document and the model side by side ----------------------------------------


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
