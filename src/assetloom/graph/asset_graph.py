"""AssetGraph: every asset key, how they depend on each other, and what runs them.

Built once per ``Definitions`` from plain dicts in one linear pass, because it is on the hot
path of every command. networkx is imported only on the error path, to extract a readable
cycle; it never appears in our API.
"""

from __future__ import annotations

import copy
import heapq
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assetloom.assets.definition import AssetsDefinition, ParamRole
from assetloom.assets.key import AssetKey
from assetloom.assets.spec import AssetSpec
from assetloom.errors import CycleError, SourceLocation, UnknownCheckTargetError, did_you_mean
from assetloom.graph.traversal import reachable

if TYPE_CHECKING:
    from assetloom.assets.checks import AssetChecksDefinition
    from assetloom.graph.selection import AssetAttributes


@dataclass(frozen=True, slots=True)
class Bindings:
    """How one AssetsDefinition's parameters are filled at run time."""

    inputs: Mapping[str, AssetKey]
    resources: tuple[str, ...]
    wants_context: bool


class AssetGraph:
    """The asset graph of one set of definitions (external keys included)."""

    def __init__(
        self,
        assets_defs: Sequence[AssetsDefinition],
        checks: Sequence[AssetChecksDefinition] = (),
        *,
        code_location: str | None = None,
    ) -> None:
        self.code_location = code_location
        self._assets_def: dict[AssetKey, AssetsDefinition] = {}
        self._spec: dict[AssetKey, AssetSpec] = {}
        for assets_def in assets_defs:
            for spec in assets_def.specs:
                self._assets_def[spec.key] = assets_def
                self._spec[spec.key] = spec
        self._bindings: dict[int, Bindings] = {}
        self._parents: dict[AssetKey, tuple[AssetKey, ...]] = {}
        self._children: dict[AssetKey, list[AssetKey]] = {}
        self._external: set[AssetKey] = {
            key for key, d in self._assets_def.items() if not d.is_executable
        }
        self._link_assets(assets_defs)
        self._check_acyclic()
        self._order: tuple[AssetKey, ...] | None = None
        self._checks: dict[AssetKey, list[AssetChecksDefinition]] = {}
        self._link_checks(checks)

    def updated(
        self, removed: Sequence[AssetsDefinition], added: Sequence[AssetsDefinition]
    ) -> AssetGraph | None:
        """This graph less ``removed`` plus ``added``, linked and checked in time that grows
        with the change, not the graph (a reload after one file of a large project changed).
        None for a change it does not patch — a key that others depend on loses its
        definition, a new key a parameter bound as a resource could now mean, two
        definitions of one key, a new cycle: build the graph afresh, which explains."""
        removed_keys = {spec.key for d in removed for spec in d.specs}
        added_keys = {spec.key for d in added for spec in d.specs}
        kept = self._spec.keys() - removed_keys
        gone = removed_keys - added_keys
        resource_names = {name for b in self._bindings.values() for name in b.resources}
        if (
            any(self._assets_def.get(spec.key) is not d for d in removed for spec in d.specs)
            or any(key in kept for key in added_keys)
            or any(self._children.get(key) or self._checks.get(key) for key in gone)
            or any(key.name in resource_names for key in added_keys - removed_keys)
        ):
            return None
        old_edges = {
            (parent, spec.key)
            for d in removed
            for spec in d.specs
            for parent in self._parents[spec.key]
        }
        graph = copy.copy(self)
        graph._assets_def = dict(self._assets_def)
        graph._spec = dict(self._spec)
        graph._bindings = dict(self._bindings)
        graph._parents = dict(self._parents)
        graph._children = dict(self._children)  # each list is copied before it changes
        graph._external = set(self._external)
        graph._order = None
        for assets_def in removed:
            graph._unlink(assets_def)
        for assets_def in added:
            for spec in assets_def.specs:
                graph._assets_def[spec.key] = assets_def
                graph._spec[spec.key] = spec
                if assets_def.is_executable:
                    graph._external.discard(spec.key)
                else:
                    graph._external.add(spec.key)
        for parent in {p for d in added for p in graph._parents_of(d)} | added_keys:
            if parent in graph._children:
                graph._children[parent] = list(graph._children[parent])
        graph._link_assets(added)
        new_edges = {(p, key) for key in added_keys for p in graph._parents[key]} - old_edges
        return graph if graph._no_cycle_through(new_edges) else None

    def _parents_of(self, assets_def: AssetsDefinition) -> set[AssetKey]:
        inputs = self._bind(assets_def).inputs.values()
        return {p for spec in assets_def.specs for p in (*spec.dep_keys, *inputs)}

    def _unlink(self, assets_def: AssetsDefinition) -> None:
        self._bindings.pop(id(assets_def), None)
        for spec in assets_def.specs:
            key = spec.key
            del self._assets_def[key], self._spec[key]
            self._external.discard(key)
            for parent in self._parents.pop(key):
                siblings = [child for child in self._children[parent] if child != key]
                self._children[parent] = siblings
                if not siblings and parent in self._external and parent not in self._spec:
                    del self._children[parent], self._parents[parent]  # nobody needs it now
                    self._external.discard(parent)
            if not self._children.get(key):
                self._children.pop(key, None)

    def _no_cycle_through(self, edges: Set[tuple[AssetKey, AssetKey]]) -> bool:
        """Whether no cycle uses one of ``edges`` (new edges of a graph that had no cycle
        without them): none does when no edge's parent lies downstream of the edges'
        children (conservative: False may be a false alarm; the caller then builds afresh)."""
        if not edges:
            return True
        below = reachable({child for _, child in edges}, self._children_of)
        return not any(parent in below for parent, _ in edges)

    # --- construction -------------------------------------------------------------------

    def _link_assets(self, assets_defs: Sequence[AssetsDefinition]) -> None:
        defined = self._spec
        children = self._children
        for assets_def in assets_defs:
            bindings = self._bind(assets_def)
            self._bindings[id(assets_def)] = bindings
            input_keys = tuple(bindings.inputs.values())
            for spec in assets_def.specs:
                parents = dict.fromkeys((*spec.dep_keys, *input_keys))
                self._parents[spec.key] = tuple(parents)
                children.setdefault(spec.key, [])
                for parent in parents:
                    if parent not in defined and parent not in self._external:
                        self._external.add(parent)
                        self._parents[parent] = ()
                    children.setdefault(parent, []).append(spec.key)

    def _bind(self, assets_def: AssetsDefinition) -> Bindings:
        inputs: dict[str, AssetKey] = {}
        resources: list[str] = []
        wants_context = False
        dep_by_name: dict[str, AssetKey] | None = None
        for param in assets_def.params:
            if param.role is ParamRole.CONTEXT:
                wants_context = True
            elif param.role is ParamRole.INPUT and param.key is not None:
                inputs[param.name] = param.key
            elif param.role is ParamRole.RESOURCE:
                resources.append(param.name)
            elif param.role is ParamRole.CONFIG:
                continue  # filled from the run config when the step runs
            else:
                if dep_by_name is None:  # only parameters bound by name need it
                    dep_by_name = {
                        dep.name: dep for spec in assets_def.specs for dep in spec.dep_keys
                    }
                key = self._upstream_named(param.name, param.key, dep_by_name)
                if key is None:
                    resources.append(param.name)
                else:
                    inputs[param.name] = key
        return Bindings(inputs, tuple(resources), wants_context)

    def _upstream_named(
        self, name: str, prefixed: AssetKey | None, dep_by_name: Mapping[str, AssetKey]
    ) -> AssetKey | None:
        if name in dep_by_name:
            return dep_by_name[name]
        for candidate in (prefixed, AssetKey(name)):
            if candidate is not None and candidate in self._spec:
                return candidate
        return None

    def _link_checks(self, checks: Sequence[AssetChecksDefinition]) -> None:
        for check in checks:
            for spec in check.specs:
                if spec.asset_key not in self._parents:
                    target = spec.asset_key.to_user_string()
                    known = (k.to_user_string() for k in self._spec)
                    raise UnknownCheckTargetError(
                        f"asset check `{spec.name}` targets `{target}`, which no asset defines"
                        + did_you_mean(target, known),
                        location=check.location,
                    )
            for key in check.asset_keys:
                self._checks.setdefault(key, []).append(check)

    def _check_acyclic(self) -> None:
        """Kahn's algorithm without ordering: the cheap check every construction pays."""
        indegree = {key: len(parents) for key, parents in self._parents.items()}
        ready = [key for key, n in indegree.items() if n == 0]
        seen = 0
        children = self._children
        while ready:
            key = ready.pop()
            seen += 1
            for child in children.get(key, ()):
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
        if seen != len(indegree):
            self._raise_cycle({key for key, n in indegree.items() if n > 0})

    def _topological_order(self) -> tuple[AssetKey, ...]:
        # A heap, not a queue: the order must not depend on the order assets were defined in.
        indegree = {key: len(parents) for key, parents in self._parents.items()}
        ready = [key for key, n in indegree.items() if n == 0]
        heapq.heapify(ready)
        order: list[AssetKey] = []
        while ready:
            key = heapq.heappop(ready)
            order.append(key)
            for child in self._children.get(key, ()):
                indegree[child] -= 1
                if indegree[child] == 0:
                    heapq.heappush(ready, child)
        if len(order) != len(indegree):
            self._raise_cycle({key for key, n in indegree.items() if n > 0})
        return tuple(order)

    def _raise_cycle(self, stuck: set[AssetKey]) -> None:
        import networkx as nx

        digraph = nx.DiGraph()
        digraph.add_edges_from(
            (parent, key) for key in stuck for parent in self._parents[key] if parent in stuck
        )
        members = [edge[0] for edge in nx.find_cycle(digraph)]
        # Start at the smallest key, so the message does not depend on definition order.
        start = members.index(min(members))
        cycle = [*members[start:], *members[:start], members[start]]
        text = " -> ".join(key.to_user_string() for key in cycle)
        located = [(key, loc) for key in cycle[:-1] if (loc := self._spec[key].location)]
        locations = [loc for _, loc in located]
        where = ", ".join(f"`{key.to_user_string()}` at {loc}" for key, loc in located[1:])
        raise CycleError(
            f"dependency cycle: {text}" + (f" ({where})" if where else ""),
            location=locations[0] if locations else None,
            related=locations[1:],
        )

    # --- queries ------------------------------------------------------------------------

    @property
    def all_keys(self) -> Set[AssetKey]:
        return self._parents.keys()

    @property
    def executable_keys(self) -> frozenset[AssetKey]:
        return frozenset(k for k, d in self._assets_def.items() if d.is_executable)

    @property
    def external_keys(self) -> frozenset[AssetKey]:
        return frozenset(self._external)

    def is_external(self, key: AssetKey) -> bool:
        return key in self._external

    def has(self, key: AssetKey) -> bool:
        return key in self._parents

    def spec(self, key: AssetKey) -> AssetSpec:
        """The spec of a defined asset, or a bare spec for an implicit external key."""
        spec = self._spec.get(key)
        return spec if spec is not None else AssetSpec(key)

    def assets_def(self, key: AssetKey) -> AssetsDefinition | None:
        return self._assets_def.get(key)

    def bindings(self, assets_def: AssetsDefinition) -> Bindings:
        found = self._bindings.get(id(assets_def))
        if found is None:  # a subset of a multi-asset binds like the whole definition
            found = self._bindings[id(self._assets_def[min(assets_def.keys)])]
        return found

    def checks_for(self, key: AssetKey) -> Sequence[AssetChecksDefinition]:
        return self._checks.get(key, ())

    def location(self, key: AssetKey) -> SourceLocation | None:
        spec = self._spec.get(key)
        return spec.location if spec is not None else None

    def attributes(self, key: AssetKey) -> AssetAttributes:
        # Imported here: only a selection asks, and the grammar costs 5 ms to import.
        from assetloom.graph.selection import AssetAttributes

        spec = self._spec.get(key)
        if spec is None:
            return AssetAttributes(None, {}, frozenset(), (), self.code_location)
        return AssetAttributes(
            spec.group_name, spec.tags, spec.kinds, spec.owners, self.code_location
        )

    def parents(self, key: AssetKey) -> Set[AssetKey]:
        return frozenset(self._parents[key])

    def parent_list(self, key: AssetKey) -> tuple[AssetKey, ...]:
        """Direct upstream keys in declaration order."""
        return self._parents[key]

    def children(self, key: AssetKey) -> Set[AssetKey]:
        return frozenset(self._children.get(key, ()))

    def toposorted(self, keys: Iterable[AssetKey] | None = None) -> list[AssetKey]:
        """``keys`` (default: all) in an order where every asset follows its upstream."""
        if self._order is None:
            self._order = self._topological_order()
        if keys is None:
            return list(self._order)
        wanted = set(keys)
        return [key for key in self._order if key in wanted]

    def upstream(self, keys: Iterable[AssetKey], depth: int | None = None) -> set[AssetKey]:
        """``keys`` and their ancestors, up to ``depth`` layers (all when None)."""
        return reachable(keys, self._parents.__getitem__, depth)

    def downstream(self, keys: Iterable[AssetKey], depth: int | None = None) -> set[AssetKey]:
        """``keys`` and their descendants, up to ``depth`` layers (all when None)."""
        return reachable(keys, self._children_of, depth)

    def _children_of(self, key: AssetKey) -> Sequence[AssetKey]:
        return self._children.get(key, ())

    @property
    def groups(self) -> dict[str, list[AssetKey]]:
        """Each group's keys, sorted (keys without a group, like implicit externals, are left
        out)."""
        out: dict[str, list[AssetKey]] = {}
        for key in sorted(self._spec):
            group = self._spec[key].group_name
            if group:
                out.setdefault(group, []).append(key)
        return out

    def __len__(self) -> int:
        return len(self._parents)
