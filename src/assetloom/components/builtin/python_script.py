"""PythonScriptComponent: run a Python script per asset (or group of assets) in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from pydantic import Field

from assetloom.assets.decorators import multi_asset
from assetloom.assets.definition import AssetsDefinition
from assetloom.assets.results import MaterializeResult
from assetloom.assets.spec import AssetSpec
from assetloom.components.component import Component, ComponentLoadContext
from assetloom.components.resolvable import Model, Resolvable
from assetloom.components.resolved_types import ResolvedAssetSpec
from assetloom.defs import Definitions

OUTPUT_TAIL = 2000


class Script(Resolvable, Model):
    """One script and the assets it materializes."""

    path: str = Field(examples=["scripts/load_orders.py"])
    """The script, relative to the defs.yaml's folder."""
    args: list[str] = Field(default_factory=list)
    """Command-line arguments."""
    env: dict[str, str] = Field(default_factory=dict)
    """Extra environment variables."""
    assets: list[ResolvedAssetSpec]
    """The assets the script materializes; all succeed or fail with its exit code."""
    name: str | None = None
    """The step's name (default: the script's file name without `.py`)."""


class ScriptExecution(Model):
    """Dagster's shape: the one script that materializes the component's `assets`."""

    path: str = Field(examples=["scripts/load_orders.py"])
    """The script, relative to the defs.yaml's folder."""
    args: list[str] = Field(default_factory=list)
    """Command-line arguments."""
    env: dict[str, str] = Field(default_factory=dict)
    """Extra environment variables."""
    name: str | None = None
    """The step's name (default: the script's file name without `.py`)."""


class PythonScriptComponent(Component, Model, Resolvable):
    """Runs each script with the current Python in a subprocess, in the defs.yaml's folder;
    exit code 0 materializes the script's assets, anything else fails them. Give `scripts`
    (several scripts, each with its assets) or, as in Dagster, `execution` and `assets`."""

    scripts: list[Script] = Field(default_factory=list)
    """Scripts, each with the assets it materializes."""
    execution: ScriptExecution | None = None
    """Dagster's shape: the one script to run for `assets`."""
    assets: list[ResolvedAssetSpec] = Field(default_factory=list)
    """Dagster's shape: the assets `execution` materializes."""

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        return Definitions(assets=[_script_asset(s, context.path) for s in self.all_scripts()])

    def all_scripts(self) -> list[Script]:
        """``scripts``, plus the one ``execution`` + ``assets`` describe."""
        if (self.execution is None) != (not self.assets):
            raise ValueError("PythonScriptComponent: `execution` and `assets` go together")
        if self.execution is None and not self.scripts:
            raise ValueError("PythonScriptComponent: give `scripts`, or `execution` and `assets`")
        extra = []
        if self.execution is not None:
            run = self.execution
            extra = [
                Script(path=run.path, args=run.args, env=run.env, assets=self.assets, name=run.name)
            ]
        return [*self.scripts, *extra]


def _script_asset(script: Script, folder: Path) -> AssetsDefinition:
    file = folder / script.path
    if not file.is_file():
        raise FileNotFoundError(f"no script {script.path} in {folder}")
    specs: list[AssetSpec] = list(script.assets)
    command = [sys.executable, str(file), *script.args]
    env = {**os.environ, **script.env}

    def run_script() -> MaterializeResult | list[MaterializeResult]:
        started = time.perf_counter()
        done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(
                f"{script.path} exited with code {done.returncode}\n{done.stderr[-OUTPUT_TAIL:]}"
            )
        metadata = {
            "script": script.path,
            "exit_code": done.returncode,
            "duration_s": round(time.perf_counter() - started, 3),
            "stdout_tail": done.stdout[-OUTPUT_TAIL:],
        }
        results = [MaterializeResult(asset_key=s.key, metadata=metadata) for s in specs]
        # A single asset's function returns its result itself (a list would be its value).
        return results[0] if len(results) == 1 else results

    run_script.__name__ = script.name or Path(script.path).stem
    return multi_asset(specs=specs, name=run_script.__name__)(run_script)
