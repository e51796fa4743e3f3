"""Mistakes that used to pass every check and break only at run time (or never): a typo'd
dependency, a resource nobody provides, a selection that matches nothing. Each is an error
of every command that loads, located where the mistake was written."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.projects import loom as _loom

VENDOR_COMPONENT = '''
import assetloom as dg


class Table(dg.Model):
    name: str
    deps: list[str] = []


class Tables(dg.Component, dg.Model, dg.Resolvable):
    tables: list[Table]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        def make(table: Table) -> dg.AssetsDefinition:
            @dg.asset(name=table.name, deps=table.deps, group_name="vendors")
            def _table() -> None: ...

            return _table

        return dg.Definitions(assets=[make(t) for t in self.tables])
'''

# `vendor_postive` (line 7, column 14) is a typo of `vendor_positive`.
TYPO_DEFS = """
type: components.tables.Tables
attributes:
  tables:
    - name: vendor_positive
    - name: vendor_report
      deps: [vendor_postive, raw_vendors]
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in {"components/__init__.py": "", **files}.items():
        file = root / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(text).removeprefix("\n"), encoding="utf-8")
    (root / "defs").mkdir(exist_ok=True)
    return root


@pytest.fixture
def typo_project(tmp_path: Path) -> Path:
    return write(
        tmp_path / "typo",
        {"components/tables.py": VENDOR_COMPONENT, "defs/vendors/defs.yaml": TYPO_DEFS},
    )


def test_a_typo_of_a_defined_key_is_an_error_at_the_dependency_itself(typo_project: Path) -> None:
    done = loom(typo_project, "check", "defs")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "defs/vendors/defs.yaml:6:14: error[LOOM205]: `vendor_report` depends on "
        "`vendor_postive`, which no asset defines — did you mean `vendor_positive`?",
        "   6 |       deps: [vendor_postive, raw_vendors]",
        "     |              ^",
        "     = hint: if `vendor_postive` is meant to come from elsewhere, declare it in "
        'pyproject.toml: [tool.assetloom] external_assets = ["vendor_postive"]',
        "     = related: defs/vendors/defs.yaml:4:13",
        "1 error",
    ]


def test_the_typo_is_reported_as_json_too(typo_project: Path) -> None:
    done = loom(typo_project, "check", "defs", "--format", "json")
    [problem] = json.loads(done.stdout)
    assert (problem["code"], problem["path"], problem["line"], problem["col"]) == (
        "LOOM205", "defs/vendors/defs.yaml", 6, 14,
    )  # fmt: skip
    assert problem["related"] == [{"path": "defs/vendors/defs.yaml", "line": 4, "col": 13}]


@pytest.mark.parametrize("command", [("list", "defs"), ("materialize",)])
def test_every_command_that_loads_refuses_the_typo(
    typo_project: Path, command: tuple[str, ...]
) -> None:
    done = loom(typo_project, *command)
    assert done.returncode == 1
    assert "error[LOOM205]" in done.stderr
    assert "materialized" not in done.stdout


def test_a_key_declared_external_is_intended(typo_project: Path) -> None:
    (typo_project / "pyproject.toml").write_text(
        '[tool.assetloom]\nexternal_assets = ["vendor_postive"]\n', encoding="utf-8"
    )
    done = loom(typo_project, "check", "defs")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "all definitions loaded: 4 assets (2 external)\n"


def test_a_key_declared_with_an_asset_spec_is_intended(typo_project: Path) -> None:
    write(
        typo_project,
        {"defs/sources.py": 'import assetloom as dg\n\nspec = dg.AssetSpec("vendor_postive")\n'},
    )
    done = loom(typo_project, "check", "defs")
    assert done.returncode == 0, done.stderr


def test_the_depending_assets_own_key_is_never_the_suggestion(tmp_path: Path) -> None:
    root = write(
        tmp_path / "own",
        {
            "components/tables.py": VENDOR_COMPONENT,
            # `orders_v1` is closest to `orders_v2` itself: an external key, not a typo.
            "defs/orders/defs.yaml": """
            type: components.tables.Tables
            attributes:
              tables:
                - name: orders_v2
                  deps: [orders_v1]
            """,
        },
    )
    done = loom(root, "check", "defs")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "all definitions loaded: 2 assets (1 external)\n"


def test_an_unused_external_declaration_is_a_warning_and_strict_fails_on_it(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path / "unused",
        {
            "pyproject.toml": '[tool.assetloom]\nexternal_assets = ["old_source"]\n',
            "defs/assets.py": "import assetloom as dg\n\n@dg.asset\ndef a() -> None: ...\n",
        },
    )
    done = loom(root, "check", "defs")
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(
        "pyproject.toml: warning[LOOM901]: `old_source` is declared in [tool.assetloom] "
        "external_assets, but no asset depends on it"
    )
    assert done.stdout == "all definitions loaded: 1 asset (0 external), 1 warning\n"
    strict = loom(root, "check", "defs", "--strict")
    assert strict.returncode == 1
    assert strict.stdout == ""
    assert strict.stderr.splitlines()[-1] == "1 warning"


def test_a_resource_nobody_provides_fails_check_defs_not_the_run(tmp_path: Path) -> None:
    root = write(
        tmp_path / "resources",
        {
            "defs/assets.py": """
            import assetloom as dg


            @dg.asset
            def a(warehouse: dg.DuckDBResource) -> None: ...
            """,
        },
    )
    for command in (("check", "defs"), ("materialize",)):
        done = loom(root, *command)
        assert done.returncode == 1
        assert done.stderr.splitlines()[0] == (
            "defs/assets.py:4:1: error[LOOM207]: asset `a` needs resource `warehouse`, "
            "which was not provided"
        )


@pytest.fixture
def grouped_project(tmp_path: Path) -> Path:
    return write(
        tmp_path / "grouped",
        {
            "defs/assets.py": """
            import assetloom as dg


            @dg.asset(deps=["raw"], group_name="sales", tags={"tier": "gold"})
            def orders() -> None: ...
            """,
        },
    )


@pytest.mark.parametrize(
    ("selection", "message", "hint"),
    [
        ("group:sale", "selection `group:sale` matches no asset", "did you mean `sales`?"),
        ("tag:teir", "selection `tag:teir` matches no asset", "did you mean `tier`?"),
        (
            "key:raw",
            "selection `key:raw` matches only external assets (`raw`), which are never run",
            "select the assets that depend on them, e.g. `key:x+`",
        ),
    ],
)
def test_a_selection_that_runs_nothing_is_a_usage_error_naming_it(
    grouped_project: Path, selection: str, message: str, hint: str
) -> None:
    done = loom(grouped_project, "materialize", "--select", selection)
    assert done.returncode == 2
    lines = [f"error[LOOM303]: {message}", f"     = hint: {hint}", "1 error"]
    assert done.stderr.splitlines() == lines
    assert "materialized" not in done.stdout


def test_a_typo_in_a_python_asset_is_reported_at_the_asset(tmp_path: Path) -> None:
    root = write(
        tmp_path / "python",
        {
            "defs/assets.py": """
            import assetloom as dg


            @dg.asset
            def vendor_positive() -> None: ...


            @dg.asset(deps=["vendor_postive"])
            def vendor_report() -> None: ...
            """,
        },
    )
    done = loom(root, "check", "defs")
    assert done.returncode == 1
    assert done.stderr.startswith(
        "defs/assets.py:8:1: error[LOOM205]: `vendor_report` depends on `vendor_postive`"
    )


def loom(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run with no environment but PATH, so nothing of the caller's leaks into the verdict."""
    return _loom(root, *args, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
