"""The one walk of defs/: every command sees the same files, and nothing found there can
hang a command, crash it, or be skipped without a word."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assetloom.cli.main import cli
from tests.projects import LOOM, WriteProject, load, load_errors, without_file_powers

ASSETS = """
import assetloom as dg

@dg.asset
def {name}() -> None: ...
"""
SPECS = """
import assetloom as dg

class Specs(dg.Component, dg.Model, dg.Resolvable):
    names: list[str]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions(assets=[dg.AssetSpec(name) for name in self.names])
"""
DEFS_YAML = "type: components.specs.Specs\nattributes: {names: [from_yaml]}\n"
CHECKS = (("check", "yaml"), ("check", "defs"))


def loom(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(root), *args])


def reported(result: Result) -> list[str]:
    """The ``path: severity[CODE]: message`` lines, without code frames and summaries."""
    return [line for line in result.stderr.splitlines() if line.startswith("defs/")]


def keys(root: Path) -> set[str]:
    return {key.to_user_string() for key in load(root).resolve_asset_graph().all_keys}


@pytest.fixture
def sample(project: WriteProject) -> Path:
    """A project with one component and one module, to add odd things to."""
    return project(
        {
            "components/specs.py": SPECS,
            "defs/yaml/defs.yaml": DEFS_YAML,
            "defs/python/assets.py": ASSETS.format(name="from_python"),
        }
    )


# --- look-alikes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["defs.yml", "Defs.yaml", "defs.YAML", "defs .yaml", "component.yaml"]
)
@pytest.mark.parametrize("command", CHECKS)
def test_a_lookalike_file_is_warned_about_by_every_check_command(
    sample: Path, name: str, command: tuple[str, ...]
) -> None:
    (sample / "defs" / "yaml" / name).write_text(DEFS_YAML)

    result = loom(sample, *command)

    assert result.exit_code == 0, result.output
    assert reported(result) == [
        f"defs/yaml/{name}: warning[LOOM902]: `{name}` is a file, not loaded: components are "
        "read from files named exactly `defs.yaml`"
    ]


@pytest.mark.parametrize("command", CHECKS)
def test_a_folder_named_defs_yaml_is_warned_about(sample: Path, command: tuple[str, ...]) -> None:
    (sample / "defs" / "other" / "defs.yaml").mkdir(parents=True)

    result = loom(sample, *command)

    assert result.exit_code == 0, result.output
    assert reported(result) == [
        "defs/other/defs.yaml: warning[LOOM902]: `defs.yaml` is a folder, not loaded: "
        "components are read from files named exactly `defs.yaml`"
    ]


def test_a_lookalike_does_not_stop_the_load(sample: Path) -> None:
    (sample / "defs" / "python" / "defs.yml").write_text(DEFS_YAML)
    assert keys(sample) == {"from_yaml", "from_python"}


# --- files that are not files --------------------------------------------------------------


def test_a_fifo_named_defs_yaml_is_an_error_not_a_hang(sample: Path) -> None:
    (sample / "defs" / "pipe").mkdir()
    os.mkfifo(sample / "defs" / "pipe" / "defs.yaml")
    for command in CHECKS:
        result = loom(sample, *command)
        assert result.exit_code == 1
        assert reported(result) == [
            "defs/pipe/defs.yaml: error[LOOM107]: not a regular file (a FIFO); not read"
        ]
    assert load_errors(sample) == ["defs/pipe/defs.yaml: not a regular file (a FIFO); not read"]


def test_a_fifo_named_like_a_module_is_not_imported(sample: Path) -> None:
    os.mkfifo(sample / "defs" / "python" / "more.py")
    assert load_errors(sample) == ["defs/python/more.py: not a regular file (a FIFO); not read"]


def test_a_fifo_given_on_the_command_line_is_an_error_not_a_hang(sample: Path) -> None:
    fifo = sample / "defs" / "pipe.yaml"
    os.mkfifo(fifo)
    result = loom(sample, "check", "yaml", str(fifo))
    assert result.exit_code == 1
    assert reported(result) == ["defs/pipe.yaml: error[LOOM107]: not a regular file; not read"]


def test_a_link_to_dev_zero_is_not_followed_and_when_allowed_is_an_error(
    sample: Path,
) -> None:
    (sample / "defs" / "zero").mkdir()
    (sample / "defs" / "zero" / "defs.yaml").symlink_to("/dev/zero")
    assert reported(loom(sample, "check", "yaml")) == [
        "defs/zero/defs.yaml: warning[LOOM903]: `defs.yaml` is a symlink to /dev/zero, "
        "outside the project: not followed"
    ]

    (sample / "pyproject.toml").write_text("[tool.assetloom]\nfollow_external_symlinks = true\n")
    result = loom(sample, "check", "defs")
    assert result.exit_code == 1
    assert reported(result) == [
        "defs/zero/defs.yaml: error[LOOM107]: not a regular file (a device); not read"
    ]


def test_a_file_over_the_size_limit_is_refused(sample: Path) -> None:
    (sample / "pyproject.toml").write_text("[tool.assetloom]\nmax_file_size = 40\n")
    module_size = (sample / "defs" / "python" / "assets.py").stat().st_size
    limit = "over the limit of 40 (`[tool.assetloom] max_file_size`); not read"
    assert load_errors(sample) == [
        f"defs/python/assets.py: the file is {module_size} bytes, {limit}",
        f"defs/yaml/defs.yaml: the file is {len(DEFS_YAML)} bytes, {limit}",
    ]


@pytest.mark.parametrize(
    "command", [("check", "yaml"), ("check", "defs"), ("list", "defs"), ("materialize",)]
)
def test_the_size_limit_must_be_a_positive_number(
    sample: Path, command: tuple[str, ...]
) -> None:
    (sample / "pyproject.toml").write_text("[tool.assetloom]\nmax_file_size = '10MB'\n")
    result = loom(sample, *command)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "pyproject.toml: error[LOOM000]: [tool.assetloom] max_file_size must be a positive "
        "number of bytes, got '10MB'"
    )


def test_unreadable_files_and_folders_are_located_errors(sample: Path) -> None:
    (sample / "defs" / "yaml" / "defs.yaml").chmod(0)
    (sample / "defs" / "locked").mkdir(mode=0)
    try:
        done = subprocess.run(
            [*without_file_powers(), *LOOM, "check", "defs"],
            cwd=sample, capture_output=True, text=True, check=False,
            env={**os.environ, "NO_COLOR": "1"},
        )  # fmt: skip
    finally:
        (sample / "defs" / "locked").chmod(0o755)
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if ": error[" in line] == [
        "defs/locked: error[LOOM107]: cannot read the folder: permission denied",
        "defs/yaml/defs.yaml: error[LOOM107]: cannot read the file: permission denied",
    ]
    assert "Traceback" not in done.stderr


# --- symlinks ------------------------------------------------------------------------------


def test_a_symlink_outside_the_project_is_not_followed_unless_allowed(
    sample: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "elsewhere.py").write_text(ASSETS.format(name="from_outside"))
    (sample / "defs" / "linked").symlink_to(outside)

    result = loom(sample, "check", "defs")
    assert result.exit_code == 0
    assert reported(result) == [
        f"defs/linked: warning[LOOM903]: `linked` is a symlink to {outside}, outside the "
        "project: not followed"
    ]
    assert keys(sample) == {"from_yaml", "from_python"}

    (sample / "pyproject.toml").write_text("[tool.assetloom]\nfollow_external_symlinks = true\n")
    assert keys(sample) == {"from_yaml", "from_python", "from_outside"}


def test_a_symlink_inside_the_project_is_followed(sample: Path) -> None:
    (sample / "shared").mkdir()
    (sample / "shared" / "defs.yaml").write_text(DEFS_YAML.replace("from_yaml", "shared"))
    (sample / "defs" / "shared").symlink_to(sample / "shared")
    assert keys(sample) == {"from_yaml", "from_python", "shared"}


@pytest.mark.parametrize("command", CHECKS)
def test_a_symlink_loop_is_walked_once_without_duplicate_keys(
    sample: Path, command: tuple[str, ...]
) -> None:
    (sample / "defs" / "yaml" / "again").symlink_to("..")  # defs/yaml/again -> defs/
    (sample / "defs" / "python" / "self").symlink_to(".")
    (sample / "defs" / "python" / "broken").symlink_to("broken")  # a loop of one link

    result = loom(sample, *command)
    assert result.exit_code == 0, result.output
    assert reported(result) == []
    assert keys(sample) == {"from_yaml", "from_python"}


def test_a_link_to_the_root_of_the_file_system_is_not_walked(sample: Path) -> None:
    (sample / "defs" / "root").symlink_to("/")
    result = loom(sample, "check", "defs")
    assert result.exit_code == 0, result.output
    assert reported(result) == [
        "defs/root: warning[LOOM903]: `root` is a symlink to /, a folder holding the project "
        "(a loop): not followed"
    ]
    assert keys(sample) == {"from_yaml", "from_python"}
