"""assetloom: data pipelines declared as assets and generated from YAML by components.

The public API uses Dagster's names, so code written against its docs runs with
``import assetloom as dg``. Everything not listed in ``__all__`` is internal.
"""

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
from assetloom.definitions import Definitions
from assetloom.errors import LoomError, SourceLocation
from assetloom.execution.context import AssetExecutionContext
from assetloom.execution.io_managers import FilesystemIOManager, InMemoryIOManager, IOManager
from assetloom.execution.materialize import materialize
from assetloom.execution.result import AssetOutcome, ExecuteInProcessResult
from assetloom.resources import ConfigurableResource

__all__ = [
    "AssetCheckEvaluation",
    "AssetCheckResult",
    "AssetChecksDefinition",
    "AssetDep",
    "AssetExecutionContext",
    "AssetIn",
    "AssetKey",
    "AssetMaterialization",
    "AssetOutcome",
    "AssetSpec",
    "AssetsDefinition",
    "ConfigurableResource",
    "Definitions",
    "ExecuteInProcessResult",
    "FilesystemIOManager",
    "IOManager",
    "InMemoryIOManager",
    "LoomError",
    "MaterializeResult",
    "RetryPolicy",
    "SourceLocation",
    "asset",
    "asset_check",
    "materialize",
    "multi_asset",
]
