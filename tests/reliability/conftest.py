"""The project the fuzz suites load their generated documents into, and the check they all
make: documents load, or give LoomErrors, and nothing else, within a time limit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import assetloom as dg
from assetloom.errors import LoomError
from assetloom.loading.session import LoadSession
from assetloom.project import Project
from tests.reliability.timeouts import within

COMPONENT = """
from typing import Any

import assetloom as dg


class Table(dg.Model):
    name: str
    deps: list[str] = []
    retries: int | None = None


class Tables(dg.Component, dg.Model, dg.Resolvable):
    tables: list[Table] = []
    options: dict[str, Any] = {}
    anything: Any = None

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions(assets=[dg.AssetSpec(t.name, deps=t.deps) for t in self.tables])
"""


@pytest.fixture(scope="module")
def project_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project with one component; each case rewrites its one defs.yaml."""
    root = tmp_path_factory.mktemp("yaml-fuzz")
    (root / "components").mkdir()
    (root / "components" / "tables.py").write_text(COMPONENT)
    (root / "defs" / "x").mkdir(parents=True)
    previous = os.environ.get("LOOM_NO_CACHE")
    os.environ["LOOM_NO_CACHE"] = "1"  # every case parses: the cache has its own fuzz test
    yield root
    if previous is None:
        del os.environ["LOOM_NO_CACHE"]
    else:
        os.environ["LOOM_NO_CACHE"] = previous


def load_and_check(root: Path, text: str) -> None:
    """``check yaml``'s pipeline and a full load: documents, or LoomErrors, nothing else."""
    file = root / "defs" / "x" / "defs.yaml"
    file.write_text(text, encoding="utf-8", errors="surrogatepass")
    with within():
        session = LoadSession(Project.at(root))
        [report] = session.check_documents([file])
        assert all(isinstance(problem, LoomError) for problem in report.problems)
        try:
            defs = session.load()
        except LoomError:
            return
    assert isinstance(defs, dg.Definitions)
