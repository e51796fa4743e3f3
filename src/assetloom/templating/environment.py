"""``{{ }}`` templates in YAML string values, rendered in the sandbox of :mod:`.sandbox`.

A string that is exactly one ``{{ expr }}`` becomes the expression's value (a list stays a
list); any other template string (text around ``{{ }}``, or ``{% %}`` blocks) renders to a
``str``. Mapping keys are never rendered. Every failure is a :class:`TemplateError` located at
the string that holds the template, and no message shows the value of an environment variable
the template read.

A :class:`TemplateEnvironment` belongs to one load session: it holds the limits from
``[tool.assetloom]`` and compiles each distinct template string once. jinja2 is imported only
when the first template is compiled, so projects without templates never pay for it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from assetloom.errors import (
    LoadErrors,
    LoomError,
    SourceLocation,
    TemplateError,
    did_you_mean,
)
from assetloom.templating.limits import RenderBudget, TemplateLimits, spending
from assetloom.templating.scope import (
    EnvAccessor,
    TemplateFunction,
    TemplateScope,
    unset_variable_hint,
)
from assetloom.yaml.source import KeyPath, PositionMap

if TYPE_CHECKING:
    from assetloom.templating.sandbox import LoomSandbox

__all__ = [
    "EnvAccessor",
    "RenderedTree",
    "TemplateEnvironment",
    "TemplateFunction",
    "TemplateLimits",
    "TemplateScope",
    "env_accessor",
    "has_templates",
    "render_text",
]

# Looks like one `{{ expr }}` and nothing else but whitespace; it is one only if `expr` then
# compiles on its own (`{{ a }} {{ b }}` matches too, and fails to).
_SINGLE_EXPRESSION_RE: Final = re.compile(r"\s*\{\{(?P<expr>.*)\}\}\s*", re.S)
_NO_SUCH_RE: Final = re.compile(r"No (?P<kind>filter|test) named '(?P<name>[^']*)'")
# A long-lived session (a dev server reloading edited files) sees new strings forever.
_CACHE_LIMIT: Final = 4096

Compiled = Callable[[Mapping[str, Any]], Any]


def env_accessor() -> EnvAccessor:
    """The object templates see as ``env``."""
    return EnvAccessor()


def has_templates(value: Any) -> bool:
    """Whether any string inside ``value`` holds ``{{`` or ``{%`` (skips rendering)."""
    if isinstance(value, str):
        return "{{" in value or "{%" in value
    if isinstance(value, dict):
        return any(has_templates(item) for item in value.values())
    if isinstance(value, list):
        return any(has_templates(item) for item in value)
    return False


def render_text(
    source: str,
    names: Mapping[str, Any],
    *,
    location: SourceLocation | None = None,
    settings: Mapping[str, Any] | None = None,
) -> str:
    """Render a whole text (a ``.sql`` file, say) to a string, in the same sandbox, with the
    same errors as YAML templates, and within the ``template_*`` limits of ``settings`` (the
    project's ``[tool.assetloom]``; the defaults without them)."""
    environment = TemplateEnvironment.for_settings(settings or {})
    return environment.render_text(source, TemplateScope(names), location=location)


@dataclass(frozen=True, slots=True)
class RenderedTree:
    """A rendered document, and the environment variables its templates read."""

    value: Any
    env_read: frozenset[str]

    def hide_env_values(self, errors: Iterable[LoomError]) -> None:
        """Rewrite ``errors`` (about the rendered values) so none shows a value read."""
        for error in errors:
            message = error.message
            for name in self.env_read:
                message = _redact(message, name)
            if message != error.message:
                error.message = message
                error.args = (message,)


class TemplateEnvironment:
    """Compiles and renders the templates of one load session, within its limits."""

    __slots__ = ("_compiled", "_sandbox", "limits")

    def __init__(self, limits: TemplateLimits | None = None) -> None:
        self.limits = limits or TemplateLimits()
        self._sandbox: LoomSandbox | None = None
        self._compiled: dict[tuple[str, bool], Compiled] = {}

    @classmethod
    def for_settings(cls, settings: Mapping[str, Any]) -> TemplateEnvironment:
        """An environment with the ``template_*`` limits of ``[tool.assetloom]``."""
        return cls(TemplateLimits.from_settings(settings))

    def render_tree(
        self, value: Any, scope: TemplateScope, positions: PositionMap, base_path: KeyPath = ()
    ) -> Any:
        """``value`` (one document's data) with every template string rendered, all within
        one time budget. Untouched subtrees (and the whole value, when nothing changed) are
        returned as the same objects, never copied. Raises the TemplateError of the one
        string that failed, or LoadErrors holding those of several."""
        return self.render_document(value, scope, positions, base_path).value

    def render_document(
        self, value: Any, scope: TemplateScope, positions: PositionMap, base_path: KeyPath = ()
    ) -> RenderedTree:
        """:meth:`render_tree`, also telling which environment variables were read, so
        later errors about the rendered values (validation) can hide them too."""
        budget = RenderBudget(self.limits)
        failures: list[TemplateError] = []
        with spending(budget):
            rendered = self._tree(value, scope, positions, base_path, budget, failures)
        if len(failures) == 1:
            raise failures[0]
        if failures:
            raise LoadErrors(failures)
        return RenderedTree(rendered, frozenset(budget.env_read))

    def render_text(
        self, source: str, scope: TemplateScope, *, location: SourceLocation | None = None
    ) -> str:
        """Render ``source`` to a string (never to a native value)."""
        budget = RenderBudget(self.limits)
        with spending(budget):
            return str(self._render(source, scope, lambda: location, budget, native=False))

    def syntax_errors(
        self, value: Any, positions: PositionMap, base_path: KeyPath = ()
    ) -> list[TemplateError]:
        """A located error for every template string inside ``value`` that does not
        compile — found without rendering anything, so without importing user code."""
        errors: list[TemplateError] = []
        for path, source in _template_strings(value, base_path):
            try:
                self._compile(source)
            except TemplateError as error:
                errors.append(TemplateError(error.message, location=positions.location(path)))
        return errors

    # --- rendering --------------------------------------------------------------------

    def _tree(
        self,
        value: Any,
        scope: TemplateScope,
        positions: PositionMap,
        path: KeyPath,
        budget: RenderBudget,
        failures: list[TemplateError],
    ) -> Any:
        """``value`` rendered; each string that fails is left as it was and its error added
        to ``failures`` (all of a document's are reported at once), until the budget runs
        out."""
        if budget.exhausted:
            return value
        if isinstance(value, str):
            if "{{" not in value and "{%" not in value:
                return value
            try:
                return self._render(value, scope, lambda: positions.location(path), budget)
            except TemplateError as error:
                failures.append(error)
                return value
        if isinstance(value, dict):
            new_dict: dict[Any, Any] | None = None
            for key, item in value.items():
                rendered = self._tree(item, scope, positions, (*path, key), budget, failures)
                if rendered is not item:
                    if new_dict is None:
                        new_dict = dict(value)
                    new_dict[key] = rendered
            return value if new_dict is None else new_dict
        if isinstance(value, list):
            new_list: list[Any] | None = None
            for index, item in enumerate(value):
                rendered = self._tree(
                    item, scope, positions, (*path, index), budget, failures
                )
                if rendered is not item:
                    if new_list is None:
                        new_list = list(value)
                    new_list[index] = rendered
            return value if new_list is None else new_list
        return value

    def _render(
        self,
        source: str,
        scope: TemplateScope,
        locate: Callable[[], SourceLocation | None],
        budget: RenderBudget,
        *,
        native: bool = True,
    ) -> Any:
        try:
            compiled = self._compile(source, native=native)
        except TemplateError as error:
            raise TemplateError(error.message, location=locate()) from None
        sandbox = self._jinja()
        budget.emitted = 0
        try:
            return sandbox.plain(compiled(scope.names))
        except Exception as error:
            message = _failure_message(error, scope, sandbox)
            for name in budget.env_read:
                message = _redact(message, name)
            # The original stays as the cause (for a traceback) unless it may hold a value.
            shown = not budget.env_read and not isinstance(error, (LoomError, _jinja_errors()))
            raise TemplateError(message, location=locate()) from (error if shown else None)

    # --- compiling --------------------------------------------------------------------

    def _compile(self, source: str, *, native: bool = True) -> Compiled:
        """The compiled template, from this environment's cache; raises TemplateError (not
        located) when it does not compile."""
        compiled = self._compiled.get((source, native))
        if compiled is None:
            sandbox = self._jinja()
            try:
                compiled = _compile_with(sandbox, source, native=native)
            except _syntax_error() as error:
                raise TemplateError(
                    f"template syntax error: {_syntax_message(error, source, sandbox)}"
                ) from None
            except (SyntaxError, RecursionError, MemoryError) as error:
                reason = getattr(error, "msg", None) or type(error).__name__
                raise TemplateError(
                    f"template syntax error: the template is nested too deeply ({reason})"
                ) from None
            if len(self._compiled) >= _CACHE_LIMIT:
                self._compiled.clear()
            self._compiled[(source, native)] = compiled
        return compiled

    def _jinja(self) -> LoomSandbox:
        if self._sandbox is None:
            from assetloom.templating.sandbox import LoomSandbox

            self._sandbox = LoomSandbox(self.limits)
        return self._sandbox


def _compile_with(sandbox: LoomSandbox, source: str, *, native: bool) -> Compiled:
    match = _SINGLE_EXPRESSION_RE.fullmatch(source) if native else None
    if match is not None:
        try:
            expression = sandbox.compile_expression(match["expr"], undefined_to_none=False)
        except _syntax_error():
            pass  # not one expression after all: `{{ a }} {{ b }}`
        else:
            return lambda names: expression(names)
    return sandbox.from_string(source).render


def _template_strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    stack: list[tuple[KeyPath, Any]] = [(path, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if "{{" in item or "{%" in item:
                yield path, item
        elif isinstance(item, dict):
            stack.extend(((*path, key), child) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend(((*path, index), child) for index, child in enumerate(item))


def _syntax_message(error: Any, source: str, sandbox: LoomSandbox) -> str:
    message = str(error.message or "invalid template").rstrip(".")
    if match := _NO_SUCH_RE.fullmatch(message):
        kind, name = match["kind"], match["name"]
        known = sandbox.filters if kind == "filter" else sandbox.tests
        message = f"no {kind} named `{name}`" + did_you_mean(name, _public(known))
    if "\n" in source.strip() and error.lineno:
        message += f" (line {error.lineno} of the template)"
    return message


def _public(names: Mapping[str, Any]) -> list[str]:
    return [name for name in names if name.isidentifier()]


def _failure_message(error: Exception, scope: TemplateScope, sandbox: LoomSandbox) -> str:
    from jinja2.exceptions import SecurityError

    from assetloom.templating.sandbox import UndefinedUsed

    if isinstance(error, UndefinedUsed):
        return _undefined_message(error.undefined, scope)
    if isinstance(error, SecurityError):
        return f"the template sandbox does not allow this: {str(error).rstrip('.')}"
    if isinstance(error, LoomError):
        return error.message
    if isinstance(error, _jinja_errors()):
        return f"template error: {error}"
    return f"template raised {type(error).__name__}: {error}"


def _undefined_message(undefined: Any, scope: TemplateScope) -> str:
    from jinja2.utils import missing

    from assetloom.templating.sandbox import attributes_of

    hint: str | None = undefined._undefined_hint
    name = undefined._undefined_name
    if hint:
        return f"undefined value in template: {hint.rstrip('.')}"
    owner = undefined._undefined_obj
    if owner is missing:
        names = sorted(scope.names)
        return (
            f"undefined name `{name}` in template; available names: {', '.join(names)}"
            + did_you_mean(str(name), names)
        )
    if isinstance(owner, EnvAccessor):
        return (
            f"environment variable `{name}` is not set and no default was given"
            + unset_variable_hint(str(name))
        )
    if not isinstance(name, str):
        return f"{type(owner).__name__} value has no item `{name}`"
    if isinstance(owner, Mapping):
        return f"{type(owner).__name__} value has no key `{name}`" + did_you_mean(
            name, [str(key) for key in owner]
        )
    return f"{type(owner).__name__} value has no attribute `{name}`" + did_you_mean(
        name, sorted(attributes_of(owner))
    )


def _redact(message: str, variable: str) -> str:
    """``message`` with the value of ``$variable`` (read by the template) replaced by its
    name: values may be secrets, and they end up in CI logs."""
    value = os.environ.get(variable)
    if not value:
        return message
    hidden = f"<value of ${variable}>"
    return message.replace(value, hidden).replace(repr(value)[1:-1], hidden)  # as repr shows it


def _syntax_error() -> type[Exception]:
    from jinja2 import TemplateSyntaxError

    return TemplateSyntaxError


def _jinja_errors() -> type[Exception]:
    from jinja2 import TemplateError as JinjaTemplateError

    return JinjaTemplateError
