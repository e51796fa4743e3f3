"""``@asset`` and ``@multi_asset``: turn a function into an AssetsDefinition."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, overload

from assetloom.assets.checks import AssetCheckSpec
from assetloom.assets.definition import (
    AssetsDefinition,
    bind_params,
    docstring_of,
    function_location,
    in_key,
)
from assetloom.assets.key import AssetKey, CoercibleToAssetKey
from assetloom.assets.retry import RetryPolicy
from assetloom.assets.spec import (
    DEFAULT_GROUP,
    AssetIn,
    AssetOut,
    AssetSpec,
    CoercibleToAssetDep,
)
from assetloom.errors import DefinitionsError
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
    io_manager_key: str | None = None,
    check_specs: Sequence[AssetCheckSpec] | None = None,
    required_resource_keys: Iterable[str] | None = None,
    output_required: bool = True,
    dagster_type: Any = None,
    op_tags: Mapping[str, Any] | None = None,
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
    io_manager_key: str | None = None,
    check_specs: Sequence[AssetCheckSpec] | None = None,
    required_resource_keys: Iterable[str] | None = None,
    output_required: bool = True,
    dagster_type: Any = None,
    op_tags: Mapping[str, Any] | None = None,
) -> AssetsDefinition | Callable[[AssetFn], AssetsDefinition]:
    """Declare an asset computed by the decorated function.

    The key is ``key``, else ``key_prefix`` + ``name`` (default: the function's name).
    ``deps`` lists upstream assets whose values the function does not take; a parameter named
    after an upstream asset (or mapped through ``ins``) receives its value, ``context`` the
    execution context, one annotated with a ``Config`` subclass the run's config for this
    asset, and any other parameter the resource of that name. ``check_specs`` declares checks
    the function reports itself (yielding ``AssetCheckResult``s); ``io_manager_key`` names
    the resource that stores the value; ``required_resource_keys`` names resources the
    function reads from ``context.resources``. ``output_required=False`` lets it yield
    nothing; ``dagster_type`` and ``op_tags`` are accepted and not used.
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
        value_ins, nothing_deps = split_ins(ins, asset_key.path[:-1])
        params = bind_params(
            fn, ins=value_ins, key_prefix=asset_key.path[:-1], resource_types=RESOURCE_TYPES
        )
        location = function_location(fn)
        all_kinds = {*(kinds or ()), *([compute_kind] if compute_kind else [])}
        spec = AssetSpec(
            asset_key,
            deps=[*(deps or ()), *nothing_deps] if nothing_deps else deps,
            description=description or docstring_of(fn),
            metadata=metadata,
            group_name=group_name or DEFAULT_GROUP,
            kinds=all_kinds,
            tags=tags,
            owners=owners,
            code_version=code_version,
            skippable=not output_required,
            location=location,
        )
        return AssetsDefinition(
            specs=[spec],
            compute_fn=fn,
            params=params,
            retry_policy=retry_policy,
            location=location,
            check_specs=own_checks(check_specs, {asset_key}) if check_specs else (),
            io_manager_keys={asset_key: io_manager_key} if io_manager_key else None,
            required_resource_keys=required_resource_keys,
        )

    if compute_fn is not None:
        return decorate(compute_fn)
    return decorate


def multi_asset(
    *,
    outs: Mapping[str, AssetOut] | None = None,
    specs: Sequence[AssetSpec] | None = None,
    name: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[CoercibleToAssetDep] | None = None,
    description: str | None = None,
    group_name: str | None = None,
    can_subset: bool = False,
    internal_asset_deps: Mapping[str, set[AssetKey]] | None = None,
    retry_policy: RetryPolicy | None = None,
    code_version: str | None = None,
    check_specs: Sequence[AssetCheckSpec] | None = None,
    compute_kind: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
    op_tags: Mapping[str, Any] | None = None,
) -> Callable[[AssetFn], AssetsDefinition]:
    """Declare several assets computed by one function, given as ``outs`` (output name ->
    ``AssetOut``) or as ``specs``.

    The function returns a tuple of values (one per out, in order), or yields ``Output(value,
    output_name=...)`` / ``MaterializeResult(asset_key=...)`` per asset. ``deps`` and
    ``internal_asset_deps`` (output name -> upstream keys of that asset alone) set the
    dependencies; with ``can_subset`` a run may select some of its assets only, and the
    function reads them from ``context.selected_output_names``.
    """
    if (outs is None) == (specs is None):
        raise DefinitionsError("@multi_asset takes exactly one of `outs` and `specs`")

    def decorate(fn: AssetFn) -> AssetsDefinition:
        location = function_location(fn)
        value_ins, nothing_deps = split_ins(ins, ())
        shared_deps = [*(deps or ()), *nothing_deps]
        names: dict[AssetKey, str] = {}
        io_managers: dict[AssetKey, str] = {}
        resolved: list[AssetSpec] = []
        for out_name, out in (outs or {}).items():
            own = (internal_asset_deps or {}).get(out_name)
            spec = out.to_spec(
                out_name, deps=shared_deps if own is None else own, group_name=group_name
            )
            names[spec.key] = out_name
            if out.io_manager_key:
                io_managers[spec.key] = out.io_manager_key
            resolved.append(spec)
        resolved.extend(spec.merge_attributes(deps=shared_deps) for spec in specs or ())
        unknown = set(internal_asset_deps or ()) - set(outs or ())
        if unknown:
            raise DefinitionsError(
                f"@multi_asset `{name or fn.__name__}`: internal_asset_deps names no output "
                f"{sorted(unknown)}",
                location=location,
            )
        kinds = {compute_kind} if compute_kind else set()
        resolved = [
            spec.replace_attributes(
                group_name=spec.group_name or group_name or DEFAULT_GROUP,
                location=spec.location or location,
                code_version=spec.code_version or code_version,
                description=spec.description or description,
                kinds=spec.kinds | kinds,
            )
            for spec in resolved
        ]
        params = bind_params(fn, ins=value_ins, key_prefix=(), resource_types=RESOURCE_TYPES)
        return AssetsDefinition(
            specs=resolved,
            compute_fn=fn,
            params=params,
            node_name=name or fn.__name__,
            retry_policy=retry_policy,
            location=location,
            output_names=names or None,
            can_subset=can_subset,
            check_specs=own_checks(check_specs, {spec.key for spec in resolved}),
            io_manager_keys=io_managers,
            required_resource_keys=required_resource_keys,
        )

    return decorate


def split_ins(
    ins: Mapping[str, AssetIn] | None, key_prefix: Sequence[str]
) -> tuple[dict[str, AssetIn] | None, Sequence[AssetKey]]:
    """``ins`` that pass values, and the keys of those typed ``Nothing`` (order-only deps)."""
    if not ins:
        return None, ()
    values: dict[str, AssetIn] = {}
    nothing: list[AssetKey] = []
    for param, asset_in in (ins or {}).items():
        if asset_in.is_nothing:
            nothing.append(in_key(param, asset_in, key_prefix))
        else:
            values[param] = asset_in
    return values, nothing


def own_checks(
    check_specs: Sequence[AssetCheckSpec] | None, keys: set[AssetKey]
) -> list[AssetCheckSpec]:
    """``check_specs`` of an asset, each of which must target one of its own keys."""
    for spec in check_specs or ():
        if spec.asset_key not in keys:
            raise DefinitionsError(
                f"check spec `{spec.name}` targets `{spec.asset_key.to_user_string()}`, which "
                "this asset does not materialize"
            )
    return list(check_specs or ())
