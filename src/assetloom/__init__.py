"""assetloom: data pipelines declared as assets and generated from YAML by components.

The public API uses Dagster's names, so code written against its docs runs with
``import assetloom as dg``. Names are imported on first use (PEP 562), which keeps
``import assetloom`` and ``loom --help`` fast. Everything not in ``__all__`` is internal.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assetloom.assets.asset_selection import (
        AssetSelection,
    )
    from assetloom.assets.checks import (
        AssetCheckKey,
        AssetChecksDefinition,
        AssetCheckSpec,
        asset_check,
        multi_asset_check,
    )
    from assetloom.assets.decorators import asset, multi_asset
    from assetloom.assets.definition import AssetsDefinition
    from assetloom.assets.jobs import (
        define_asset_job,
    )
    from assetloom.assets.key import AssetKey
    from assetloom.assets.loaders import (
        load_asset_checks_from_current_module,
        load_asset_checks_from_modules,
        load_assets_from_current_module,
        load_assets_from_modules,
    )
    from assetloom.assets.metadata import (
        MetadataValue,
    )
    from assetloom.assets.results import (
        AssetCheckEvaluation,
        AssetCheckResult,
        AssetCheckSeverity,
        AssetMaterialization,
        MaterializeResult,
        Output,
    )
    from assetloom.assets.retry import (
        Backoff,
        Failure,
        Jitter,
        RetryPolicy,
        RetryRequested,
    )
    from assetloom.assets.spec import (
        AssetDep,
        AssetIn,
        AssetOut,
        AssetSpec,
        Nothing,
        SourceAsset,
    )
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
    from assetloom.components.testing import (
        component_defs,
    )
    from assetloom.config import (
        Config,
        EnvVar,
        RunConfig,
    )
    from assetloom.defs import Definitions
    from assetloom.errors import (
        AssetExecutionError,
        ComponentLoadError,
        CycleError,
        DagsterError,
        DagsterExecutionStepExecutionError,
        DagsterExecutionStepNotFoundError,
        DagsterInvalidConfigDefinitionError,
        DagsterInvalidConfigError,
        DagsterInvalidDefinitionError,
        DagsterInvariantViolationError,
        DagsterResourceFunctionError,
        DagsterUnknownResourceError,
        DagsterUserCodeExecutionError,
        DefinitionsError,
        DefsDocumentError,
        DependencyTypoError,
        Diagnostic,
        DuplicateAssetKeyError,
        EmptySelectionError,
        InvalidAssetKeyError,
        InvalidConfigError,
        InvariantViolationError,
        LoadErrors,
        LoomError,
        MissingResourceError,
        RequirementError,
        ResolutionError,
        ResolutionException,
        RunStorageError,
        SelectionError,
        Severity,
        SourceLocation,
        TemplateError,
        UnknownAssetKeyError,
        UnknownCheckTargetError,
        UnknownComponentTypeError,
        UnknownResourceError,
        UnknownRunError,
        YamlSyntaxError,
    )
    from assetloom.execution.context import (
        AssetCheckExecutionContext,
        AssetExecutionContext,
        OpExecutionContext,
        build_asset_context,
    )
    from assetloom.execution.io_managers import FilesystemIOManager, InMemoryIOManager, IOManager
    from assetloom.execution.materialize import (
        materialize,
        materialize_to_memory,
    )
    from assetloom.execution.result import AssetOutcome, ExecuteInProcessResult
    from assetloom.loading.walk import load_from_defs_folder
    from assetloom.resources import (
        ConfigurableResource,
        ResourceParam,
    )
    from assetloom.warehouse import DuckDBResource

_HOMES = {
    "assetloom.components.testing": [
        "component_defs",
    ],
    "assetloom.config": [
        "Config",
        "EnvVar",
        "RunConfig",
    ],
    "assetloom.assets.loaders": [
        "load_asset_checks_from_current_module",
        "load_asset_checks_from_modules",
        "load_assets_from_current_module",
        "load_assets_from_modules",
    ],
    "assetloom.assets.jobs": [
        "define_asset_job",
    ],
    "assetloom.assets.asset_selection": [
        "AssetSelection",
    ],
    "assetloom.assets.metadata": [
        "MetadataValue",
    ],
    "assetloom.assets.retry": ["Backoff", "Failure", "Jitter", "RetryPolicy", "RetryRequested"],
    "assetloom.assets.checks": [
        "AssetCheckKey",
        "AssetCheckSpec",
        "AssetChecksDefinition",
        "asset_check",
        "multi_asset_check",
    ],
    "assetloom.assets.decorators": ["asset", "multi_asset"],
    "assetloom.assets.definition": ["AssetsDefinition"],
    "assetloom.assets.key": ["AssetKey"],
    "assetloom.assets.results": [
        "AssetCheckEvaluation",
        "AssetCheckResult",
        "AssetCheckSeverity",
        "AssetMaterialization",
        "MaterializeResult",
        "Output",
    ],
    "assetloom.assets.spec": [
        "AssetDep",
        "AssetIn",
        "AssetOut",
        "AssetSpec",
        "Nothing",
        "SourceAsset",
    ],
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
        "DagsterError",
        "DagsterExecutionStepExecutionError",
        "DagsterExecutionStepNotFoundError",
        "DagsterInvalidConfigDefinitionError",
        "DagsterInvalidConfigError",
        "DagsterInvalidDefinitionError",
        "DagsterInvariantViolationError",
        "DagsterResourceFunctionError",
        "DagsterUnknownResourceError",
        "DagsterUserCodeExecutionError",
        "DefinitionsError",
        "DefsDocumentError",
        "DependencyTypoError",
        "Diagnostic",
        "DuplicateAssetKeyError",
        "EmptySelectionError",
        "InvalidAssetKeyError",
        "InvalidConfigError",
        "InvariantViolationError",
        "LoadErrors",
        "LoomError",
        "MissingResourceError",
        "RequirementError",
        "ResolutionError",
        "ResolutionException",
        "RunStorageError",
        "SelectionError",
        "Severity",
        "SourceLocation",
        "TemplateError",
        "UnknownAssetKeyError",
        "UnknownCheckTargetError",
        "UnknownComponentTypeError",
        "UnknownResourceError",
        "UnknownRunError",
        "YamlSyntaxError",
    ],
    "assetloom.execution.context": [
        "AssetCheckExecutionContext",
        "AssetExecutionContext",
        "OpExecutionContext",
        "build_asset_context",
    ],
    "assetloom.execution.io_managers": ["FilesystemIOManager", "InMemoryIOManager", "IOManager"],
    "assetloom.execution.materialize": ["materialize", "materialize_to_memory"],
    "assetloom.execution.result": ["AssetOutcome", "ExecuteInProcessResult"],
    "assetloom.resources": ["ConfigurableResource", "ResourceParam"],
    "assetloom.warehouse": ["DuckDBResource"],
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


__all__ = [
    "AssetCheckEvaluation",
    "AssetCheckExecutionContext",
    "AssetCheckKey",
    "AssetCheckResult",
    "AssetCheckSeverity",
    "AssetCheckSpec",
    "AssetChecksDefinition",
    "AssetDep",
    "AssetExecutionContext",
    "AssetExecutionError",
    "AssetIn",
    "AssetKey",
    "AssetMaterialization",
    "AssetOut",
    "AssetOutcome",
    "AssetSelection",
    "AssetSpec",
    "AssetsDefinition",
    "Backoff",
    "Component",
    "ComponentLoadContext",
    "ComponentLoadError",
    "Config",
    "ConfigurableResource",
    "CycleError",
    "DagsterError",
    "DagsterExecutionStepExecutionError",
    "DagsterExecutionStepNotFoundError",
    "DagsterInvalidConfigDefinitionError",
    "DagsterInvalidConfigError",
    "DagsterInvalidDefinitionError",
    "DagsterInvariantViolationError",
    "DagsterResourceFunctionError",
    "DagsterUnknownResourceError",
    "DagsterUserCodeExecutionError",
    "Definitions",
    "DefinitionsError",
    "DefsDocumentError",
    "DefsFolderComponent",
    "DependencyTypoError",
    "Diagnostic",
    "DuckDBResource",
    "DuplicateAssetKeyError",
    "EmptySelectionError",
    "EnvVar",
    "ExecuteInProcessResult",
    "Failure",
    "FilesystemIOManager",
    "IOManager",
    "InMemoryIOManager",
    "InvalidAssetKeyError",
    "InvalidConfigError",
    "InvariantViolationError",
    "Jitter",
    "LoadErrors",
    "LoomError",
    "MaterializeResult",
    "MetadataValue",
    "MissingResourceError",
    "Model",
    "Nothing",
    "OpExecutionContext",
    "Output",
    "PythonScriptComponent",
    "RequirementError",
    "ResolutionContext",
    "ResolutionError",
    "ResolutionException",
    "Resolvable",
    "ResolvedAssetKey",
    "ResolvedAssetSpec",
    "Resolver",
    "ResourceParam",
    "RetryPolicy",
    "RetryRequested",
    "RunConfig",
    "RunStorageError",
    "SelectionError",
    "Severity",
    "SourceAsset",
    "SourceLocation",
    "TemplateError",
    "TemplatedSqlComponent",
    "UnknownAssetKeyError",
    "UnknownCheckTargetError",
    "UnknownComponentTypeError",
    "UnknownResourceError",
    "UnknownRunError",
    "YamlSyntaxError",
    "asset",
    "asset_check",
    "build_asset_context",
    "component_defs",
    "component_instance",
    "define_asset_job",
    "definitions",
    "load_asset_checks_from_current_module",
    "load_asset_checks_from_modules",
    "load_assets_from_current_module",
    "load_assets_from_modules",
    "load_from_defs_folder",
    "materialize",
    "materialize_to_memory",
    "multi_asset",
    "multi_asset_check",
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
