"""``{{ }}`` templates in YAML string values, rendered by a sandboxed jinja2.

This is the only module that imports jinja2, and only once a string that holds a template is
rendered, so projects without templates never pay for it. A string that is exactly one
``{{ expr }}`` becomes the expression's Python value (a list stays a list); any other template
string (text around ``{{ }}``, or ``{% %}`` blocks) renders to a ``str``. Each distinct template
string compiles once per process. Mapping keys are never rendered.

Templates run in jinja2's immutable sandbox: no dunder attributes, no mutating methods
(``list.append``), and any undefined name fails loudly instead of rendering as empty text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Final, final

from assetloom.errors import LoomError, SourceLocation, TemplateError, did_you_mean
from assetloom.yaml.source import KeyPath, PositionMap

__all__ = ["TemplateScope", "env_accessor", "has_templates", "render_text", "render_tree"]

# Looks like one `{{ expr }}` and nothing else but whitespace; it is one only if `expr` then
# compiles on its own (`{{ a }} {{ b }}` matches too, and fails to).
_SINGLE_EXPRESSION_RE: Final = re.compile(r"\s*\{\{(?P<expr>.*)\}\}\s*", re.S)
_NO_SUCH_RE: Final = re.compile(r"No (?P<kind>filter|test) named '(?P<name>[^']*)'")
# Distinct template strings seen in one process are few; the cap only guards long-lived
# processes (a dev server reloading edited files) against unbounded growth.
_CACHE_LIMIT: Final = 4096


@final
class TemplateScope:
    """The names a template can use (``env``, ``context``, template vars...)."""

    __slots__ = ("names",)

    def __init__(self, names: Mapping[str, Any]) -> None:
        self.names: Mapping[str, Any] = dict(names)

    def with_names(self, names: Mapping[str, Any]) -> TemplateScope:
        """A scope with ``names`` added to (or replacing) these."""
        return TemplateScope({**self.names, **names})

    def __repr__(self) -> str:
        return f"TemplateScope({', '.join(sorted(self.names))})"


@final
class EnvAccessor:
    """``env.X`` is ``$X`` or None; ``env("X")`` requires it; ``env("X", d)`` defaults it."""

    __slots__ = ()
    # jinja2 probes callables for these; answer here so an environment variable cannot.
    unsafe_callable = False
    alters_data = False
    jinja_pass_arg = None

    def __getattr__(self, name: str) -> str | None:
        if name.startswith("__"):
            raise AttributeError(name)
        return os.environ.get(name)

    def __getitem__(self, name: str) -> str | None:
        return os.environ.get(name)

    def __call__(self, name: str, *default: Any) -> Any:
        value = os.environ.get(name)
        if value is not None:
            return value
        if default:
            return default[0]
        raise TemplateError(f"environment variable `{name}` is not set and no default was given")

    def __repr__(self) -> str:
        return "env"


def env_accessor() -> Any:
    """The object templates see as ``env``."""
    return EnvAccessor()


def has_templates(value: Any) -> bool:
    """Whether any string inside ``value`` holds ``{{`` or ``{%`` (skips render_tree)."""
    if isinstance(value, str):
        return "{{" in value or "{%" in value
    if isinstance(value, dict):
        return any(has_templates(item) for item in value.values())
    if isinstance(value, list):
        return any(has_templates(item) for item in value)
    return False


def render_tree(
    value: Any, scope: TemplateScope, positions: PositionMap, base_path: KeyPath = ()
) -> Any:
    """``value`` with every template string rendered. Untouched subtrees (and the whole value,
    when nothing changed) are returned as the same objects, never copied."""
    if isinstance(value, str):
        if "{{" not in value and "{%" not in value:
            return value
        return _render(value, scope, lambda: positions.location(base_path))
    if isinstance(value, dict):
        new_dict: dict[Any, Any] | None = None
        for key, item in value.items():
            rendered = render_tree(item, scope, positions, (*base_path, key))
            if rendered is not item:
                if new_dict is None:
                    new_dict = dict(value)
                new_dict[key] = rendered
        return value if new_dict is None else new_dict
    if isinstance(value, list):
        new_list: list[Any] | None = None
        for index, item in enumerate(value):
            rendered = render_tree(item, scope, positions, (*base_path, index))
            if rendered is not item:
                if new_list is None:
                    new_list = list(value)
                new_list[index] = rendered
        return value if new_list is None else new_list
    return value


def render_text(
    source: str, names: Mapping[str, Any], *, location: SourceLocation | None = None
) -> str:
    """Render a whole text (a ``.sql`` file, say) to a string, in the same sandbox and with
    the same errors as YAML templates."""
    return str(_render(source, TemplateScope(names), lambda: location, native=False))


def _render(
    source: str,
    scope: TemplateScope,
    locate: Callable[[], SourceLocation | None],
    *,
    native: bool = True,
) -> Any:
    jinja = _jinja()
    try:
        compiled = _compile(source, native=native)
    except jinja.TemplateSyntaxError as error:
        raise TemplateError(
            f"template syntax error: {_syntax_message(error, source)}",
            location=locate(),
        ) from None
    try:
        result = compiled(scope.names)
        undefined = _first_undefined(result, jinja.Undefined)
        if undefined is not None:
            undefined._fail_with_undefined_error()
    except jinja.UndefinedUsed as error:
        message = _undefined_message(error.undefined, scope)
        raise TemplateError(message, location=locate()) from None
    except jinja.SecurityError as error:
        raise TemplateError(
            f"the template sandbox does not allow this: {str(error).rstrip('.')}",
            location=locate(),
        ) from None
    except LoomError as error:
        raise TemplateError(error.message, location=locate()) from error
    except Exception as error:
        raise TemplateError(
            f"template raised {type(error).__name__}: {error}", location=locate()
        ) from error
    return result


def _syntax_message(error: Any, source: str) -> str:
    message = str(error.message or "invalid template").rstrip(".")
    if match := _NO_SUCH_RE.fullmatch(message):
        kind, name = match["kind"], match["name"]
        known = _jinja().environment.filters if kind == "filter" else _jinja().environment.tests
        message = f"no {kind} named `{name}`" + did_you_mean(name, known)
    if "\n" in source.strip():
        message += f" (line {error.lineno} of the template)"
    return message


def _compile(source: str, *, native: bool = True) -> Callable[[Mapping[str, Any]], Any]:
    compiled = _COMPILED.get((source, native))
    if compiled is None:
        environment = _jinja().environment
        match = _SINGLE_EXPRESSION_RE.fullmatch(source) if native else None
        if match is not None:
            try:
                compiled = environment.compile_expression(match["expr"], undefined_to_none=False)
            except _jinja().TemplateSyntaxError:
                compiled = None
        if compiled is None:
            compiled = environment.from_string(source).render
        if len(_COMPILED) >= _CACHE_LIMIT:
            _COMPILED.clear()
        _COMPILED[(source, native)] = compiled
    return compiled


_COMPILED: Final[dict[tuple[str, bool], Callable[[Mapping[str, Any]], Any]]] = {}


def _first_undefined(value: Any, undefined_type: type[Any]) -> Any:
    """An undefined value a native result carries (``{{ [foo] }}`` builds one silently)."""
    if isinstance(value, undefined_type):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items: Any = value
    elif isinstance(value, dict):
        items = (*value.keys(), *value.values())
    else:
        return None
    for item in items:
        found = _first_undefined(item, undefined_type)
        if found is not None:
            return found
    return None


def _undefined_message(undefined: Any, scope: TemplateScope) -> str:
    hint: str | None = undefined._undefined_hint
    name = undefined._undefined_name
    if hint:
        return f"undefined value in template: {hint.rstrip('.')}"
    owner = undefined._undefined_obj
    if owner is _jinja().missing:
        names = sorted(scope.names)
        return (
            f"undefined name `{name}` in template; available names: {', '.join(names)}"
            + did_you_mean(str(name), names)
        )
    if not isinstance(name, str):
        return f"{type(owner).__name__} value has no item `{name}`"
    if isinstance(owner, Mapping):
        known = [str(key) for key in owner]
        kind = "key"
    else:
        known = [attr for attr in dir(owner) if not attr.startswith("_")]
        kind = "attribute"
    return f"{type(owner).__name__} value has no {kind} `{name}`" + did_you_mean(name, known)


class _Jinja:
    """The lazily imported pieces of jinja2 this module uses."""

    def __init__(self) -> None:
        from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
        from jinja2.exceptions import SecurityError
        from jinja2.runtime import Undefined
        from jinja2.sandbox import ImmutableSandboxedEnvironment
        from jinja2.utils import missing

        class UndefinedUsed(UndefinedError):
            """Carries the undefined value so the message can name what was missing."""

            def __init__(self, undefined: Undefined) -> None:
                super().__init__(undefined._undefined_message)
                self.undefined = undefined

        def fail(self: Undefined, *args: Any, **kwargs: Any) -> Any:
            if self._undefined_exception is SecurityError:
                raise SecurityError(self._undefined_message)
            raise UndefinedUsed(self)

        class LoudUndefined(StrictUndefined):
            __slots__ = ()

        # jinja2 binds `__str__`, `__iter__`, `__add__`... to the failing method itself when it
        # defines the class, so overriding only the method would not reach them.
        inherited = Undefined._fail_with_undefined_error
        for klass in StrictUndefined.__mro__:
            for name, attribute in list(vars(klass).items()):
                if attribute is inherited:
                    setattr(LoudUndefined, name, fail)

        self.TemplateSyntaxError = TemplateSyntaxError
        self.SecurityError = SecurityError
        self.Undefined = Undefined
        self.UndefinedUsed = UndefinedUsed
        self.missing = missing
        self.environment = ImmutableSandboxedEnvironment(
            undefined=LoudUndefined, autoescape=False, keep_trailing_newline=True
        )


@cache
def _jinja() -> _Jinja:
    return _Jinja()
