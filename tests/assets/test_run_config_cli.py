"""``loom materialize --config FILE.yaml`` and ``--job NAME``: run config and jobs from the
command line, with config errors located in the file."""

from __future__ import annotations

from tests.projects import WriteProject, loom

ASSETS = """
import json
from pathlib import Path

import assetloom as dg


class Scale(dg.Config):
    factor: int
    label: str = "x"


@dg.asset
def numbers() -> list[int]:
    return [1, 2]


@dg.asset
def scaled(numbers: list[int], config: Scale) -> None:
    Path("scaled.json").write_text(json.dumps([n * config.factor for n in numbers]))


@dg.definitions
def jobs() -> dg.Definitions:
    return dg.Definitions(
        jobs=[
            dg.define_asset_job(
                "scale_job",
                selection=["numbers", "scaled"],
                config={"ops": {"scaled": {"config": {"factor": 100}}}},
            )
        ]
    )
"""


def test_config_file_fills_the_config_parameter(project: WriteProject) -> None:
    root = project(
        {
            "defs/assets.py": ASSETS,
            "run.yaml": "ops:\n  scaled:\n    config:\n      factor: 10\n",
        }
    )
    done = loom(root, "materialize", "--config", "run.yaml")
    assert done.returncode == 0, done.stderr
    assert (root / "scaled.json").read_text() == "[10, 20]"


def test_a_config_error_points_into_the_file(project: WriteProject) -> None:
    root = project(
        {
            "defs/assets.py": ASSETS,
            "run.yaml": "ops:\n  scaled:\n    config:\n      factor: many\n",
        }
    )
    done = loom(root, "materialize", "--config", "run.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "run.yaml:4:15:" in done.stderr
    assert "factor" in done.stderr
    assert not (root / "scaled.json").exists()


def test_job_runs_its_selection_with_its_config(project: WriteProject) -> None:
    root = project({"defs/assets.py": ASSETS})
    done = loom(root, "materialize", "--job", "scale_job")
    assert done.returncode == 0, done.stderr
    assert (root / "scaled.json").read_text() == "[100, 200]"


def test_unknown_job_is_named_with_a_suggestion(project: WriteProject) -> None:
    root = project({"defs/assets.py": ASSETS})
    done = loom(root, "materialize", "--job", "scale_jbo")
    assert done.returncode != 0
    assert "did you mean `scale_job`" in done.stderr


SUBSETTABLE = """
import assetloom as dg


@dg.multi_asset(
    outs={"a": dg.AssetOut(is_required=False), "b": dg.AssetOut(is_required=False)},
    can_subset=True,
)
def ab(context: dg.AssetExecutionContext):
    for name in sorted(context.selected_output_names):
        yield dg.Output(name, output_name=name)
"""


def test_a_subset_of_a_multi_asset_runs_alone_in_worker_processes(project: WriteProject) -> None:
    root = project({"defs/assets.py": SUBSETTABLE})
    done = loom(root, "materialize", "--select", "b", "--executor", "multiprocess")
    assert done.returncode == 0, done.stderr
    assert "1 materialized" in done.stdout
