"""LoadSession: one project's load, scoped to it, repeatable after edits."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

import assetloom as dg
from assetloom.loading.session import LoadSession
from assetloom.project import Project
from tests.projects import WriteProject, write_files

COMPONENT = '''
import assetloom as dg


class Tables(dg.Component, dg.Model, dg.Resolvable):
    names: list[str]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions(
            assets=[dg.AssetSpec(n, group_name="{group}") for n in self.names]
        )
'''
TABLES = "type: components.tables.Tables\nattributes: {names: [a, b]}\n"
PLAIN_ASSET = '''
import assetloom as dg


@dg.asset(group_name="{group}")
def downstream() -> None: ...
'''


def _project(root: Path, group: str) -> Path:
    return write_files(
        root,
        {
            "components/tables.py": COMPONENT.replace("{group}", group),
            "defs/tables/defs.yaml": TABLES,
            "defs/more.py": PLAIN_ASSET.replace("{group}", group),
        },
    )


def _groups(defs: dg.Definitions) -> dict[str, str]:
    graph = defs.resolve_asset_graph()
    return {
        key.to_user_string(): graph.spec(key).group_name for key in sorted(graph.all_keys)
    }


def test_two_projects_with_the_same_module_names_each_get_their_own(tmp_path: Path) -> None:
    first = LoadSession(Project.at(_project(tmp_path / "first", "one")))
    second = LoadSession(Project.at(_project(tmp_path / "second", "two")))
    assert set(_groups(first.load()).values()) == {"one"}
    assert set(_groups(second.load()).values()) == {"two"}
    assert set(_groups(first.reload()).values()) == {"one"}


def test_a_load_leaves_sys_path_as_it_was(project: WriteProject) -> None:
    root = _project(project({}), "g")
    before = list(sys.path)
    LoadSession(Project.at(root)).load()
    assert sys.path == before


def test_reload_sees_edits_to_yaml_component_and_defs_modules(project: WriteProject) -> None:
    root = _project(project({}), "old")
    session = LoadSession(Project.at(root))
    assert _groups(session.load()) == {"a": "old", "b": "old", "downstream": "old"}

    (root / "defs/tables/defs.yaml").write_text(TABLES.replace("a, b", "a, b, c"))
    assert set(_groups(session.reload())) == {"a", "b", "c", "downstream"}

    (root / "components/tables.py").write_text(COMPONENT.replace("{group}", "new"))
    (root / "defs/more.py").write_text(PLAIN_ASSET.replace("{group}", "newer"))
    assert _groups(session.reload()) == {"a": "new", "b": "new", "c": "new", "downstream": "newer"}


def test_check_documents_judges_without_building(project: WriteProject) -> None:
    root = _project(project({}), "g")
    (root / "defs/tables/defs.yaml").write_text(TABLES.replace("[a, b]", "a"))
    session = LoadSession(Project.at(root))
    [report] = session.check_documents([root / "defs/tables/defs.yaml"])
    assert [str(p) for p in report.problems] == [
        'defs/tables/defs.yaml:2:21: attributes.names: expected a list, got "a" (a string)'
    ]
    defs_folder = str(root / "defs")
    imported = (getattr(m, "__file__", None) or "" for m in list(sys.modules.values()))
    assert not any(file.startswith(defs_folder) for file in imported)


def test_a_file_checked_then_loaded_is_parsed_once_until_it_is_edited(tmp_path: Path) -> None:
    """``loom check defs`` checks the documents, then loads, in one session."""
    root = _project(tmp_path, "one")
    defs_yaml = root / "defs" / "tables" / "defs.yaml"
    session = LoadSession(Project.at(root))
    [report] = session.check_documents([defs_yaml])
    assert report.problems == ()
    parsed = session.read_documents(defs_yaml)
    assert set(_groups(session.load())) == {"a", "b", "downstream"}
    assert session.read_documents(defs_yaml) is parsed
    defs_yaml.write_text(TABLES.replace("[a, b]", "[a, b, c]"))
    assert session.read_documents(defs_yaml) is not parsed
    assert set(_groups(session.reload())) == {"a", "b", "c", "downstream"}


def test_check_documents_keeps_parsed_files_only_for_a_load_that_follows(
    project: WriteProject,
) -> None:
    root = _project(project({}), "g")
    file = root / "defs" / "tables" / "defs.yaml"
    checking = LoadSession(Project.at(root))  # loom check yaml: one file's documents at a time
    checking.check_documents([file])
    assert checking.read_documents(file, keep=False) is not checking.read_documents(
        file, keep=False
    )
    loading = LoadSession(Project.at(root))  # loom check defs: checked, then loaded
    loading.check_documents([file], keep=True)
    assert loading.read_documents(file, keep=False) is loading.read_documents(file, keep=False)


def test_a_load_stats_each_defs_yaml_once_in_its_walk(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk's own stat of a file is its stamp for the build cache and the parse: no
    second or third stat per file."""
    root = project({"components/tables.py": COMPONENT, "defs/t/defs.yaml": TABLES})
    stats: list[str] = []
    real_stat = os.stat

    def counting_stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if os.fspath(path).endswith("defs.yaml"):
            stats.append(os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting_stat)
    LoadSession(Project.at(root)).load()
    assert stats == []
