"""``loom materialize``: run the selected assets in this process, values stored on disk."""

from __future__ import annotations

import click

from assetloom.cli.exit_codes import ExitCode
from assetloom.cli.loading import load_project_definitions
from assetloom.cli.project_option import project_option
from assetloom.execution.executors.in_process import StepEvent
from assetloom.execution.result import AssetOutcome

MARKS = {
    AssetOutcome.SUCCESS: "ok",
    AssetOutcome.FAILURE: "FAILED",
    AssetOutcome.SKIPPED: "skipped",
}


@click.command("materialize")
@project_option
@click.option("--select", "selection", default=None, help="Asset selection (default: all).")
def materialize_command(selection: str | None) -> None:
    """Materialize assets of the project (all, or --select)."""
    project, defs = load_project_definitions()
    from assetloom.execution.io_managers import FilesystemIOManager
    from assetloom.execution.materialize import materialize

    result = materialize(
        defs,
        selection=selection,
        raise_on_error=False,
        io_manager=FilesystemIOManager(project.storage_dir / "storage"),
        observer=_print_step,
    )
    for failure in result.failures:
        click.echo(f"\n{failure.location}: {failure.summary}\n{failure.traceback}", err=True)
    click.echo(
        f"run {result.run_id}: {len(result.succeeded_keys)} materialized, "
        f"{len(result.failed_keys)} failed, {len(result.skipped_keys)} skipped"
    )
    if not result.success:
        raise SystemExit(ExitCode.RUN_FAILED)


def _print_step(event: StepEvent) -> None:
    keys = ", ".join(k.to_user_string() for k in event.asset_keys)
    click.echo(f"{MARKS[event.outcome]:>7}  {keys}  ({event.duration:.2f}s)")
