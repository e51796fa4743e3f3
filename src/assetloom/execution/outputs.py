"""What an asset function hands back, read the ways Dagster allows: a plain value, a
``MaterializeResult``, an ``Output``, a tuple of values (one per ``outs`` entry), or a generator
yielding ``Output``s, ``MaterializeResult``s and ``AssetCheckResult``s."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from assetloom.assets.checks import AssetCheckSpec
from assetloom.assets.definition import AssetsDefinition
from assetloom.assets.key import AssetKey
from assetloom.assets.results import AssetCheckResult, MaterializeResult, Output


class StepOutputError(Exception):
    """The function ran, but what it produced does not fit its assets or checks."""


@dataclass(slots=True)
class StepOutputs:
    """One (value, metadata) per asset produced, and the results of the step's own checks
    (each with its ``asset_key`` and ``check_name`` filled in)."""

    values: dict[AssetKey, tuple[Any, Mapping[str, Any]]] = field(default_factory=dict)
    check_results: list[tuple[AssetCheckSpec, AssetCheckResult]] = field(default_factory=list)


_NO_METADATA: Mapping[str, Any] = MappingProxyType({})
_RESULTS = (MaterializeResult, Output, AssetCheckResult)


def collect_outputs(step: AssetsDefinition, returned: Any) -> StepOutputs:
    """Sort what ``step``'s function returned or yielded into values and check results."""
    if (
        len(step.specs) == 1
        and not step.check_specs
        and not isinstance(returned, _RESULTS)
        and not inspect.isgenerator(returned)
    ):  # the common case, kept cheap: one asset returning its value
        return StepOutputs({step.specs[0].key: (returned, _NO_METADATA)})
    out = StepOutputs()
    for item in _items(step, returned):
        if isinstance(item, AssetCheckResult):
            spec = match_check(step.check_specs, item, step.node_name)
            out.check_results.append((spec, item))
            continue
        key, value, metadata = _output_of(step, item)
        if key in out.values:
            raise StepOutputError(
                f"`{step.node_name}` produced `{key.to_user_string()}` more than once"
            )
        out.values[key] = (value, metadata)
        if isinstance(item, MaterializeResult):
            for result in item.check_results:
                spec = match_check(step.check_specs, result, step.node_name, key)
                out.check_results.append((spec, result))
    missing = [s.key for s in step.specs if s.key not in out.values and not s.skippable]
    if missing:
        names = ", ".join(f"`{k.to_user_string()}`" for k in missing)
        raise StepOutputError(f"`{step.node_name}` produced no result for {names}")
    reported = {spec.key for spec, _ in out.check_results}
    unreported = [c.key for c in step.check_specs if c.key not in reported]
    if unreported and not missing:
        names = ", ".join(f"`{k.to_user_string()}`" for k in unreported)
        raise StepOutputError(f"`{step.node_name}` yielded no AssetCheckResult for {names}")
    return out


def _items(step: AssetsDefinition, returned: Any) -> Iterable[Any]:
    if inspect.isgenerator(returned):
        return list(returned)
    if len(step.specs) == 1 and not step.check_specs:
        return [returned]
    if isinstance(returned, (MaterializeResult, Output, AssetCheckResult)):
        return [returned]
    if returned is None:  # as in Dagster: nothing returned materializes every asset
        return [MaterializeResult(spec.key) for spec in step.specs]
    if len(step.specs) == 1:
        return [returned]
    if isinstance(returned, tuple):
        return _tuple_outputs(step, returned)
    if isinstance(returned, list):
        return list(returned)
    raise StepOutputError(
        f"multi-asset `{step.node_name}` returned {type(returned).__name__}; return a tuple "
        "with one value per output, or yield Output / MaterializeResult per asset"
    )


def _tuple_outputs(step: AssetsDefinition, values: tuple[Any, ...]) -> list[Any]:
    """A tuple returned by a multi-asset: one value per output, in declaration order."""
    if all(isinstance(v, (MaterializeResult, Output, AssetCheckResult)) for v in values):
        return list(values)
    if len(values) != len(step.specs):
        raise StepOutputError(
            f"multi-asset `{step.node_name}` returned {len(values)} values for "
            f"{len(step.specs)} outputs"
        )
    return [
        v if isinstance(v, (Output, MaterializeResult)) else Output(v, step.output_names[s.key])
        for s, v in zip(step.specs, values, strict=True)
    ]


def _output_of(step: AssetsDefinition, item: Any) -> tuple[AssetKey, Any, Mapping[str, Any]]:
    if isinstance(item, Output):
        by_name = step.keys_by_output_name
        key = by_name.get(item.output_name)
        if key is None and len(step.specs) == 1 and item.output_name == "result":
            key = step.specs[0].key
        if key is None:
            raise StepOutputError(
                f"`{step.node_name}` yielded Output `{item.output_name}`; its outputs are "
                + ", ".join(f"`{n}`" for n in sorted(by_name))
            )
        return key, item.value, item.metadata
    if isinstance(item, MaterializeResult):
        key = item.asset_key or (step.specs[0].key if len(step.specs) == 1 else None)
        if key is None:
            raise StepOutputError(
                f"multi-asset `{step.node_name}` yielded a MaterializeResult without asset_key"
            )
        if key not in step.keys:
            raise StepOutputError(
                f"`{step.node_name}` produced a result for `{key.to_user_string()}`, which is "
                "not one of the assets selected for this step"
            )
        return key, item.value, item.metadata
    if len(step.specs) == 1:
        return step.specs[0].key, item, {}
    raise StepOutputError(
        f"multi-asset `{step.node_name}` must yield Output or MaterializeResult objects, got "
        f"{type(item).__name__}"
    )


def match_check(
    specs: Iterable[AssetCheckSpec],
    result: AssetCheckResult,
    who: str,
    asset_key: AssetKey | None = None,
) -> AssetCheckSpec:
    """The spec an AssetCheckResult reports on: named by it, or the only one that fits."""
    wanted_key = result.asset_key or asset_key
    candidates = [
        spec
        for spec in specs
        if (wanted_key is None or spec.asset_key == wanted_key)
        and (result.check_name is None or spec.name == result.check_name)
    ]
    if len(candidates) != 1:
        named = f"check `{result.check_name}`" if result.check_name else "a check result"
        on = f" on `{wanted_key.to_user_string()}`" if wanted_key else ""
        problem = "matches no declared check" if not candidates else "is ambiguous"
        raise StepOutputError(
            f"`{who}` reported {named}{on}, which {problem}; give `asset_key` and "
            "`check_name` in AssetCheckResult"
        )
    return candidates[0]
