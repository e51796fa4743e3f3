"""``list defs``, ``check defs`` and ``materialize`` on a workspace (``-w`` or a workspace.yaml
found by itself): the same output as for one project, over the joined graph of every code
location.

A location that fails to load is reported with its errors and the command goes on with the
others; it still exits non-zero. A key defined by two locations (or a cycle through several)
stops the command: nothing can be listed or run correctly from such a graph.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from assetloom.cli.counts import count_diagnostics, plural
from assetloom.cli.diagnostics import print_diagnostics
from assetloom.cli.exit_codes import ExitCode
from assetloom.cli.json_output import echo_json
from assetloom.cli.workspace_option import workspace_storage_project
from assetloom.errors import Diagnostic, LoomError, Severity
from assetloom.execution.events import EventObserver, fan_out
from assetloom.workspace.graph import WorkspaceGraph
from assetloom.workspace.workspace import Workspace


def open_workspace(file: Path) -> Workspace:
    """The workspace of ``file``, loaded. Paths in its messages are relative to the
    workspace's folder (``location_1/defs/assets.py:5:1``), wherever the command runs; a
    broken workspace file raises its located errors."""
    return Workspace.open(file)


def location_diagnostics(workspace: Workspace) -> list[Diagnostic]:
    """The errors of every location that did not load."""
    return [
        d
        for location in workspace.failed_locations()
        for error in location.errors
        for d in error.diagnostics()
    ]


def report_failed_locations(workspace: Workspace) -> bool:
    """Print the errors of every location that did not load, and a line naming each; whether
    there were any."""
    print_diagnostics(location_diagnostics(workspace), workspace.root)
    for location in workspace.failed_locations():
        count = count_diagnostics(d for e in location.errors for d in e.diagnostics())
        click.echo(f"code location `{location.name}` did not load: {count}", err=True)
    return bool(workspace.failed_locations())


def joined_graph(workspace: Workspace) -> WorkspaceGraph:
    """The workspace graph; when the locations conflict (a key in two of them, a cycle
    through several), their errors are printed with code frames and the command exits."""
    try:
        return workspace.graph()
    except LoomError as error:
        diagnostics = error.diagnostics()
        print_diagnostics(diagnostics, workspace.root)
        click.echo(count_diagnostics(diagnostics), err=True)
        sys.exit(ExitCode.INVALID)


def asset_rows(graph: WorkspaceGraph) -> list[dict[str, Any]]:
    """The rows of ``list defs`` (the same fields as for a project), one per key."""
    rows = []
    for key in graph.toposorted():
        asset = graph.asset(key)
        source = asset.source if asset is not None else None
        rows.append(
            {
                "key": key.to_user_string(),
                "deps": [p.to_user_string() for p in graph.parent_list(key)],
                "group": asset.group_name if asset is not None else None,
                "kinds": list(asset.kinds) if asset is not None else [],
                "description": asset.description if asset is not None else None,
                "is_external": graph.is_external(key),
                "code_location": graph.code_location(key),
                "source": f"{source.path}:{source.line}" if source and source.line else None,
            }
        )
    return rows


def count_assets(graph: WorkspaceGraph, workspace: Workspace) -> str:
    loaded = len(workspace.locations) - len(workspace.failed_locations())
    return (
        f"{plural(len(graph), 'asset')} ({len(graph.external_keys)} external) in "
        f"{plural(loaded, 'code location')}"
    )


def list_workspace_defs(
    file: Path, as_json: bool, print_table: Callable[[list[dict[str, Any]]], None]
) -> None:
    """The joined graph, with each asset's location, history and staleness from the
    workspace's runs (an upstream asset materialized in another location makes it stale)."""
    from assetloom.cli.asset_history import asset_history

    with open_workspace(file) as workspace:
        failed = report_failed_locations(workspace)
        graph = joined_graph(workspace)
        rows = asset_rows(graph)
        history = asset_history(workspace_storage_project(file), graph.asset_graph)
        for row, key in zip(rows, graph.toposorted(), strict=True):
            row.update(history.get(key, {}))
        if as_json:
            echo_json({"assets": rows})
        else:
            print_table(rows)
            click.echo(count_assets(graph, workspace))
    if failed:
        sys.exit(ExitCode.INVALID)


def check_workspace_defs(file: Path, strict: bool, output_format: str) -> None:
    from assetloom.graph.lint import graph_diagnostics
    from assetloom.workspace.tree_warnings import tree_warnings

    with open_workspace(file) as workspace:
        diagnostics = [*location_diagnostics(workspace), *tree_warnings(workspace.config)]
        graph = None
        try:
            graph = workspace.graph()
        except LoomError as error:
            diagnostics += error.diagnostics()
        if graph is not None:
            diagnostics += graph_diagnostics(graph.asset_graph, workspace.declared_external)
        print_diagnostics(diagnostics, workspace.root, output_format)
        failed = any(d.severity is Severity.ERROR or strict for d in diagnostics)
        if output_format == "text":
            if failed or graph is None:
                click.echo(count_diagnostics(diagnostics), err=True)
            else:
                warnings = f", {count_diagnostics(diagnostics)}" if diagnostics else ""
                click.echo(f"all definitions loaded: {count_assets(graph, workspace)}{warnings}")
    if failed:
        sys.exit(ExitCode.INVALID)


