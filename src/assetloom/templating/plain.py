"""Plain data: the only values a template may hold, print or hand back.

A template sees strings, numbers, booleans, None, lists and dicts of those — never an object
whose methods could reach the machine. :func:`to_plain` is the border crossing: values going
into a template (template vars, a function's result) and coming out of it (a rendered value)
are copied into exact plain types here, paths becoming strings.

Every value also has a *weight* (characters of its strings plus one per item), and the copy
and :func:`weigh` stop as soon as it passes a limit. That bounds the cost of anything done to
a value — printing it, comparing it, serialising it — even when a list holds the same big
list many times over.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Mapping, MappingView, Set
from pathlib import PurePath
from types import GeneratorType
from typing import Any, Final

from assetloom.errors import TemplateError

__all__ = ["SCALARS", "NotPlainError", "TooLargeError", "to_plain", "weigh"]

SCALARS: Final = (str, int, float, bool, type(None))
_NONE: Final = object()
#: Far deeper than YAML allows (100); keeps a value that holds itself from recursing forever.
MAX_DEPTH: Final = 200


class NotPlainError(TemplateError, TypeError):
    """A value that is not plain data and cannot become it."""

    def __init__(self, value: Any) -> None:
        super().__init__(f"a {type(value).__name__} value is not plain data")
        self.value = value


class TooLargeError(TemplateError):
    """A value or output over ``template_max_output``."""

    def __init__(self, limit: int, what: str = "template value") -> None:
        super().__init__(f"{what} exceeds {limit:,} characters (template_max_output)")
        self.limit = limit


def weigh(value: Any, limit: int) -> int:
    """The weight of ``value``: characters of its strings plus one per item; raises
    :class:`TooLargeError` as soon as it passes ``limit`` (so the walk is bounded too)."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) or 1
        elif isinstance(item, list | tuple):
            total += 1
            stack.extend(item)
        elif isinstance(item, dict):
            total += 1
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 1
        if total > limit:
            raise TooLargeError(limit)
    return total


def to_plain(
    value: Any, *, limit: int, other: Callable[[Any], Any] | None = None
) -> Any:
    """``value`` copied into exact plain types: ``str`` subclasses and paths become ``str``,
    tuples, sets and generators become lists, mappings become dicts. Anything else goes to
    ``other``, whose answer is kept as it is (or which raises); without it, it is refused with
    :class:`NotPlainError`. Raises :class:`TooLargeError` past ``limit``, and TemplateError
    past :data:`MAX_DEPTH` levels of nesting."""
    budget = [limit]

    def spend(amount: int) -> None:
        budget[0] -= amount
        if budget[0] < 0:
            raise TooLargeError(limit)

    def convert(item: Any, depth: int = 0) -> Any:
        kind = type(item)
        if kind is str:
            spend(len(item) or 1)
            return item
        if kind in (int, float, bool) or item is None:
            spend(1)
            return item
        if depth > MAX_DEPTH:
            raise TemplateError(f"a value nested deeper than {MAX_DEPTH} levels")
        if kind is list or kind is tuple:
            spend(1)
            return [convert(child, depth + 1) for child in item]
        if kind is dict:
            spend(1)
            return {
                _key(convert(key, depth + 1)): convert(child, depth + 1)
                for key, child in item.items()
            }
        equivalent = _plain_equivalent(item, limit)
        if equivalent is not _NONE:
            return convert(equivalent, depth)
        if other is None:
            raise NotPlainError(item)
        spend(1)
        return other(item)

    return convert(value)


def _plain_equivalent(item: Any, limit: int) -> Any:
    """One step towards plain data for a value of a non-exact type (``_NONE`` if none)."""
    if isinstance(item, bool):
        return bool(item)
    if isinstance(item, str):
        return str.__str__(item)
    if isinstance(item, int):
        return int.__int__(item)
    if isinstance(item, float):
        return float.__float__(item)
    if isinstance(item, PurePath):
        return os.fspath(item)
    if isinstance(item, Mapping):
        return dict(item.items())
    if isinstance(item, MappingView):  # keys() and items() keep the mapping's order
        return list(item)  # type: ignore[call-overload]
    if isinstance(item, Set):
        return _ordered(item)
    if isinstance(item, list | tuple):
        return list(item)
    if isinstance(item, GeneratorType):  # not any iterator: a file is one, and reads itself
        return list(itertools.islice(item, limit + 1))  # enough to find it too large
    return _NONE


def _ordered(items: Set[Any]) -> list[Any]:
    """A set as a list in a stable order (set order changes between processes)."""
    try:
        return sorted(items)
    except TypeError:
        return sorted(items, key=repr)


def _key(key: Any) -> Any:
    if not isinstance(key, SCALARS):
        raise TemplateError(f"a {type(key).__name__} cannot be a mapping key in templates")
    return key
