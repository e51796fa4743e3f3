"""A component shaped like the one in Dagster's "creating a component" guide — a dataclass
with a ``Sequence[ResolvedAssetSpec]`` field whose multi-asset runs a script and returns
nothing — loads from defs.yaml and materializes unchanged."""

from __future__ import annotations

import assetloom as dg
from tests.projects import WriteProject, load, parents

COMPONENT = '''
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import assetloom as dg


@dataclass
class ShellCommand(dg.Component, dg.Resolvable):
    """Runs a shell script; its assets succeed with it."""

    script_path: str
    asset_specs: Sequence[dg.ResolvedAssetSpec]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        script = Path(context.path, self.script_path).absolute()

        @dg.multi_asset(name=Path(self.script_path).stem, specs=self.asset_specs)
        def _asset(context: dg.AssetExecutionContext):
            self.execute(script, context)

        return dg.Definitions(assets=[_asset])

    def execute(self, script: Path, context: dg.AssetExecutionContext) -> None:
        subprocess.run(["sh", str(script)], check=True, cwd=script.parent)
'''


def test_guide_shaped_component_loads_and_runs(project: WriteProject) -> None:
    root = project(
        {
            "components/shell_command.py": COMPONENT,
            "components/__init__.py": "",
            "defs/nightly/defs.yaml": """
            type: components.shell_command.ShellCommand
            attributes:
              script_path: script.sh
              asset_specs:
                - key: a
                - key: b
                  deps: [a]
            """,
            "defs/nightly/script.sh": "echo done > out.txt\n",
        }
    )
    defs = load(root)
    assert parents(defs, "b") == {"a"}
    result = dg.materialize(defs)
    assert result.succeeded_keys == [dg.AssetKey("a"), dg.AssetKey("b")]
    assert (root / "defs/nightly/out.txt").read_text() == "done\n"
