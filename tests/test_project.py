"""How every message shows a path: relative to the project root, whatever form it came in."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetloom.project import relative_path


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("defs/a/defs.yaml", "defs/a/defs.yaml"),
        ("defs/./a/defs.yaml", "defs/a/defs.yaml"),
        (".loom/cache/yaml.marshal", ".loom/cache/yaml.marshal"),
        ("", "."),
    ],
)
def test_a_path_under_the_root_is_shown_relative_to_it(
    tmp_path: Path, path: str, expected: str
) -> None:
    (tmp_path / "defs" / "a").mkdir(parents=True)
    assert relative_path(f"{tmp_path}/{path}".rstrip("/"), tmp_path) == expected
    assert relative_path(Path(tmp_path, path), tmp_path) == expected


def test_a_relative_path_is_taken_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "defs").mkdir()
    monkeypatch.chdir(tmp_path / "defs")
    assert relative_path("a/defs.yaml", tmp_path) == "defs/a/defs.yaml"


def test_a_path_outside_the_root_is_shown_as_given(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    assert relative_path(tmp_path / "elsewhere.yaml", root) == f"{tmp_path}/elsewhere.yaml"
    assert relative_path(f"{root}-sibling/defs.yaml", root) == f"{root}-sibling/defs.yaml"


PARTS = st.sampled_from(["a", "b", ".hidden", ".", "..", "", "x.py", "defs.yaml"])


@given(parts=st.lists(PARTS, min_size=1, max_size=5))
def test_the_fast_path_agrees_with_pathlib(parts: list[str]) -> None:
    """Under a root inside a hidden folder too (`bench/.work/...`): a path written with
    `.`, `..` or empty parts is the one pathlib would make of it."""
    root = Path("/srv/.work/project")
    text = f"{root}/{'/'.join(parts)}"
    absolute = Path(text)
    if absolute.is_relative_to(root):
        expected = absolute.relative_to(root).as_posix()
    else:
        expected = Path(text).as_posix()
    assert relative_path(text, root) == expected
