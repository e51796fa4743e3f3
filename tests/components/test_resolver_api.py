"""Dagster's components API: Resolver options, Resolver.from_model, Resolvable.model(),
resolve_from_model, resolve_from_yaml(text), ResolutionException, abstract collection
annotations and component_defs (Dagster's "testing your component" helpers)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableSequence, Sequence, Set
from dataclasses import dataclass
from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st

import assetloom as dg


@dataclass
class Collections(dg.Resolvable):
    names: Sequence[str]
    keys: Sequence[dg.ResolvedAssetKey] = ()
    by_name: Mapping[str, dg.ResolvedAssetKey] | None = None
    unique: Set[str] = frozenset()
    growing: MutableSequence[int] | None = None
    any_iterable: Iterable[str] = ()


def test_abstract_collection_annotations_resolve() -> None:
    built = Collections.resolve_from_yaml(
        """
        names: [a, b]
        keys: [x/y]
        by_name: {first: a/b}
        unique: [p, p, q]
        growing: [1, 2]
        any_iterable: [z]
        """
    )
    assert list(built.names) == ["a", "b"]
    assert list(built.keys) == [dg.AssetKey(["x", "y"])]
    assert built.by_name == {"first": dg.AssetKey(["a", "b"])}
    assert built.unique == {"p", "q"}
    assert built.growing == [1, 2]
    assert list(built.any_iterable) == ["z"]


@given(st.lists(st.text(min_size=1, alphabet="abcxyz/"), max_size=5))
def test_a_sequence_of_keys_resolves_to_the_same_keys_as_a_list(texts: list[str]) -> None:
    keys = [t for t in texts if all(part for part in t.split("/"))]
    built = Collections.resolve_from_yaml({"names": [], "keys": keys})
    assert list(built.keys) == [dg.AssetKey(k) for k in keys]


def _upper(context: dg.ResolutionContext, value: str) -> str:
    return value.upper()


@dataclass
class Renamed(dg.Resolvable):
    label: Annotated[str, dg.Resolver(_upper, model_field_name="title")]
    count: int = 1


def test_model_field_name_is_the_name_in_yaml() -> None:
    assert "title" in Renamed.model().model_fields
    assert "label" not in Renamed.model().model_fields
    assert Renamed.resolve_from_yaml("title: hello").label == "HELLO"


def _summary(context: dg.ResolutionContext, model: object) -> str:
    return f"{model.first}-{model.second}"  # type: ignore[attr-defined]


@dataclass
class FromModel(dg.Resolvable):
    first: str
    second: str
    summary: Annotated[str, dg.Resolver.from_model(_summary)] = ""


def test_resolver_from_model_sees_the_whole_model_and_is_not_in_yaml() -> None:
    assert "summary" not in FromModel.model().model_fields
    assert FromModel.resolve_from_yaml("first: a\nsecond: b").summary == "a-b"


def test_resolve_from_model_builds_from_a_validated_model() -> None:
    model = FromModel.model()(first="x", second="y")
    built = FromModel.resolve_from_model(dg.ResolutionContext(), model)
    assert (built.first, built.summary) == ("x", "x-y")


def _strict_port(context: dg.ResolutionContext, value: int) -> int:
    if value < 1024:
        raise dg.ResolutionException(f"port {value} is reserved")
    return value


@dataclass
class Server(dg.Resolvable):
    port: Annotated[int, dg.Resolver(_strict_port, inject_before_resolve=False)]


def test_a_resolution_exception_is_located_in_the_yaml_text() -> None:
    with pytest.raises(dg.ResolutionException, match="port 80 is reserved") as caught:
        Server.resolve_from_yaml("\nport: 80\n")
    assert str(caught.value.location) == "<yaml>:2:7"


def _broken(context: dg.ResolutionContext, value: str) -> str:
    raise KeyError(value)


@dataclass
class Broken(dg.Resolvable):
    name: Annotated[str, dg.Resolver(_broken)]


def test_any_error_of_a_resolver_becomes_a_resolution_exception() -> None:
    with pytest.raises(dg.ResolutionException, match="name: KeyError"):
        Broken.resolve_from_yaml({"name": "x"})


class Greeting(dg.Component, dg.Model, dg.Resolvable):
    names: Sequence[str]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        @dg.asset
        def greetings(greeter: dg.ConfigurableResource) -> list[str]:
            return [f"{greeter.word} {n}" for n in self.names]  # type: ignore[attr-defined]

        return dg.Definitions(assets=[greetings])


class Greeter(dg.ConfigurableResource):
    word: str


def test_component_defs_builds_and_runs_a_component_with_resources() -> None:
    component = Greeting.resolve_from_yaml("names: [ann, bob]")
    defs = dg.component_defs(component=component, resources={"greeter": Greeter(word="hi")})
    result = dg.materialize(defs)
    assert result.asset_value("greetings") == ["hi ann", "hi bob"]


def test_component_defs_is_importable_from_the_testing_module() -> None:
    from assetloom.components.testing import component_defs

    assert component_defs is dg.component_defs


def test_resolution_context_resolve_value_validates_as_a_type() -> None:
    context = dg.ResolutionContext().at_path("items").at(0)
    assert context.path == ("items", 0)
    assert context.resolve_value(["a"], as_type=list[str]) == ["a"]
    assert context.resolve_value({"k": 1}) == {"k": 1}
