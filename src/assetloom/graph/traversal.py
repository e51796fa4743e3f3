"""The one breadth-first walk over asset keys, shared by the graph and the selection grammar."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from assetloom.assets.key import AssetKey

__all__ = ["reachable"]


def reachable(
    seeds: Iterable[AssetKey],
    neighbours: Callable[[AssetKey], Iterable[AssetKey]],
    layers: int | None = None,
) -> set[AssetKey]:
    """``seeds`` plus every key within ``layers`` steps of them (``None``: any number)."""
    reached = set(seeds)
    frontier = list(reached)
    depth = 0
    while frontier and (layers is None or depth < layers):
        depth += 1
        next_frontier = []
        for key in frontier:
            for neighbour in neighbours(key):
                if neighbour not in reached:
                    reached.add(neighbour)
                    next_frontier.append(neighbour)
        frontier = next_frontier
    return reached
