"""Where runs are stored: [tool.assetloom] storage, then $LOOM_HOME, then .loom/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assetloom.errors import RunStorageError
from assetloom.project import Project
from assetloom.storage.location import display_url, storage_url
from tests.projects import WriteProject


def project_with(write: WriteProject, settings: str = "") -> Project:
    return Project.at(write({"pyproject.toml": f"[tool.assetloom]\n{settings}"}))


def test_by_default_runs_live_in_the_projects_loom_folder(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOOM_HOME", raising=False)
    shop = project_with(project)
    assert storage_url(shop) == f"sqlite:///{shop.root / '.loom' / 'runs.sqlite'}"


def test_loom_home_moves_the_default_database(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LOOM_HOME", str(tmp_path / "home"))
    assert storage_url(project_with(project)) == f"sqlite:///{tmp_path / 'home' / 'runs.sqlite'}"


def test_a_configured_url_wins_and_a_relative_sqlite_path_is_the_projects(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOM_HOME", "/elsewhere")
    shop = project_with(project, 'storage = "sqlite:///state/runs.db"')
    assert storage_url(shop) == f"sqlite:///{shop.root / 'state' / 'runs.db'}"
    pg = project_with(project, 'storage = "postgresql+psycopg://loom@db/runs"')
    assert storage_url(pg) == "postgresql+psycopg://loom@db/runs"
    plain = project_with(project, 'storage = "postgresql://loom@db/runs"')
    assert storage_url(plain) == "postgresql+psycopg://loom@db/runs"  # the driver we install


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("storage = 5", "storage must be a database URL, got 5"),
        (
            'storage = "mysql://x/y"',
            "unsupported database `mysql` (supported: sqlite, postgresql, postgres)",
        ),
    ],
)
def test_a_bad_storage_setting_is_located_in_pyproject(
    project: WriteProject, setting: str, message: str
) -> None:
    with pytest.raises(RunStorageError, match=re.escape(message)) as caught:
        storage_url(project_with(project, setting))
    assert str(caught.value).startswith("pyproject.toml: ")


def test_passwords_are_masked_in_messages() -> None:
    assert display_url("postgresql://me:secret@db:5432/x") == "postgresql://me:***@db:5432/x"
    assert display_url("sqlite:////tmp/runs.sqlite") == "sqlite:////tmp/runs.sqlite"
