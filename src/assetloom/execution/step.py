"""Run ONE step of a plan: build its context, bind its parameters, call its function, store
what it produced, run its checks — with retries. Executors only decide *where* and *when* a
step runs; what running it means lives here, so it is the same on every executor.

``run_step`` returns a ``StepResult`` made of plain, picklable values, so that a worker
process or a Dask task can hand it back to the run.
"""

from __future__ import annotations

import inspect
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assetloom.assets.checks import AssetChecksDefinition
from assetloom.assets.definition import AssetsDefinition, ParamRole
from assetloom.assets.key import AssetKey
from assetloom.assets.results import (
    AssetCheckEvaluation,
    AssetCheckResult,
    AssetMaterialization,
    MaterializeResult,
)
from assetloom.execution.context import AssetExecutionContext
from assetloom.execution.io_managers import IOManager
from assetloom.execution.result import AssetOutcome, StepFailure
from assetloom.graph.asset_graph import AssetGraph


@dataclass(frozen=True, slots=True)
class StepResult:
    """What one step did: the outcome of each of its assets, and what it recorded."""

    node_name: str
    asset_keys: tuple[AssetKey, ...]
    outcomes: Mapping[AssetKey, AssetOutcome]
    materializations: tuple[AssetMaterialization, ...] = ()
    check_evaluations: tuple[AssetCheckEvaluation, ...] = ()
    failures: tuple[StepFailure, ...] = ()
    duration: float = 0.0

    @property
    def outcome(self) -> AssetOutcome:
        """FAILURE if the function (not only a check) failed, else SUCCESS."""
        if any(f.check_name is None for f in self.failures):
            return AssetOutcome.FAILURE
        return AssetOutcome.SUCCESS


class _StepError(Exception):
    """Raised inside a step for a problem with the step's own result, not the user's code."""


@dataclass(frozen=True, slots=True)
class StepRunner:
    """Everything a step needs besides its definition; one per run (and per worker)."""

    graph: AssetGraph
    resources: Mapping[str, Any]
    io_manager: IOManager
    run_id: str

    def run(self, step: AssetsDefinition) -> StepResult:
        keys = tuple(sorted(step.keys))
        started = time.perf_counter()
        attempts = 1 + (step.retry_policy.max_retries if step.retry_policy else 0)
        for attempt in range(attempts):
            try:
                context = AssetExecutionContext(
                    run_id=self.run_id, asset_keys=keys, resources=self.resources
                )
                produced = self._call(step, context)
                break
            except Exception as error:
                if attempt + 1 < attempts:
                    delay = step.retry_policy.delay if step.retry_policy else None
                    if delay:
                        time.sleep(delay)
                    continue
                failure = StepFailure(
                    step.node_name, keys, error, traceback.format_exc(), step.location
                )
                return StepResult(
                    step.node_name,
                    keys,
                    dict.fromkeys(keys, AssetOutcome.FAILURE),
                    failures=(failure,),
                    duration=time.perf_counter() - started,
                )
        outcomes: dict[AssetKey, AssetOutcome] = {}
        materializations: list[AssetMaterialization] = []
        for key, (value, metadata) in produced.items():
            self.io_manager.handle_output(key, value)
            outcomes[key] = AssetOutcome.SUCCESS
            materializations.append(
                AssetMaterialization(key, {**context.added_metadata(key), **metadata})
            )
        for key in keys:
            if key not in produced:
                outcomes[key] = AssetOutcome.SKIPPED
        duration = time.perf_counter() - started
        evaluations: list[AssetCheckEvaluation] = []
        failures: list[StepFailure] = []
        for key in produced:
            for check in self.graph.checks_for(key):
                self._run_check(check, evaluations, failures)
        return StepResult(
            step.node_name,
            keys,
            outcomes,
            tuple(materializations),
            tuple(evaluations),
            tuple(failures),
            duration,
        )

    def _call(
        self, step: AssetsDefinition, context: AssetExecutionContext
    ) -> dict[AssetKey, tuple[Any, Mapping[str, Any]]]:
        bindings = self.graph.bindings(step)
        kwargs: dict[str, Any] = {}
        if bindings.wants_context:
            kwargs["context"] = context
        for name, key in bindings.inputs.items():
            kwargs[name] = self.io_manager.load_input(key)
        for name in bindings.resources:
            kwargs[name] = self.resources[name]
        assert step.compute_fn is not None
        returned = step.compute_fn(**kwargs)
        return _collect_outputs(step, returned)

    def _run_check(
        self,
        check: AssetChecksDefinition,
        evaluations: list[AssetCheckEvaluation],
        failures: list[StepFailure],
    ) -> None:
        kwargs: dict[str, Any] = {}
        for param in check.params:
            if param.role is ParamRole.CONTEXT:
                kwargs[param.name] = AssetExecutionContext(
                    run_id=self.run_id, asset_keys=(check.asset_key,), resources=self.resources
                )
            elif param.role is ParamRole.INPUT:
                kwargs[param.name] = self.io_manager.load_input(check.asset_key)
            else:
                kwargs[param.name] = self.resources[param.name]
        try:
            result = check.compute_fn(**kwargs)
            if not isinstance(result, AssetCheckResult):
                raise _StepError(
                    f"asset check `{check.name}` returned {type(result).__name__}, "
                    "expected AssetCheckResult"
                )
        except Exception as error:
            failures.append(
                StepFailure(
                    check.name,
                    (check.asset_key,),
                    error,
                    traceback.format_exc(),
                    check.location,
                    check_name=check.name,
                )
            )
            return
        evaluations.append(
            AssetCheckEvaluation(
                check.asset_key, check.name, result.passed, result.metadata, result.description
            )
        )


def _collect_outputs(
    step: AssetsDefinition, returned: Any
) -> dict[AssetKey, tuple[Any, Mapping[str, Any]]]:
    """Map what the function returned or yielded to one (value, metadata) per asset key."""
    single = len(step.specs) == 1
    if single and not inspect.isgenerator(returned):
        only = step.specs[0].key
        if isinstance(returned, MaterializeResult):
            return {only: (returned.value, returned.metadata)}
        return {only: (returned, {})}
    items = list(returned) if returned is not None else []
    if not single and not all(isinstance(r, MaterializeResult) for r in items):
        raise _StepError(
            f"multi-asset `{step.node_name}` must yield or return one MaterializeResult per asset"
        )
    out: dict[AssetKey, tuple[Any, Mapping[str, Any]]] = {}
    for item in items:
        result = item if isinstance(item, MaterializeResult) else MaterializeResult(value=item)
        key: AssetKey | None = result.asset_key or (step.specs[0].key if single else None)
        if key is None or key not in step.keys:
            raise _StepError(
                f"`{step.node_name}` produced a result for "
                f"{key.to_user_string() if key else 'no asset_key'}, not one of its assets"
            )
        out[key] = (result.value, result.metadata)
    missing = [s.key for s in step.specs if s.key not in out and not s.skippable]
    if missing:
        names = ", ".join(f"`{k.to_user_string()}`" for k in missing)
        raise _StepError(f"`{step.node_name}` produced no result for {names}")
    return out
