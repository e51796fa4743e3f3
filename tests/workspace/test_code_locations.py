"""The seed's cross-location example, end to end through ``loom -w workspace.yaml``.

Two location folders, each run by its own virtual environment: ``code_location_2_asset``
depends on ``code_location_1_asset`` by key, and one ``loom materialize`` writes ``5`` and
then ``11``.

The virtual environments are real (``python -m venv``), made once per test session, and
see assetloom without a network: each holds a ``.pth`` file that runs
``site.addsitedir(<this interpreter's site-packages>)``. ``addsitedir`` (rather than a plain
path line) also reads the ``.pth`` files there, among them the editable install's, which puts
``src/`` on the path — so the venvs run the code under test, not a copy. They live beside the
workspaces rather than inside a location folder, so each test can write its own locations;
``python:`` in workspace.yaml points at them.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from assetloom.assets.key import AssetKey
from assetloom.workspace.run import run_workspace
from assetloom.workspace.workspace import Workspace
from tests.projects import as_from_a_terminal, write_files

LOOM = Path(sys.executable).with_name("loom")

CODE_LOCATION_1 = """
import json

import assetloom as dg


@dg.asset
def code_location_1_asset():
    with open("{data}/code_location_1_asset.json", "w+") as f:
        json.dump(5, f)
"""

CODE_LOCATION_2 = """
import json

import assetloom as dg


@dg.asset(deps=["code_location_1_asset"])
def code_location_2_asset():
    with open("{data}/code_location_1_asset.json") as f:
        x = json.load(f)

    with open("{data}/code_location_2_asset.json", "w+") as f:
        json.dump(x + 6, f)
"""

INTERPRETER_ASSET = """
import json
import sys

import assetloom as dg


@dg.asset
def interpreter_of_{name}():
    with open("{data}/interpreter_of_{name}.json", "w") as f:
        json.dump(sys.prefix, f)
"""


@pytest.fixture(scope="session")
def venvs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One virtual environment per code location, seeing this checkout's assetloom."""
    root = tmp_path_factory.mktemp("venvs")
    site_packages = sysconfig.get_paths()["purelib"]
    out = {}
    for name in ("location_1", "location_2"):
        venv = root / name
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
        (purelib,) = venv.glob("lib/python*/site-packages")
        (purelib / "assetloom_checkout.pth").write_text(
            f"import site; site.addsitedir({site_packages!r})\n"
        )
        out[name] = venv
    return out


@pytest.fixture
def workspace(tmp_path: Path, venvs: dict[str, Path]) -> Path:
    """The seed's two locations, data written under ``data/``; returns the workspace folder."""
    data = tmp_path / "data"
    data.mkdir()
    write_files(
        tmp_path,
        {
            "location_1/defs/assets.py": CODE_LOCATION_1.format(data=data),
            "location_2/defs/assets.py": CODE_LOCATION_2.format(data=data),
            "workspace.yaml": f"""
            load_from:
              - project:
                  path: location_1
                  location_name: code_location_1
                  python: {venvs["location_1"]}/bin/python
              - project:
                  path: location_2
                  location_name: code_location_2
                  python: {venvs["location_2"]}/bin/python
            """,
        },
    )
    return tmp_path


def loom(folder: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LOOM), "-w", str(folder / "workspace.yaml"), *args],
        cwd=cwd or folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def written(workspace: Path, name: str) -> object:
    return json.loads((workspace / "data" / f"{name}.json").read_text())


def test_one_run_writes_5_then_11(workspace: Path) -> None:
    done = loom(workspace, "materialize")
    assert done.returncode == 0, done.stderr
    assert written(workspace, "code_location_1_asset") == 5
    assert written(workspace, "code_location_2_asset") == 11
    steps = [line.split()[1] for line in done.stdout.splitlines() if line.strip().startswith("ok")]
    assert steps == ["code_location_1_asset", "code_location_2_asset"]
    assert "2 materialized, 0 failed, 0 skipped" in done.stdout
    runs = json.loads(loom(workspace, "runs", "list", "--json").stdout)["runs"]
    assert [(run["status"], run["steps"]) for run in runs] == [("succeeded", {"succeeded": 2})]


