"""``check defs`` on a workspace shows the tree warnings of each project location (look-alike
``defs.yaml`` files, symlinks out of the project), located from the workspace's folder, as it
does for one project: warnings, so the check still passes unless ``--strict``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from assetloom.workspace.config import read_workspace
from assetloom.workspace.tree_warnings import tree_warnings
from tests.projects import loom, write_files

ASSET = """
import assetloom as dg


@dg.asset
def orders() -> int:
    return 1
"""


def _workspace(root: Path, outside: Path) -> Path:
    write_files(
        root,
        {
            "workspace.yaml": "load_from:\n  - project: {path: sales}\n  - project: {path: .}\n",
            "sales/defs/orders.py": ASSET,
            "sales/defs/raw/defs.yml": "type: Nothing\n",
        },
    )
    (root / "sales/defs/shared").symlink_to(outside, target_is_directory=True)
    return root / "workspace.yaml"


def test_each_project_locations_warnings_are_located_from_the_workspace(tmp_path: Path) -> None:
    file = _workspace(tmp_path / "ws", tmp_path)
    (tmp_path / "ws/defs/Defs.yaml").write_text("")
    warnings = tree_warnings(read_workspace(file))
    assert sorted((str(w.location), w.code) for w in warnings) == [
        ("defs/Defs.yaml", "LOOM902"),
        ("sales/defs/raw/defs.yml", "LOOM902"),
        ("sales/defs/shared", "LOOM903"),
    ]


def test_check_defs_prints_them_and_fails_only_when_strict(tmp_path: Path) -> None:
    file = _workspace(tmp_path / "ws", tmp_path)
    (tmp_path / "ws/workspace.yaml").write_text("load_from:\n  - project: {path: sales}\n")

    def check(*flags: str) -> subprocess.CompletedProcess[str]:
        return loom(tmp_path, "-w", str(file), "check", "defs", *flags)

    done = check()
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "sales/defs/raw/defs.yml: warning[LOOM902]: `defs.yml` is a file, not loaded" in output
    assert "sales/defs/shared: warning[LOOM903]: `shared` is a symlink to" in output
    assert "all definitions loaded: 1 asset" in output
    assert check("--strict").returncode == 1
