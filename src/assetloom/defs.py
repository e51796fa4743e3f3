"""Definitions: the assets, checks and resources of one code location, validated as a whole."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from assetloom.assets.checks import AssetCheckKey, AssetChecksDefinition
from assetloom.assets.definition import AssetsDefinition, external_assets_definition
from assetloom.assets.key import AssetKey, CoercibleToAssetKey
from assetloom.assets.spec import AssetSpec
from assetloom.errors import DefinitionsError, DuplicateAssetKeyError

if TYPE_CHECKING:
    from assetloom.assets.jobs import AssetJob, BoundAssetJob
    from assetloom.graph.asset_graph import AssetGraph

AssetLike = AssetsDefinition | AssetSpec


class Definitions:
    """Everything one code location defines: a plain, immutable container.

    Building or merging one checks nothing about the graph, so the loader can merge the
    parts of a project as often as it likes; :meth:`validate` (also the first
    :meth:`resolve_asset_graph`, which every command and ``materialize`` call) rejects
    duplicate keys, dependency cycles and checks on unknown assets, naming the sources.
    """

    __slots__ = (
        "_graph", "asset_checks", "assets", "code_location", "jobs", "metadata", "resources"
    )

    def __init__(
        self,
        assets: Iterable[AssetLike] | None = None,
        asset_checks: Iterable[AssetChecksDefinition] | None = None,
        resources: Mapping[str, Any] | None = None,
        *,
        metadata: Mapping[str, Any] | None = None,
        code_location: str | None = None,
        jobs: Iterable[AssetJob] | None = None,
    ) -> None:
        initial = {
            "jobs": _unique_jobs(jobs or ()),
            "assets": _as_definitions(assets or ()),
            "asset_checks": tuple(asset_checks or ()),
            "resources": dict(resources or {}),
            "metadata": dict(metadata or {}),
            "code_location": code_location,
            "_graph": None,
        }
        for name, value in initial.items():
            object.__setattr__(self, name, value)

    jobs: tuple[AssetJob, ...]
    assets: tuple[AssetsDefinition, ...]
    """As given (an ``AssetSpec`` as an external asset), before :meth:`validate` resolves an
    external spec and an executable asset of the same key to the executable one."""
    asset_checks: tuple[AssetChecksDefinition, ...]
    resources: dict[str, Any]
    metadata: dict[str, Any]
    code_location: str | None
    _graph: AssetGraph | None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"Definitions are immutable (cannot set `{name}`)")

    @staticmethod
    def merge(*defs: Definitions, code_location: str | None = None) -> Definitions:
        """One Definitions holding everything of ``defs``; conflicts are errors."""
        resources: dict[str, Any] = {}
        for d in defs:
            for name, resource in d.resources.items():
                clash = name in resources and resources[name] is not resource
                if clash and resources[name] != resource:
                    raise DefinitionsError(
                        f"resource `{name}` is defined twice with different values"
                    )
                resources[name] = resource
        return Definitions(
            assets=[a for d in defs for a in d.assets],
            asset_checks=[c for d in defs for c in d.asset_checks],
            resources=resources,
            metadata={k: v for d in defs for k, v in d.metadata.items()},
            code_location=code_location or next(
                (d.code_location for d in defs if d.code_location), None
            ),
            jobs=[j for d in defs for j in d.jobs],
        )

    def validate(self) -> AssetGraph:
        """Check the definitions as a whole (duplicate keys, cycles, checks on unknown
        assets, repeated checks) and return their graph; raises DefinitionsError. Done once:
        the graph is kept."""
        return self.resolve_asset_graph()

    def validate_from(self, previous: Definitions) -> AssetGraph:
        """:meth:`validate`, reusing the validated graph of ``previous`` (an earlier load of
        the same project): only the assets added or removed since are linked and checked.
        Falls back to a whole validation when that is not possible."""
        if self._graph is not None:
            return self._graph
        if (
            previous._graph is not None
            and previous.code_location == self.code_location
            and _same_objects(previous.asset_checks, self.asset_checks)
        ):
            before = {id(d): d for d in previous.assets}
            now = {id(d): d for d in self.assets}
            removed = [d for key, d in before.items() if key not in now]
            added = [d for key, d in now.items() if key not in before]
            graph = previous._graph.updated(removed, added)
            if graph is not None:
                object.__setattr__(self, "_graph", graph)
                return graph
        return self.validate()

    @staticmethod
    def validate_loadable(defs: Definitions) -> None:
        """Dagster's spelling of ``defs.validate()``."""
        defs.validate()

    def resolve_asset_graph(self) -> AssetGraph:
        """The asset graph, validated (see :meth:`validate`) on first use."""
        if self._graph is None:
            from assetloom.graph.asset_graph import AssetGraph

            _check_check_names(self.asset_checks)
            graph = AssetGraph(
                _dedupe(self.assets), self.asset_checks, code_location=self.code_location
            )
            object.__setattr__(self, "_graph", graph)
            return graph
        return self._graph

    def get_assets_def(self, key: CoercibleToAssetKey) -> AssetsDefinition:
        asset_key = AssetKey.from_coercible(key)
        found = self.resolve_asset_graph().assets_def(asset_key)
        if found is None:
            from assetloom.errors import UnknownAssetKeyError, did_you_mean

            known = (k.to_user_string() for k in self.resolve_asset_graph().all_keys)
            raise UnknownAssetKeyError(
                f"no asset has key `{asset_key.to_user_string()}`"
                + did_you_mean(asset_key.to_user_string(), known)
            )
        return found

    def resolve_all_asset_keys(self) -> list[AssetKey]:
        return sorted(self.resolve_asset_graph().all_keys)

    def with_code_location(self, name: str) -> Definitions:
        return Definitions(
            self.assets, self.asset_checks, self.resources, metadata=self.metadata,
            code_location=name, jobs=self.jobs,
        )

    def get_job_def(self, name: str) -> BoundAssetJob:
        """The job ``define_asset_job(name, ...)`` declared, ready to ``execute_in_process``."""
        for job in self.jobs:
            if job.name == name:
                return job.bind(self)
        from assetloom.errors import UnknownAssetKeyError, did_you_mean

        names = [job.name for job in self.jobs]
        raise UnknownAssetKeyError(
            f"no job named `{name}`" + did_you_mean(name, names)
            + (f" (jobs: {', '.join(sorted(names))})" if names else " (no jobs are defined)")
        )

    resolve_job_def = get_job_def

    def get_implicit_global_asset_job_def(self) -> BoundAssetJob:
        """Every asset as one job, as Dagster's tests run a whole code location."""
        from assetloom.assets.jobs import AssetJob

        return AssetJob("__ASSET_JOB").bind(self)

    resolve_implicit_global_asset_job_def = get_implicit_global_asset_job_def

    def __repr__(self) -> str:
        return f"<Definitions {len(self.assets)} assets, {len(self.asset_checks)} checks>"


