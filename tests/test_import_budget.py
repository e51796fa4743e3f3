"""What a process imports stays what it needs: ``import assetloom``, ``loom --help`` and a
plain run import no heavy library; a run nobody watches imports no event or step machinery
it does not use; a load without templates imports no template machinery.

Each check runs in a fresh interpreter, so what other tests imported does not count.
"""

import subprocess
import sys
from pathlib import Path

HEAVY = ("networkx", "jinja2", "sqlalchemy", "duckdb", "dask")


def _imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    script = code + "\nimport sys\nprint(','.join(sorted(sys.modules)))\n"
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.strip().splitlines()[-1].split(","))


def _heavy_modules_after(code: str) -> list[str]:
    return sorted(m for m in _imported_after(code) if m.split(".")[0] in HEAVY)


def _loaded_after(code: str, watched: tuple[str, ...]) -> list[str]:
    return sorted(set(watched) & _imported_after(code))


def test_import_assetloom_imports_no_heavy_library() -> None:
    assert _heavy_modules_after("import assetloom") == []


# Two plain assets, materialized in process with nobody watching.
PLAIN_RUN = """
import assetloom as dg

@dg.asset
def a() -> int:
    return 1

@dg.asset
def b(a: int) -> int:
    return a + 1

assert dg.materialize([a, b], selection="+b").output_for_node("b") == 2
"""


def test_defining_and_materializing_assets_imports_no_heavy_library() -> None:
    assert _heavy_modules_after(PLAIN_RUN) == []


def test_loom_help_imports_no_heavy_library() -> None:
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


def test_an_unwatched_run_of_plain_functions_imports_what_it_uses_only() -> None:
    """No observer: no events are built; no `context` parameter, time limit or check: none
    of their machinery is imported."""
    watched = (
        "assetloom.execution.events",
        "assetloom.execution.context",
        "assetloom.execution.timeout",
        "assetloom.execution.check_run",
        "pickle",
        "json",
    )
    assert _loaded_after(PLAIN_RUN, watched) == []


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
