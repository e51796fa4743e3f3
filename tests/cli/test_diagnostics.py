"""One diagnostic type, drawn one way: what every command shows for an error or a warning,
on which stream, in which colour, and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from assetloom.cli.counts import count_diagnostics, plural
from assetloom.cli.diagnostics import CodeFrames, render
from assetloom.cli.main import cli
from assetloom.errors import (
    WARNING_CODES,
    Diagnostic,
    DuplicateAssetKeyError,
    LoomError,
    Severity,
    SourceLocation,
    error_codes,
)
from tests.projects import WriteProject

BROKEN_TYPE = {"defs/a/defs.yaml": "type: nope\n"}


def invoke(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--project", str(root), *args], env=env)


def test_every_error_class_has_its_own_stable_code() -> None:
    codes = error_codes()
    assert codes["LOOM000"] is LoomError
    assert codes["LOOM202"] is DuplicateAssetKeyError
    assert all(code.startswith("LOOM") and len(code) == 7 for code in codes)
    assert not set(codes) & set(WARNING_CODES)


def test_an_error_becomes_a_diagnostic_with_its_code_location_related_and_hint() -> None:
    here, there = SourceLocation("defs/a.py", 3, 1), SourceLocation("defs/b.py", 7, 1)
    error = DuplicateAssetKeyError("`x` is defined twice", location=here, related=[there],
                                   hint="rename one")  # fmt: skip
    assert error.to_diagnostic() == Diagnostic(
        Severity.ERROR, "LOOM202", "`x` is defined twice", here, (there,), "rename one"
    )
    assert str(error.to_diagnostic()) == "defs/a.py:3:1: error[LOOM202]: `x` is defined twice"


def test_text_form_has_a_code_frame_a_hint_and_related_lines(tmp_path: Path) -> None:
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs/a.yaml").write_text("name: one\ndeps: [tow]\n", encoding="utf-8")
    diagnostic = Diagnostic(
        Severity.WARNING,
        "LOOM901",
        "something odd",
        SourceLocation("defs/a.yaml", 2, 8),
        (SourceLocation("defs/a.yaml", 1, 7),),
        "do this instead",
    )
    assert click_unstyle(render(diagnostic, CodeFrames(tmp_path))) == (
        "defs/a.yaml:2:8: warning[LOOM901]: something odd\n"
        "   2 | deps: [tow]\n"
        "     |        ^\n"
        "     = hint: do this instead\n"
        "     = related: defs/a.yaml:1:7"
    )


def test_a_whole_file_location_has_no_code_frame(tmp_path: Path) -> None:
    diagnostic = Diagnostic(Severity.ERROR, "LOOM102", "bad", SourceLocation("defs/x.yaml"))
    assert click_unstyle(render(diagnostic, CodeFrames(tmp_path))) == (
        "defs/x.yaml: error[LOOM102]: bad"
    )


def click_unstyle(text: str) -> str:
    import click

    return click.unstyle(text)


@pytest.mark.parametrize("command", [("check", "yaml"), ("check", "defs"), ("list", "defs")])
def test_errors_go_to_stderr_and_nothing_to_stdout(
    project: WriteProject, command: tuple[str, ...]
) -> None:
    result = invoke(project(BROKEN_TYPE), *command)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("defs/a/defs.yaml:1:7: error[LOOM103]: unknown component type")
    assert result.stderr.splitlines()[1:3] == ["   1 | type: nope", "     |       ^"]


def test_colour_on_a_terminal_only_and_never_with_no_color(project: WriteProject) -> None:
    root = project(BROKEN_TYPE)
    coloured = CliRunner().invoke(cli, ["--project", str(root), "check", "yaml"], color=True)
    assert "\x1b[31m" in coloured.stderr  # red "error[LOOM103]"
    plain = CliRunner().invoke(
        cli, ["--project", str(root), "check", "yaml"], color=True, env={"NO_COLOR": "1"}
    )
    assert "\x1b[" not in plain.stderr
    assert "\x1b[" not in invoke(root, "check", "yaml").stderr  # not a terminal


@pytest.mark.parametrize("command", [("check", "yaml"), ("check", "defs")])
def test_json_form_is_the_same_structure_on_every_check_command(
    project: WriteProject, command: tuple[str, ...]
) -> None:
    result = invoke(project(BROKEN_TYPE), *command, "--format", "json")
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)
    assert problem == {
        "severity": "error",
        "code": "LOOM103",
        "message": "unknown component type `nope`: no registered component has that name",
        "path": "defs/a/defs.yaml",
        "line": 1,
        "col": 7,
        "related": [],
        "hint": None,
    }
    assert result.stderr == ""


def test_project_option_after_the_subcommand(project: WriteProject) -> None:
    root = project({"defs/assets.py": "import assetloom as dg\n\n@dg.asset\ndef a(): ...\n"})
    for args in (
        ["list", "defs", "--project", str(root)],
        ["--project", str(root), "list", "defs"],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert result.stdout.endswith("1 asset (0 external)\n")
    result = CliRunner().invoke(cli, ["check", "defs", "--project", str(root)])
    assert result.stdout == "all definitions loaded: 1 asset (0 external)\n"


def test_usage_errors_exit_2(project: WriteProject) -> None:
    assert invoke(project({}), "check", "defs", "--no-such-flag").exit_code == 2


@given(st.lists(st.sampled_from(list(Severity)), max_size=5))
def test_counts_are_spelt_with_correct_plurals(severities: list[Severity]) -> None:
    diagnostics = [Diagnostic(s, "LOOM000", "m") for s in severities]
    text = count_diagnostics(diagnostics)
    errors, warnings = severities.count(Severity.ERROR), severities.count(Severity.WARNING)
    expected = [plural(errors, "error")] if errors else []
    expected += [plural(warnings, "warning")] if warnings else []
    assert text == (", ".join(expected) or "no problems")
    assert "1 errors" not in text
    assert "1 warnings" not in text


@pytest.mark.parametrize(
    "command", [("check", "yaml"), ("check", "defs"), ("schema", "--check"), ("materialize",)]
)
def test_every_project_command_takes_project_after_the_subcommand(
    command: tuple[str, ...],
) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert "--project DIRECTORY" in result.stdout


LOCATIONS = st.builds(
    SourceLocation,
    st.from_regex(r"defs/[a-z]{1,8}\.yaml", fullmatch=True),
    st.integers(0, 50),
    st.integers(0, 80),
)
DIAGNOSTICS = st.builds(
    Diagnostic,
    st.sampled_from(list(Severity)),
    st.from_regex(r"LOOM[0-9]{3}", fullmatch=True),
    st.text(min_size=1).filter(lambda m: "\n" not in m and "\r" not in m),
    st.none() | LOCATIONS,
    st.lists(LOCATIONS, max_size=2).map(tuple),
    st.none() | st.text(min_size=1).filter(lambda h: "\n" not in h and "\r" not in h),
)


@given(DIAGNOSTICS)
def test_text_and_json_forms_say_the_same_thing(diagnostic: Diagnostic) -> None:
    lines = click_unstyle(render(diagnostic, CodeFrames(None))).split("\n")
    data = diagnostic.to_json()
    assert lines[0] == str(diagnostic)
    where = f"{data['path']}:{data['line']}:{data['col']}" if data["line"] else data["path"]
    assert lines[0] == (f"{where}: " if where else "") + (
        f"{data['severity']}[{data['code']}]: {data['message']}"
    )
    assert (f"     = hint: {data['hint']}" in lines) == (data["hint"] is not None)
    related = [line.removeprefix("     = related: ") for line in lines if "= related: " in line]
    assert related == [
        f"{r['path']}:{r['line']}:{r['col']}" if r["line"] else r["path"] for r in data["related"]
    ]
