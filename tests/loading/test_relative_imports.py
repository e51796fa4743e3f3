"""``type: .module.Class`` and ``template_vars_module: .module`` are data, often written by
people who may not run code: they resolve to files inside the project only."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.projects import WriteProject, load, load_errors

EVIL = """
from pathlib import Path
Path(__file__).with_name("imported").write_text("ran")
import assetloom as dg

class Evil(dg.Component):
    def build_defs(self, context): return dg.Definitions()

@dg.template_var
def name() -> str: return "x"
"""


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A module outside the project that records being imported."""
    (tmp_path / "evil.py").write_text(EVIL)
    return tmp_path


def test_a_relative_type_that_leaves_the_project_is_refused_unimported(
    project: WriteProject, outside: Path
) -> None:
    module = f"{outside}/evil"
    root = project({"defs/a/defs.yaml": f"type: .{module}.Evil\n"})

    assert load_errors(root) == [
        f"defs/a/defs.yaml:1:7: unknown component type `.{module}.Evil`: `{module}` leads "
        f"outside the project, to {outside / 'evil.py'}; a relative module must be a file "
        "inside the project"
    ]
    assert not (outside / "imported").exists()


@pytest.mark.parametrize("module", ["a/../../../evil", "/etc/passwd", "../../x"])
def test_no_relative_path_gets_out(project: WriteProject, module: str) -> None:
    root = project({"defs/a/defs.yaml": f"type: .{module}.Evil\n"})
    [error] = load_errors(root)
    assert "leads outside the project" in error


def test_a_template_vars_module_that_leaves_the_project_is_refused_unimported(
    project: WriteProject, outside: Path
) -> None:
    root = project(
        {
            "defs/a/defs.yaml": (
                "type: DefsFolderComponent\n"
                f"template_vars_module: .{outside}/evil\n"
                'attributes: {x: "{{ name }}"}\n'
            ),
        }
    )
    [error] = load_errors(root)
    assert error.startswith("defs/a/defs.yaml:2:23: template_vars_module")
    assert f"`{outside}/evil` leads outside the project" in error
    assert not (outside / "imported").exists()


def test_a_relative_type_inside_the_project_still_resolves(project: WriteProject) -> None:
    root = project(
        {
            "defs/a/defs.yaml": "type: .sub.mod.Local\n",
            "defs/a/sub/mod.py": (
                "import assetloom as dg\n"
                "class Local(dg.Component):\n"
                "    def build_defs(self, context):\n"
                "        return dg.Definitions(assets=[dg.AssetSpec('local')])\n"
            ),
        }
    )
    assert {k.to_user_string() for k in load(root).resolve_asset_graph().all_keys} == {"local"}
