"""The defs/ walk: documents, modules, folders, and every located error kind."""

from __future__ import annotations

from pathlib import Path

import pytest

import assetloom as dg
from tests.projects import WriteProject, load, load_errors, parents

ETL = '''
import assetloom as dg


class EtlTable(dg.Model):
    name: str
    deps: list[str] = []
    query: str


class EtlTableFactory(dg.Component, dg.Model, dg.Resolvable):
    etl_tables: list[EtlTable]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions(
            assets=[dg.AssetSpec(t.name, deps=t.deps) for t in self.etl_tables]
        )
'''
FACTORY = "components.etl.EtlTableFactory"


def _etl(project: WriteProject, defs_yaml: str, **files: str) -> Path:
    return project({"components/etl.py": ETL, "defs/tables/defs.yaml": defs_yaml, **files})


def _locations(defs: dg.Definitions) -> dict[str, str]:
    graph = defs.resolve_asset_graph()
    return {k.to_user_string(): str(graph.location(k)) for k in graph.executable_keys} | {
        k.to_user_string(): str(graph.location(k))
        for k in graph.all_keys
        if graph.location(k) is not None
    }


# --- what loads ------------------------------------------------------------------------


def test_several_components_in_one_file_separated_by_dashes(project: WriteProject) -> None:
    root = _etl(
        project,
        f"""
        type: {FACTORY}
        attributes:
          etl_tables:
            - name: a
              query: select 1
        ---
        type: {FACTORY}
        attributes:
          etl_tables:
            - name: b
              deps: [a]
              query: select 2
        """,
    )
    defs = load(root)
    assert parents(defs, "b") == {"a"}
    assert _locations(defs) == {
        "a": "defs/tables/defs.yaml:4:13",
        "b": "defs/tables/defs.yaml:10:13",
    }


def test_a_type_relative_to_the_yaml_folder(project: WriteProject) -> None:
    root = project(
        {
            "defs/local/defs.yaml": """
            type: .things.Things
            attributes:
              names: [x, y]
            """,
            "defs/local/things.py": """
            import assetloom as dg


            class Things(dg.Component, dg.Model, dg.Resolvable):
                names: list[str]

                def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
                    return dg.Definitions(assets=[dg.AssetSpec(n) for n in self.names])
            """,
        }
    )
    keys = {k.to_user_string() for k in load(root).resolve_asset_graph().all_keys}
    assert keys == {"x", "y"}


def test_a_short_name_from_registry_modules(project: WriteProject) -> None:
    root = _etl(
        project,
        """
        type: EtlTableFactory
        attributes:
          etl_tables: [{name: a, query: q}]
        """,
        **{"pyproject.toml": "[tool.assetloom]\nregistry_modules = ['components.etl']\n"},
    )
    assert {k.to_user_string() for k in load(root).resolve_asset_graph().all_keys} == {"a"}


def test_python_modules_component_py_and_definitions_functions(project: WriteProject) -> None:
    root = _etl(
        project,
        f"""
        type: {FACTORY}
        attributes:
          etl_tables: [{{name: a, query: q}}]
        """,
        **{
            "defs/downstream.py": """
            import assetloom as dg


            @dg.asset(deps=[dg.AssetKey("a")])
            def b() -> None: ...


            spec = dg.AssetSpec("outside")
            """,
            "defs/resources.py": """
            import assetloom as dg


            @dg.definitions
            def resources(context: dg.ComponentLoadContext) -> dg.Definitions:
                return dg.Definitions(resources={"root": str(context.project_root)})
            """,
            "defs/inst/component.py": f"""
            import assetloom as dg
            from {FACTORY.rpartition(".")[0]} import EtlTableFactory


            @dg.component_instance
            def tables(context: dg.ComponentLoadContext) -> EtlTableFactory:
                return EtlTableFactory.from_attributes_dict(
                    attributes={{"etl_tables": [{{"name": "c", "deps": ["b"], "query": "q"}}]}},
                    context=context,
                )
            """,
            "defs/inst/ignored.py": "raise RuntimeError('a component folder owns its files')\n",
            "defs/__pycache__/junk.py": "raise RuntimeError('skipped')\n",
            "defs/.hidden/junk.py": "raise RuntimeError('skipped')\n",
        },
    )
    defs = load(root)
    assert parents(defs, "b") == {"a"}
    assert parents(defs, "c") == {"b"}
    assert defs.resources == {"root": str(root.resolve())}
    locations = _locations(defs)
    assert locations["b"] == "defs/downstream.py:4:1"
    assert locations["a"] == "defs/tables/defs.yaml:3:23"


