"""A ``loom materialize`` killed with SIGKILL mid-run leaves the store readable; the next
command that opens it marks the run failed (interrupted), and the materializations committed
before the kill are still there — on SQLite and on PostgreSQL."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from assetloom.assets.key import AssetKey
from assetloom.storage.history import steps_of_run
from assetloom.storage.run_storage import RunStorage
from tests.projects import WriteProject, loom, start_loom

ASSETS = """
import time
from pathlib import Path
import assetloom as dg

@dg.asset
def first() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 1})

@dg.asset(deps=[first])
def slow() -> None:
    time.sleep(300)
"""


def wait_until_materialized(url: str, key: AssetKey, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with RunStorage.open(url) as storage:
                if key in storage.asset_states():
                    return
        except Exception:  # the database may not exist yet
            pass
        time.sleep(0.1)
    raise AssertionError(f"{key} was not materialized within 60s")


def test_a_killed_materialize_is_marked_interrupted(
    project: WriteProject, storage_url: str
) -> None:
    root = project(
        {
            "pyproject.toml": f'[tool.assetloom]\nstorage = "{storage_url}"\n',
            "defs/assets.py": ASSETS,
        }
    )
    process = start_loom(root, "materialize", own_session=True)
    try:
        wait_until_materialized(storage_url, AssetKey("first"), process)
        time.sleep(0.3)  # `slow` is sleeping now
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the run's worker processes
        process.communicate(timeout=30)

    done = loom(root, "runs", "list", "--json")
    assert done.returncode == 0, done.stderr
    (run,) = json.loads(done.stdout)["runs"]
    assert run["status"] == "failed"
    assert run["error"].startswith(f"interrupted: process {process.pid} on ")
    with RunStorage.open(storage_url) as storage:
        first = storage.asset_states()[AssetKey("first")]
        events = storage.events(run["run_id"])
    steps = {s.step_key: s for s in steps_of_run(events, run_ended=True)}
    assert first.materialized_run_id == run["run_id"]
    assert steps["first"].metadata == {"first": {"rows": 1}}
    assert steps["slow"].status.value == "interrupted"


def test_ctrl_c_records_the_run_as_cancelled(project: WriteProject, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'runs.sqlite'}"
    root = project(
        {"pyproject.toml": f'[tool.assetloom]\nstorage = "{url}"\n', "defs/assets.py": ASSETS}
    )
    process = start_loom(root, "materialize", "--executor", "in_process", own_session=True)
    try:
        wait_until_materialized(url, AssetKey("first"), process)
        time.sleep(0.3)
        os.kill(process.pid, signal.SIGINT)
        out, _ = process.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert "cancelled: 1 materialized" in out
    with RunStorage.open(url) as storage:
        (run,) = storage.runs()
        events = storage.events(run.run_id)
    assert run.status.value == "cancelled"
    steps = {s.step_key: s.status.value for s in steps_of_run(events, run_ended=True)}
    assert steps == {"first": "succeeded", "slow": "failed"}
