"""``import assetloom`` and ``loom --help`` stay cheap: no heavy library is imported.

Each check runs in a fresh interpreter, so what other tests imported does not count.
"""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("networkx", "jinja2", "sqlalchemy", "duckdb", "dask")

_REPORT = """
import sys
heavy = {heavy!r}
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""


def _heavy_modules_after(code: str) -> list[str]:
    script = code + "\n" + _REPORT.format(heavy=HEAVY)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    return [m for m in last.split(",") if m]


def test_import_assetloom_imports_no_heavy_library() -> None:
    assert _heavy_modules_after("import assetloom") == []


def test_defining_and_materializing_assets_imports_no_heavy_library() -> None:
    code = """
import assetloom as dg

@dg.asset
def a() -> int:
    return 1

@dg.asset
def b(a: int) -> int:
    return a + 1

assert dg.materialize([a, b], selection="+b").output_for_node("b") == 2
"""
    assert _heavy_modules_after(code) == []


def test_loom_help_imports_no_heavy_library() -> None:
    if importlib.util.find_spec("assetloom.cli.main") is None:
        pytest.skip("assetloom.cli.main does not exist yet: the `loom` CLI is not written")
    code = """
import contextlib, io, sys
from assetloom.cli.main import main
sys.argv = ["loom", "--help"]
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main()
    except SystemExit as exit:
        assert exit.code in (0, None), exit.code
assert "Usage" in out.getvalue(), out.getvalue()
"""
    assert _heavy_modules_after(code) == []


_LOADED = """
import sys
watched = {watched!r}
print(",".join(sorted(m for m in watched if m in sys.modules)))
"""


def _loaded_after(code: str, watched: tuple[str, ...]) -> list[str]:
    script = code + "\n" + _LOADED.format(watched=watched)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    return [m for m in last.split(",") if m]


def test_an_unwatched_run_of_plain_functions_imports_what_it_uses_only() -> None:
    """No observer: no events are built; no `context` parameter, time limit or check: none
    of their machinery is imported."""
    code = """
import assetloom as dg

@dg.asset
def a() -> int:
    return 1

@dg.asset
def b(a: int) -> int:
    return a + 1

assert dg.materialize([a, b]).output_for_node("b") == 2
"""
    watched = (
        "assetloom.execution.events",
        "assetloom.execution.context",
        "assetloom.execution.timeout",
        "assetloom.execution.check_run",
        "pickle",
        "json",
    )
    assert _loaded_after(code, watched) == []


def test_loading_a_project_without_templates_imports_no_template_machinery(tmp_path: Path) -> None:
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "tables.py").write_text(
        "import assetloom as dg\n\n\n"
        "class Tables(dg.Component, dg.Model, dg.Resolvable):\n"
        "    names: list[str]\n\n"
        "    def build_defs(self, context):\n"
        "        return dg.Definitions(assets=[dg.AssetSpec(n) for n in self.names])\n"
    )
    (tmp_path / "defs" / "t").mkdir(parents=True)
    (tmp_path / "defs" / "t" / "defs.yaml").write_text(
        "type: components.tables.Tables\nattributes: {names: [a, b]}\n"
    )
    code = f"""
import assetloom as dg
defs = dg.load_from_defs_folder(project_root={str(tmp_path)!r})
assert len(defs.assets) == 2
"""
    watched = (
        "assetloom.templating.environment",
        "assetloom.loading.template_vars",
        "assetloom.loading.envelope",
        "assetloom.loading.validation_errors",
        "jinja2",
    )
    assert _loaded_after(code, watched) == []