@contextmanager
def recorded(workspace: Workspace, observer: EventObserver) -> Iterator[EventObserver]:
    """``observer``, and the workspace's run storage: one run record for the whole run."""
    from assetloom.cli.recording import open_project_storage
    from assetloom.storage.writer import StorageWriter

    with (
        open_project_storage(workspace_storage_project(workspace.config.file)) as storage,
        StorageWriter(storage) as writer,
    ):
        yield fan_out(writer, observer)


PROJECT_ONLY_OPTIONS = {
    "executor": "--executor",
    "max_concurrent": "--max-concurrent",
    "dask_address": "--dask-address",
    "step_timeout": "--step-timeout",
    "job_name": "--job",
    "config_file": "--config",
}


def _refuse_project_only_options() -> None:
    """Options a workspace run does not apply are refused when given, never ignored."""
    ctx = click.get_current_context()
    given = [
        flag
        for name, flag in PROJECT_ONLY_OPTIONS.items()
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    ]
    if given:
        raise click.UsageError(
            f"{', '.join(given)} {'apply' if len(given) > 1 else 'applies'} to a single "
            "project (--project); in a workspace each location runs its steps one after "
            "another in its own process"
        )


def materialize_workspace(
    file: Path,
    selection: str | None,
    observer: EventObserver,
    *,
    stale: bool = False,
    from_failure: str | None = None,
) -> None:
    """One run over every location; ``--stale`` and ``--from-failure`` narrow it with what
    the workspace's run storage remembers, as for a project."""
    from assetloom.cli.rerun import asked_for, failed_keys, stale_keys
    from assetloom.graph.selection import select_executable
    from assetloom.workspace.run import FAILURE, SKIPPED, SUCCESS, run_workspace

    if stale and from_failure:
        raise click.UsageError("--stale and --from-failure cannot be combined")
    _refuse_project_only_options()
    with open_workspace(file) as workspace:
        failed = report_failed_locations(workspace)
        graph = joined_graph(workspace)
        keys = graph.executable_keys if selection is None else select_executable(graph, selection)
        storage_project = workspace_storage_project(file)
        if stale:
            keys &= stale_keys(storage_project, graph.asset_graph)
        if from_failure is not None:
            keys &= failed_keys(storage_project, graph.asset_graph, from_failure)
        if not keys:
            click.echo("nothing to run: " + ("no asset is stale" if stale else "no step failed"))
            sys.exit(ExitCode.INVALID if failed else ExitCode.OK)
        asked = asked_for(selection, stale=stale, from_failure=from_failure)
        run_id = uuid.uuid4().hex
        try:
            with recorded(workspace, observer) as record:
                result = run_workspace(
                    workspace, keys, observer=record, selection=asked, run_id=run_id
                )
        except KeyboardInterrupt:
            click.echo(f"run {run_id} cancelled", err=True)
            sys.exit(ExitCode.CANCELLED)
    for failure in result.failures:
        where = f"{failure.source}: " if failure.source is not None else ""
        click.echo(f"\n{where}{failure.summary}\n{failure.traceback}", err=True)
    if result.errors:
        print_diagnostics([d for e in result.errors for d in e.diagnostics()], file.parent)
    click.echo(
        f"run {result.run_id}: {len(result.keys_with(SUCCESS))} materialized, "
        f"{len(result.keys_with(FAILURE))} failed, {len(result.keys_with(SKIPPED))} skipped"
    )
    if not result.success:
        sys.exit(ExitCode.RUN_FAILED)
    if failed:
        sys.exit(ExitCode.INVALID)


def for_each_project(file: Path, command: list[str], paths: Sequence[Path] = ()) -> None:
    """Commands about one project's files (``check yaml``, ``schema``) run once per project
    location, as ``loom --project <location> ...`` under the location's own interpreter
    (they import its component types). With ``paths``, only the locations holding one run,
    on those paths. Exits with the worst exit code."""
    from assetloom.workspace.config import LocationKind, read_workspace

    worst = 0
    for location in read_workspace(file).locations:
        if location.kind is not LocationKind.PROJECT:
            continue
        mine = [str(p) for p in paths if p.is_relative_to(location.root)]
        if paths and not mine:
            continue
        folder = os.path.relpath(location.root, file.parent)
        click.echo(f"code location `{location.name}` ({folder}/):", err=True)
        done = subprocess.run(
            [
                location.python or sys.executable,
                "-c",
                "from assetloom.cli.main import main; main()",
                "--project",
                str(location.root),
                *command,
                *mine,
            ],
            check=False,
        )
        worst = max(worst, done.returncode)
    sys.exit(worst)
