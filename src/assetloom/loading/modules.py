"""Python modules under ``defs/``: import them and collect what they define."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from assetloom.assets.checks import AssetChecksDefinition
from assetloom.assets.definition import AssetsDefinition
from assetloom.assets.spec import AssetSpec
from assetloom.components.component import (
    Component,
    ComponentLoadContext,
    call_with_optional_context,
    is_component_instance_fn,
    is_definitions_fn,
)
from assetloom.defs import Definitions
from assetloom.errors import ComponentLoadError, DefsDocumentError, SourceLocation
from assetloom.loading.importer import ProjectImporter
from assetloom.loading.user_code import (
    describe_failure,
    interrupts_noted,
    raised_by_user_code,
    user_frame,
)
from assetloom.project import relative_path


def import_defs_module(file: Path, importer: ProjectImporter) -> ModuleType:
    """Import ``file`` under its dotted path from the project's import root
    (``defs.sales.assets``), so that its objects pickle and re-import in worker processes."""
    name = importer.module_name_for(file)
    display = importer.project.relative(file)
    with interrupts_noted():
        try:
            return importer.import_file(name, file)
        except BaseException as error:
            if not raised_by_user_code(error):
                raise
            line, col = _error_position(error, file)
            raise ComponentLoadError(
                f"importing this module raised {describe_failure(error)}",
                location=SourceLocation(display, line, col),
            ) from error


def definitions_in_module(module: ModuleType, context: ComponentLoadContext) -> Definitions:
    """Assets, specs, checks, at most one ``Definitions`` and ``@definitions`` functions."""
    assets: list[AssetsDefinition | AssetSpec] = []
    checks: list[AssetChecksDefinition] = []
    collected: list[Definitions] = []
    objects = 0
    display = _display(module, context.project_root)
    for name, value in vars(module).items():
        if name.startswith("__"):
            continue
        if isinstance(value, AssetsDefinition | AssetSpec):
            assets.append(value)
        elif isinstance(value, AssetChecksDefinition):
            checks.append(value)
        elif isinstance(value, Definitions):
            collected.append(value)
            objects += 1
        elif is_definitions_fn(value):
            collected.append(_call_definitions_fn(value, context, display))
    if objects > 1:
        raise DefsDocumentError(
            f"a module may hold at most one Definitions object, found {objects}; "
            "merge them with Definitions.merge",
            location=SourceLocation(display),
        )
    merged = Definitions.merge(Definitions(assets, checks), *collected)
    return relative_locations(merged, context.project_root)


def relative_locations(defs: Definitions, root: Path) -> Definitions:
    """``defs`` with asset locations made relative to ``root``: a function's location is
    recorded relative to the working directory, which need not be the project."""
    assets = []
    for a in defs.assets:
        location = a.location
        if location is not None:
            path = relative_path(location.path, root)
            if path != location.path:
                a = a.with_location(replace(location, path=path))
        assets.append(a)
    if all(new is old for new, old in zip(assets, defs.assets, strict=True)):
        return defs
    return Definitions(assets, defs.asset_checks, defs.resources, metadata=defs.metadata)


def component_instances(module: ModuleType, context: ComponentLoadContext) -> list[Component]:
    """What the ``@component_instance`` functions of a ``component.py`` return."""
    display = _display(module, context.project_root)
    out: list[Component] = []
    for name, value in vars(module).items():
        if not is_component_instance_fn(value):
            continue
        instance = _call(value, context, display, f"@component_instance `{name}`")
        if not isinstance(instance, Component):
            raise ComponentLoadError(
                f"@component_instance `{name}` returned {type(instance).__name__}, "
                "expected a Component",
                location=_fn_location(value, display),
            )
        out.append(instance)
    return out


def _call_definitions_fn(fn: Any, context: ComponentLoadContext, display: str) -> Definitions:
    result = _call(fn, context, display, f"@definitions `{fn.__name__}`")
    if not isinstance(result, Definitions):
        raise ComponentLoadError(
            f"@definitions `{fn.__name__}` returned {type(result).__name__}, "
            "expected Definitions",
            location=_fn_location(fn, display),
        )
    return result


def _call(fn: Any, context: ComponentLoadContext, display: str, what: str) -> Any:
    with interrupts_noted():
        try:
            return call_with_optional_context(fn, context)
        except BaseException as error:
            if not raised_by_user_code(error):
                raise
            where = user_frame(error, context.project_root)
            raise ComponentLoadError(
                f"{what} raised {describe_failure(error)}" + (f" (at {where})" if where else ""),
                location=_fn_location(fn, display),
            ) from error


def _fn_location(fn: Any, display: str) -> SourceLocation:
    code = getattr(fn, "__code__", None)
    return SourceLocation(display, code.co_firstlineno if code else 0, 1 if code else 0)


def _display(module: ModuleType, root: Path) -> str:
    return relative_path(module.__file__ or module.__name__, root)


def _error_position(error: BaseException, file: Path) -> tuple[int, int]:
    """(line, col) in ``file`` where importing it failed; (0, 0) when the file is not on the
    traceback (the error came from somewhere it imported)."""
    if isinstance(error, SyntaxError) and error.filename == str(file) and error.lineno:
        return error.lineno, error.offset or 1
    tb = error.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(file):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line, 1 if line else 0
