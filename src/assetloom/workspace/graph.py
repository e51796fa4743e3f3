"""One asset graph for a whole workspace, joined by key from the locations' snapshots.

A dependency on a key another location defines is a real edge: the key is not external, and
the run executes it in that location's process. A key that two locations materialize is an
error naming both (which one should run it?). A location may still declare an ``AssetSpec``
for a key another location materializes: the materializing one defines it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set

from assetloom.assets.definition import AssetsDefinition
from assetloom.assets.key import AssetKey
from assetloom.assets.spec import AssetSpec
from assetloom.errors import DuplicateAssetKeyError, LoadErrors, SourceLocation
from assetloom.graph.asset_graph import AssetGraph
from assetloom.graph.selection import AssetAttributes
from assetloom.workspace.snapshot import AssetSnapshot


class WorkspaceGraph:
    """The joined graph; satisfies the selection grammar's ``SelectableGraph``.

    Raises ``LoadErrors`` for keys materialized by two locations, ``CycleError`` for a cycle
    (also one that runs through several locations).
    """

    def __init__(self, snapshots: Mapping[str, Sequence[AssetSnapshot]]) -> None:
        self._asset: dict[AssetKey, AssetSnapshot] = {}
        self._owner: dict[AssetKey, str] = {}
        duplicates = []
        for location, assets in snapshots.items():
            for asset in assets:
                clash = self._claim(location, asset)
                if clash is not None:
                    duplicates.append(clash)
        if duplicates:
            raise LoadErrors(duplicates)
        # The structure (edges, order, cycles, implicit externals, code versions) is the one
        # every project graph has, so lint and staleness read it as they read a project's.
        self.asset_graph = AssetGraph(
            [
                AssetsDefinition(
                    specs=[
                        AssetSpec(
                            a.key, deps=a.deps, code_version=a.code_version, location=a.source
                        )
                    ],
                    compute_fn=_runs_in_its_location if a.is_executable else None,
                    node_name=a.node_name or None,
                )
                for a in self._asset.values()
            ]
        )

    def _claim(self, location: str, asset: AssetSnapshot) -> DuplicateAssetKeyError | None:
        current = self._asset.get(asset.key)
        if current is None or (asset.is_executable and not current.is_executable):
            self._asset[asset.key] = asset
            self._owner[asset.key] = location
            return None
        if not (asset.is_executable and current.is_executable):
            return None  # a declaration of a key defined elsewhere (or declared twice)
        first = self._owner[asset.key]
        key = asset.key.to_user_string()
        return DuplicateAssetKeyError(
            f"asset `{key}` is defined in two code locations: `{first}` "
            f"({_where(current.source)}) and `{location}` ({_where(asset.source)})",
            location=asset.source,
            related=[current.source] if current.source else [],
        )

    # --- what the selection grammar reads ----------------------------------------------

    @property
    def all_keys(self) -> Set[AssetKey]:
        return self.asset_graph.all_keys

    def attributes(self, key: AssetKey) -> AssetAttributes:
        asset = self._asset.get(key)
        if asset is None:
            return AssetAttributes()
        return AssetAttributes(
            asset.group_name,
            asset.tags,
            frozenset(asset.kinds),
            asset.owners,
            self._owner[key],
        )

    def parents(self, key: AssetKey) -> Set[AssetKey]:
        return self.asset_graph.parents(key)

    def children(self, key: AssetKey) -> Set[AssetKey]:
        return self.asset_graph.children(key)

    # --- the rest ----------------------------------------------------------------------

    def parent_list(self, key: AssetKey) -> tuple[AssetKey, ...]:
        return self.asset_graph.parent_list(key)

    def toposorted(self, keys: Iterable[AssetKey] | None = None) -> list[AssetKey]:
        return self.asset_graph.toposorted(keys)

    def asset(self, key: AssetKey) -> AssetSnapshot | None:
        """What a location says about ``key``; None for a key only named in ``deps``."""
        return self._asset.get(key)

    def code_location(self, key: AssetKey) -> str | None:
        return self._owner.get(key)

    def is_external(self, key: AssetKey) -> bool:
        return self.asset_graph.is_external(key)

    @property
    def executable_keys(self) -> frozenset[AssetKey]:
        return self.asset_graph.executable_keys

    @property
    def external_keys(self) -> frozenset[AssetKey]:
        return self.asset_graph.external_keys

    def __len__(self) -> int:
        return len(self.asset_graph)


def _runs_in_its_location(*_args: object, **_kwargs: object) -> None:
    """What stands for an asset's function here: it runs in its own location's process."""
    raise RuntimeError("a workspace asset runs in its code location's process, not here")


def _where(source: SourceLocation | None) -> str:
    return str(source) if source is not None else "source unknown"
