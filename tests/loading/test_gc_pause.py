"""A load pauses the cycle collector (it only builds long-lived objects) and always gives it
back as it found it."""

import gc

import pytest

from assetloom.errors import LoomError
from assetloom.loading.gc_pause import collection_paused
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
