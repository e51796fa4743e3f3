"""The execution plan: which steps a selection runs, in what order, and what each one needs.

A step is one ``AssetsDefinition`` (one function call may materialize several assets). How
its parameters are bound to upstream values and resources is worked out once, when the
``AssetGraph`` is built, because the same bindings decide the graph's edges; the plan reads
them from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from assetloom.assets.definition import AssetsDefinition, ParamRole
from assetloom.assets.key import AssetKey
from assetloom.config import Config
from assetloom.defs import Definitions
from assetloom.errors import MissingResourceError, SourceLocation, did_you_mean
from assetloom.graph.asset_graph import AssetGraph


def plan_steps(graph: AssetGraph, keys: Iterable[AssetKey]) -> list[AssetsDefinition]:
    """The AssetsDefinitions that materialize ``keys``, in dependency order, each once (a
    ``can_subset`` multi-asset cut down to the selected keys)."""
    wanted = set(keys)
    steps: dict[int, AssetsDefinition] = {}
    for key in graph.toposorted(wanted):
        assets_def = graph.assets_def(key)
        if assets_def is not None and assets_def.is_executable:
            steps.setdefault(id(assets_def), assets_def)
    return [s.subset_for(wanted) if s.can_subset else s for s in steps.values()]


def run_config_types(
    graph: AssetGraph, steps: Iterable[AssetsDefinition]
) -> dict[str, type[Config] | None]:
    """Each node of a run (its steps and their checks) and the Config class it takes."""
    types: dict[str, type[Config] | None] = {}
    for step in steps:
        types[step.node_name] = step.config_type
        for key in step.keys:
            for check in graph.checks_for(key):
                types[check.node_name] = check.config_type
    return types


def upstream_steps(
    graph: AssetGraph, steps: Iterable[AssetsDefinition]
) -> dict[str, frozenset[str]]:
    """For each step (by node name), the steps of this plan it waits for.

    Upstream assets outside the plan are not waited for: their values come from an earlier
    run, through the IO manager.
    """
    steps = list(steps)
    node_of = {key: step.node_name for step in steps for key in step.keys}
    upstream: dict[str, frozenset[str]] = {}
    for step in steps:
        parents = {
            node_of[parent]
            for key in step.keys
            for parent in graph.parent_list(key)
            if parent in node_of
        }
        parents.discard(step.node_name)
        upstream[step.node_name] = frozenset(parents)
    return upstream


def _missing(
    graph: AssetGraph, steps: Iterable[AssetsDefinition], resources: Mapping[str, Any]
) -> list[MissingResourceError]:
    """One error per (asset or check, resource) that ``steps`` need and nobody provided."""
    errors: list[MissingResourceError] = []
    for step in steps:
        for who, name, location in _needed_resources(graph, step):
            if name not in resources:
                provided = f" (provided: {', '.join(sorted(resources))})" if resources else ""
                errors.append(
                    MissingResourceError(
                        f"{who} needs resource `{name}`, which was not provided"
                        + did_you_mean(name, resources)
                        + provided,
                        location=location,
                    )
                )
    return errors


def missing_resources(defs: Definitions) -> list[MissingResourceError]:
    """What ``loom check defs`` reports: resources any executable asset or check needs and
    ``defs`` does not provide."""
    graph = defs.resolve_asset_graph()
    return _missing(graph, plan_steps(graph, graph.executable_keys), defs.resources)


def check_resources(
    graph: AssetGraph, steps: Iterable[AssetsDefinition], resources: Mapping[str, Any]
) -> None:
    """Fail before anything runs when a step needs a resource nobody provided."""
    errors = _missing(graph, steps, resources)
    if errors:
        raise errors[0]


def _needed_resources(
    graph: AssetGraph, step: AssetsDefinition
) -> Iterator[tuple[str, str, SourceLocation | None]]:
    """(who needs it, resource name, where ``who`` is defined) for the step and its checks."""
    for name in (*graph.bindings(step).resources, *sorted(step.required_resource_keys)):
        yield f"asset `{step.node_name}`", name, step.location
    for key in sorted(step.keys):
        for check in graph.checks_for(key):
            who = f"asset check `{check.node_name}` on `{key.to_user_string()}`"
            for param in check.params:
                if param.role in _CHECK_RESOURCE_ROLES:
                    yield who, param.name, check.location


_CHECK_RESOURCE_ROLES = (ParamRole.RESOURCE, ParamRole.BY_NAME)
