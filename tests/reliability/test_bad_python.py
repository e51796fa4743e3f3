"""User code that misbehaves while a project loads is a located error naming the component:
never a traceback, never an exit 0 with no output. A real Ctrl-C still stops the command."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.projects import WriteProject, as_from_a_terminal

LOOM = [sys.executable, "-c", "from assetloom.cli.main import main; main()"]

BAD_COMPONENTS = """
import sys
from dataclasses import dataclass

import pydantic

import assetloom as dg


class ForwardRef(dg.Component, dg.Model, dg.Resolvable):
    thing: "Undefined"  # noqa: F821

    def build_defs(self, context):
        return dg.Definitions()


class RaisingValidator(dg.Component, dg.Model, dg.Resolvable):
    name: str

    @pydantic.field_validator("name")
    @classmethod
    def check(cls, value):
        raise RuntimeError("validator broke")

    def build_defs(self, context):
        return dg.Definitions()


@dataclass
class PostInit(dg.Component, dg.Resolvable):
    name: str

    def __post_init__(self):
        raise RuntimeError("post_init broke")

    def build_defs(self, context):
        return dg.Definitions()


class Exits(dg.Component, dg.Model, dg.Resolvable):
    def build_defs(self, context):
        sys.exit(0)


class Interrupts(dg.Component, dg.Model, dg.Resolvable):
    def build_defs(self, context):
        raise KeyboardInterrupt


class Named(dg.Component, dg.Model, dg.Resolvable):
    name: str

    def build_defs(self, context):
        return dg.Definitions()
"""

FILES = {
    "components/__init__.py": "",
    "components/bad.py": BAD_COMPONENTS,
    "components/exits_at_import.py": "import sys\nsys.exit(0)\n",
    "defs/fwd/defs.yaml": "type: components.bad.ForwardRef\nattributes: {thing: 1}\n",
    "defs/validator/defs.yaml": "type: components.bad.RaisingValidator\nattributes: {name: x}\n",
    "defs/postinit/defs.yaml": "type: components.bad.PostInit\nattributes: {name: x}\n",
    "defs/exits/defs.yaml": "type: components.bad.Exits\n",
    "defs/interrupts/defs.yaml": "type: components.bad.Interrupts\n",
    "defs/at_import/defs.yaml": "type: components.exits_at_import.Thing\n",
    "defs/mods/exits.py": "import sys\nsys.exit(0)\n",
    "defs/mods/interrupts.py": "raise KeyboardInterrupt\n",
    "defs/tv/defs.yaml": (
        "type: components.bad.Named\n"
        "template_vars_module: .vars\n"
        'attributes: {name: "{{ name }}"}\n'
    ),
    "defs/tv/vars.py": "import sys\nimport assetloom as dg\n\n@dg.template_var\ndef name():\n"
    "    sys.exit(0)\n",
}

SEEN_WITHOUT_RUNNING_BUILD_DEFS = [
    "defs/at_import/defs.yaml:1:7: error[LOOM106]: could not import "
    "`components.exits_at_import` for type `components.exits_at_import.Thing`: SystemExit "
    "(sys.exit(0) was called) (at components/exits_at_import.py:2)",
    "defs/fwd/defs.yaml:2:13: error[LOOM106]: building `ForwardRef` from its attributes raised "
    "PydanticUserError: `ForwardRef` is not fully defined; you should define `Undefined`, then "
    "call `ForwardRef.model_rebuild()`.",
    "defs/validator/defs.yaml:2:13: error[LOOM106]: building `RaisingValidator` from its "
    "attributes raised RuntimeError: validator broke (at components/bad.py:22)",
]
SEEN_BY_A_LOAD = [
    "defs/exits/defs.yaml:1:7: error[LOOM106]: `Exits.build_defs` raised SystemExit "
    "(sys.exit(0) was called) (at components/bad.py:41)",
    "defs/interrupts/defs.yaml:1:7: error[LOOM106]: `Interrupts.build_defs` raised "
    "KeyboardInterrupt (at components/bad.py:46)",
    "defs/mods/exits.py:2:1: error[LOOM106]: importing this module raised SystemExit "
    "(sys.exit(0) was called)",
    "defs/mods/interrupts.py:1:1: error[LOOM106]: importing this module raised KeyboardInterrupt",
    "defs/postinit/defs.yaml:2:13: error[LOOM106]: building `PostInit` from its attributes "
    "raised RuntimeError: post_init broke (at components/bad.py:33)",
    "defs/tv/defs.yaml:2:23: error[LOOM106]: template var `defs.tv.vars.name` raised "
    "SystemExit (sys.exit(0) was called)",
]


def loom(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LOOM, *args], cwd=root, capture_output=True, text=True, timeout=60, check=False
    )


def reported(run: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted(line for line in run.stderr.splitlines() if line.startswith("defs/"))


@pytest.fixture(scope="module")
def misbehaving(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.projects import write_files

    root = tmp_path_factory.mktemp("misbehaving")
    return write_files(root, FILES)


def test_check_yaml_reports_what_fails_before_build_defs(misbehaving: Path) -> None:
    run = loom(misbehaving, "check", "yaml")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert reported(run) == SEEN_WITHOUT_RUNNING_BUILD_DEFS


@pytest.mark.parametrize("command", [("check", "defs"), ("list", "defs")])
def test_every_misbehaviour_is_a_located_error_and_exit_1(
    misbehaving: Path, command: tuple[str, ...]
) -> None:
    run = loom(misbehaving, *command)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert reported(run) == sorted(SEEN_WITHOUT_RUNNING_BUILD_DEFS + SEEN_BY_A_LOAD)


def test_a_real_ctrl_c_during_a_load_still_stops_the_command(
    project: WriteProject,
) -> None:
    root = project(
        {
            "defs/a/defs.yaml": "type: DefsFolderComponent\n",
            "defs/b/slow.py": "import time\nprint('loading', flush=True)\ntime.sleep(60)\n",
        }
    )
    loading = subprocess.Popen(
        [*LOOM, "list", "defs"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, preexec_fn=as_from_a_terminal,
    )  # fmt: skip
    assert loading.stdout is not None
    assert loading.stdout.readline() == "loading\n"
    interrupted = time.monotonic()
    loading.send_signal(signal.SIGINT)
    _, stderr = loading.communicate(timeout=10)

    assert time.monotonic() - interrupted < 2
    assert loading.returncode != 0
    assert "importing this module raised" not in stderr
    assert "Traceback" not in stderr
    assert not list(root.rglob("*.tmp")), "an interrupted load leaves no temporary files"
