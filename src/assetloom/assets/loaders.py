"""Collect the assets and checks defined in Python modules, as Dagster's
``load_assets_from_modules`` does (the ``defs/`` loader finds modules by itself)."""

from __future__ import annotations

import dataclasses
import inspect
import sys
import types
from collections.abc import Iterable, Sequence
from typing import Any

from assetloom.assets.checks import AssetChecksDefinition
from assetloom.assets.definition import AssetsDefinition
from assetloom.assets.key import AssetKey
from assetloom.assets.spec import AssetSpec


def load_assets_from_modules(
    modules: Iterable[types.ModuleType],
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    **_ignored: Any,
) -> list[AssetsDefinition | AssetSpec]:
    """Every asset definition and ``AssetSpec`` (``SourceAsset``) found at the top level of
    ``modules``, each once. ``group_name`` is applied to the assets defined there;
    ``key_prefix`` prefixes their keys and the dependencies between them (external specs
    keep their keys: they name assets defined elsewhere)."""
    found = _module_values(modules, (AssetsDefinition, AssetSpec))
    executable = [i for i in found if isinstance(i, AssetsDefinition) and i.is_executable]
    renamed = {
        spec.key: spec.key.with_prefix(key_prefix) if key_prefix else spec.key
        for item in executable
        for spec in item.specs
    }
    return [
        _moved(item, group_name, renamed) if any(i is item for i in executable) else item
        for item in found
    ]


def load_assets_from_current_module(
    group_name: str | None = None,
    key_prefix: str | Sequence[str] | None = None,
    **_ignored: Any,
) -> list[AssetsDefinition | AssetSpec]:
    """``load_assets_from_modules`` on the module that calls it."""
    return load_assets_from_modules([_caller_module()], group_name, key_prefix)


def load_asset_checks_from_modules(
    modules: Iterable[types.ModuleType], **_ignored: Any
) -> list[AssetChecksDefinition]:
    return _module_values(modules, (AssetChecksDefinition,))


def load_asset_checks_from_current_module(**_ignored: Any) -> list[AssetChecksDefinition]:
    return load_asset_checks_from_modules([_caller_module()])


def _module_values(modules: Iterable[types.ModuleType], kinds: tuple[type, ...]) -> list[Any]:
    seen: dict[int, Any] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, kinds):
                seen.setdefault(id(value), value)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, kinds):
                        seen.setdefault(id(item), item)
    return list(seen.values())


def _moved(
    assets_def: AssetsDefinition, group_name: str | None, renamed: dict[AssetKey, AssetKey]
) -> AssetsDefinition:
    """``assets_def`` in ``group_name``, with keys and deps mapped through ``renamed``."""
    if group_name is None and all(old == new for old, new in renamed.items()):
        return assets_def
    specs = [
        spec.replace_attributes(
            key=renamed[spec.key],
            deps=[renamed.get(key, key) for key in spec.dep_keys],
            group_name=group_name or spec.group_name,
        )
        for spec in assets_def.specs
    ]
    params = [
        dataclasses.replace(p, key=renamed.get(p.key, p.key)) if p.key is not None else p
        for p in assets_def.params
    ]
    return AssetsDefinition(
        specs=specs,
        compute_fn=assets_def.compute_fn,
        params=params,
        node_name=assets_def.node_name,
        retry_policy=assets_def.retry_policy,
        location=assets_def.location,
        output_names={renamed[k]: n for k, n in assets_def.output_names.items()},
        can_subset=assets_def.can_subset,
        io_manager_keys={renamed[k]: n for k, n in assets_def.io_manager_keys.items()},
        required_resource_keys=assets_def.required_resource_keys,
    )


def _caller_module() -> types.ModuleType:
    frame = inspect.stack()[2].frame
    name = frame.f_globals.get("__name__", "__main__")
    return sys.modules[name]
