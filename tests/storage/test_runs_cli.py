"""``loom runs list`` and ``loom runs show`` print the recorded history of a project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assetloom.execution.events import LogMessage, RunStarted, StepStarted
from assetloom.project import Project
from assetloom.storage.location import storage_url
from assetloom.storage.run_storage import RunStorage
from tests.projects import WriteProject, loom
from tests.storage.test_run_storage import a_run


@pytest.fixture
def root(project: WriteProject) -> Path:
    return project({"pyproject.toml": "[tool.assetloom]\nname = 'shop'\n"})


@pytest.fixture
def recorded(root: Path) -> Path:
    """Two runs: 1111aaaa… succeeded, 2222bbbb… failed in `report`; one still running."""
    with RunStorage.open(storage_url(Project.at(root))) as storage:
        storage.append(a_run("1111aaaa", t0=1_700_000_000.0))
        storage.append(a_run("2222bbbb", t0=1_700_000_100.0, fail_report=True))
        storage.append(
            [
                RunStarted(run_id="3333cccc", asset_keys=()),
                StepStarted(run_id="3333cccc", step="slow"),
                LogMessage(run_id="3333cccc", step="slow", level="INFO", message="working"),
            ]
        )
    return root


def test_runs_list_shows_the_latest_runs_first(recorded: Path) -> None:
    done = loom(recorded, "runs", "list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["run", "status", "started", "duration", "steps", "selection"]
    assert [line.split()[:2] for line in lines[1:]] == [
        ["3333cccc", "started"],
        ["2222bbbb", "failed"],
        ["1111aaaa", "succeeded"],
    ]
    assert "1 succeeded, 1 failed" in lines[2]


def test_runs_list_json_is_for_tools(recorded: Path) -> None:
    done = loom(recorded, "runs", "list", "--json")
    runs = json.loads(done.stdout)["runs"]
    assert [(r["run_id"], r["status"], r["steps"]) for r in runs][1:] == [
        ("2222bbbb", "failed", {"succeeded": 1, "failed": 1}),
        ("1111aaaa", "succeeded", {"succeeded": 2}),
    ]


def test_runs_show_tells_each_step_with_metadata_logs_and_error(recorded: Path) -> None:
    done = loom(recorded, "runs", "show", "2222")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("run 2222bbbb  failed\n")
    assert "  succeeded  orders  2.00s\n             rows: 58\n             INFO hi\n" in out
    assert (
        "     failed  report  1.00s\n             Traceback ...\n             KeyError: 'id'" in out
    )


def test_runs_show_json_has_every_step_field(recorded: Path) -> None:
    done = loom(recorded, "runs", "show", "1111aaaa", "--json")
    shown = json.loads(done.stdout)
    assert shown["run"]["status"] == "succeeded"
    orders = shown["steps"][0]
    assert orders == {
        "step": "orders",
        "asset_keys": ["orders"],
        "status": "succeeded",
        "started_at": 1_700_000_001.0,
        "duration": 2.0,
        "attempts": 1,
        "metadata": {"orders": {"rows": 58}},
        "checks": [],
        "logs": [{"level": "INFO", "message": "hi"}],
        "error": None,
    }


def test_a_step_of_a_run_still_going_is_running_not_interrupted(recorded: Path) -> None:
    shown = json.loads(loom(recorded, "runs", "show", "3333", "--json").stdout)
    assert [s["status"] for s in shown["steps"]] == ["started"]


def test_an_unknown_run_is_a_located_error(recorded: Path) -> None:
    done = loom(recorded, "runs", "show", "9999")
    assert done.returncode == 1
    assert "no run has id `9999`" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_project_that_never_ran_has_no_runs_and_no_database(root: Path) -> None:
    done = loom(root, "runs", "list")
    assert done.stdout == "no runs recorded yet (loom materialize records one)\n"
    assert not (root / ".loom" / "runs.sqlite").exists()


def test_list_defs_on_a_project_that_never_ran_does_not_import_sqlalchemy(root: Path) -> None:
    script = (
        "import sys\n"
        "from assetloom.cli.main import cli\n"
        "cli.main(['list', 'defs', '--json'], standalone_mode=False)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'rich'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"
