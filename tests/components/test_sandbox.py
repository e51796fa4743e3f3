"""``create_defs_folder_sandbox``: scaffold a component into a throwaway project and load it
through the loader, as Dagster's "testing your component" guide does."""

from __future__ import annotations

import pytest

import assetloom as dg
from assetloom.components.testing import create_defs_folder_sandbox
from assetloom.errors import LoomError


class Tables(dg.Component, dg.Model, dg.Resolvable):
    """One asset per table name."""

    names: list[str]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions(assets=[dg.AssetSpec(name) for name in self.names])


def test_scaffolded_component_loads_with_templates_and_post_processing() -> None:
    with create_defs_folder_sandbox() as sandbox:
        folder = sandbox.scaffold_component(
            Tables,
            defs_path="tables",
            defs_yaml_contents={
                "attributes": {"names": ["a", "{{ 'b' }}"]},
                "post_processing": {
                    "assets": [{"target": "*", "attributes": {"group_name": "sandboxed"}}]
                },
            },
        )
        assert (folder / "defs.yaml").is_file()
        with sandbox.load_component_and_build_defs(defs_path="tables") as (component, defs):
            assert isinstance(component, Tables)
            assert component.names == ["a", "b"]
            graph = defs.resolve_asset_graph()
            assert {k.to_user_string() for k in graph.all_keys} == {"a", "b"}
            assert graph.spec(dg.AssetKey("a")).group_name == "sandboxed"
    assert not sandbox.project_root.exists()


def test_invalid_attributes_are_located_in_the_sandbox_file() -> None:
    with create_defs_folder_sandbox() as sandbox:
        sandbox.scaffold_component(
            Tables, defs_path="bad", defs_yaml_contents={"attributes": {"names": 3}}
        )
        with (
            pytest.raises(LoomError, match=r"defs/bad/defs\.yaml:\d+:\d+"),
            sandbox.load_component_and_build_defs(defs_path="bad"),
        ):
            pass
