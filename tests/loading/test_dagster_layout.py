"""A project laid out by Dagster's ``dg scaffold project`` loads as is, with no PYTHONPATH."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import assetloom as dg
from assetloom.project import Project
from tests.projects import write_files

PYPROJECT = """
[project]
name = "my-project"
version = "0.1.0"

[tool.dg]
directory_type = "project"

[tool.dg.project]
root_module = "my_project"
"""
COMPONENT = '''
import dagster as dg


class Tables(dg.Component, dg.Model, dg.Resolvable):
    names: list[str]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions(assets=[dg.AssetSpec(n) for n in self.names])
'''.replace("import dagster as dg", "import assetloom as dg")
REPORT = """
import assetloom as dg


@dg.asset(deps=["orders"])
def report() -> None: ...
"""
DEFINITIONS = '''
from pathlib import Path

import assetloom as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
'''


@pytest.fixture
def scaffolded(tmp_path: Path) -> Path:
    """What ``dg scaffold project my-project`` writes, plus one component and its use."""
    return write_files(
        tmp_path / "my-project",
        {
            "pyproject.toml": PYPROJECT,
            "src/my_project/__init__.py": "",
            "src/my_project/definitions.py": DEFINITIONS,
            "src/my_project/defs/__init__.py": "",
            "src/my_project/components/__init__.py": "",
            "src/my_project/components/tables.py": COMPONENT,
            "src/my_project/defs/sales/defs.yaml": (
                "type: my_project.components.tables.Tables\nattributes: {names: [orders]}\n"
            ),
            "src/my_project/defs/more.py": REPORT,
            "tests/__init__.py": "",
        },
    )


def _keys(defs: dg.Definitions) -> list[str]:
    return sorted(k.to_user_string() for k in defs.resolve_asset_graph().all_keys)


def test_the_defs_folder_comes_from_tool_dg_project(scaffolded: Path) -> None:
    project = Project.at(scaffolded)
    assert project.defs_root == scaffolded / "src/my_project/defs"
    assert project.name == "my-project"
    assert project.import_roots == (scaffolded / "src", scaffolded)


def test_an_explicit_defs_module_or_defs_dir_wins(scaffolded: Path) -> None:
    (scaffolded / "src/my_project/other").mkdir()
    text = PYPROJECT + 'defs_module = "my_project.other"\n'
    (scaffolded / "pyproject.toml").write_text(text)
    assert Project.at(scaffolded).defs_root == scaffolded / "src/my_project/other"
    (scaffolded / "pyproject.toml").write_text(text + '\n[tool.assetloom]\ndefs_dir = "x"\n')
    assert Project.at(scaffolded).defs_root == scaffolded / "x"


def test_the_project_is_found_from_any_folder_inside_it(scaffolded: Path) -> None:
    for inside in ("src/my_project/defs/sales", "src/my_project", "tests", "."):
        assert Project.find(scaffolded / inside).root == scaffolded


def test_it_loads_with_no_pythonpath(scaffolded: Path) -> None:
    defs = dg.load_from_defs_folder(path_within_project=scaffolded / "src/my_project")
    assert _keys(defs) == ["orders", "report"]
    assert defs.resolve_asset_graph().parents(dg.AssetKey("report")) == {dg.AssetKey("orders")}


def test_loom_lists_it_from_a_folder_inside(scaffolded: Path) -> None:
    loom = Path(sys.executable).with_name("loom")
    proc = subprocess.run(
        [str(loom), "list", "defs", "--json"], cwd=scaffolded / "src/my_project/defs",
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert '"orders"' in proc.stdout
    assert '"report"' in proc.stdout
