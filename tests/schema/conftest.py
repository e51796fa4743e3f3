"""Projects written to temp dirs, with their own ``components`` package."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ETL_COMPONENT = '''
from pydantic import Field

from assetloom.components.component import Component
from assetloom.components.resolvable import Model, Resolvable


class EtlTable(Model):
    name: str
    """The table's name, which is also its asset key."""
    deps: list[str] = []
    """Keys of the assets this table reads."""
    query: str = Field(description="The SQL that builds the table.", examples=["select 1"])


class EtlTableFactory(Component, Model, Resolvable):
    """One asset per table, each built by running its query."""

    etl_tables: list[EtlTable]
    retries: int | None = None

    def build_defs(self, context):
        raise AssertionError("check yaml must not call build_defs")
'''

GOOD_DEFS = """\
type: components.etl_table_component.EtlTableFactory
attributes:
  etl_tables:
    - name: cleaned_transactions
      deps: [transactions]
      query: select * from transactions
    - name: risky_customers
      deps: [customers]
      query: select * from customers
"""

MakeProject = Callable[..., Path]


def forget_project_modules() -> None:
    for name in list(sys.modules):
        if name == "components" or name.startswith(("components.", "defs.")):
            del sys.modules[name]


@pytest.fixture
def make_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MakeProject]:
    """``make_project({"defs/a/defs.yaml": "..."})`` writes a project (with the ETL component
    unless ``components/`` files are given) and returns its root."""
    monkeypatch.chdir(tmp_path)
    saved_path = list(sys.path)
    forget_project_modules()

    def make(files: dict[str, str], name: str = "proj") -> Path:
        root = tmp_path / name
        files = {"components/__init__.py": "", **files}
        if not any(f.startswith("components/") and f != "components/__init__.py" for f in files):
            files["components/etl_table_component.py"] = ETL_COMPONENT
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        (root / "defs").mkdir(exist_ok=True)
        return root

    yield make
    sys.path[:] = saved_path
    forget_project_modules()