def test_the_dependency_across_locations_is_a_real_edge(workspace: Path) -> None:
    listed = loom(workspace, "list", "defs", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["key"]: row for row in json.loads(listed.stdout)["assets"]}
    assert set(rows) == {"code_location_1_asset", "code_location_2_asset"}
    first, second = rows["code_location_1_asset"], rows["code_location_2_asset"]
    assert second["deps"] == ["code_location_1_asset"]
    assert not first["is_external"]
    assert (first["code_location"], second["code_location"]) == (
        "code_location_1",
        "code_location_2",
    )
    assert second["source"] == "location_2/defs/assets.py:6"
    checked = loom(workspace, "check", "defs", "--strict")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == (
        "all definitions loaded: 2 assets (0 external) in 2 code locations"
    )


def test_each_location_runs_in_its_own_interpreter(workspace: Path, venvs: dict[str, Path]) -> None:
    data = workspace / "data"
    write_files(
        workspace,
        {
            f"{name}/defs/interpreter.py": INTERPRETER_ASSET.format(name=name, data=data)
            for name in ("location_1", "location_2")
        },
    )
    done = loom(workspace, "materialize", "--select", "key:interpreter_of_*")
    assert done.returncode == 0, done.stderr
    for name in ("location_1", "location_2"):
        assert written(workspace, f"interpreter_of_{name}") == str(venvs[name])


def test_a_selection_by_code_location(workspace: Path) -> None:
    (workspace / "data/code_location_1_asset.json").write_text("100")
    done = loom(workspace, "materialize", "--select", "code_location:code_location_2")
    assert done.returncode == 0, done.stderr
    assert written(workspace, "code_location_2_asset") == 106
    assert written(workspace, "code_location_1_asset") == 100  # location 1 did not run


def test_a_key_in_two_locations_is_reported_naming_both(workspace: Path) -> None:
    write_files(workspace, {"location_2/defs/copy.py": CODE_LOCATION_1.format(data="/nowhere")})
    for command in (["check", "defs"], ["materialize"]):
        done = loom(workspace, *command, cwd=Path("/"))  # paths stay relative to the workspace
        assert done.returncode == 1
        assert (
            "location_2/defs/copy.py:6:1: error[LOOM202]: asset `code_location_1_asset` is "
            "defined in two code locations: `code_location_1` (location_1/defs/assets.py:6:1) "
            "and `code_location_2` (location_2/defs/copy.py:6:1)"
        ) in done.stderr
        assert "   6 | @dg.asset" in done.stderr  # the code frame, read from the workspace
    assert not (workspace / "data/code_location_2_asset.json").exists()  # nothing ran


def test_a_broken_location_is_reported_while_the_others_load_and_run(workspace: Path) -> None:
    write_files(
        workspace,
        {
            "location_3/defs/broken/defs.yaml": """
            type: assetloom.PythonScriptComponent
            attributes: [1, 2
            """,
        },
    )
    with (workspace / "workspace.yaml").open("a") as file:
        file.write("  - project: {path: location_3}\n")
    done = loom(workspace, "materialize")
    assert done.returncode == 1  # something was wrong, though everything that loaded ran
    assert "location_3/defs/broken/defs.yaml:3:1: error[LOOM101]" in done.stderr
    assert "code location `location_3` did not load: 1 error" in done.stderr
    assert written(workspace, "code_location_1_asset") == 5
    assert written(workspace, "code_location_2_asset") == 11
    checked = loom(workspace, "check", "defs")
    assert checked.returncode == 1
    assert "location_3/defs/broken/defs.yaml:3:1: error[LOOM101]" in checked.stderr


def test_values_cross_locations_through_the_workspace_storage(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "numbers/defs/assets.py": """
            import assetloom as dg

            @dg.asset
            def numbers() -> list[int]:
                return [1, 2, 3]
            """,
            "totals/defs/assets.py": """
            import assetloom as dg

            @dg.asset(ins={"values": dg.AssetIn("numbers")})
            def total(values: list[int]) -> int:
                return sum(values)
            """,
            "workspace.yaml": """
            load_from:
              - project: {path: numbers}
              - project: {path: totals}
            """,
        },
    )
    done = loom(tmp_path, "materialize")
    assert done.returncode == 0, done.stderr
    with Workspace.open(tmp_path / "workspace.yaml") as workspace:
        stored = workspace.storage_dir / "storage" / "total.pickle"
        assert pickle.loads(stored.read_bytes()) == 6


