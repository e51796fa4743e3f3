"""LoadSession.reload after edits to defs.yaml files: only the edited files are rebuilt, and
the graph is patched and checked as if built afresh."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import assetloom as dg
from assetloom.errors import LoadErrors
from assetloom.loading.session import LoadSession
from assetloom.project import Project
from tests.projects import WriteProject

COUNTING = '''
import assetloom as dg

BUILT: list[str] = []


class Tables(dg.Component, dg.Model, dg.Resolvable):
    names: list[str]
    deps: list[str] = []

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        BUILT.append(context.path.name)
        return dg.Definitions(assets=[_table(name, self.deps) for name in self.names])


def _table(name: str, deps: list[str]) -> dg.AssetsDefinition:
    @dg.asset(name=name, deps=deps)
    def table() -> None: ...

    return table
'''


def _tables(names: str, deps: str = "[]") -> str:
    return f"type: components.counting.Tables\nattributes: {{names: {names}, deps: {deps}}}\n"


@pytest.fixture
def root(project: WriteProject) -> Path:
    return project(
        {
            "components/counting.py": COUNTING,
            "defs/a/defs.yaml": _tables("[a1, a2]"),
            "defs/b/defs.yaml": _tables("[b1]", "[a1]"),
            "defs/c/defs.yaml": _tables("[c1]", "[b1]"),
        }
    )


def _built() -> list[str]:
    built: list[str] = sys.modules["components.counting"].BUILT
    return built


def _parents(defs: dg.Definitions, key: str) -> set[str]:
    graph = defs.resolve_asset_graph()
    return {k.to_user_string() for k in graph.parents(dg.AssetKey(key))}


def test_reload_rebuilds_only_the_edited_file(root: Path) -> None:
    session = LoadSession(Project.at(root))
    session.load()
    assert sorted(_built()) == ["a", "b", "c"]
    (root / "defs/b/defs.yaml").write_text(_tables("[b1, b2]", "[a2]"))
    defs = session.reload()
    assert sorted(_built()) == ["a", "b", "b", "c"]
    assert _parents(defs, "b1") == {"a2"}
    assert _parents(defs, "c1") == {"b1"}
    assert sorted(k.to_user_string() for k in defs.resolve_asset_graph().all_keys) == [
        "a1", "a2", "b1", "b2", "c1",
    ]  # fmt: skip


def test_an_unchanged_project_reloads_without_building(root: Path) -> None:
    session = LoadSession(Project.at(root))
    first = session.load()
    again = session.reload()
    assert sorted(_built()) == ["a", "b", "c"]
    assert again.resolve_asset_graph().all_keys == first.resolve_asset_graph().all_keys


def test_an_edit_that_makes_a_cycle_is_reported(root: Path) -> None:
    session = LoadSession(Project.at(root))
    session.load()
    (root / "defs/a/defs.yaml").write_text(_tables("[a1, a2]", "[c1]"))
    with pytest.raises(LoadErrors, match=r"dependency cycle: a1 -> b1 -> c1 -> a1"):
        session.reload()


def test_an_edit_that_duplicates_a_key_is_reported(root: Path) -> None:
    session = LoadSession(Project.at(root))
    session.load()
    (root / "defs/c/defs.yaml").write_text(_tables("[c1, a1]"))
    with pytest.raises(LoadErrors, match="asset key `a1` is defined twice"):
        session.reload()


def test_removing_a_key_others_depend_on_makes_it_external(root: Path) -> None:
    session = LoadSession(Project.at(root))
    session.load()
    (root / "defs/b/defs.yaml").write_text(_tables("[b2]", "[a1]"))
    graph = session.reload().resolve_asset_graph()
    assert graph.external_keys == {dg.AssetKey("b1")}
    assert _parents(session.reload(), "c1") == {"b1"}


def test_a_broken_file_is_reported_at_every_reload(root: Path) -> None:
    session = LoadSession(Project.at(root))
    session.load()
    (root / "defs/b/defs.yaml").write_text(_tables("b1"))
    for _ in range(2):
        with pytest.raises(LoadErrors, match=r"attributes\.names: expected a list"):
            session.reload()
    (root / "defs/b/defs.yaml").write_text(_tables("[b1]"))
    assert _parents(session.reload(), "c1") == {"b1"}


def test_an_edited_python_module_rebuilds_everything(root: Path) -> None:
    session = LoadSession(Project.at(root))
    session.load()
    (root / "components/counting.py").write_text(COUNTING + "\n# edited\n")
    session.reload()
    assert sorted(_built()) == ["a", "b", "c"]  # a fresh module: its BUILT starts again


def _settle(root: Path, seconds: float = -60) -> None:
    """Date every folder back a minute, as folders untouched for a while are (or, with a
    positive ``seconds``, to a moment that is always "just now", however slow the test)."""
    for folder in [root / "defs", *(root / "defs").iterdir()]:
        if folder.is_dir():
            os.utime(folder, (time.time() + seconds, time.time() + seconds))


def _count_listings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    listed: list[str] = []
    real_scandir = os.scandir

    def scandir(path: str) -> Any:
        listed.append(Path(path).name)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    return listed


def test_a_reload_lists_only_the_folders_that_changed(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _settle(root)
    session = LoadSession(Project.at(root))
    session.load()
    listed = _count_listings(monkeypatch)
    (root / "defs/b/defs.yaml").write_text(_tables("[b1, b2]", "[a1]"))  # a file's content
    session.reload()
    assert listed == []
    (root / "defs/d").mkdir()  # a folder added: `defs/` changed, the new one is listed
    (root / "defs/d/defs.yaml").write_text(_tables("[d1]", "[c1]"))
    defs = session.reload()
    assert sorted(listed) == ["d", "defs"]
    assert _parents(defs, "d1") == {"c1"}


def test_a_folder_that_just_changed_is_listed_again_at_every_reload(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change in the same clock tick as a listing would not move the folder's time: a
    listing is kept only once the folder has been still for a while."""
    _settle(root, seconds=60)  # every folder changed "just now" at each reload below
    session = LoadSession(Project.at(root))
    session.load()
    listed = _count_listings(monkeypatch)
    session.reload()
    session.reload()
    assert sorted(listed) == sorted(["defs", "a", "b", "c"] * 2)


def test_a_file_removed_from_a_kept_folder_is_seen(root: Path) -> None:
    _settle(root)
    session = LoadSession(Project.at(root))
    session.load()
    (root / "defs/c/defs.yaml").unlink()
    keys = session.reload().resolve_asset_graph().all_keys
    assert dg.AssetKey("c1") not in keys
