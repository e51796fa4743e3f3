"""workspace.yaml: the three forms of a code location, their defaults, located errors, and how
a command finds the file by itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from assetloom.errors import LoomError
from assetloom.workspace.config import LocationKind, read_workspace
from assetloom.workspace.discovery import find_workspace_file
from tests.projects import write_files


def _errors(root: Path, text: str) -> list[str]:
    write_files(root, {"workspace.yaml": text})
    with pytest.raises(LoomError) as caught:
        read_workspace(root / "workspace.yaml")
    return [str(e) for e in caught.value.iter_errors()]


def test_three_forms_with_their_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path,
        {
            "workspace.yaml": """
            load_from:
              - project:
                  path: sales
                  python: sales/.venv/bin/python
              - project: {path: ops, location_name: operations}
              - python_file:
                  relative_path: scripts/nightly.py
              - python_module:
                  module_name: analytics.definitions
                  working_directory: src
                  executable_path: python3.12
            """
        },
    )
    config = read_workspace(tmp_path / "workspace.yaml")
    sales, ops, nightly, analytics = config.locations
    assert (sales.name, sales.kind, sales.root) == (
        "sales",
        LocationKind.PROJECT,
        tmp_path / "sales",
    )
    assert sales.python == str(tmp_path / "sales/.venv/bin/python")
    assert (ops.name, ops.python) == ("operations", None)
    assert (nightly.name, nightly.root) == ("nightly", tmp_path / "scripts")
    assert nightly.target == str(tmp_path / "scripts/nightly.py")
    assert (analytics.name, analytics.root) == ("analytics.definitions", tmp_path / "src")
    assert analytics.python == "python3.12"  # a bare name is looked up on PATH
    assert str(ops.declared_at) == "workspace.yaml:5:5"


def test_unknown_keys_are_located_with_a_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    errors = _errors(
        tmp_path,
        """
        load_from:
          - project:
              path: sales
              locaton_name: s
          - projct: {path: ops}
        """,
    )
    # The wording after the suggestion is the loader's, shared with defs.yaml errors.
    assert len(errors) == 2
    assert errors[0].startswith(
        "workspace.yaml:4:7: load_from[0].project: unknown key `locaton_name` — "
        "did you mean `location_name`?"
    )
    assert errors[1].startswith(
        "workspace.yaml:5:5: load_from[1]: unknown key `projct` — did you mean `project`?"
    )


def test_an_entry_names_exactly_one_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    errors = _errors(
        tmp_path,
        """
        load_from:
          - project: {path: a}
            python_module: {module_name: b}
        """,
    )
    assert len(errors) == 1
    assert errors[0].startswith("workspace.yaml:2:5: load_from[0]: ")
    assert "exactly one of project, python_file, python_module" in errors[0]


def test_two_locations_with_one_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    errors = _errors(
        tmp_path,
        """
        load_from:
          - project: {path: one/sales}
          - project: {path: two/sales}
        """,
    )
    assert errors == [
        "workspace.yaml:3:5: two code locations are named `sales` (the other is declared at "
        "workspace.yaml:2:5); set `location_name` to tell them apart"
    ]


def test_a_file_that_is_not_a_mapping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _errors(tmp_path, "- project: {path: a}\n") == [
        "workspace.yaml:1:1: a workspace file is one mapping with a `load_from:` list"
    ]


def test_the_nearest_of_workspace_and_project_wins(tmp_path: Path) -> None:
    write_files(tmp_path, {"workspace.yaml": "load_from: []\n", "sales/defs/x.py": ""})
    (tmp_path / "sales/deep").mkdir()
    assert find_workspace_file(tmp_path) == tmp_path / "workspace.yaml"
    assert find_workspace_file(tmp_path / "sales/deep") is None  # inside a project: the project
    (tmp_path / "elsewhere").mkdir()
    assert find_workspace_file(tmp_path / "elsewhere") == tmp_path / "workspace.yaml"


def test_in_one_folder_the_workspace_wins_over_the_project(tmp_path: Path) -> None:
    write_files(tmp_path, {"workspace.yaml": "load_from: [{project: {path: .}}]\n"})
    assert (tmp_path / "defs").is_dir()
    assert find_workspace_file(tmp_path) == tmp_path / "workspace.yaml"
