"""Any bytes in a ``workspace.yaml`` give code locations or LoomErrors located in that file,
within a time limit: valid files and broken ones (wrong types, unknown keys, missing fields,
two forms in one entry, paths leaving the folder, deep nesting, alias bombs, huge numbers,
bytes that are not UTF-8, an empty file). Finding the file obeys its one rule in any tree of
folders. And ``loom -w`` on a broken file exits 1 with the located message, no traceback."""

from __future__ import annotations

import json
import os
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from assetloom.errors import LoomError, UnreadableFileError
from assetloom.workspace.config import WorkspaceConfig, read_workspace
from assetloom.workspace.discovery import WORKSPACE_FILE, find_workspace_file
from tests.projects import loom
from tests.reliability.test_yaml_fuzz import BOMB_ROWS, YAML_PIECES
from tests.reliability.timeouts import within

KEYS = [
    "load_from", "project", "python_file", "python_module", "path", "location_name", "python",
    "relative_path", "working_directory", "executable_path", "module_name", "projct", "<<",
]  # fmt: skip
PATHS = [
    "a", "sales", ".", "..", "../..", "../../../../../../etc", "/", "/etc/passwd", "a/../../b",
    "~", "$HOME", "a\x00b", "\x00", "", " ", "é/ß", "a" * 300, "/".join(["d"] * 200), "C:\\x",
    "python3.12", ".venv/bin/python", "a.b.c", "-m", "//", "\n",
]  # fmt: skip
scalars = st.one_of(
    st.sampled_from(PATHS),
    st.text(max_size=20),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=20,
)
forms = {
    "project": st.fixed_dictionaries(
        {"path": st.sampled_from(PATHS)},
        optional={"location_name": scalars, "python": st.sampled_from(PATHS)},
    ),
    "python_file": st.fixed_dictionaries(
        {"relative_path": st.sampled_from(PATHS)},
        optional={"working_directory": st.sampled_from(PATHS), "location_name": scalars},
    ),
    "python_module": st.fixed_dictionaries(
        {"module_name": st.sampled_from(PATHS)},
        optional={"working_directory": st.sampled_from(PATHS), "executable_path": scalars},
    ),
}
# Entries of one or more forms (two at once is an error) or none, sometimes with extra keys.
entries = st.dictionaries(st.sampled_from(list(forms)), st.just(None), max_size=3).flatmap(
    lambda chosen: st.fixed_dictionaries({kind: forms[kind] for kind in chosen})
)
near_valid = st.lists(entries | values, max_size=5).map(lambda items: {"load_from": items})


_BLOCK_STYLE = YAML(typ="safe", pure=True)
_BLOCK_STYLE.allow_unicode = True


def as_yaml(value: Any) -> bytes:
    """``value`` written in block style (``json.dumps`` gives the flow style)."""
    stream = StringIO()
    _BLOCK_STYLE.dump(value, stream)
    return stream.getvalue().encode("utf-8", "surrogatepass")


