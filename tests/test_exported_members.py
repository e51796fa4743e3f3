"""``assetloom.__all__`` is the public API: complete, importable, and made of assetloom's own
objects. Names code written against Dagster's docs uses must be among them."""

import contextlib
import importlib
import types

import pytest

import assetloom

DAGSTER_NAMES = [
    "AssetCheckResult",
    "AssetDep",
    "AssetExecutionContext",
    "AssetIn",
    "AssetKey",
    "AssetSpec",
    "AssetsDefinition",
    "ConfigurableResource",
    "Definitions",
    "FilesystemIOManager",
    "MaterializeResult",
    "RetryPolicy",
    "asset",
    "asset_check",
    "materialize",
    "multi_asset",
]


def test_all_is_sorted_and_unique() -> None:
    assert assetloom.__all__ == sorted(set(assetloom.__all__))


@pytest.mark.parametrize("name", assetloom.__all__)
def test_every_exported_name_is_importable(name: str) -> None:
    importlib.import_module("assetloom.execution.materialize")  # as after any real use
    value = getattr(assetloom, name)
    home = getattr(value, "__module__", "")
    assert home.startswith("assetloom."), f"{name} comes from {home!r}"
    namespace: dict[str, object] = {}
    exec(f"from assetloom import {name}", namespace)
    assert namespace[name] is value


def test_every_public_assetloom_object_in_the_package_is_exported() -> None:
    for name in assetloom.__all__:
        # A name whose module fails to import is reported by the test above.
        with contextlib.suppress(ImportError):
            getattr(assetloom, name)
    public = {
        name
        for name, value in vars(assetloom).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and getattr(value, "__module__", "").startswith("assetloom")
    }
    assert public <= set(assetloom.__all__)


def test_dir_lists_every_exported_name() -> None:
    assert set(assetloom.__all__) <= set(dir(assetloom))


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'not_a_name'"):
        _ = assetloom.not_a_name  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", DAGSTER_NAMES)
def test_dagster_names_are_exported(name: str) -> None:
    assert name in assetloom.__all__


def test_errors_module_all_is_complete() -> None:
    errors = importlib.import_module("assetloom.errors")
    public = {
        name
        for name, value in vars(errors).items()
        if not name.startswith("_")
        and getattr(value, "__module__", None) == "assetloom.errors"
    }
    assert public == set(errors.__all__)
