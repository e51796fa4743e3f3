"""LoadSession.check_documents: located problems from the loader's own stages, without
building anything."""

from __future__ import annotations

from pathlib import Path

from assetloom.loading.session import LoadSession
from assetloom.project import Project

from .conftest import GOOD_DEFS, MakeProject

UNION_COMPONENT = """
from typing import Literal

from assetloom.components.component import Component
from assetloom.components.resolvable import Model, Resolvable


class Csv(Model):
    path: str
    delimiter: str = ","


class Table(Model):
    table: str
    mode: Literal["append", "overwrite"] = "append"


class Loader(Component, Model, Resolvable):
    source: Csv | Table
    limit: int | None = None
    sinks: list[Csv | Table] = []

    def build_defs(self, context):
        raise NotImplementedError
"""


def check(root: Path, rel: str) -> list[str]:
    [report] = LoadSession(Project.at(root)).check_documents([root / rel])
    return [str(p) for p in report.problems]


def test_union_errors_descend_into_the_branch_that_fits(make_project: MakeProject) -> None:
    text = """\
    type: components.loader.Loader
    attributes:
      source: {table: t, mode: overwrit}
      limit: ten
      sinks:
        - {path: a.csv, delimitr: ";"}
        - 7
    """
    root = make_project({"components/loader.py": UNION_COMPONENT, "defs/a/defs.yaml": text})
    assert check(root, "defs/a/defs.yaml") == [
        'defs/a/defs.yaml:3:28: attributes.source.mode: "overwrit" (a string) is not one of '
        "`append`, `overwrite` — did you mean `overwrite`?",
        'defs/a/defs.yaml:4:10: attributes.limit: expected an integer or null, got "ten" '
        "(a string)",
        "defs/a/defs.yaml:6:21: attributes.sinks[0]: unknown attribute `delimitr` "
        "— did you mean `delimiter`?",
        "defs/a/defs.yaml:7:7: attributes.sinks[1]: expected a mapping, got `7` (an integer)",
    ]


def test_templates_pass_anywhere(make_project: MakeProject) -> None:
    text = """\
    type: components.loader.Loader
    attributes:
      source: "{{ default_source }}"
      limit: "{{ env.LIMIT }}"
      sinks: ["{{ a }}", {table: "{{ b }}", mode: "{{ mode }}"}]
    """
    root = make_project({"components/loader.py": UNION_COMPONENT, "defs/a/defs.yaml": text})
    assert check(root, "defs/a/defs.yaml") == []


def test_relative_type_uses_its_own_schema(make_project: MakeProject) -> None:
    text = """\
    type: .local.Loader
    attributes:
      source: {path: x.csv, sep: ";"}
    """
    root = make_project(
        {"defs/a/local.py": UNION_COMPONENT, "defs/a/defs.yaml": text, "components/x.py": ""}
    )
    assert check(root, "defs/a/defs.yaml") == [
        "defs/a/defs.yaml:3:25: attributes.source: unknown attribute `sep` "
        "(expected one of `path`, `delimiter`)"
    ]


def test_a_document_that_is_not_a_mapping(make_project: MakeProject) -> None:
    root = make_project({"defs/a/defs.yaml": GOOD_DEFS + "---\n- just\n- a list\n"})
    assert check(root, "defs/a/defs.yaml") == [
        "defs/a/defs.yaml:11:1: a defs.yaml document must be a mapping with a `type` key, "
        "not a list"
    ]


def test_missing_type_and_missing_required_field(make_project: MakeProject) -> None:
    text = GOOD_DEFS.replace("      query: select * from customers\n", "")
    root = make_project({"defs/a/defs.yaml": text, "defs/b/defs.yaml": "attributes: {}\n"})
    assert check(root, "defs/a/defs.yaml") == [
        "defs/a/defs.yaml:7:7: attributes.etl_tables[1]: missing required attribute `query`"
    ]
    assert check(root, "defs/b/defs.yaml") == [
        "defs/b/defs.yaml:1:1: missing required top-level key `type`"
    ]