def test_path_within_project_finds_the_project(project: WriteProject) -> None:
    root = _etl(project, f"type: {FACTORY}\nattributes: {{etl_tables: [{{name: a, query: q}}]}}\n")
    defs = dg.load_from_defs_folder(path_within_project=root / "defs" / "tables")
    assert {k.to_user_string() for k in defs.resolve_asset_graph().all_keys} == {"a"}


def test_an_empty_document_is_skipped(project: WriteProject) -> None:
    root = _etl(project, f"---\n---\ntype: {FACTORY}\nattributes: {{etl_tables: []}}\n")
    assert len(load(root).resolve_asset_graph().all_keys) == 0


def test_requirements_env_passes_when_set(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOM_TEST_TOKEN", "x")
    root = _etl(
        project,
        f"type: {FACTORY}\nrequirements:\n  env: [LOOM_TEST_TOKEN]\n"
        "attributes: {etl_tables: []}\n",
    )
    load(root)


# --- every error kind, located --------------------------------------------------------


@pytest.mark.parametrize(
    ("defs_yaml", "expected"),
    [
        pytest.param(
            "type: x\nattributes: [a\n",
            "defs/tables/defs.yaml:3:1: could not parse YAML: expected ',' or ']' "
            "(opened at line 2)",
            id="yaml-syntax",
        ),
        pytest.param(
            f"type: {FACTORY}\nattributes: {{}}\ntype: y\n",
            "defs/tables/defs.yaml:3:1: duplicate key `type` (first defined at line 1)",
            id="duplicate-key",
        ),
        pytest.param(
            f"type: {FACTORY}\nattribute: {{}}\n",
            "defs/tables/defs.yaml:2:1: unknown top-level key `attribute` — did you mean "
            "`attributes`?",
            id="unknown-top-level-key",
        ),
        pytest.param(
            "attributes: {}\n",
            "defs/tables/defs.yaml:1:1: missing required top-level key `type`",
            id="missing-type",
        ),
        pytest.param(
            "type: components.etl.EtlTableFactori\n",
            "defs/tables/defs.yaml:1:7: unknown component type "
            "`components.etl.EtlTableFactori`: `components.etl` has no `EtlTableFactori` "
            "— did you mean `components.etl.EtlTableFactory`?",
            id="unknown-class",
        ),
        pytest.param(
            "type: components.etll.EtlTableFactory\n",
            "defs/tables/defs.yaml:1:7: unknown component type "
            "`components.etll.EtlTableFactory`: no module `components.etll` — did you mean "
            "`components.etl.EtlTableFactory`?",
            id="unknown-module",
        ),
        pytest.param(
            "type: DefsFolderComponen\n",
            "defs/tables/defs.yaml:1:7: unknown component type `DefsFolderComponen`: no "
            "registered component has that name — did you mean `DefsFolderComponent` or "
            "`assetloom.DefsFolderComponent`?",
            id="unknown-short-name",
        ),
        pytest.param(
            "type: components.etl.EtlTable\n",
            "defs/tables/defs.yaml:1:7: `components.etl.EtlTable` is not a Component subclass "
            "(it is the class components.etl.EtlTable); a type must subclass "
            "assetloom.Component",
            id="not-a-component",
        ),
        pytest.param(
            f"type: {FACTORY}\nattributes:\n  etl_tables:\n    - name: a\n      query: q\n"
            "    - name: b\n      query: q\n      dep: [a]\n",
            "defs/tables/defs.yaml:8:7: attributes.etl_tables[1]: unknown attribute `dep` "
            "— did you mean `deps`?",
            id="unknown-field-in-list-item",
        ),
        pytest.param(
            f"type: {FACTORY}\nattributes:\n  etl_tables:\n    - name: a\n      query: q\n"
            "      deps: 5\n",
            "defs/tables/defs.yaml:6:13: attributes.etl_tables[0].deps: expected a list, "
            "got `5` (an integer)",
            id="wrong-type",
        ),
        pytest.param(
            f"type: {FACTORY}\nattributes:\n  etl_tables:\n    - name: a\n      deps: [x, 7]\n"
            "      query: q\n",
            "defs/tables/defs.yaml:5:17: attributes.etl_tables[0].deps[1]: expected a "
            "string, got `7` (an integer)",
            id="wrong-type-in-list",
        ),
        pytest.param(
            f"type: {FACTORY}\nattributes:\n  etl_tables:\n    - name: a\n",
            "defs/tables/defs.yaml:4:7: attributes.etl_tables[0]: missing required "
            "attribute `query`",
            id="missing-required",
        ),
        pytest.param(
            f"type: {FACTORY}\nrequirements:\n  env: [HOME, LOOM_SURELY_UNSET]\n"
            "attributes: {etl_tables: []}\n",
            "defs/tables/defs.yaml:3:15: requirements.env: environment variable "
            "`LOOM_SURELY_UNSET` is not set",
            id="missing-env",
        ),
        pytest.param(
            f"type: {FACTORY}\nattributes:\n  etl_tables:\n    - name: '{{{{ nmae }}}}'\n"
            "      query: q\n",
            "defs/tables/defs.yaml:4:13: undefined name `nmae` in template; available names: "
            "context, env",
            id="template-undefined-name",
        ),
        pytest.param(
            f"type: {FACTORY}\nattributes:\n  etl_tables:\n    - name: '{{{{ 1 + }}}}'\n"
            "      query: q\n",
            "defs/tables/defs.yaml:4:13: template syntax error: unexpected 'end of print "
            "statement'",
            id="template-syntax",
        ),
        pytest.param(
            "type: [a]\n",
            "defs/tables/defs.yaml:1:7: type: expected a string, got a list",
            id="type-not-a-string",
        ),
        pytest.param(
            f"type: {FACTORY}\nattributes: [1, 2]\n",
            "defs/tables/defs.yaml:2:13: attributes: expected a mapping or null, got a list",
            id="attributes-not-a-mapping",
        ),
    ],
)
def test_each_error_is_reported_at_its_yaml_position(
    project: WriteProject, defs_yaml: str, expected: str
) -> None:
    assert load_errors(_etl(project, defs_yaml)) == [expected]


def test_an_exception_in_build_defs_points_at_the_type(project: WriteProject) -> None:
    root = project(
        {
            "components/broken.py": """
            import assetloom as dg


            class Broken(dg.Component):
                def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
                    raise ValueError("no warehouse configured")
            """,
            "defs/b/defs.yaml": "# a comment\ntype: components.broken.Broken\n",
        }
    )
    assert load_errors(root) == [
        "defs/b/defs.yaml:2:7: `Broken.build_defs` raised ValueError: no warehouse "
        "configured (at components/broken.py:6)"
    ]


def test_an_import_error_in_a_component_module(project: WriteProject) -> None:
    root = project(
        {
            "components/broken.py": "import assetloom as dg\nimport not_a_real_module_xyz\n",
            "defs/b/defs.yaml": "type: components.broken.Broken\n",
        }
    )
    assert load_errors(root) == [
        "defs/b/defs.yaml:1:7: could not import `components.broken` for type "
        "`components.broken.Broken`: ModuleNotFoundError: No module named "
        "'not_a_real_module_xyz' (at components/broken.py:2)"
    ]


def test_an_exception_while_importing_a_module_under_defs(project: WriteProject) -> None:
    root = project(
        {
            "defs/assets.py": "import assetloom as dg\n\nVALUE = {}['missing']\n",
            "defs/syntax.py": "def f(:\n    pass\n",
        }
    )
    assert load_errors(root) == [
        "defs/assets.py:3:1: importing this module raised KeyError: 'missing'",
        "defs/syntax.py:1:7: importing this module raised SyntaxError: invalid syntax "
        "(syntax.py, line 1)",
    ]


def test_errors_of_every_document_and_file_are_collected(project: WriteProject) -> None:
    root = _etl(
        project,
        f"type: {FACTORY}\nattributes:\n  etl_tables: [{{name: a}}]\n---\ntype: nope.Nope\n",
        **{"defs/z.py": "raise RuntimeError('z')\n"},
    )
    assert load_errors(root) == [
        "defs/tables/defs.yaml:3:16: attributes.etl_tables[0]: missing required "
        "attribute `query`",
        "defs/tables/defs.yaml:5:7: unknown component type `nope.Nope`: no module `nope`",
        "defs/z.py:1:1: importing this module raised RuntimeError: z",
    ]


def test_a_missing_defs_folder(tmp_path: Path) -> None:
    with pytest.raises(dg.LoomError, match=r"no `defs/` folder"):
        dg.load_from_defs_folder(project_root=tmp_path)
