"""The counting words every command uses, so no two commands count the same thing differently."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from assetloom.errors import Diagnostic, Severity

if TYPE_CHECKING:
    from assetloom.graph.asset_graph import AssetGraph


def plural(count: int, noun: str) -> str:
    """``1 asset``, ``2 assets``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def count_assets(graph: AssetGraph) -> str:
    """``6 assets (1 external)``: every key in the graph, external ones included."""
    external = len(graph.external_keys)
    return f"{plural(len(graph), 'asset')} ({external} external)"


def count_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    """``2 errors, 1 warning``; ``no problems`` for none."""
    severities = [d.severity for d in diagnostics]
    parts = [
        plural(severities.count(severity), str(severity))
        for severity in (Severity.ERROR, Severity.WARNING)
        if severity in severities
    ]
    return ", ".join(parts) or "no problems"
