"""``assetloom.__all__`` is the public API: complete, importable, and made of assetloom's own
objects. Names code written against Dagster's docs uses must be among them."""

import contextlib
import importlib
import types
from pathlib import Path

import pytest

import assetloom

DAGSTER_NAMES_FILE = Path(__file__).with_name("dagster_asset_layer_names.txt")


def dagster_names() -> tuple[list[str], dict[str, str]]:
    """(names assetloom must export, names absent on purpose -> why) from the names file."""
    wanted: list[str] = []
    absent: dict[str, str] = {}
    for line in DAGSTER_NAMES_FILE.read_text(encoding="utf-8").splitlines():
        name, _, comment = line.partition("#")
        name = name.strip()
        if not name:
            continue
        reason = comment.strip().removeprefix("absent:").strip()
        if comment.strip().startswith("absent:"):
            absent[name] = reason
        else:
            wanted.append(name)
    return wanted, absent


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


def test_every_dagster_asset_layer_name_is_exported() -> None:
    wanted, _ = dagster_names()
    missing = sorted(set(wanted) - set(assetloom.__all__))
    assert not missing, f"Dagster names assetloom does not export: {', '.join(missing)}"


def test_names_absent_on_purpose_say_why_and_are_really_absent() -> None:
    _, absent = dagster_names()
    assert all(absent.values()), "every absent name needs a reason"
    assert not set(absent) & set(assetloom.__all__), "exported now: drop its `# absent`"


def test_dagster_error_names_are_classes_of_the_one_error_tree() -> None:
    wanted, _ = dagster_names()
    for name in wanted:
        if name.startswith("Dagster") and name.endswith("Error"):
            assert issubclass(getattr(assetloom, name), assetloom.LoomError), name


def test_errors_module_all_is_complete() -> None:
    errors = importlib.import_module("assetloom.errors")
    public = {
        name
        for name, value in vars(errors).items()
        if not name.startswith("_")
        and getattr(value, "__module__", None) == "assetloom.errors"
    }
    assert public == set(errors.__all__)
