"""assetloom: data pipelines declared as assets and generated from YAML by components.

The public API uses Dagster's names, so code written against its docs runs with
``import assetloom as dg``. Names are imported on first use (PEP 562), which keeps
``import assetloom`` and ``loom --help`` fast. Everything not in ``__all__`` is internal.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assetloom.assets.checks import AssetChecksDefinition, asset_check
    from assetloom.assets.decorators import asset, multi_asset
    from assetloom.assets.definition import AssetsDefinition, RetryPolicy
    from assetloom.assets.key import AssetKey
    from assetloom.assets.results import (
        AssetCheckEvaluation,
        AssetCheckResult,
        AssetMaterialization,
        MaterializeResult,
    )
    from assetloom.assets.spec import AssetDep, AssetIn, AssetSpec
    from assetloom.components.builtin import (
        DefsFolderComponent,
        PythonScriptComponent,
        TemplatedSqlComponent,
    )
    from assetloom.components.component import (
        Component,
        ComponentLoadContext,
        component_instance,
        definitions,
        template_var,
    )
    from assetloom.components.resolvable import (
        Model,
        ResolutionContext,
        Resolvable,
        Resolver,
    )
    from assetloom.components.resolved_types import ResolvedAssetKey, ResolvedAssetSpec
    from assetloom.defs import Definitions
    from assetloom.errors import (
        AssetExecutionError,
        ComponentLoadError,
        CycleError,
        DefinitionsError,
        DefsDocumentError,
        DependencyTypoError,
        Diagnostic,
        DuplicateAssetKeyError,
        EmptySelectionError,
        InvalidAssetKeyError,
        LoadErrors,
        LoomError,
        MissingResourceError,
        RequirementError,
        RunStorageError,
        SelectionError,
        Severity,
        SourceLocation,
        TemplateError,
        UnknownAssetKeyError,
        UnknownCheckTargetError,
        UnknownComponentTypeError,
        UnknownRunError,
        YamlSyntaxError,
    )
    from assetloom.execution.context import AssetExecutionContext
    from assetloom.execution.io_managers import FilesystemIOManager, InMemoryIOManager, IOManager
    from assetloom.execution.materialize import materialize
    from assetloom.execution.result import AssetOutcome, ExecuteInProcessResult
    from assetloom.loading.walk import load_from_defs_folder
    from assetloom.resources import ConfigurableResource
    from assetloom.warehouse import DuckDBResource

_HOMES = {
    "assetloom.assets.checks": ["AssetChecksDefinition", "asset_check"],
    "assetloom.assets.decorators": ["asset", "multi_asset"],
    "assetloom.assets.definition": ["AssetsDefinition", "RetryPolicy"],
    "assetloom.assets.key": ["AssetKey"],
    "assetloom.assets.results": [
        "AssetCheckEvaluation",
        "AssetCheckResult",
        "AssetMaterialization",
        "MaterializeResult",
    ],
    "assetloom.assets.spec": ["AssetDep", "AssetIn", "AssetSpec"],
    "assetloom.components.builtin": [
        "DefsFolderComponent",
        "PythonScriptComponent",
        "TemplatedSqlComponent",
    ],
    "assetloom.components.component": [
        "Component",
        "ComponentLoadContext",
        "component_instance",
        "definitions",
        "template_var",
    ],
    "assetloom.loading.walk": ["load_from_defs_folder"],
    "assetloom.components.resolved_types": ["ResolvedAssetKey", "ResolvedAssetSpec"],
    "assetloom.components.resolvable": ["Model", "Resolvable", "ResolutionContext", "Resolver"],
    "assetloom.defs": ["Definitions"],
    "assetloom.errors": [
        "AssetExecutionError",
        "ComponentLoadError",
        "CycleError",
        "DefinitionsError",
        "DefsDocumentError",
        "DependencyTypoError",
        "Diagnostic",
        "DuplicateAssetKeyError",
        "EmptySelectionError",
        "InvalidAssetKeyError",
        "LoadErrors",
        "LoomError",
        "MissingResourceError",
        "RequirementError",
        "RunStorageError",
        "SelectionError",
        "Severity",
        "SourceLocation",
        "TemplateError",
        "UnknownAssetKeyError",
        "UnknownCheckTargetError",
        "UnknownComponentTypeError",
        "UnknownRunError",
        "YamlSyntaxError",
    ],
    "assetloom.execution.context": ["AssetExecutionContext"],
    "assetloom.execution.io_managers": ["FilesystemIOManager", "InMemoryIOManager", "IOManager"],
    "assetloom.execution.materialize": ["materialize"],
    "assetloom.execution.result": ["AssetOutcome", "ExecuteInProcessResult"],
    "assetloom.resources": ["ConfigurableResource"],
    "assetloom.warehouse": ["DuckDBResource"],
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


__all__ = [
    "AssetCheckEvaluation",
    "AssetCheckResult",
    "AssetChecksDefinition",
    "AssetDep",
    "AssetExecutionContext",
    "AssetExecutionError",
    "AssetIn",
    "AssetKey",
    "AssetMaterialization",
    "AssetOutcome",
    "AssetSpec",
    "AssetsDefinition",
    "Component",
    "ComponentLoadContext",
    "ComponentLoadError",
    "ConfigurableResource",
    "CycleError",
    "Definitions",
    "DefinitionsError",
    "DefsDocumentError",
    "DefsFolderComponent",
    "DependencyTypoError",
    "Diagnostic",
    "DuckDBResource",
    "DuplicateAssetKeyError",
    "EmptySelectionError",
    "ExecuteInProcessResult",
    "FilesystemIOManager",
    "IOManager",
    "InMemoryIOManager",
    "InvalidAssetKeyError",
    "LoadErrors",
    "LoomError",
    "MaterializeResult",
    "MissingResourceError",
    "Model",
    "PythonScriptComponent",
    "RequirementError",
    "ResolutionContext",
    "Resolvable",
    "ResolvedAssetKey",
    "ResolvedAssetSpec",
    "Resolver",
    "RetryPolicy",
    "RunStorageError",
    "SelectionError",
    "Severity",
    "SourceLocation",
    "TemplateError",
    "TemplatedSqlComponent",
    "UnknownAssetKeyError",
    "UnknownCheckTargetError",
    "UnknownComponentTypeError",
    "UnknownRunError",
    "YamlSyntaxError",
    "asset",
    "asset_check",
    "component_instance",
    "definitions",
    "load_from_defs_folder",
    "materialize",
    "multi_asset",
    "template_var",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'assetloom' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
