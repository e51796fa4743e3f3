"""``import assetloom`` and ``loom --help`` stay cheap: no heavy library is imported.

Each check runs in a fresh interpreter, so what other tests imported does not count.
"""

import importlib.util
import subprocess
import sys

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
