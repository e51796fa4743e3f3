"""Run ONE step of a plan: build its context, bind its parameters, call its function, store
what it produced, run its checks — with retries. Executors only decide *where* and *when* a
step runs; what running it means lives here, so it is the same on every executor.

``run_step`` returns a ``StepResult`` made of plain, picklable values, so that a worker
process or a Dask task can hand it back to the run.
"""

from __future__ import annotations

import itertools
import time
import traceback
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assetloom.assets.checks import AssetChecksDefinition
from assetloom.assets.definition import AssetsDefinition, ParamRole
from assetloom.assets.key import AssetKey
from assetloom.assets.results import AssetCheckEvaluation, AssetMaterialization
from assetloom.assets.retry import Failure, RetryPolicy, RetryRequested
from assetloom.config import RunConfigLike, build_config, op_config
from assetloom.errors import MissingResourceError
from assetloom.execution.io_managers import IOManager
from assetloom.execution.outputs import StepOutputs, collect_outputs
from assetloom.execution.result import AssetOutcome, StepFailure
from assetloom.graph.asset_graph import AssetGraph, Bindings

if TYPE_CHECKING:
    from assetloom.execution.context import AssetExecutionContext
    from assetloom.execution.events import RunEvent

# What only some steps need (a context, a time limit, checks, a retry) is imported where it
# is used: a run of plain functions does not import it.


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
    events: tuple[RunEvent, ...] = ()
    """What happened inside the step besides its outcome (retries), in order."""

    @property
    def outcome(self) -> AssetOutcome:
        """FAILURE if the function (not only a check) failed, else SUCCESS."""
        if any(f.check_name is None for f in self.failures):
            return AssetOutcome.FAILURE
        return AssetOutcome.SUCCESS


TIMEOUT_TAG = "assetloom/timeout"


def step_time_limit(step: AssetsDefinition, default: float | None) -> float | None:
    """The step's ``assetloom/timeout`` tag (seconds; the longest among its assets), else
    ``default``."""
    limits = [float(spec.tags[TIMEOUT_TAG]) for spec in step.specs if TIMEOUT_TAG in spec.tags]
    return max(limits) if limits else default


def _user_facing(raised: BaseException, limit: float | None) -> BaseException:
    """What to report for an exception that escaped the asset function: a time-out and an
    exit call are named as such, since their own messages say nothing useful."""
    error: Exception
    from assetloom.execution.timeout import StepTimedOut

    if isinstance(raised, StepTimedOut):
        error = StepTimedOut(f"timed out after {limit:g}s")
    elif isinstance(raised, SystemExit):
        error = StepExited(f"the asset called sys.exit({raised.code!r})")
    else:
        return raised
    error.__traceback__ = raised.__traceback__
    return error


