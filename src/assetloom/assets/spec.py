"""AssetSpec, AssetDep and AssetIn: the declarative description of an asset, without code."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, Union

from assetloom.assets.key import AssetKey, CoercibleToAssetKey
from assetloom.errors import SourceLocation

if TYPE_CHECKING:
    from assetloom.assets.definition import AssetsDefinition

DEFAULT_GROUP = "default"


@dataclass(frozen=True, slots=True, init=False)
class AssetDep:
    """A dependency on another asset, named by key or by the upstream definition itself."""

    asset_key: AssetKey

    def __init__(self, asset: CoercibleToAssetDep) -> None:
        keys = dep_keys(asset)
        if len(keys) != 1:
            raise ValueError(f"AssetDep needs exactly one asset, got {len(keys)} keys")
        object.__setattr__(self, "asset_key", keys[0])


class Nothing:
    """The type of an input that carries no value: ``ins={"x": AssetIn(dagster_type=Nothing)}``
    makes ``x`` a dependency the function does not take as a parameter."""


@dataclass(frozen=True, slots=True)
class AssetIn:
    """Maps a function parameter to an upstream asset's value (``ins={"p": AssetIn("a/b")}``).
    ``dagster_type=Nothing`` makes it an ordering-only dependency; other types are not
    checked."""

    key: CoercibleToAssetKey | None = None
    metadata: Mapping[str, Any] | None = None
    key_prefix: str | Sequence[str] | None = None
    input_manager_key: str | None = None
    dagster_type: Any = None

    @property
    def is_nothing(self) -> bool:
        return self.dagster_type is Nothing


@dataclass(frozen=True, slots=True)
class AssetOut:
    """One output of a ``@multi_asset(outs={name: AssetOut(...)})``: the asset's key
    (default: ``key_prefix`` + the output's name) and its attributes. ``is_required=False``
    lets the function leave it out of a run; ``dagster_type`` is accepted and not checked."""

    key_prefix: str | Sequence[str] | None = None
    key: CoercibleToAssetKey | None = None
    dagster_type: Any = None
    description: str | None = None
    is_required: bool = True
    io_manager_key: str | None = None
    metadata: Mapping[str, Any] | None = None
    group_name: str | None = None
    code_version: str | None = None
    owners: Sequence[str] | None = None
    tags: Mapping[str, str] | None = None
    kinds: Iterable[str] | None = None

    def __post_init__(self) -> None:
        if self.key is not None and self.key_prefix is not None:
            raise TypeError("AssetOut takes either `key` or `key_prefix`, not both")

    def key_for(self, output_name: str) -> AssetKey:
        if self.key is not None:
            return AssetKey.from_coercible(self.key)
        return AssetKey(output_name).with_prefix(self.key_prefix or ())

    def to_spec(
        self, output_name: str, *, deps: Iterable[CoercibleToAssetDep], group_name: str | None
    ) -> AssetSpec:
        return AssetSpec(
            self.key_for(output_name),
            deps=deps,
            description=self.description,
            metadata=self.metadata,
            group_name=self.group_name or group_name,
            kinds=self.kinds,
            tags=self.tags,
            owners=self.owners,
            code_version=self.code_version,
            skippable=not self.is_required,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetSpec:
    """Everything the graph knows about one asset. Passed alone to ``Definitions`` it declares
    an external asset: present in the graph, never executed."""

    key: AssetKey
    deps: tuple[AssetDep, ...] = ()
    description: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    group_name: str | None = None
    kinds: frozenset[str] = frozenset()
    tags: Mapping[str, str] = field(default_factory=dict)
    owners: tuple[str, ...] = ()
    code_version: str | None = None
    skippable: bool = False
    location: SourceLocation | None = field(default=None, compare=False)

    def __init__(
        self,
        key: CoercibleToAssetKey,
        *,
        deps: Iterable[CoercibleToAssetDep] | None = None,
        description: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        group_name: str | None = None,
        kinds: Iterable[str] | None = None,
        tags: Mapping[str, str] | None = None,
        owners: Sequence[str] | None = None,
        code_version: str | None = None,
        skippable: bool = False,
        location: SourceLocation | None = None,
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "key", AssetKey.from_coercible(key))
        setattr_(self, "deps", _coerce_deps(deps))
        setattr_(self, "description", description)
        setattr_(self, "metadata", dict(metadata) if metadata else {})
        setattr_(self, "group_name", group_name)
        setattr_(self, "kinds", frozenset(kinds) if kinds else frozenset())
        setattr_(self, "tags", dict(tags) if tags else {})
        setattr_(self, "owners", tuple(owners) if owners else ())
        setattr_(self, "code_version", code_version)
        setattr_(self, "skippable", skippable)
        setattr_(self, "location", location)

    @property
    def dep_keys(self) -> tuple[AssetKey, ...]:
        return tuple([dep.asset_key for dep in self.deps])

    def replace_attributes(self, **changes: Any) -> AssetSpec:
        """A copy with the given attributes replaced wholesale."""
        unknown = set(changes) - _SPEC_FIELDS
        if unknown:
            raise TypeError(f"AssetSpec has no attribute(s) {sorted(unknown)}")
        current = {name: getattr(self, name) for name in _SPEC_FIELDS}
        current.update(changes)
        return AssetSpec(**current)

    def merge_attributes(
        self,
        *,
        deps: Iterable[CoercibleToAssetDep] | None = None,
        metadata: Mapping[str, Any] | None = None,
        kinds: Iterable[str] | None = None,
        tags: Mapping[str, str] | None = None,
        owners: Sequence[str] | None = None,
    ) -> AssetSpec:
        """A copy with the given collections added to the existing ones."""
        return self.replace_attributes(
            deps=[*self.deps, *_coerce_deps(deps)],
            metadata={**self.metadata, **(metadata or {})},
            kinds=self.kinds | frozenset(kinds or ()),
            tags={**self.tags, **(tags or {})},
            owners=[*self.owners, *[o for o in owners or () if o not in self.owners]],
        )

    def with_location(self, location: SourceLocation | None) -> AssetSpec:
        if location is None or self.location == location:
            return self
        copy = dataclasses.replace(self)
        object.__setattr__(copy, "location", location)
        return copy


_SPEC_FIELDS = frozenset(f.name for f in dataclasses.fields(AssetSpec))

CoercibleToAssetDep: TypeAlias = Union[
    "AssetsDefinition", AssetSpec, AssetKey, AssetDep, str, Sequence[str]
]


def dep_keys(dep: Any) -> list[AssetKey]:
    """The keys one entry of ``deps=[...]`` stands for (a multi-asset stands for all its keys)."""
    if isinstance(dep, AssetKey):
        return [dep]
    if isinstance(dep, str):
        return [AssetKey(dep)]
    if isinstance(dep, AssetDep):
        return [dep.asset_key]
    if isinstance(dep, AssetSpec):
        return [dep.key]
    keys = getattr(dep, "keys", None)
    if keys is not None and not callable(keys):
        return sorted(keys)
    if isinstance(dep, Sequence) and all(isinstance(p, str) for p in dep):
        return [AssetKey(dep)]
    raise TypeError(
        f"cannot use {dep!r} as a dependency: expected an asset, an AssetSpec, an AssetKey, "
        "an AssetDep or a key string"
    )


def _coerce_deps(deps: Iterable[Any] | None) -> tuple[AssetDep, ...]:
    """``deps`` as AssetDeps in order, each key once (an AssetDep is equal to another of the
    same key, so a dict keyed by them keeps the first)."""
    if not deps:
        return ()
    if isinstance(deps, str):
        deps = [deps]
    out: dict[AssetDep, None] = {}
    by_text = _DEP_BY_TEXT
    for dep in deps:
        if type(dep) is str:  # the common case: share one AssetDep per key string
            cached = by_text.get(dep)
            if cached is None:
                cached = by_text[dep] = _dep_for(AssetKey(dep))
            out.setdefault(cached)
        elif isinstance(dep, AssetDep):
            out.setdefault(dep)
        else:
            for key in dep_keys(dep):
                out.setdefault(_dep_for(key))
    return tuple(out)


_DEP_BY_TEXT: dict[str, AssetDep] = {}


def _dep_for(key: AssetKey) -> AssetDep:
    dep = object.__new__(AssetDep)
    object.__setattr__(dep, "asset_key", key)
    return dep


class SourceAsset(AssetSpec):
    """Dagster's older name for an external asset: an ``AssetSpec`` (never executed).
    ``io_manager_key`` is accepted and ignored: downstream assets read the value through the
    run's IO manager."""

    __slots__ = ()

    def __init__(
        self,
        key: CoercibleToAssetKey,
        metadata: Mapping[str, Any] | None = None,
        io_manager_key: str | None = None,
        description: str | None = None,
        group_name: str | None = None,
        **spec_fields: Any,
    ) -> None:
        super().__init__(
            key, metadata=metadata, description=description, group_name=group_name, **spec_fields
        )
