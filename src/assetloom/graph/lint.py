"""What is wrong with a graph that builds: dependencies that look like typos (errors) and
declarations of external assets nothing uses (warnings)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from assetloom.assets.key import AssetKey
from assetloom.errors import (
    WARNING_CODES,
    DependencyTypoError,
    Diagnostic,
    Severity,
    SourceLocation,
)
from assetloom.graph.asset_graph import AssetGraph

# A typo changes a few characters; `transactions` vs `risky_transactions` is a different name.
# Only names within MAX_LENGTH_DIFFERENCE are compared at all, which keeps the lint cheap on
# every load (difflib over 10,000 names costs ~9 ms per undefined key).
MAX_LENGTH_DIFFERENCE = 2
SIMILARITY_CUTOFF = 0.85
# Enough matches that one is left after dropping the depending asset's own keys.
MATCHES = 5
UNUSED_EXTERNAL = "LOOM901"
assert UNUSED_EXTERNAL in WARNING_CODES

#: ``locate(asset_location, dep)``: where ``dep`` was written for the asset at
#: ``asset_location``, when the caller can tell (the loader reads YAML; the graph does not).
DepLocator = Callable[[SourceLocation | None, str], SourceLocation | None]

EXTERNAL_HINT = (
    "if `{key}` is meant to come from elsewhere, declare it in pyproject.toml: "
    '[tool.assetloom] external_assets = ["{key}"]'
)


def graph_diagnostics(
    graph: AssetGraph, declared_external: Iterable[str] = (), locate: DepLocator | None = None
) -> list[Diagnostic]:
    """Everything :mod:`lint` finds, errors first."""
    declared = list(declared_external)
    return [
        *(error.to_diagnostic() for error in dependency_typos(graph, declared, locate)),
        *unused_external_declarations(graph, declared),
    ]


def dependency_typos(
    graph: AssetGraph, declared_external: Iterable[str] = (), locate: DepLocator | None = None
) -> list[DependencyTypoError]:
    """A dependency on a key nobody defines that closely matches a defined key is more often
    a typo than an intended external asset. Keys declared external (``external_assets``, an
    ``AssetSpec``) are intended. Each error sits at the dependency itself when ``locate``
    finds it, else at the depending asset; never suggests the depending asset's own key."""
    allowed = {AssetKey.from_user_string(k) for k in declared_external}
    suspects = [
        key
        for key in sorted(graph.external_keys - allowed)
        if graph.assets_def(key) is None  # one declared with an AssetSpec is intended
    ]
    if not suspects:
        return []
    defined = {k.to_user_string(): k for k in graph.executable_keys}
    by_length: dict[int, list[str]] = {}
    for name in defined:
        by_length.setdefault(len(name), []).append(name)
    errors: list[DependencyTypoError] = []
    for external in suspects:
        text = external.to_user_string()
        lengths = range(len(text) - MAX_LENGTH_DIFFERENCE, len(text) + MAX_LENGTH_DIFFERENCE + 1)
        candidates = [name for length in lengths for name in by_length.get(length, ())]
        matches = difflib.get_close_matches(text, candidates, n=MATCHES, cutoff=SIMILARITY_CUTOFF)
        for child in sorted(graph.children(external)) if matches else ():
            own = {k.to_user_string() for k in _sibling_keys(graph, child)}
            close = [name for name in matches if name not in own]
            if not close:
                continue
            where = graph.location(child)
            errors.append(
                DependencyTypoError(
                    f"`{child.to_user_string()}` depends on `{text}`, which no asset defines "
                    f"— did you mean `{close[0]}`?",
                    location=(locate and locate(where, text)) or where,
                    related=[loc for loc in [graph.location(defined[close[0]])] if loc],
                    hint=EXTERNAL_HINT.format(key=text),
                )
            )
    return errors


def unused_external_declarations(
    graph: AssetGraph, declared_external: Iterable[str]
) -> list[Diagnostic]:
    """``external_assets`` entries no asset depends on: stale, or themselves misspelt."""
    unused = [
        name for name in declared_external if not graph.children(AssetKey.from_user_string(name))
    ]
    return [
        Diagnostic(
            Severity.WARNING,
            UNUSED_EXTERNAL,
            f"`{name}` is declared in [tool.assetloom] external_assets, but no asset depends on it",
            SourceLocation("pyproject.toml"),
        )
        for name in unused
    ]


def _sibling_keys(graph: AssetGraph, key: AssetKey) -> Iterable[AssetKey]:
    """The keys defined together with ``key`` (all of a multi-asset's): never a suggestion."""
    assets_def = graph.assets_def(key)
    return assets_def.keys if assets_def is not None else (key,)