def _traceback_of(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


class StepExited(Exception):
    """The asset function called ``sys.exit`` (or its process exited while running it)."""


@dataclass(frozen=True, slots=True)
class StepRunner:
    """Everything a step needs besides its definition; one per run (and per worker)."""

    graph: AssetGraph
    resources: Mapping[str, Any]
    io_manager: IOManager
    run_id: str
    step_timeout: float | None = None
    """Seconds a step may run, unless its ``assetloom/timeout`` tag says otherwise."""
    run_config: RunConfigLike = None
    """``{"ops": {node_name: {"config": {...}}}}``: what fills each step's ``Config``."""
    run_tags: Mapping[str, str] = field(default_factory=dict)

    def run(self, step: AssetsDefinition) -> StepResult:
        keys = tuple(sorted(step.keys))
        started = time.perf_counter()
        policy = step.retry_policy
        attempts = 1 + (policy.max_retries if policy else 0)
        retries: list[RunEvent] = []
        limit = step_time_limit(step, self.step_timeout)
        bindings = self.graph.bindings(step)
        for attempt in itertools.count(1):
            # Only a function that takes `context` can reach it (its log, its metadata).
            context = self._context(step, keys, retries) if bindings.wants_context else None
            try:
                with _time_limit(limit) if limit is not None else nullcontext():
                    produced = self._call(step, bindings, context)
                    for key, (value, _) in produced.values.items():
                        self._io_manager_for(key, step).handle_output(key, value)
                break
            except (Exception, SystemExit) as raised:
                error = _user_facing(raised, limit)
                if isinstance(raised, RetryRequested):
                    attempts = 1 + raised.max_retries
                elif isinstance(raised, Failure) and not raised.allow_retries:
                    attempts = attempt
                if attempt < attempts:
                    from assetloom.execution.events import ErrorInfo, StepRetried

                    delay = _retry_delay(policy, raised, attempt)
                    retries.append(
                        StepRetried(
                            run_id=self.run_id,
                            step=step.node_name,
                            asset_keys=keys,
                            attempt=attempt,
                            delay=delay,
                            error=ErrorInfo.from_exception(error, step.location),
                        )
                    )
                    time.sleep(delay)
                    continue
                failure = StepFailure(
                    step.node_name, keys, error, _traceback_of(error), step.location
                )
                return StepResult(
                    step.node_name,
                    keys,
                    dict.fromkeys(keys, AssetOutcome.FAILURE),
                    failures=(failure,),
                    duration=time.perf_counter() - started,
                    events=tuple(retries),
                )
        outcomes: dict[AssetKey, AssetOutcome] = {}
        materializations: list[AssetMaterialization] = []
        for key, (_, metadata) in produced.values.items():
            outcomes[key] = AssetOutcome.SUCCESS
            added = context.added_metadata(key) if context is not None else {}
            materializations.append(AssetMaterialization(key, {**added, **metadata}))
        for key in keys:
            if key not in produced.values:
                outcomes[key] = AssetOutcome.SKIPPED
        duration = time.perf_counter() - started
        evaluations: list[AssetCheckEvaluation] = []
        failures: list[StepFailure] = []
        checks = _checks_after(self.graph, produced.values)
        if produced.check_results or checks:
            from assetloom.execution.check_run import evaluation_of, run_check

            evaluations.extend(evaluation_of(spec, r) for spec, r in produced.check_results)
            for check in checks:
                run_check(check, self, produced.values.keys(), evaluations, failures)
        return StepResult(
            step.node_name,
            keys,
            outcomes,
            tuple(materializations),
            tuple(evaluations),
            tuple(failures),
            duration,
            tuple(retries),
        )

    def _context(
        self, step: AssetsDefinition, keys: tuple[AssetKey, ...], events: list[RunEvent]
    ) -> AssetExecutionContext:
        from assetloom.execution.context import AssetExecutionContext
        from assetloom.execution.step_log import StepLog

        context = AssetExecutionContext(
            run_id=self.run_id,
            asset_keys=keys,
            resources=self.resources,
            output_names=step.output_names,
            run_tags=self.run_tags,
            op_config=op_config(self.run_config, step.node_name),
        )
        context.log = StepLog(self.run_id, step.node_name, events)  # lines become events
        return context

    def _call(
        self, step: AssetsDefinition, bindings: Bindings, context: AssetExecutionContext | None
    ) -> StepOutputs:
        kwargs: dict[str, Any] = {}
        if context is not None:
            kwargs["context"] = context
        for name, key in bindings.inputs.items():
            kwargs[name] = self.load_input(key)
        for name in bindings.resources:
            kwargs[name] = self.resources[name]
        for param in step.params:
            if param.role is ParamRole.CONFIG and param.config_type is not None:
                raw = op_config(self.run_config, step.node_name)
                kwargs[param.name] = build_config(param.config_type, raw, step.node_name)
        assert step.compute_fn is not None
        return collect_outputs(step, step.compute_fn(**kwargs))

    def load_input(self, key: AssetKey) -> Any:
        """An upstream value, from the IO manager that stored it."""
        return self._io_manager_for(key, self.graph.assets_def(key)).load_input(key)

    def _io_manager_for(self, key: AssetKey, owner: AssetsDefinition | None) -> IOManager:
        """The IO manager of ``key``: its ``io_manager_key`` resource, else the run's."""
        if owner is None or not owner.io_manager_keys:
            return self.io_manager
        name = owner.io_manager_keys.get(key)
        if name is None:
            return self.io_manager
        manager = self.resources.get(name)
        if manager is None:
            raise MissingResourceError(
                f"asset `{key.to_user_string()}` has io_manager_key `{name}`, which is no "
                "resource of this run",
                location=owner.location if owner else None,
            )
        return manager  # type: ignore[no-any-return]


def _time_limit(seconds: float) -> AbstractContextManager[None]:
    from assetloom.execution.timeout import time_limit

    return time_limit(seconds)


def _retry_delay(policy: RetryPolicy | None, raised: BaseException, attempt: int) -> float:
    if isinstance(raised, RetryRequested):
        return raised.seconds_to_wait or 0.0
    return policy.delay_before(attempt) if policy is not None else 0.0


def _checks_after(graph: AssetGraph, produced: Iterable[AssetKey]) -> list[AssetChecksDefinition]:
    """The check definitions on what a step produced, each once (a multi-asset check on
    several of the step's assets runs once)."""
    found: dict[int, AssetChecksDefinition] = {}
    for key in produced:
        for check in graph.checks_for(key):
            found.setdefault(id(check), check)
    return list(found.values())
