"""Type resolution: dotted paths, `.relative` paths, short names, and many projects in one
process."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from assetloom.components.builtin import DefsFolderComponent, TemplatedSqlComponent
from assetloom.errors import SourceLocation, UnknownComponentTypeError
from assetloom.loading.registry import ComponentRegistry
from assetloom.project import Project
from tests.projects import WriteProject, load, load_errors, write_files

HERE = SourceLocation("defs/x/defs.yaml", 1, 7)


def _component(name: str, asset: str) -> str:
    return f'''
import assetloom as dg


class {name}(dg.Component):
    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions(assets=[dg.AssetSpec("{asset}")])
'''


def test_builtins_resolve_by_short_and_qualified_name(tmp_path: Path) -> None:
    registry = ComponentRegistry(Project.at(tmp_path))
    for name in ("DefsFolderComponent", "assetloom.DefsFolderComponent",
                 "dagster.DefsFolderComponent"):
        assert registry.resolve(name, base_dir=tmp_path, location=HERE) is DefsFolderComponent
    assert registry.resolve(
        "assetloom.components.builtin.TemplatedSqlComponent", base_dir=tmp_path, location=HERE
    ) is TemplatedSqlComponent


def test_unknown_type_error_is_a_lookup_error(tmp_path: Path) -> None:
    registry = ComponentRegistry(Project.at(tmp_path))
    with pytest.raises(LookupError) as caught:
        registry.resolve("TemplatedSqlComponnt", base_dir=tmp_path, location=HERE)
    assert isinstance(caught.value, UnknownComponentTypeError)
    assert str(caught.value) == (
        "defs/x/defs.yaml:1:7: unknown component type `TemplatedSqlComponnt`: no registered "
        "component has that name — did you mean `TemplatedSqlComponent` or "
        "`assetloom.TemplatedSqlComponent`?"
    )


def test_a_relative_type_that_names_no_file(tmp_path: Path) -> None:
    registry = ComponentRegistry(Project.at(tmp_path))
    folder = tmp_path / "defs" / "x"
    folder.mkdir(parents=True)
    with pytest.raises(UnknownComponentTypeError) as caught:
        registry.resolve(".local.Thing", base_dir=folder, location=HERE)
    assert str(caught.value) == (
        "defs/x/defs.yaml:1:7: unknown component type `.local.Thing`: no file defs/x/local.py"
    )


def test_an_entry_point_registers_short_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: WriteProject
) -> None:
    site = tmp_path / "site"
    write_files(
        site,
        {
            "loom_plugin_pkg/__init__.py": _component("PluginTables", "from_plugin"),
            "loom_plugin_pkg-0.1.dist-info/METADATA": (
                "Metadata-Version: 2.1\nName: loom-plugin-pkg\nVersion: 0.1\n"
            ),
            "loom_plugin_pkg-0.1.dist-info/entry_points.txt": textwrap.dedent(
                """
                [assetloom.components]
                loom_plugin_pkg = loom_plugin_pkg
                """
            ),
        },
    )
    monkeypatch.syspath_prepend(str(site))
    root = project(
        {
            "defs/a/defs.yaml": "type: PluginTables\n",
            "defs/b/defs.yaml": "type: loom_plugin_pkg.PluginTables\n",
        }
    )
    try:
        graph = load(root).resolve_asset_graph()
    finally:
        monkeypatch.delitem(__import__("sys").modules, "loom_plugin_pkg", raising=False)
    # Both documents build the same asset: the short name and the dotted name agree.
    assert {k.to_user_string() for k in graph.all_keys} == {"from_plugin"}


def test_many_projects_in_one_process_do_not_see_each_others_modules(tmp_path: Path) -> None:
    keys = []
    for index in range(3):
        root = write_files(
            tmp_path / f"p{index}",
            {
                "components/tables.py": _component("Tables", f"comp_{index}"),
                "defs/c/defs.yaml": "type: components.tables.Tables\n",
                "defs/r/defs.yaml": "type: .local.Local\n",
                "defs/r/local.py": _component("Local", f"local_{index}"),
                "defs/assets.py": f"import assetloom as dg\n\nspec = dg.AssetSpec('py_{index}')\n",
            },
        )
        keys.append(sorted(k.to_user_string() for k in load(root).resolve_asset_graph().all_keys))
    assert keys == [
        [f"comp_{i}", f"local_{i}", f"py_{i}"] for i in range(3)
    ]


def test_a_module_only_in_an_earlier_project_is_not_found(tmp_path: Path) -> None:
    first = write_files(
        tmp_path / "first",
        {
            "components/only_here.py": _component("OnlyHere", "x"),
            "defs/a/defs.yaml": "type: components.only_here.OnlyHere\n",
        },
    )
    load(first)
    second = write_files(
        tmp_path / "second",
        {
            "components/other.py": _component("Other", "y"),
            "defs/a/defs.yaml": "type: components.only_here.OnlyHere\n",
        },
    )
    assert load_errors(second) == [
        "defs/a/defs.yaml:1:7: unknown component type `components.only_here.OnlyHere`: "
        "no module `components.only_here` — did you mean `components.other.Other`?"
    ]
