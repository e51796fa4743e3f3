"""The same project gets the same verdict, in the same words and counts, from every command
(issue 9's observations of commands disagreeing)."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.projects import loom as _loom

COMPONENT = """
import assetloom as dg


class Table(dg.Model):
    name: str
    deps: list[str] = []


class Tables(dg.Component, dg.Model, dg.Resolvable):
    tables: list[Table]
    retries: int | None = None
    enabled: bool = True

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        def make(table: Table) -> dg.AssetsDefinition:
            @dg.asset(name=table.name, deps=table.deps)
            def _table() -> None: ...

            return _table

        return dg.Definitions(assets=[make(t) for t in self.tables])
"""

DEFS = """
type: components.tables.Tables
attributes:
  tables:
    - name: cleaned
      deps: [raw]
    - name: report
      deps: [cleaned]
"""

LOADING_COMMANDS = [("check", "defs"), ("list", "defs"), ("materialize",)]
CHECK_COMMANDS = [("check", "yaml"), ("check", "defs"), ("list", "defs"), ("materialize",)]


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in {"components/__init__.py": "", **files}.items():
        file = root / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(text).removeprefix("\n"), encoding="utf-8")
    return root


@pytest.fixture
def tables_project(tmp_path: Path) -> Path:
    return write(tmp_path / "tables", {"components/tables.py": COMPONENT, "defs/t/defs.yaml": DEFS})


def test_check_defs_and_list_defs_count_assets_the_same_way(tables_project: Path) -> None:
    checked = loom(tables_project, "check", "defs")
    listed = loom(tables_project, "list", "defs")
    assert checked.stdout == "all definitions loaded: 3 assets (1 external)\n"
    assert listed.stdout.splitlines()[-1] == "3 assets (1 external)"


@pytest.mark.parametrize("command", CHECK_COMMANDS)
def test_a_wrong_value_is_one_error_in_the_same_words_everywhere(
    tables_project: Path, command: tuple[str, ...]
) -> None:
    write(tables_project, {"defs/t/defs.yaml": DEFS.replace("deps: [cleaned]", "deps: 5")})
    done = loom(tables_project, *command)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines()[0] == (
        "defs/t/defs.yaml:7:13: error[LOOM102]: attributes.tables[1].deps: "
        "expected a list, got `5` (an integer)"
    )
    # check yaml's closing line also counts files: "checked 1 file, 1 component: 1 error in 1 file"
    assert done.stderr.splitlines()[-1].endswith(("1 error", "1 error in 1 file"))


@pytest.mark.parametrize("command", CHECK_COMMANDS)
def test_strings_for_an_int_and_a_bool_are_rejected_by_every_command(
    tables_project: Path, command: tuple[str, ...]
) -> None:
    text = DEFS.replace("attributes:\n", 'attributes:\n  retries: "3"\n  enabled: "yes"\n')
    write(tables_project, {"defs/t/defs.yaml": text})
    done = loom(tables_project, *command)
    assert done.returncode == 1
    codes = [line for line in done.stderr.splitlines() if "error[LOOM102]" in line]
    assert [line.split(": ")[0] for line in codes] == [
        "defs/t/defs.yaml:3:12",
        "defs/t/defs.yaml:4:12",
    ]


@pytest.mark.parametrize("command", LOADING_COMMANDS)
def test_a_failing_template_and_a_wrong_value_are_both_reported_by_every_loading_command(
    tables_project: Path, command: tuple[str, ...]
) -> None:
    text = DEFS.replace("attributes:\n", 'attributes:\n  retries: "3"\n').replace(
        "name: report", "name: \"{{ env.REPORT_NAMEE }}\""
    )
    write(tables_project, {"defs/t/defs.yaml": text})
    done = loom(tables_project, *command)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if ": error[" in line]
    assert [line.split(": error")[0] for line in errors] == [
        "defs/t/defs.yaml:3:12",
        "defs/t/defs.yaml:7:13",
    ]
    assert done.stderr.splitlines()[-1] == "2 errors"


@pytest.mark.parametrize("command", LOADING_COMMANDS)
def test_singular_counts(tables_project: Path, command: tuple[str, ...]) -> None:
    write(tables_project, {"defs/t/defs.yaml": "type: nope\n"})
    done = loom(tables_project, *command)
    assert done.stderr.splitlines()[-1] == "1 error"
    assert "1 errors" not in done.stderr


def loom(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run with no environment but PATH, so nothing of the caller's leaks into the verdict."""
    return _loom(root, *args, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})


@pytest.mark.parametrize("command", [("check", "yaml"), ("check", "defs")])
def test_a_defs_yaml_below_a_folder_a_component_owns_is_checked_by_both_checks(
    tables_project: Path, command: tuple[str, ...]
) -> None:
    """The load does not walk below a folder its component owns; the checks still judge a
    `defs.yaml` there, alike (check defs used to pass it once the load succeeded)."""
    write(tables_project, {"defs/t/inner/defs.yaml": "type: nope.Nope\n"})
    done = loom(tables_project, *command)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "defs/t/inner/defs.yaml:1:7: error[LOOM103]: unknown component type `nope.Nope`: "
        "no module `nope`"
    )


def test_a_defs_yaml_below_a_component_py_folder_is_checked_by_check_defs(
    tables_project: Path,
) -> None:
    write(
        tables_project,
        {
            "defs/py/component.py": "",
            "defs/py/inner/defs.yaml": "type: nope.Nope\n",
        },
    )
    for command in (("check", "yaml"), ("check", "defs")):
        done = loom(tables_project, *command)
        assert done.returncode == 1, command
        assert done.stderr.startswith("defs/py/inner/defs.yaml:1:7: error[LOOM103]"), command
