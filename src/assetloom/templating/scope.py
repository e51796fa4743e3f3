"""What a template can name: plain data, ``env``, and an allow-list of functions.

A :class:`TemplateScope` is built from names chosen by trusted Python code (the loader, a
``template_vars_module``). Building it is the border: each value is copied into plain data, a
function becomes a :class:`TemplateFunction` (the only callables a template gets, besides
``env`` and ``range``), and whatever cannot be either is refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, Final, final

from assetloom.errors import TemplateError, did_you_mean
from assetloom.templating.limits import active_budget
from assetloom.templating.plain import NotPlainError, to_plain

__all__ = ["EnvAccessor", "TemplateFunction", "TemplateScope", "template_value"]

#: The weight a scope value may have: far above any real template var, it only stops a
#: value that refers to itself from being copied forever.
SCOPE_VALUE_LIMIT: Final = 100_000_000


@final
class EnvAccessor:
    """``env.X`` / ``env["X"]`` is ``$X`` (undefined when unset, so ``| default(...)`` works
    and using it fails); ``env("X")`` requires it and ``env("X", d)`` defaults it.

    Reads are recorded on the render's budget so error messages can hide their values."""

    __slots__ = ()

    def lookup(self, name: str) -> str | None:
        """``$name``, or None when unset."""
        value = os.environ.get(name)
        budget = active_budget()
        if value is not None and budget is not None:
            budget.env_read.add(name)
        return value

    def __call__(self, name: Any, *default: Any) -> Any:
        if not isinstance(name, str):
            raise TemplateError(f"env() takes a variable name, got {type(name).__name__}")
        if len(default) > 1:
            raise TemplateError("env() takes a name and at most one default")
        value = self.lookup(name)
        if value is not None:
            return value
        if default:
            return default[0]
        raise TemplateError(
            f"environment variable `{name}` is not set and no default was given"
            + unset_variable_hint(name)
        )

    def __repr__(self) -> str:
        return "env"


def unset_variable_hint(name: str) -> str:
    """"did you mean" among the NAMES of the set variables (never their values)."""
    return did_you_mean(name, os.environ)


@final
class TemplateFunction:
    """A Python function a template may call: a ``@template_var`` UDF, say. Its result is
    copied into plain data (a function returning an object is refused, naming itself)."""

    __slots__ = ("function", "name")

    def __init__(self, name: str, function: Callable[..., Any]) -> None:
        self.name = name
        self.function = function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result = self.function(*args, **kwargs)
        try:
            return to_plain(result, limit=SCOPE_VALUE_LIMIT)
        except NotPlainError as error:
            raise TemplateError(
                f"template function `{self.name}` returned {_a(error.value)}, which "
                "templates cannot use (only strings, numbers, booleans, None, lists and dicts)"
            ) from None

    def __repr__(self) -> str:
        return f"<function {self.name}>"


def template_value(name: str, value: Any) -> Any:
    """``value`` as a template may see it under ``name``: plain data, ``env``, or a
    :class:`TemplateFunction`; raises TemplateError for anything else."""
    if isinstance(value, EnvAccessor | TemplateFunction):
        return value
    if callable(value) and not isinstance(value, type):
        return TemplateFunction(name, value)
    try:
        return to_plain(value, limit=SCOPE_VALUE_LIMIT)
    except NotPlainError as error:
        raise TemplateError(
            f"template name `{name}` is {_a(error.value)}, which templates cannot use "
            "(only strings, numbers, booleans, None, lists, dicts and functions)"
        ) from None


def _a(value: Any) -> str:
    return f"a `{type(value).__name__}`"


@final
class TemplateScope:
    """The names a template can use (``env``, ``context``, template vars...), each already
    made safe by :func:`template_value`."""

    __slots__ = ("names",)

    def __init__(self, names: Mapping[str, Any]) -> None:
        self.names: Mapping[str, Any] = {
            name: template_value(name, value) for name, value in names.items()
        }

    def __repr__(self) -> str:
        return f"TemplateScope({', '.join(sorted(self.names))})"
