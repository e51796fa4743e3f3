"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.projects import WriteProject, write_files


@pytest.fixture
def project(tmp_path: Path) -> WriteProject:
    """Write a project as real files under a temp dir: ``project({path: text})`` -> root."""
    root = tmp_path / "proj"
    root.mkdir()
    return lambda files: write_files(root, files)
