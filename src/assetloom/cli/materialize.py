"""``loom materialize``: run the selected assets, values stored on disk under ``.loom/``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assetloom.assets.key import AssetKey
from assetloom.cli.exit_codes import ExitCode
from assetloom.cli.loading import load_project_definitions
from assetloom.cli.progress import progress_display
from assetloom.cli.project_option import project_option
from assetloom.cli.rerun import asked_for, failed_keys, stale_keys
from assetloom.cli.workspace_option import current_workspace_file
from assetloom.defs import Definitions
from assetloom.execution.executors import EXECUTOR_NAMES
from assetloom.project import Project

if TYPE_CHECKING:
    from assetloom.execution.materialize import Selection



@click.command("materialize")
@project_option
@click.option("--select", "selection", default=None, help="Asset selection (default: all).")
@click.option(
    "--job",
    "job_name",
    default=None,
    metavar="NAME",
    help="Run the assets of the job NAME (define_asset_job), with its run config and tags.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE.yaml",
    help="Run config, Dagster's shape: `ops: {asset_name: {config: {...}}}`.",
)
@click.option(
    "--executor",
    type=click.Choice(EXECUTOR_NAMES),
    default="multiprocess",
    show_default=True,
    help="Where steps run: this process, a pool of worker processes, or a Dask cluster.",
)
@click.option(
    "--max-concurrent",
    type=click.IntRange(min=1),
    default=None,
    help="Steps running at once (multiprocess, and workers of a local Dask cluster; "
    "default: the number of CPUs).",
)
@click.option(
    "--dask-address",
    default=None,
    metavar="tcp://HOST:PORT",
    help="An existing Dask scheduler (default: start a local cluster).",
)
@click.option(
    "--stale",
    is_flag=True,
    help="Only the stale assets (see `loom list defs`), within --select if given.",
)
@click.option(
    "--from-failure",
    metavar="RUN_ID",
    default=None,
    help="Rerun the failed and skipped steps of run RUN_ID (see `loom runs list`).",
)
@click.option(
    "--step-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    metavar="SECONDS",
    help="Fail a step that runs longer (an asset's `assetloom/timeout` tag overrides it).",
)
def materialize_command(
    selection: str | None,
    executor: str,
    max_concurrent: int | None,
    dask_address: str | None,
    step_timeout: float | None,
    stale: bool,
    from_failure: str | None,
    job_name: str | None,
    config_file: Path | None,
) -> None:
    """Materialize assets of the project (all, or --select)."""
    workspace_file = current_workspace_file()
    if workspace_file is not None:
        from assetloom.cli.workspace_commands import materialize_workspace

        with progress_display() as display:
            materialize_workspace(
                workspace_file, selection, display, stale=stale, from_failure=from_failure
            )
        return
    if stale and from_failure:
        raise click.UsageError("--stale and --from-failure cannot be combined")
    project, defs = load_project_definitions()
    if job_name is not None and selection is not None:
        raise click.UsageError("--job and --select cannot be combined")
    from assetloom.config import read_run_config_file

    job = defs.get_job_def(job_name).job if job_name is not None else None
    run_config = (
        read_run_config_file(config_file, os.path.relpath(config_file))
        if config_file is not None
        else job.config
        if job is not None
        else None
    )
    from assetloom.cli.recording import recorded_run
    from assetloom.execution.executors import executor_named
    from assetloom.execution.io_managers import FilesystemIOManager
    from assetloom.execution.materialize import materialize

    base_selection = job.selection if job is not None else selection
    run_selection = _narrowed(project, defs, base_selection, stale, from_failure)
    if not run_selection and run_selection is not None:
        click.echo("nothing to run: " + ("no asset is stale" if stale else "no step failed"))
        return
    asked = asked_for(selection, job=job_name, stale=stale, from_failure=from_failure)
    with recorded_run(project, asked) as observer:
        result = materialize(
            defs,
            selection=run_selection if run_selection is not None else base_selection,
            raise_on_error=False,
            io_manager=FilesystemIOManager(project.storage_dir / "storage"),
            observer=observer,
            executor=executor_named(
                executor, max_concurrent=max_concurrent, dask_address=dask_address
            ),
            step_timeout=step_timeout,
            project_root=project.root,
            run_config=run_config,
            tags=dict(job.tags) if job is not None else None,
        )
    for failure in result.failures:
        where = f"{failure.location}: " if failure.location is not None else ""
        # A cause that stops the run (the warehouse is gone) is about the run, not the code.
        trace = "" if getattr(failure.error, "stops_run", False) else failure.traceback
        click.echo(f"\n{where}{failure.summary}\n{trace}", err=True)
    counts = (
        f"{len(result.succeeded_keys)} materialized, {len(result.failed_keys)} failed, "
        f"{len(result.skipped_keys)} skipped"
    )
    if result.cancelled:
        click.echo(f"run {result.run_id} cancelled: {counts}")
        raise SystemExit(ExitCode.CANCELLED)
    click.echo(f"run {result.run_id}: {counts}")
    if not result.success:
        raise SystemExit(ExitCode.RUN_FAILED)


def _narrowed(
    project: Project,
    defs: Definitions,
    selection: Selection,
    stale: bool,
    from_failure: str | None,
) -> list[AssetKey] | None:
    """The assets ``--stale`` / ``--from-failure`` leave of the selection (None: neither)."""
    if not stale and from_failure is None:
        return None
    from assetloom.execution.materialize import resolve_selection

    graph = defs.resolve_asset_graph()
    keys = resolve_selection(graph, selection)
    if stale:
        keys &= stale_keys(project, graph)
    if from_failure is not None:
        keys &= failed_keys(project, graph, from_failure)
    return sorted(keys)
