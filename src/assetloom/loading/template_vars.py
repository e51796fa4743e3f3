"""The names a defs.yaml template can use: ``env``, ``context`` and ``@template_var``s.

Template vars are trusted Python; the templates that use them are data. So what crosses over
is plain data only: ``context`` is a dict of path strings (not the ComponentLoadContext, whose
paths have methods that read and write files), a template var's value is copied into plain
data or refused at the module, and a function (a UDF) becomes a
:class:`~assetloom.templating.scope.TemplateFunction` whose results are copied too.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from types import ModuleType
from typing import Any

from assetloom.components.component import (
    ComponentLoadContext,
    call_with_optional_context,
    is_template_var_fn,
)
from assetloom.errors import ComponentLoadError, SourceLocation, TemplateError
from assetloom.loading.registry import ComponentRegistry
from assetloom.loading.user_code import describe_failure, interrupts_noted, raised_by_user_code
from assetloom.templating.environment import TemplateScope, env_accessor
from assetloom.templating.scope import TemplateFunction, template_value


def template_scope(
    *,
    context: ComponentLoadContext,
    component_type: type | None,
    module_name: str | None,
    registry: ComponentRegistry,
    location: SourceLocation,
) -> TemplateScope:
    """Everything a template of one document may name."""
    names: dict[str, Any] = {"env": env_accessor(), "context": context_data(context)}
    if component_type is not None:
        names.update(_class_template_vars(component_type, context))
    if module_name:
        module = _template_module(module_name, context.path, registry, location)
        names.update(_module_template_vars(module, context, location))
    return TemplateScope(names)


def context_data(context: ComponentLoadContext) -> dict[str, str]:
    """``context`` as templates see it: where the component is, as strings."""
    return {
        "project_root": context.project_root.as_posix(),
        "defs_root": context.defs_root.as_posix(),
        "path": context.path.as_posix(),
        "relative_path": context.relative_path,
    }


def _template_module(
    name: str, folder: Path, registry: ComponentRegistry, location: SourceLocation
) -> ModuleType:
    # Reuse the registry's importer: same caching, same located import errors.
    try:
        return registry.import_module(name, base_dir=folder, location=location)
    except LookupError as error:
        raise TemplateError(
            f"template_vars_module `{name}` not found: {error}", location=location
        ) from error


def _module_template_vars(
    module: ModuleType, context: ComponentLoadContext, location: SourceLocation
) -> dict[str, Any]:
    names: dict[str, Any] = {}
    for attr, fn in vars(module).items():
        if is_template_var_fn(fn):
            names[attr] = _evaluate(fn, context, location, attr, f"{module.__name__}.{attr}")
    return names


def _marked_static_methods(component_type: type) -> tuple[tuple[str, Any], ...]:
    found = []
    for klass in reversed(component_type.__mro__):
        for attr, raw in vars(klass).items():
            if isinstance(raw, staticmethod) and is_template_var_fn(raw.__func__):
                found.append((attr, raw.__func__))
    return tuple(found)


def _class_template_vars(component_type: type, context: ComponentLoadContext) -> dict[str, Any]:
    location = SourceLocation(component_type.__module__)
    return {
        attr: _evaluate(fn, context, location, attr, f"{component_type.__name__}.{attr}")
        for attr, fn in _marked_static_methods(component_type)
    }


def _evaluate(
    fn: Any, context: ComponentLoadContext, location: SourceLocation, name: str, qualname: str
) -> Any:
    """The value templates see as ``name``: the var's plain value, or a TemplateFunction."""
    with interrupts_noted():
        try:
            if len(inspect.signature(fn).parameters) > 1:
                return TemplateFunction(name, fn)  # a template function (a UDF) taking arguments
            value = call_with_optional_context(fn, context)
        except BaseException as error:  # sys.exit() too: see loading/user_code.py
            if not raised_by_user_code(error):
                raise
            raise ComponentLoadError(
                f"template var `{qualname}` raised {describe_failure(error)}", location=location
            ) from error
    try:
        return template_value(name, value)
    except TemplateError as error:
        raise TemplateError(
            f"template var `{qualname}`: {error.message}", location=location
        ) from None