def _same_objects(first: Iterable[object], second: Iterable[object]) -> bool:
    return [id(item) for item in first] == [id(item) for item in second]


def _as_definitions(items: Iterable[AssetLike]) -> tuple[AssetsDefinition, ...]:
    """Each item once (a merge of parts sharing an asset holds it once), as a definition."""
    definitions = (_as_definition(item) for item in items)
    return tuple({id(definition): definition for definition in definitions}.values())


def _as_definition(item: AssetLike) -> AssetsDefinition:
    if type(item) is AssetsDefinition:
        return item
    assets_def = external_assets_definition(item) if isinstance(item, AssetSpec) else item
    if not isinstance(assets_def, AssetsDefinition):
        raise DefinitionsError(
            f"Definitions(assets=...) takes @asset functions and AssetSpecs, got {item!r}"
        )
    return assets_def


def _dedupe(items: Iterable[AssetsDefinition]) -> tuple[AssetsDefinition, ...]:
    """An external spec yields to an executable asset of the same key; two executable
    definitions of one key are an error naming both."""
    by_key: dict[AssetKey, AssetsDefinition] = {}
    out: dict[int, AssetsDefinition] = {}
    for assets_def in items:
        if id(assets_def) in out:
            continue
        for key in assets_def.keys:
            previous = by_key.get(key)
            if previous is None or previous is assets_def:
                continue
            if not previous.is_executable:
                out.pop(id(previous), None)
            elif assets_def.is_executable:
                raise _duplicate(key, previous, assets_def)
            else:
                break
        else:
            out[id(assets_def)] = assets_def
            for key in assets_def.keys:
                by_key[key] = assets_def
    return tuple(out.values())


def _duplicate(
    key: AssetKey, first: AssetsDefinition, second: AssetsDefinition
) -> DuplicateAssetKeyError:
    where = f" (first defined at {first.location})" if first.location else ""
    return DuplicateAssetKeyError(
        f"asset key `{key.to_user_string()}` is defined twice{where}",
        location=second.location,
        related=[first.location] if first.location else [],
    )


def _unique_jobs(jobs: Iterable[AssetJob]) -> tuple[AssetJob, ...]:
    by_name: dict[str, AssetJob] = {}
    for job in jobs:
        if by_name.get(job.name, job) is not job:
            raise DefinitionsError(f"job `{job.name}` is defined twice")
        by_name[job.name] = job
    return tuple(by_name.values())


def _check_check_names(checks: Iterable[AssetChecksDefinition]) -> None:
    seen: dict[AssetCheckKey, AssetChecksDefinition] = {}
    for check in checks:
        for key in check.check_keys:
            if key in seen and seen[key] is not check:
                raise DefinitionsError(
                    f"asset check `{key.name}` on `{key.asset_key.to_user_string()}` is "
                    f"defined twice (first at {seen[key].location})",
                    location=check.location,
                )
            seen[key] = check
