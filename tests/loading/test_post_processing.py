"""post_processing: merge vs replace, targets, and DefsFolderComponent over a subtree."""

from __future__ import annotations

from typing import Any

from tests.projects import WriteProject, load, load_errors

COMPONENT = '''
import assetloom as dg


class Tables(dg.Component, dg.Model, dg.Resolvable):
    names: list[str]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        def make(name: str) -> dg.AssetsDefinition:
            @dg.asset(
                name=name,
                group_name="raw",
                tags={"layer": "bronze"},
                metadata={"owner": "etl"},
                kinds={"duckdb"},
            )
            def table() -> None: ...

            return table

        return dg.Definitions(assets=[make(n) for n in self.names])
'''


def _attributes(project: WriteProject, files: dict[str, str]) -> dict[str, dict[str, Any]]:
    root = project({"components/tables.py": COMPONENT, **files})
    graph = load(root).resolve_asset_graph()
    return {
        k.to_user_string(): {
            "group": graph.spec(k).group_name,
            "tags": dict(graph.spec(k).tags),
            "metadata": dict(graph.spec(k).metadata),
            "kinds": set(graph.spec(k).kinds),
            "description": graph.spec(k).description,
        }
        for k in graph.all_keys
    }


def test_merge_merges_metadata_and_tags_and_replaces_the_rest(project: WriteProject) -> None:
    assets = _attributes(
        project,
        {
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: [a, b]
            post_processing:
              assets:
                - target: a
                  attributes:
                    group_name: marts
                    tags: {team: data}
                    metadata: {sla: 1h}
                    kinds: [sql]
                    description: first
            """
        },
    )
    assert assets["a"] == {
        "group": "marts",
        "tags": {"layer": "bronze", "team": "data"},
        "metadata": {"owner": "etl", "sla": "1h"},
        "kinds": {"sql"},
        "description": "first",
    }
    assert assets["b"]["group"] == "raw"
    assert assets["b"]["tags"] == {"layer": "bronze"}


def test_replace_replaces_tags_and_metadata(project: WriteProject) -> None:
    assets = _attributes(
        project,
        {
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: [a]
            post_processing:
              assets:
                - operation: replace
                  attributes:
                    tags: {team: data}
                    metadata: {sla: 1h}
            """
        },
    )
    assert assets["a"]["tags"] == {"team": "data"}
    assert assets["a"]["metadata"] == {"sla": "1h"}
    assert assets["a"]["group"] == "raw"


def test_rules_apply_in_order(project: WriteProject) -> None:
    assets = _attributes(
        project,
        {
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: [a, b]
            post_processing:
              assets:
                - attributes: {group_name: one}
                - target: "group:one and key:b"
                  attributes: {group_name: two}
            """
        },
    )
    assert (assets["a"]["group"], assets["b"]["group"]) == ("one", "two")


def test_a_defs_folder_component_post_processes_everything_below(project: WriteProject) -> None:
    assets = _attributes(
        project,
        {
            "defs/sales/defs.yaml": """
            type: DefsFolderComponent
            post_processing:
              assets:
                - attributes:
                    group_name: sales
                    tags: {domain: sales}
            """,
            "defs/sales/tables/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: [orders]
            post_processing:
              assets:
                - attributes: {tags: {own: rule}}
            """,
            "defs/sales/deeper/more/assets.py": """
            import assetloom as dg


            @dg.asset
            def revenue() -> None: ...


            spec = dg.AssetSpec("ledger")
            """,
            "defs/other/defs.yaml": """
            type: assetloom.DefsFolderComponent
            """,
            "defs/other/assets.py": """
            import assetloom as dg


            @dg.asset
            def untouched() -> None: ...
            """,
        },
    )
    assert assets["orders"]["group"] == "sales"
    assert assets["orders"]["tags"] == {"layer": "bronze", "own": "rule", "domain": "sales"}
    assert assets["revenue"]["group"] == "sales"
    assert assets["revenue"]["tags"] == {"domain": "sales"}
    assert assets["ledger"]["group"] == "sales"
    assert assets["untouched"]["group"] in (None, "default")


def test_an_unknown_post_processing_attribute_is_located(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: [a]
            post_processing:
              assets:
                - attributes: {group: x}
            """,
        }
    )
    assert load_errors(root) == [
        "defs/t/defs.yaml:6:20: post_processing.assets[0].attributes: unknown key "
        "`group` — did you mean `group_name`?"
    ]


def test_an_unknown_operation_is_located(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: [a]
            post_processing:
              assets:
                - operation: upsert
            """,
        }
    )
    assert load_errors(root) == [
        'defs/t/defs.yaml:6:18: post_processing.assets[0].operation: "upsert" (a string) '
        "is not one of `merge`, `replace`"
    ]
