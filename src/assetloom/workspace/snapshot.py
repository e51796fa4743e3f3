"""A code location's definitions as plain data: what crosses from a location process to the
workspace, which never imports the location's code.

Everything a listing, a selection or a plan needs is here (keys, deps, attributes, where each
asset is defined, its checks); nothing that runs is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from assetloom.assets.key import AssetKey
from assetloom.defs import Definitions
from assetloom.errors import SourceLocation

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CheckSnapshot:
    name: str
    description: str | None = None
    source: SourceLocation | None = None


@dataclass(frozen=True, slots=True)
class AssetSnapshot:
    """One asset a location defines (an executable asset or a declared external one)."""

    key: AssetKey
    deps: tuple[AssetKey, ...] = ()
    node_name: str = ""
    is_executable: bool = True
    group_name: str | None = None
    description: str | None = None
    kinds: tuple[str, ...] = ()
    tags: Mapping[str, str] = field(default_factory=dict)
    owners: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)
    code_version: str | None = None
    source: SourceLocation | None = None
    checks: tuple[CheckSnapshot, ...] = ()

    def to_json(self) -> Json:
        return {
            "key": list(self.key.path),
            "deps": [list(dep.path) for dep in self.deps],
            "node_name": self.node_name,
            "is_executable": self.is_executable,
            "group_name": self.group_name,
            "description": self.description,
            "kinds": list(self.kinds),
            "tags": dict(self.tags),
            "owners": list(self.owners),
            "metadata": dict(self.metadata),
            "code_version": self.code_version,
            "source": location_to_json(self.source),
            "checks": [
                {"name": c.name, "description": c.description, "source": location_to_json(c.source)}
                for c in self.checks
            ],
        }

    @classmethod
    def from_json(cls, data: Json) -> AssetSnapshot:
        return cls(
            key=AssetKey(data["key"]),
            deps=tuple(AssetKey(dep) for dep in data["deps"]),
            node_name=data["node_name"],
            is_executable=data["is_executable"],
            group_name=data["group_name"],
            description=data["description"],
            kinds=tuple(data["kinds"]),
            tags=data["tags"],
            owners=tuple(data["owners"]),
            metadata=data["metadata"],
            code_version=data["code_version"],
            source=location_from_json(data["source"]),
            checks=tuple(
                CheckSnapshot(c["name"], c["description"], location_from_json(c["source"]))
                for c in data["checks"]
            ),
        )

    def rebased(self, prefix: str) -> AssetSnapshot:
        """The same asset with its relative source paths put under ``prefix`` (the location's
        folder as seen from the workspace)."""
        return replace(
            self,
            source=rebase(self.source, prefix),
            checks=tuple(replace(c, source=rebase(c.source, prefix)) for c in self.checks),
        )


def snapshot_assets(defs: Definitions) -> list[AssetSnapshot]:
    """Every asset ``defs`` defines, in dependency order (implicit external keys are left out:
    they are only names in ``deps``)."""
    graph = defs.resolve_asset_graph()
    out = []
    for key in graph.toposorted():
        assets_def = graph.assets_def(key)
        if assets_def is None:
            continue
        spec = graph.spec(key)
        out.append(
            AssetSnapshot(
                key=key,
                deps=graph.parent_list(key),
                node_name=assets_def.node_name,
                is_executable=assets_def.is_executable,
                group_name=spec.group_name,
                description=spec.description,
                kinds=tuple(sorted(spec.kinds)),
                tags=dict(spec.tags),
                owners=spec.owners,
                metadata={str(k): json_safe(v) for k, v in spec.metadata.items()},
                code_version=spec.code_version,
                source=spec.location,
                checks=tuple(
                    CheckSnapshot(c.name, c.description, c.location) for c in graph.checks_for(key)
                ),
            )
        )
    return out


def json_safe(value: Any) -> Any:
    """``value`` as JSON can carry it: containers kept, other objects as their ``str``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return str(value)


def location_to_json(location: SourceLocation | None) -> list[Any] | None:
    return None if location is None else [location.path, location.line, location.col]


def location_from_json(data: list[Any] | None) -> SourceLocation | None:
    return None if data is None else SourceLocation(data[0], data[1], data[2])


def rebase(location: SourceLocation | None, prefix: str) -> SourceLocation | None:
    if location is None or not prefix or location.path.startswith("/"):
        return location
    return replace(location, path=f"{prefix}/{location.path}")
