"""Component, ComponentLoadContext, from_attributes_dict, get_description."""

from __future__ import annotations

from pathlib import Path

import pytest

import assetloom as dg


class Greeting(dg.Model):
    name: str
    deps: list[str] = []


class Greeter(dg.Component, dg.Model, dg.Resolvable):
    """Says hello to each name.

    One asset per name."""

    greetings: list[Greeting]
    prefix: str = "hello"

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        specs = [dg.AssetSpec(g.name, deps=g.deps, description=self.prefix) for g in self.greetings]
        return dg.Definitions(assets=specs)


class Undocumented(dg.Component):
    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions()


def test_from_attributes_dict_builds_an_instance_as_the_loader_would() -> None:
    greeter = Greeter.from_attributes_dict(
        attributes={"greetings": [{"name": "a"}, {"name": "b", "deps": ["a"]}]}
    )
    assert isinstance(greeter, Greeter)
    assert greeter.prefix == "hello"
    defs = greeter.build_defs(dg.ComponentLoadContext.for_test())
    graph = defs.resolve_asset_graph()
    assert graph.parents(dg.AssetKey("b")) == {dg.AssetKey("a")}


def test_from_attributes_dict_rejects_unknown_attributes() -> None:
    with pytest.raises(ValueError, match="greetingz"):
        Greeter.from_attributes_dict(attributes={"greetingz": []})


def test_get_description_is_the_docstring() -> None:
    assert Greeter.get_description() == "Says hello to each name.\n\nOne asset per name."
    assert Undocumented.get_description() is None


def test_for_test_defaults_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    context = dg.ComponentLoadContext.for_test()
    assert context.path == tmp_path.resolve()
    assert context.project_root == tmp_path.resolve()
    assert context.defs_root == tmp_path.resolve() / "defs"


def test_for_test_takes_a_folder_and_a_project_root(tmp_path: Path) -> None:
    context = dg.ComponentLoadContext.for_test(path=tmp_path / "defs" / "x", project_root=tmp_path)
    assert context.path == tmp_path.resolve() / "defs" / "x"
    assert context.relative_path == "defs/x"
    assert context.defs_root == tmp_path.resolve() / "defs"


def test_component_is_abstract() -> None:
    with pytest.raises(TypeError):
        dg.Component()  # type: ignore[abstract]


def test_the_decorator_predicates_tell_marked_functions_from_others() -> None:
    """Tools that collect ``@component_instance``, ``@definitions`` and ``@template_var``
    functions the loader's way import these from ``assetloom.components.component``; Dagster
    has no such names, so the top-level ``assetloom`` does not export them."""
    from assetloom.components.component import (
        is_component_instance_fn,
        is_definitions_fn,
        is_template_var_fn,
    )

    @dg.component_instance
    def instance() -> None: ...

    @dg.definitions
    def resources() -> None: ...

    @dg.template_var
    def region() -> str:
        return "eu"

    class Holder:
        @dg.template_var
        @staticmethod
        def bucket() -> str:
            return "b"

    predicates = (is_component_instance_fn, is_definitions_fn, is_template_var_fn)
    for marked, predicate in zip((instance, resources, region), predicates, strict=True):
        assert [p(marked) for p in predicates] == [p is predicate for p in predicates]
    assert is_template_var_fn(vars(Holder)["bucket"].__func__)
    assert not any(p("not a function") for p in predicates)
    assert not {p.__name__ for p in predicates} & set(dg.__all__)
