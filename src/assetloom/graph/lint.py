"""Warnings about a graph that loads but is probably not what the user meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from assetloom.assets.key import AssetKey
from assetloom.errors import SourceLocation
from assetloom.graph.asset_graph import AssetGraph

# A typo changes a few characters; `transactions` vs `risky_transactions` is a different name.
MAX_LENGTH_DIFFERENCE = 3


@dataclass(frozen=True, slots=True)
class GraphWarning:
    message: str
    location: SourceLocation | None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


def likely_typo_deps(
    graph: AssetGraph, declared_external: Iterable[str] = ()
) -> list[GraphWarning]:
    """A dependency on a key nobody defines that closely matches a defined key is more often
    a typo than an intended external asset."""
    allowed = {AssetKey(k) for k in declared_external}
    defined = {k.to_user_string(): k for k in graph.executable_keys}
    warnings: list[GraphWarning] = []
    for external in sorted(graph.external_keys - allowed):
        if graph.assets_def(external) is not None:
            continue  # declared with an AssetSpec: intended
        text = external.to_user_string()
        close = [
            match
            for match in difflib.get_close_matches(text, list(defined), n=3, cutoff=0.85)
            if abs(len(match) - len(text)) <= MAX_LENGTH_DIFFERENCE
        ]
        if not close:
            continue
        for child in sorted(graph.children(external)):
            warnings.append(
                GraphWarning(
                    f"`{child.to_user_string()}` depends on `{text}`, which is not defined — "
                    f"did you mean `{close[0]}`? (declare intended external keys in "
                    "[tool.assetloom] external_assets)",
                    graph.location(child),
                )
            )
    return warnings