workspace_bytes = st.one_of(
    near_valid.map(as_yaml),
    near_valid.map(lambda document: json.dumps(document).encode()),
    values.map(as_yaml),
    st.lists(st.sampled_from(YAML_PIECES + [f"{k}: " for k in KEYS]), max_size=40).map(
        lambda pieces: "".join(pieces).encode("utf-8", "surrogatepass")
    ),
    BOMB_ROWS.map(lambda bomb: (bomb + "load_from: [*a1]\n").encode()),
    st.integers(1, 5000).map(lambda depth: ("load_from: " + "[" * depth).encode()),
    st.binary(max_size=200),
    st.just(b""),
    st.just(b"load_from:\n  - project: {path: \xff\xfe}\n"),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("workspace-fuzz")


def read_and_check(folder: Path, data: bytes) -> WorkspaceConfig | None:
    """The locations of ``data`` as a workspace file, or None after checking that every
    error it gave is a LoomError located in ``workspace.yaml``."""
    file = folder / WORKSPACE_FILE
    file.write_bytes(data)
    with within():
        try:
            config = read_workspace(file)
        except LoomError as error:
            for leaf in error.iter_errors():
                assert leaf.location is not None, leaf
                assert leaf.location.path == WORKSPACE_FILE, leaf
            return None
    names = [location.name for location in config.locations]
    assert len(names) == len(set(names))
    for location in config.locations:
        assert location.root.is_absolute()
        assert location.declared_at.path == WORKSPACE_FILE
    return config


@settings(max_examples=800, deadline=None)
@given(data=workspace_bytes)
def test_any_workspace_file_gives_locations_or_located_errors(folder: Path, data: bytes) -> None:
    read_and_check(folder, data)


@settings(max_examples=200, deadline=None)
@given(document=near_valid)
def test_paths_are_resolved_against_the_workspace_folder(folder: Path, document: Any) -> None:
    config = read_and_check(folder, as_yaml(document))
    for location in [] if config is None else config.locations:
        assert location.root == Path(os.path.normpath(location.root))  # no `..` left in it


# A folder on the way down from the top: nothing, a workspace file, a project (`defs/`), both,
# or a look-alike that is no workspace file (a folder named workspace.yaml).
FOLDER_KINDS = ["plain", "workspace", "project", "both", "workspace-folder"]


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each case makes its own tree of folders (no workspace file above them)."""
    return tmp_path_factory.mktemp("workspace-trees")


@settings(max_examples=150, deadline=None)
@given(kinds=st.lists(st.sampled_from(FOLDER_KINDS), min_size=1, max_size=6))
def test_the_nearest_workspace_file_is_found_unless_a_project_comes_first(
    trees: Path, kinds: list[str]
) -> None:
    here = Path(tempfile.mkdtemp(dir=trees))
    expected = None
    for depth, kind in enumerate(kinds):
        here = here / f"level{depth}"
        here.mkdir()
        if kind in ("workspace", "both"):
            (here / WORKSPACE_FILE).write_text("load_from: []\n")
        if kind == "workspace-folder":
            (here / WORKSPACE_FILE).mkdir()
        if kind in ("project", "both"):
            (here / "defs").mkdir()
        if kind in ("workspace", "both"):
            expected = here / WORKSPACE_FILE
        elif kind == "project":
            expected = None
    with within():
        assert find_workspace_file(here) == expected


BROKEN_FILES = {
    "unknown key": ("load_from:\n  - projct: {path: a}\n", "workspace.yaml:2:5: "),
    "two forms": (
        "load_from:\n  - project: {path: a}\n    python_file: {relative_path: b.py}\n",
        "workspace.yaml:2:5: ",
    ),
    "wrong type": ("load_from: {project: 3}\n", "workspace.yaml:1:12: "),
    "a path with a NUL": ('load_from:\n  - project: {path: "a\\0b"}\n', "workspace.yaml:2:21: "),
    "alias bomb": (
        "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"a{r}: &a{r} [{', '.join([f'*a{r - 1}'] * 10)}]\n" for r in range(1, 9))
        + "load_from: [*a8]\n",
        "workspace.yaml:",
    ),
    "not UTF-8": (b"load_from: [\xff]\n", "workspace.yaml:1:"),
    "empty": ("", "workspace.yaml:1:1: "),
    "deep nesting": ("load_from: " + "[" * 5000 + "]" * 5000 + "\n", "workspace.yaml:1:"),
    "a huge number": ("load_from: [{project: {path: " + "9" * 5000 + "}}]\n", "workspace.yaml:1:"),
}


@pytest.mark.parametrize("name", list(BROKEN_FILES))
def test_loom_on_a_broken_workspace_file_exits_1_with_a_located_message(
    tmp_path: Path, name: str
) -> None:
    text, location = BROKEN_FILES[name]
    data = text if isinstance(text, bytes) else text.encode()
    (tmp_path / WORKSPACE_FILE).write_bytes(data)
    done = loom(tmp_path, "-w", WORKSPACE_FILE, "list", "defs", timeout=60)
    assert done.returncode == 1, done.stderr
    assert location in done.stderr
    assert "Traceback" not in done.stderr + done.stdout



def _fifo(file: Path) -> None:
    os.mkfifo(file)


def _huge(file: Path) -> None:
    with file.open("wb") as out:
        out.truncate(11 * 1024 * 1024)


NOT_A_READABLE_FILE = {
    "a folder": lambda file: file.mkdir(),
    "a FIFO": _fifo,
    "a link to /dev/zero": lambda file: file.symlink_to("/dev/zero"),
    "a dangling link": lambda file: file.symlink_to(file.with_name("gone.yaml")),
    "over the size limit": _huge,
}


@pytest.mark.parametrize("kind", list(NOT_A_READABLE_FILE))
def test_a_workspace_file_that_cannot_be_read_is_a_located_error(tmp_path: Path, kind: str) -> None:
    file = tmp_path / WORKSPACE_FILE
    NOT_A_READABLE_FILE[kind](file)
    with within(), pytest.raises(LoomError) as caught:
        read_workspace(file)
    [error] = caught.value.iter_errors()
    assert isinstance(error, UnreadableFileError)
    assert str(error).startswith(f"{WORKSPACE_FILE}: "), str(error)
    assert "None" not in str(error)
