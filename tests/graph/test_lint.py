"""Graph lint: a dependency that looks like a typo of a defined key is an error; a key meant
to be external is not; the suggestion is never the depending asset's own key."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import assetloom as dg
from assetloom.errors import SourceLocation
from assetloom.graph.lint import dependency_typos, graph_diagnostics
from assetloom.loading.dep_locations import DepLocator

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


DEP_NAMES = st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True), min_size=1,
                     max_size=5, unique=True)  # fmt: skip


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(deps=DEP_NAMES, data=st.data(), block_style=st.booleans())
def test_a_dependency_is_located_at_the_string_that_wrote_it(
    tmp_path: Path, deps: list[str], data: st.DataObject, block_style: bool
) -> None:
    index = data.draw(st.integers(0, len(deps) - 1))
    if block_style:
        lines = ["    - name: report", "      deps:", *(f"        - {d}" for d in deps)]
        line, col = 7 + index, 11
    else:
        lines = ["    - name: report", f"      deps: [{', '.join(deps)}]"]
        line, col = 6, len("      deps: [") + sum(len(d) + 2 for d in deps[:index]) + 1
    text = "type: x.Y\nattributes:\n  tables:\n    - name: first\n" + "\n".join(lines) + "\n"
    (tmp_path / "defs").mkdir(exist_ok=True)
    (tmp_path / "defs/defs.yaml").write_text(text, encoding="utf-8")
    report = SourceLocation("defs/defs.yaml", 5, 13)  # the item's `name:` value
    wanted = deps[index]
    found = DepLocator(tmp_path)(report, wanted)
    assert found == SourceLocation("defs/defs.yaml", line, col)
