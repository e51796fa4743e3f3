"""``materialize``: run assets in this process, the way tests and notebooks do."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assetloom.assets.checks import AssetChecksDefinition
from assetloom.assets.definition import AssetsDefinition
from assetloom.assets.key import AssetKey
from assetloom.assets.spec import AssetSpec
from assetloom.defs import Definitions
from assetloom.errors import AssetExecutionError
from assetloom.execution.executors.in_process import InProcessExecutor, Observer
from assetloom.execution.io_managers import InMemoryIOManager, IOManager
from assetloom.execution.plan import plan_steps
from assetloom.execution.result import ExecuteInProcessResult
from assetloom.graph.asset_graph import AssetGraph

IO_MANAGER_RESOURCE = "io_manager"

Selection = str | Sequence[str | AssetKey | AssetsDefinition] | None


def materialize(
    assets: Definitions | Iterable[AssetsDefinition | AssetSpec | AssetChecksDefinition],
    *,
    selection: Selection = None,
    resources: Mapping[str, Any] | None = None,
    raise_on_error: bool = True,
    io_manager: IOManager | None = None,
    observer: Observer | None = None,
    run_id: str | None = None,
) -> ExecuteInProcessResult:
    """Materialize the selected assets (default: every executable one) in dependency order.

    Asset checks in ``assets`` run after their asset. With ``raise_on_error`` the first failure
    is raised as an ``AssetExecutionError`` once the whole run has ended.
    """
    defs = assets if isinstance(assets, Definitions) else _definitions_of(assets)
    graph = defs.resolve_asset_graph()
    keys = resolve_selection(graph, selection)
    all_resources = {**defs.resources, **(resources or {})}
    if io_manager is None:
        candidate = all_resources.get(IO_MANAGER_RESOURCE)
        io_manager = candidate if isinstance(candidate, IOManager) else InMemoryIOManager()
    executor = InProcessExecutor(
        graph,
        resources=all_resources,
        io_manager=io_manager,
        observer=observer,
        run_id=run_id,
    )
    result = executor.run(plan_steps(graph, keys))
    if raise_on_error and result.failures:
        first = result.failures[0]
        raise AssetExecutionError(first.summary, location=first.location) from first.error
    return result


def resolve_selection(graph: AssetGraph, selection: Selection) -> frozenset[AssetKey]:
    """The executable keys a selection names (a selection string, keys or definitions)."""
    executable = graph.executable_keys
    if selection is None:
        return executable
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
