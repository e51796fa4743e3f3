"""A loaded workspace: one process per code location, their snapshots, the joined graph.

Locations load in parallel (every process is started before any answer is awaited). A
location that fails is kept with its errors and the others go on; ``reload`` asks again only
the locations whose files changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assetloom.closing import ClosedOnExit
from assetloom.errors import LoomError
from assetloom.workspace.config import LocationConfig, WorkspaceConfig, read_workspace
from assetloom.workspace.graph import WorkspaceGraph
from assetloom.workspace.location_client import LocationProcess
from assetloom.workspace.protocol import errors_from_json
from assetloom.workspace.snapshot import AssetSnapshot, Json

STORAGE_DIR = ".loom"
# Folders whose files are not the location's code: a change in them is no reason to reload.
NOT_CODE = {"__pycache__", "node_modules", STORAGE_DIR}

Fingerprint = frozenset[tuple[str, int, int]]


@dataclass
class CodeLocation:
    """One location as the workspace sees it: its process and what it last answered."""

    config: LocationConfig
    process: LocationProcess | None = None
    assets: list[AssetSnapshot] = field(default_factory=list)
    declared_external: tuple[str, ...] = ()
    """Keys the location means to depend on without any location defining them."""
    errors: list[LoomError] = field(default_factory=list)
    fingerprint: Fingerprint = frozenset()

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def loaded(self) -> bool:
        return not self.errors


class Workspace(ClosedOnExit):
    """Open with ``Workspace.open(file)`` (or as a context manager); ``close`` stops every
    location process."""

    def __init__(self, config: WorkspaceConfig) -> None:
        self.config = config
        self.locations: dict[str, CodeLocation] = {
            c.name: CodeLocation(c) for c in config.locations
        }
        self._graph: WorkspaceGraph | None = None

    @classmethod
    def open(cls, file: Path) -> Workspace:
        workspace = cls(read_workspace(file))
        workspace.load()
        return workspace

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def storage_dir(self) -> Path:
        """Where the workspace keeps asset values (``storage/``) and runs, beside its file."""
        return self.root / STORAGE_DIR

    def load(self) -> None:
        """Start every location's process and load it."""
        self._ask(list(self.locations.values()), "snapshot")

    def reload(self) -> list[str]:
        """Load again the locations whose files changed since they were loaded (and those whose
        process failed to start or died, in a new process); the names of the reloaded
        locations."""
        changed = [
            location
            for location in self.locations.values()
            if location.process is None
            or not location.process.alive
            or _fingerprint(location.config) != location.fingerprint
        ]
        self._ask(changed, "reload")
        return [location.name for location in changed]

    def graph(self) -> WorkspaceGraph:
        """The joined graph of the locations that loaded; raises LoomError when they conflict
        (a key in two locations, a cycle)."""
        if self._graph is None:
            self._graph = WorkspaceGraph(
                {loc.name: loc.assets for loc in self.locations.values() if loc.loaded}
            )
        return self._graph

    @property
    def declared_external(self) -> tuple[str, ...]:
        return tuple(k for loc in self.locations.values() for k in loc.declared_external)

    def failed_locations(self) -> list[CodeLocation]:
        return [location for location in self.locations.values() if not location.loaded]

    def execute(self, location_name: str, **request: object) -> Iterator[Json]:
        """Send an ``execute`` request to a loaded location; its answers, as sent."""
        process = self.locations[location_name].process
        assert process is not None, "only loaded locations execute"
        return process.request("execute", **request)

    def close(self) -> None:
        for location in self.locations.values():
            if location.process is not None:
                location.process.request_shutdown()
        for location in self.locations.values():
            if location.process is not None:
                location.process.close()
                location.process = None

    def _ask(self, locations: list[CodeLocation], op: str) -> None:
        """Send ``op`` (snapshot or reload) to every location first, then read the answers, so
        the locations load at the same time."""
        self._graph = None
        pending: list[tuple[CodeLocation, int]] = []
        for location in locations:
            location.fingerprint = _fingerprint(location.config)
            location.errors = []
            location.assets = []
            if location.process is not None and not location.process.alive:
                location.process.close()
                location.process = None
            if location.process is None:
                try:
                    location.process = LocationProcess(location.config, self.root)
                except LoomError as error:
                    location.errors = [error]
                    continue
                op_now = "snapshot"
            else:
                op_now = op
            pending.append((location, location.process.send(op_now)))
        for location, request_id in pending:
            assert location.process is not None
            *_, final = location.process.answers(request_id)
            if final["type"] == "snapshot":
                location.assets = [AssetSnapshot.from_json(a) for a in final["assets"]]
                location.declared_external = tuple(final["declared_external"])
            else:
                location.errors = errors_from_json(final["errors"])


def _fingerprint(config: LocationConfig) -> Fingerprint:
    """(path, size, mtime) of every file of the location's code: its folder without caches,
    hidden folders and virtual environments."""
    entries = []
    for folder, dirs, files in os.walk(config.root):
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".")
            and d not in NOT_CODE
            and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
        ]
        for name in files:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            entries.append((path, stat.st_size, stat.st_mtime_ns))
    if config.target and os.path.isfile(config.target):
        stat = os.stat(config.target)
        entries.append((config.target, stat.st_size, stat.st_mtime_ns))
    return frozenset(entries)
