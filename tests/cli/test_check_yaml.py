"""``loom check yaml``: what the user sees for each kind of mistake, at the exact position."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from assetloom.cli.main import cli

from ..schema.conftest import GOOD_DEFS, MakeProject, make_project

__all__ = ["make_project"]  # the fixture, shared with tests/schema

ETL = "components.etl_table_component.EtlTableFactory"


def check_yaml(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(root), "check", "yaml", *args])


def problem_lines(result: Result) -> list[str]:
    """The ``path:line:col: message`` lines of stderr, without ``error[CODE]``, code frames
    and summary."""
    return [
        re.sub(r" error\[LOOM\d+\]:", "", line)
        for line in result.stderr.splitlines()
        if line.startswith(("defs/", "other/"))
    ]


def test_a_good_project_passes_with_a_summary(make_project: MakeProject) -> None:
    second = GOOD_DEFS.replace("cleaned_transactions", "c2").replace("risky_customers", "r2")
    root = make_project(
        {"defs/a/defs.yaml": GOOD_DEFS, "defs/b/defs.yaml": GOOD_DEFS + "---\n" + second}
    )
    result = check_yaml(root)
    assert result.exit_code == 0, result.output
    assert result.stdout == "checked 2 files, 3 components: no problems\n"


def test_wrong_type_points_at_the_value_with_a_code_frame(make_project: MakeProject) -> None:
    root = make_project({"defs/etl/defs.yaml": GOOD_DEFS.replace("[transactions]", "5")})
    result = check_yaml(root)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "defs/etl/defs.yaml:5:13: error[LOOM102]: attributes.etl_tables[0].deps: "
        "expected a list, got `5` (an integer)\n"
        "   5 |       deps: 5\n"
        "     |             ^\n"
        "checked 1 file, 1 component: 1 error in 1 file\n"
    )


def test_unknown_attribute_in_a_list_item(make_project: MakeProject) -> None:
    text = GOOD_DEFS.replace(
        "      deps: [customers]\n", "      deps: [customers]\n      owner: me\n"
    )
    root = make_project({"defs/etl/defs.yaml": text})
    assert problem_lines(check_yaml(root)) == [
        "defs/etl/defs.yaml:9:7: attributes.etl_tables[1]: unknown attribute `owner` "
        "(expected one of `name`, `deps`, `query`)"
    ]


def test_misspelt_key_in_a_list_item_suggests_the_field(make_project: MakeProject) -> None:
    text = GOOD_DEFS.replace("      query: select * from customers", "      querry: select 1")
    root = make_project({"defs/etl/defs.yaml": text})
    assert problem_lines(check_yaml(root)) == [
        "defs/etl/defs.yaml:9:7: attributes.etl_tables[1]: unknown attribute `querry` "
        "— did you mean `query`?"
    ]


def test_misspelt_attribute_suggests_the_field(make_project: MakeProject) -> None:
    root = make_project({"defs/etl/defs.yaml": GOOD_DEFS.replace("  etl_tables:", "  etl_table:")})
    # One mistake, one problem: no separate "missing required attribute `etl_tables`".
    assert problem_lines(check_yaml(root)) == [
        "defs/etl/defs.yaml:3:3: attributes: unknown attribute `etl_table` "
        "— did you mean `etl_tables`?"
    ]


def test_misspelt_top_level_key(make_project: MakeProject) -> None:
    root = make_project({"defs/etl/defs.yaml": GOOD_DEFS.replace("attributes:", "atributes:")})
    assert problem_lines(check_yaml(root)) == [
        "defs/etl/defs.yaml:2:1: unknown top-level key `atributes` — did you mean `attributes`?"
    ]


def test_unknown_component_type_names_the_closest(make_project: MakeProject) -> None:
    root = make_project(
        {"defs/etl/defs.yaml": GOOD_DEFS.replace("EtlTableFactory", "EtlTablFactory")}
    )
    result = check_yaml(root)
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert line.startswith(
        f"defs/etl/defs.yaml:1:7: unknown component type `{ETL.replace('Table', 'Tabl', 1)}`"
        ": `components.etl_table_component` has no `EtlTablFactory` — did you mean "
        f"`{ETL}`"
    )
    assert "   1 | type: components.etl_table_component.EtlTablFactory\n     |       ^\n" in (
        result.stderr
    )


def test_unknown_short_type_name(make_project: MakeProject) -> None:
    root = make_project({"defs/etl/defs.yaml": "type: EtlTableFactroy\nattributes: {}\n"})
    [line] = problem_lines(check_yaml(root))
    assert line.startswith(
        "defs/etl/defs.yaml:1:7: unknown component type `EtlTableFactroy`: "
        "no registered component has that name"
    )


def test_malformed_yaml(make_project: MakeProject) -> None:
    text = GOOD_DEFS.replace("deps: [transactions]", "deps: [transactions")
    root = make_project({"defs/etl/defs.yaml": text})
    result = check_yaml(root)
    assert result.exit_code == 1
    [line] = problem_lines(result)
    assert line.startswith("defs/etl/defs.yaml:6:12: could not parse YAML: ")
    assert "   6 |       query: select * from transactions\n     |            ^\n" in result.stderr


def test_a_broken_second_document(make_project: MakeProject) -> None:
    second = GOOD_DEFS.replace("cleaned_transactions", "c2").replace(
        "query: select * from customers", "query: [1]"
    )
    root = make_project({"defs/etl/defs.yaml": GOOD_DEFS + "---\n" + second})
    result = check_yaml(root)
    assert problem_lines(result) == [
        "defs/etl/defs.yaml:19:14: attributes.etl_tables[1].query: expected a string, got a list"
    ]
    assert result.stderr.endswith("checked 1 file, 2 components: 1 error in 1 file\n")


def test_two_broken_files_at_once(make_project: MakeProject) -> None:
    root = make_project(
        {
            "defs/a/defs.yaml": GOOD_DEFS.replace("[transactions]", "5"),
            "defs/b/defs.yaml": GOOD_DEFS.replace("attributes:", "atributes:"),
            "defs/c/defs.yaml": GOOD_DEFS,
        }
    )
    result = check_yaml(root)
    assert result.exit_code == 1
    assert problem_lines(result) == [
        "defs/a/defs.yaml:5:13: attributes.etl_tables[0].deps: "
        "expected a list, got `5` (an integer)",
        "defs/b/defs.yaml:2:1: unknown top-level key `atributes` — did you mean `attributes`?",
    ]
    assert result.stderr.endswith("checked 3 files, 3 components: 2 errors in 2 files\n")


def test_json_format_for_tools(make_project: MakeProject) -> None:
    root = make_project(
        {
            "defs/a/defs.yaml": GOOD_DEFS.replace("[transactions]", "5"),
            "defs/b/defs.yaml": "type: [\n",
        }
    )
    result = check_yaml(root, "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert problems == [
        {
            "severity": "error",
            "code": "LOOM102",
            "message": "attributes.etl_tables[0].deps: expected a list, got `5` (an integer)",
            "path": "defs/a/defs.yaml",
            "line": 5,
            "col": 13,
            "related": [],
            "hint": None,
        },
        {
            "severity": "error",
            "code": "LOOM101",
            "message": problems[1]["message"],
            "path": "defs/b/defs.yaml",
            "line": 2,
            "col": 1,
            "related": [],
            "hint": None,
        },
    ]
    assert problems[1]["message"].startswith("could not parse YAML")
    assert result.stderr == ""


def test_json_format_is_an_empty_list_when_all_is_well(make_project: MakeProject) -> None:
    root = make_project({"defs/a/defs.yaml": GOOD_DEFS})
    result = check_yaml(root, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_paths_limit_what_is_checked(make_project: MakeProject) -> None:
    root = make_project(
        {
            "defs/a/defs.yaml": GOOD_DEFS.replace("[transactions]", "5"),
            "defs/b/defs.yaml": GOOD_DEFS,
            "other/custom.yaml": GOOD_DEFS.replace("attributes:", "atributes:"),
        }
    )
    result = check_yaml(root, str(root / "defs/b"), str(root / "other/custom.yaml"))
    [line] = problem_lines(result)
    assert line.startswith("other/custom.yaml:2:1: unknown top-level key")
    assert result.stderr.endswith("checked 2 files, 2 components: 1 error in 1 file\n")


def test_does_not_import_python_modules_under_defs(make_project: MakeProject) -> None:
    root = make_project(
        {
            "defs/a/defs.yaml": GOOD_DEFS,
            "defs/boom.py": "raise SystemExit('defs modules must not be imported')\n",
        }
    )
    result = check_yaml(root)
    assert result.exit_code == 0, result.output


def test_the_loom_command_exits_1_on_problems(make_project: MakeProject) -> None:
    root = make_project({"defs/a/defs.yaml": GOOD_DEFS.replace("[transactions]", "5")})
    loom = Path(sys.executable).with_name("loom")
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [str(loom), "check", "yaml"], cwd=root, capture_output=True, text=True, env=env,
        check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.startswith(
        "defs/a/defs.yaml:5:13: error[LOOM102]: attributes.etl_tables[0].deps:"
    )
