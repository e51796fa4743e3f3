"""Running an asset check definition after its assets, and turning each result into the
evaluation a run records."""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from assetloom.assets.checks import AssetChecksDefinition, AssetCheckSpec
from assetloom.assets.definition import ParamRole
from assetloom.assets.key import AssetKey
from assetloom.assets.results import AssetCheckEvaluation, AssetCheckResult
from assetloom.config import build_config, op_config
from assetloom.execution.context import AssetCheckExecutionContext
from assetloom.execution.outputs import StepOutputError, match_check
from assetloom.execution.result import StepFailure

if TYPE_CHECKING:
    from assetloom.execution.step import StepRunner


def evaluation_of(spec: AssetCheckSpec, result: AssetCheckResult) -> AssetCheckEvaluation:
    return AssetCheckEvaluation(
        spec.asset_key,
        spec.name,
        result.passed,
        result.metadata,
        result.description,
        result.severity,
        spec.blocking,
    )


def run_check(
    check: AssetChecksDefinition,
    runner: StepRunner,
    produced: Collection[AssetKey],
    evaluations: list[AssetCheckEvaluation],
    failures: list[StepFailure],
) -> None:
    """Call the check's function after a step that ``produced`` some of its assets, and
    record one evaluation per result on those assets, or one failure per such check when it
    raises. (A check on assets of several steps runs after each; each result is recorded
    once, after its own asset.)"""
    config = op_config(runner.run_config, check.node_name)
    try:
        kwargs: dict[str, Any] = {}
        for param in check.params:
            if param.role is ParamRole.CONTEXT:
                kwargs[param.name] = AssetCheckExecutionContext(
                    run_id=runner.run_id,
                    check_keys=check.check_keys,
                    resources=runner.resources,
                    run_tags=runner.run_tags,
                    op_config=config,
                )
            elif param.role is ParamRole.INPUT and param.key is not None:
                kwargs[param.name] = runner.load_input(param.key)
            elif param.role is ParamRole.CONFIG and param.config_type is not None:
                kwargs[param.name] = build_config(param.config_type, config, check.node_name)
            else:
                kwargs[param.name] = runner.resources[param.name]
        results = _results(check, check.compute_fn(**kwargs))
    except Exception as error:
        formatted = traceback.format_exc()
        for spec in (s for s in check.specs if s.asset_key in produced):
            failures.append(
                StepFailure(
                    spec.name,
                    (spec.asset_key,),
                    error,
                    formatted,
                    check.location,
                    check_name=spec.name,
                )
            )
        return
    evaluations.extend(
        evaluation_of(spec, result) for spec, result in results if spec.asset_key in produced
    )


def _results(
    check: AssetChecksDefinition, returned: Any
) -> list[tuple[AssetCheckSpec, AssetCheckResult]]:
    items = list(returned) if inspect.isgenerator(returned) else [returned]
    if len(items) == 1 and isinstance(items[0], (list, tuple)):
        items = list(items[0])
    out: list[tuple[AssetCheckSpec, AssetCheckResult]] = []
    for item in items:
        if not isinstance(item, AssetCheckResult):
            raise StepOutputError(
                f"asset check `{check.node_name}` returned {type(item).__name__}, "
                "expected AssetCheckResult"
            )
        out.append((match_check(check.specs, item, check.node_name), item))
    return out
