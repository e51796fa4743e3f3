"""Fixture projects written as real folders, and helpers to load them in this process.

The ``project`` fixture lives in ``tests/conftest.py``; tests import the helpers from here."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

import assetloom as dg
from assetloom.errors import LoadErrors

WriteProject = Callable[[dict[str, str]], Path]

LOOM = [sys.executable, "-c", "from assetloom.cli.main import main; main()"]
"""The ``loom`` command of the interpreter running the tests."""


def loom(
    root: Path, *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``loom ARGS`` run in ``root`` as a user runs it, output captured as text. ``env``
    defaults to this environment without ``LOOM_HOME`` (which would move the run storage)."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "LOOM_HOME"}
    return subprocess.run(
        [*LOOM, *args], cwd=root, capture_output=True, text=True, env=env, timeout=timeout,
        check=False,
    )  # fmt: skip


def start_loom(root: Path, *args: str, own_session: bool = False) -> subprocess.Popen[str]:
    """``loom ARGS`` started in ``root`` without waiting, its output piped. ``own_session``
    gives it its own process group, so a test can kill its worker processes with it."""
    return subprocess.Popen(
        [*LOOM, *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=own_session,
        preexec_fn=as_from_a_terminal,
    )


def as_from_a_terminal() -> None:
    """``preexec_fn`` for a child a test will Ctrl-C: SIGINT's default disposition, as for a
    command typed in a terminal. Tests started in the background ignore SIGINT, and a child
    inherits that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root`` (text is dedented; a leading newline
    is dropped so line numbers in tests count from the first written line)."""
    for name, text in files.items():
        file = root / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(text).removeprefix("\n"), encoding="utf-8")
    (root / "defs").mkdir(exist_ok=True)
    return root


def load(root: Path) -> dg.Definitions:
    return dg.load_from_defs_folder(project_root=root)


def load_errors(root: Path) -> list[str]:
    """Every error loading ``root`` reports, rendered ``path:line:col: message``."""
    with pytest.raises(LoadErrors) as caught:
        load(root)
    return [str(e) for e in caught.value.iter_errors()]


def parents(defs: dg.Definitions, key: str) -> set[str]:
    graph = defs.resolve_asset_graph()
    return {k.to_user_string() for k in graph.parents(dg.AssetKey.from_user_string(key))}


def without_file_powers() -> list[str]:
    """A command prefix that makes permission bits bind: as root (CI runs as root) it drops
    the two capabilities that let root read and write whatever the bits say; as anyone else
    nothing is needed."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is needed to drop root's file capabilities")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
