"""``@asset`` and ``@multi_asset``: turn a function into an AssetsDefinition."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, overload

from assetloom.assets.definition import (
    AssetsDefinition,
    RetryPolicy,
    bind_params,
    docstring_of,
    function_location,
)
from assetloom.assets.key import AssetKey, CoercibleToAssetKey
from assetloom.assets.spec import DEFAULT_GROUP, AssetIn, AssetSpec, CoercibleToAssetDep
from assetloom.resources import RESOURCE_TYPES

AssetFn = Callable[..., Any]


@overload
def asset(compute_fn: AssetFn, /) -> AssetsDefinition: ...


@overload
def asset(
    *,
    name: str | None = None,
    key: CoercibleToAssetKey | None = None,
    key_prefix: str | Sequence[str] | None = None,
    deps: Iterable[CoercibleToAssetDep] | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    group_name: str | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    kinds: Iterable[str] | None = None,
    compute_kind: str | None = None,
    tags: Mapping[str, str] | None = None,
    owners: Sequence[str] | None = None,
    code_version: str | None = None,
    retry_policy: RetryPolicy | None = None,
) -> Callable[[AssetFn], AssetsDefinition]: ...


def asset(
    compute_fn: AssetFn | None = None,
    /,
    *,
    name: str | None = None,
    key: CoercibleToAssetKey | None = None,
    key_prefix: str | Sequence[str] | None = None,
    deps: Iterable[CoercibleToAssetDep] | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    group_name: str | None = None,
    description: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    kinds: Iterable[str] | None = None,
    compute_kind: str | None = None,
    tags: Mapping[str, str] | None = None,
    owners: Sequence[str] | None = None,
    code_version: str | None = None,
    retry_policy: RetryPolicy | None = None,
) -> AssetsDefinition | Callable[[AssetFn], AssetsDefinition]:
    """Declare an asset computed by the decorated function.

    The key is ``key``, else ``key_prefix`` + ``name`` (default: the function's name).
    ``deps`` lists upstream assets whose values the function does not take; a parameter named
    after an upstream asset (or mapped through ``ins``) receives its value, ``context`` the
    execution context, and any other parameter the resource of that name.
    """
    if key is not None and (name is not None or key_prefix is not None):
        raise TypeError("@asset takes either `key` or `name`/`key_prefix`, not both")

    def decorate(fn: AssetFn) -> AssetsDefinition:
        if key is not None:
            asset_key = AssetKey.from_coercible(key)
        else:
            asset_key = AssetKey(name or fn.__name__)
            if key_prefix:
                asset_key = asset_key.with_prefix(key_prefix)
        params = bind_params(
            fn, ins=ins, key_prefix=asset_key.path[:-1], resource_types=RESOURCE_TYPES
        )
        location = function_location(fn)
        all_kinds = {*(kinds or ()), *([compute_kind] if compute_kind else [])}
        spec = AssetSpec(
            asset_key,
            deps=deps,
            description=description or docstring_of(fn),
            metadata=metadata,
            group_name=group_name or DEFAULT_GROUP,
            kinds=all_kinds,
            tags=tags,
            owners=owners,
            code_version=code_version,
            location=location,
        )
        return AssetsDefinition(
            specs=[spec],
            compute_fn=fn,
            params=params,
            retry_policy=retry_policy,
            location=location,
        )

    if compute_fn is not None:
        return decorate(compute_fn)
    return decorate


def multi_asset(
    *,
    specs: Sequence[AssetSpec],
    name: str | None = None,
    group_name: str | None = None,
    retry_policy: RetryPolicy | None = None,
) -> Callable[[AssetFn], AssetsDefinition]:
    """Declare several assets computed by one function, which yields or returns one
    ``MaterializeResult(asset_key=...)`` per spec."""

    def decorate(fn: AssetFn) -> AssetsDefinition:
        location = function_location(fn)
        resolved = [
            spec.replace_attributes(
                group_name=spec.group_name or group_name or DEFAULT_GROUP,
                location=spec.location or location,
            )
            for spec in specs
        ]
        params = bind_params(fn, ins=None, key_prefix=(), resource_types=RESOURCE_TYPES)
        return AssetsDefinition(
            specs=resolved,
            compute_fn=fn,
            params=params,
            node_name=name or fn.__name__,
            retry_policy=retry_policy,
            location=location,
        )

    return decorate

