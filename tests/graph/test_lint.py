"""Graph lint: a dependency that looks like a typo of a defined key is an error; a key meant
to be external is not; the suggestion is never the depending asset's own key."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

import assetloom as dg
from assetloom.graph.lint import dependency_typos, graph_diagnostics

NAMES = st.text(alphabet="abcdefg_", min_size=3, max_size=10)


def graph_of(deps_by_name: dict[str, list[str]], *specs: dg.AssetSpec) -> object:
    def make(name: str, deps: list[str]) -> dg.AssetsDefinition:
        @dg.asset(name=name, deps=deps)
        def _asset() -> None: ...

        return _asset

    assets = [make(name, deps) for name, deps in deps_by_name.items()]
    return dg.Definitions(assets=[*assets, *specs]).resolve_asset_graph()


def test_a_near_miss_of_a_defined_key_is_an_error_suggesting_it() -> None:
    graph = graph_of({"vendor_positive": [], "report": ["vendor_postive"]})
    [error] = dependency_typos(graph)  # type: ignore[arg-type]
    assert error.code == "LOOM205"
    assert "did you mean `vendor_positive`?" in error.message


def test_a_different_name_is_an_external_asset_not_a_typo() -> None:
    graph = graph_of({"risky_transactions": [], "report": ["transactions"]})
    assert dependency_typos(graph) == []  # type: ignore[arg-type]


def test_declared_external_keys_and_asset_specs_are_intended() -> None:
    graph = graph_of({"vendor_positive": [], "report": ["vendor_postive"]})
    assert dependency_typos(graph, ["vendor_postive"]) == []  # type: ignore[arg-type]
    with_spec = graph_of(
        {"vendor_positive": [], "report": ["vendor_postive"]}, dg.AssetSpec("vendor_postive")
    )
    assert dependency_typos(with_spec) == []  # type: ignore[arg-type]


def test_unused_external_declarations_are_warnings() -> None:
    graph = graph_of({"a": ["raw"]})
    [warning] = graph_diagnostics(graph, ["raw", "old"])  # type: ignore[arg-type]
    assert (warning.severity, warning.code) == (dg.Severity.WARNING, "LOOM901")
    assert "`old`" in warning.message


@given(own=NAMES, dep=NAMES, others=st.lists(NAMES, max_size=3))
def test_the_suggestion_is_never_the_depending_assets_own_key(
    own: str, dep: str, others: list[str]
) -> None:
    assume(own != dep)
    defined = {own, *others} - {dep}
    deps_by_name = {name: [] for name in defined} | {own: [dep]}
    for error in dependency_typos(graph_of(deps_by_name)):  # type: ignore[arg-type]
        assert f"did you mean `{own}`" not in error.message
        assert error.message.startswith(f"`{own}` depends on `{dep}`")