def test_python_file_and_python_module_locations(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pipelines/nightly.py": """
            import assetloom as dg

            @dg.asset
            def nightly() -> int:
                return 1

            defs = dg.Definitions(assets=[nightly])
            """,
            "src/analytics/__init__.py": "",
            "src/analytics/definitions.py": """
            import assetloom as dg

            @dg.asset(deps=["nightly"])
            def report() -> None: ...

            @dg.definitions
            def defs() -> dg.Definitions:
                return dg.Definitions(assets=[report])
            """,
            "workspace.yaml": """
            load_from:
              - python_file: {relative_path: pipelines/nightly.py}
              - python_module:
                  module_name: analytics.definitions
                  working_directory: src
            """,
        },
    )
    listed = loom(tmp_path, "list", "defs", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["key"]: row for row in json.loads(listed.stdout)["assets"]}
    assert rows["nightly"]["code_location"] == "nightly"
    assert rows["report"]["code_location"] == "analytics.definitions"
    assert rows["report"]["deps"] == ["nightly"]
    assert not rows["nightly"]["is_external"]
    assert loom(tmp_path, "materialize").returncode == 0


def test_reload_asks_only_the_edited_location(workspace: Path) -> None:
    with Workspace.open(workspace / "workspace.yaml") as opened:
        assert opened.reload() == []
        write_files(
            workspace,
            {
                "location_2/defs/more.py": """
                import assetloom as dg

                @dg.asset(deps=["code_location_2_asset"])
                def code_location_2_report() -> None: ...
                """
            },
        )
        assert opened.reload() == ["code_location_2"]
        graph = opened.graph()
        report = graph.asset(graph.toposorted()[-1])
        assert report is not None
        assert report.key.to_user_string() == "code_location_2_report"


def test_an_interpreter_that_cannot_start_is_a_located_error(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "ok/defs/assets.py": "import assetloom as dg\n\n@dg.asset\ndef fine() -> None: ...\n",
            "workspace.yaml": """
            load_from:
              - project: {path: ok}
              - project:
                  path: ok
                  location_name: elsewhere
                  python: no/such/python
              - project: {path: not_there}
            """,
        },
    )
    done = loom(tmp_path, "list", "defs")
    assert done.returncode == 1
    assert "workspace.yaml:3:5: error[LOOM601]: code location `elsewhere` cannot start" in (
        done.stderr
    )
    assert (
        "workspace.yaml:7:5: error[LOOM601]: code location `not_there` cannot start: no folder"
        in (done.stderr)
    )
    assert "fine" in done.stdout


def test_staleness_flows_across_locations(workspace: Path) -> None:
    assert loom(workspace, "materialize").returncode == 0
    again = loom(workspace, "materialize", "--select", "code_location:code_location_1")
    assert again.returncode == 0, again.stderr
    listed = loom(workspace, "list", "defs", "--json")
    rows = {row["key"]: row for row in json.loads(listed.stdout)["assets"]}
    assert not rows["code_location_1_asset"]["stale"]
    assert rows["code_location_2_asset"]["stale_reasons"] == [
        "upstream `code_location_1_asset` materialized after it"
    ]
    caught_up = loom(workspace, "materialize", "--stale")
    assert caught_up.returncode == 0, caught_up.stderr
    assert "1 materialized, 0 failed, 0 skipped" in caught_up.stdout
    nothing = loom(workspace, "materialize", "--stale")
    assert nothing.stdout.strip() == "nothing to run: no asset is stale"


def test_a_location_process_killed_mid_run_fails_only_its_open_steps(workspace: Path) -> None:
    write_files(
        workspace,
        {
            "location_1/defs/crash.py": """
            import os
            import signal

            import assetloom as dg

            @dg.asset(deps=["code_location_1_asset"])
            def killed() -> None:
                os.kill(os.getpid(), signal.SIGKILL)
            """,
            "location_2/defs/after.py": """
            import assetloom as dg

            @dg.asset(deps=["killed"])
            def after_killed() -> None: ...
            """,
        },
    )
    done = loom(workspace, "materialize")
    assert done.returncode == 3  # the run failed
    assert "`code_location_1` exited before answering (exit code -9)" in done.stderr
    assert written(workspace, "code_location_1_asset") == 5  # ran before the kill
    assert written(workspace, "code_location_2_asset") == 11  # independent of it
    assert "2 materialized, 1 failed, 1 skipped" in done.stdout
    (run,) = json.loads(loom(workspace, "runs", "list", "--json").stdout)["runs"]
    assert run["steps"] == {"succeeded": 2, "failed": 1, "skipped": 1}
    assert "`code_location_1` exited before answering" in run["error"]


def test_check_yaml_runs_in_each_project_location(workspace: Path) -> None:
    write_files(
        workspace,
        {
            "location_2/defs/bad/defs.yaml": """
            type: assetloom.PythonScriptComponent
            attributes:
              nope: 1
            """
        },
    )
    done = loom(workspace, "check", "yaml")
    assert done.returncode == 1
    assert "code location `code_location_1` (location_1/):" in done.stderr
    # Paths inside a location's own report are its project's, as with `loom --project`.
    assert "code location `code_location_2` (location_2/):\ndefs/bad/defs.yaml:3:3: error[" in (
        done.stderr
    )


def test_reload_restarts_a_location_whose_process_died(workspace: Path) -> None:
    write_files(
        workspace,
        {
            "location_1/defs/crash.py": """
            import os
            import signal

            import assetloom as dg

            @dg.asset
            def killed() -> None:
                os.kill(os.getpid(), signal.SIGKILL)
            """
        },
    )
    with Workspace.open(workspace / "workspace.yaml") as opened:
        died = run_workspace(opened, [AssetKey("killed")])
        assert died.outcomes == {AssetKey("killed"): "failure"}
        assert opened.reload() == ["code_location_1"]
        again = run_workspace(opened, [AssetKey("code_location_1_asset")])
        assert again.success
    assert written(workspace, "code_location_1_asset") == 5


def test_what_user_code_prints_or_reads_cannot_break_the_protocol(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "noisy/defs/assets.py": """
            import sys

            import assetloom as dg

            print('{"id": 1, "type": "snapshot", "assets": []}')  # looks like the protocol

            @dg.asset
            def noisy() -> int:
                print("not json")
                sys.stdout.flush()
                return len(sys.stdin.read())  # nothing to read: it is not the protocol's stdin
            """,
            "workspace.yaml": "load_from: [{project: {path: noisy}}]\n",
        },
    )
    done = loom(tmp_path, "materialize")
    assert done.returncode == 0, done.stderr
    assert "1 materialized" in done.stdout
    assert "not json" in done.stderr  # relayed from the location's stdout to loom's stderr


def test_options_of_single_project_runs_are_refused_not_ignored(workspace: Path) -> None:
    done = loom(workspace, "materialize", "--executor", "in_process", "--step-timeout", "5")
    assert done.returncode == 2
    assert "Error: --executor, --step-timeout apply to a single project (--project)" in (
        done.stderr
    )
    assert not (workspace / "data/code_location_1_asset.json").exists()


def test_ctrl_c_cancels_the_run_in_every_location(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "slow/defs/assets.py": """
            import time

            import assetloom as dg

            @dg.asset
            def slow() -> None:
                time.sleep(60)
            """,
            "idle/defs/assets.py": "import assetloom as dg\n\n@dg.asset\ndef idle() -> None: ...\n",
            "workspace.yaml": "load_from: [{project: {path: slow}}, {project: {path: idle}}]\n",
        },
    )
    running = subprocess.Popen(
        [str(LOOM), "-w", "workspace.yaml", "materialize", "--select", "slow"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=as_from_a_terminal,
    )
    assert running.stdout is not None
    for line in running.stdout:  # wait until the step runs
        if "slow" in line and "started" in line:
            break
    os.killpg(running.pid, signal.SIGINT)  # what Ctrl-C does: the whole group
    _, stderr = running.communicate(timeout=60)
    assert running.returncode == 130
    assert "cancelled" in stderr
    assert "Traceback" not in stderr  # neither loom nor the idle location print one
    (run,) = json.loads(loom(tmp_path, "runs", "list", "--json").stdout)["runs"]
    assert run["status"] == "cancelled"
