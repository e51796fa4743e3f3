"""A load pauses the cycle collector (it only builds long-lived objects), freezes what it
built so that later collections do not walk it again, and always gives the collector back as
it found it."""

import gc
import os
import sys
import weakref
from pathlib import Path

import pytest

from assetloom.errors import LoomError
from assetloom.loading.gc_pause import collect_previous_import, collection_paused
from assetloom.loading.session import LoadSession
from assetloom.project import Project
from tests.projects import WriteProject


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_when_the_load_raises() -> None:
    with pytest.raises(ValueError, match="broken"), collection_paused():
        raise ValueError("a broken defs.yaml")
    assert gc.isenabled()


def test_a_caller_that_disabled_the_collector_keeps_it_disabled() -> None:
    gc.disable()
    try:
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_session_load_that_fails_leaves_the_collector_on(project: WriteProject) -> None:
    root = project({"defs/broken/defs.yaml": "type: components.missing.Nothing\n"})
    with pytest.raises(LoomError):
        LoadSession(Project.at(root)).load()
    assert gc.isenabled()


def test_what_the_block_built_is_frozen_and_given_back_by_the_next_block() -> None:
    gc.unfreeze()
    with collection_paused():
        built = [[n] for n in range(1_000)]
    frozen = gc.get_freeze_count()
    assert frozen >= len(built)
    with collection_paused():
        assert gc.get_freeze_count() == 0  # the previous load's objects are collectable again
    assert gc.get_freeze_count() >= len(built)
    gc.unfreeze()


def test_a_forgotten_import_is_collected_though_it_was_frozen() -> None:
    class Forgotten:
        pass

    Forgotten.itself = Forgotten  # type: ignore[attr-defined]  # a cycle, as classes have
    gone = weakref.ref(Forgotten)
    with collection_paused():
        pass  # Forgotten is frozen now
    del Forgotten
    collect_previous_import()
    assert gone() is None


COMPONENT = """
import assetloom as dg


class Tables(dg.Component, dg.Model, dg.Resolvable):
    names: list[str]

    def build_defs(self, context):
        return dg.Definitions(assets=[dg.AssetSpec(name) for name in self.names])
"""


def test_reload_after_a_python_edit_frees_the_previous_import(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/a/defs.yaml": "type: components.tables.Tables\nattributes: {names: [a]}\n",
        }
    )
    session = LoadSession(Project.at(root))
    session.load()
    old_class = weakref.ref(sys.modules["components.tables"].Tables)
    module = root / "components" / "tables.py"
    module.write_text(COMPONENT + "\n# edited\n")
    _touch_later(module)
    session.reload()
    assert old_class() is None


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
