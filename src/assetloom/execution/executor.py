"""The in-process executor: run asset steps one after another in dependency order.

A step that fails blocks everything downstream of it in this run (reported as skipped), while
independent branches go on. Per-step overhead is kept to a few dict operations: the bindings of
each step were worked out once, when the graph was built.
"""

from __future__ import annotations

import inspect
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
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
from assetloom.errors import MissingResourceError, SourceLocation, did_you_mean
from assetloom.execution.context import AssetExecutionContext
from assetloom.execution.io_managers import IOManager
from assetloom.execution.result import AssetOutcome, ExecuteInProcessResult, StepFailure
from assetloom.graph.asset_graph import AssetGraph


@dataclass(frozen=True, slots=True)
class StepEvent:
    """Reported to an observer as each step ends (the CLI prints these)."""

    node_name: str
    asset_keys: tuple[AssetKey, ...]
    outcome: AssetOutcome
    duration: float
    failure: StepFailure | None = None


Observer = Callable[[StepEvent], None]


class _StepError(Exception):
    """Raised inside a step for a problem with the step's own result, not the user's code."""


def plan_steps(graph: AssetGraph, keys: Iterable[AssetKey]) -> list[AssetsDefinition]:
    """The AssetsDefinitions that materialize ``keys``, in dependency order, each once."""
    steps: dict[int, AssetsDefinition] = {}
    for key in graph.toposorted(keys):
        assets_def = graph.assets_def(key)
        if assets_def is not None and assets_def.is_executable:
            steps.setdefault(id(assets_def), assets_def)
    return list(steps.values())


def check_resources(
    graph: AssetGraph, steps: Iterable[AssetsDefinition], resources: Mapping[str, Any]
) -> None:
    """Fail before anything runs when a step needs a resource nobody provided."""
    for step in steps:
        for who, name, location in _needed_resources(graph, step):
            if name not in resources:
                provided = f" (provided: {', '.join(sorted(resources))})" if resources else ""
                raise MissingResourceError(
                    f"{who} needs resource `{name}`, which was not provided"
                    + did_you_mean(name, resources)
                    + provided,
                    location=location,
                )


def _needed_resources(
    graph: AssetGraph, step: AssetsDefinition
) -> Iterator[tuple[str, str, SourceLocation | None]]:
    """(who needs it, resource name, where ``who`` is defined) for the step and its checks."""
    for name in graph.bindings(step).resources:
        yield f"asset `{step.node_name}`", name, step.location
    for key in sorted(step.keys):
        for check in graph.checks_for(key):
            who = f"asset check `{check.name}` on `{key.to_user_string()}`"
            for param in check.params:
                if param.role in _CHECK_RESOURCE_ROLES:
                    yield who, param.name, check.location


_CHECK_RESOURCE_ROLES = (ParamRole.RESOURCE, ParamRole.BY_NAME)


class InProcessExecutor:
    """Runs a plan in this process."""

    def __init__(
        self,
        graph: AssetGraph,
        *,
        resources: Mapping[str, Any],
        io_manager: IOManager,
        observer: Observer | None = None,
        run_id: str | None = None,
    ) -> None:
        self.graph = graph
        self.resources = resources
        self.io_manager = io_manager
        self.observer = observer
        self.run_id = run_id or uuid.uuid4().hex
        self.outcomes: dict[AssetKey, AssetOutcome] = {}
        self.materializations: list[AssetMaterialization] = []
        self.check_evaluations: list[AssetCheckEvaluation] = []
        self.failures: list[StepFailure] = []

    def run(self, steps: list[AssetsDefinition]) -> ExecuteInProcessResult:
        check_resources(self.graph, steps, self.resources)
        for resource in self.resources.values():
            setup = getattr(resource, "setup_for_execution", None)
            if callable(setup):
                setup(None)
        try:
            for step in steps:
                self._run_step(step)
        finally:
            for resource in self.resources.values():
                teardown = getattr(resource, "teardown_after_execution", None)
                if callable(teardown):
                    teardown(None)
        return ExecuteInProcessResult(
            run_id=self.run_id,
            outcomes=self.outcomes,
            materializations=self.materializations,
            check_evaluations=self.check_evaluations,
            failures=self.failures,
            node_keys={s.node_name: tuple(sorted(s.keys)) for s in steps},
            io_manager=self.io_manager,
        )

    def _blocked(self, step: AssetsDefinition) -> bool:
        outcomes = self.outcomes
        for key in step.keys:
            for parent in self.graph.parent_list(key):
                outcome = outcomes.get(parent)
                if outcome is not None and outcome is not AssetOutcome.SUCCESS:
                    return True
        return False

    def _run_step(self, step: AssetsDefinition) -> None:
        keys = tuple(sorted(step.keys))
        started = time.perf_counter()
        if self._blocked(step):
            for key in keys:
                self.outcomes[key] = AssetOutcome.SKIPPED
            self._emit(step, keys, AssetOutcome.SKIPPED, started)
            return
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
                self.failures.append(failure)
                for key in keys:
                    self.outcomes[key] = AssetOutcome.FAILURE
                self._emit(step, keys, AssetOutcome.FAILURE, started, failure)
                return
        for key, (value, metadata) in produced.items():
            self.io_manager.handle_output(key, value)
            self.outcomes[key] = AssetOutcome.SUCCESS
            self.materializations.append(
                AssetMaterialization(key, {**context.added_metadata(key), **metadata})
            )
        for key in keys:
            if key not in produced:
                self.outcomes[key] = AssetOutcome.SKIPPED
        self._emit(step, keys, AssetOutcome.SUCCESS, started)
        for key in produced:
            for check in self.graph.checks_for(key):
                self._run_check(check)

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

    def _run_check(self, check: AssetChecksDefinition) -> None:
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
            self.failures.append(
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
        self.check_evaluations.append(
            AssetCheckEvaluation(
                check.asset_key, check.name, result.passed, result.metadata, result.description
            )
        )

    def _emit(
        self,
        step: AssetsDefinition,
        keys: tuple[AssetKey, ...],
        outcome: AssetOutcome,
        started: float,
        failure: StepFailure | None = None,
    ) -> None:
        if self.observer is not None:
            event = StepEvent(
                step.node_name, keys, outcome, time.perf_counter() - started, failure
            )
            self.observer(event)


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
            f"multi-asset `{step.node_name}` must yield or return one MaterializeResult per "
            "asset"
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
