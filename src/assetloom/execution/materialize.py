"""``materialize``: run assets in this process, the way tests and notebooks do."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assetloom.assets.asset_selection import AssetSelection
from assetloom.assets.checks import AssetChecksDefinition
from assetloom.assets.definition import AssetsDefinition
from assetloom.assets.key import AssetKey
from assetloom.assets.spec import AssetSpec
from assetloom.config import RunConfigLike, check_run_config
from assetloom.defs import Definitions
from assetloom.execution.executors.backend import Executor, RunSpec
from assetloom.execution.executors.in_process import InProcessExecutor
from assetloom.execution.executors.schedule import Schedule
from assetloom.execution.io_managers import InMemoryIOManager, IOManager
from assetloom.execution.plan import check_resources, plan_steps, run_config_types
from assetloom.execution.result import ExecuteInProcessResult, StepFailure
from assetloom.graph.asset_graph import AssetGraph

if TYPE_CHECKING:
    from assetloom.execution.events import EventObserver

IO_MANAGER_RESOURCE = "io_manager"

Selection = str | AssetSelection | Sequence[str | AssetKey | AssetsDefinition] | None


def materialize(
    assets: Definitions | Iterable[AssetsDefinition | AssetSpec | AssetChecksDefinition],
    *,
    selection: Selection = None,
    resources: Mapping[str, Any] | None = None,
    raise_on_error: bool = True,
    io_manager: IOManager | None = None,
    observer: EventObserver | None = None,
    run_id: str | None = None,
    executor: Executor | None = None,
    step_timeout: float | None = None,
    project_root: Path | None = None,
    run_config: RunConfigLike = None,
    tags: Mapping[str, str] | None = None,
) -> ExecuteInProcessResult:
    """Materialize the selected assets (default: every executable one) in dependency order.

    Asset checks in ``assets`` run after their asset. Steps run in this process unless an
    ``executor`` says otherwise; ``observer`` receives every run event. With
    ``raise_on_error`` the first failure's own exception is raised (as in Dagster, so
    ``pytest.raises(ValueError)`` works), noted with the asset's location, once the
    whole run has ended. ``run_config`` fills the assets' ``Config`` parameters
    (``{"ops": {"asset_name": {"config": {...}}}}``); ``tags`` are the run's tags.
    """
    defs = assets if isinstance(assets, Definitions) else _definitions_of(assets)
    graph = defs.resolve_asset_graph()
    keys = resolve_selection(graph, selection)
    all_resources = {**defs.resources, **(resources or {})}
    if io_manager is None:
        candidate = all_resources.get(IO_MANAGER_RESOURCE)
        io_manager = candidate if isinstance(candidate, IOManager) else InMemoryIOManager()
    steps = plan_steps(graph, keys)
    check_resources(graph, steps, all_resources)
    check_run_config(run_config, run_config_types(graph, steps))
    run = RunSpec(
        definitions=defs,
        graph=graph,
        resources=all_resources,
        io_manager=io_manager,
        run_id=run_id or uuid.uuid4().hex,
        step_timeout=step_timeout,
        project_root=project_root,
        run_config=run_config,
        run_tags=dict(tags or {}),
    )
    schedule = Schedule(
        graph,
        steps,
        run_id=run.run_id,
        observer=observer,
        selection=selection if isinstance(selection, str) else None,
    )
    with ExitStack() as claims:
        for resource in {id(r): r for r in (*all_resources.values(), io_manager)}.values():
            claim = getattr(resource, "claim_for_run", None)
            if callable(claim):
                claims.enter_context(claim(run.run_id))
        with (executor or InProcessExecutor()).open(run) as backend:
            schedule.drive(backend)
    result = schedule.result(io_manager)
    if raise_on_error and result.failures:
        raise _noted(result.failures[0])
    return result


def _noted(failure: StepFailure) -> BaseException:
    """The failure's own exception, with a note naming what failed and where it is defined
    (shown under the traceback)."""
    where = f"{failure.location}: " if failure.location is not None else ""
    failure.error.add_note(f"{where}{failure.summary}")
    return failure.error


def resolve_selection(graph: AssetGraph, selection: Selection) -> frozenset[AssetKey]:
    """The executable keys a selection names (a selection string, keys or definitions)."""
    executable = graph.executable_keys
    if selection is None:
        return executable
    if isinstance(selection, AssetSelection):
        selection = str(selection)
    from assetloom.graph.selection import select, select_executable

    if isinstance(selection, str):
        return select_executable(graph, selection)  # matching nothing runnable is an error
    keys: set[AssetKey] = set()
    texts: list[str] = []
    for item in selection:
        if isinstance(item, AssetKey):
            keys.add(item)
        elif isinstance(item, AssetsDefinition):
            keys.update(item.keys)
        else:
            texts.append(item)
    if texts:
        keys.update(select(graph, texts))
    return frozenset(keys) & executable


def _definitions_of(
    items: Iterable[AssetsDefinition | AssetSpec | AssetChecksDefinition],
) -> Definitions:
    assets: list[AssetsDefinition | AssetSpec] = []
    checks: list[AssetChecksDefinition] = []
    for item in items:
        (checks if isinstance(item, AssetChecksDefinition) else assets).append(item)  # type: ignore[arg-type]
    return Definitions(assets=assets, asset_checks=checks)


def materialize_to_memory(
    assets: Definitions | Iterable[AssetsDefinition | AssetSpec | AssetChecksDefinition],
    **options: Any,
) -> ExecuteInProcessResult:
    """``materialize`` keeping values in memory even when the resources name an
    ``io_manager`` (Dagster's helper for tests)."""
    return materialize(assets, io_manager=InMemoryIOManager(), **options)
