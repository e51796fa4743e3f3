"""``loom runs list`` and ``loom runs show RUN_ID``: the recorded history of the project."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import click

from assetloom.cli.json_output import echo_json
from assetloom.cli.progress import format_metadata
from assetloom.cli.project_option import project_option
from assetloom.cli.recording import existing_project_storage
from assetloom.cli.workspace_option import current_storage_project
from assetloom.errors import UnknownRunError
from assetloom.storage.history import steps_of_run
from assetloom.storage.records import RunRecord, RunStatus, StepRecord

SHORT_ID = 12


@click.group("runs")
def runs_group() -> None:
    """The recorded runs of the project."""


@runs_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@project_option
def list_runs_command(as_json: bool, limit: int) -> None:
    """The latest runs, newest first."""
    storage = existing_project_storage(current_storage_project())
    records: list[RunRecord] = []
    if storage is not None:
        with storage:
            records = storage.runs(limit=limit)
    if as_json:
        echo_json({"runs": [run_json(r) for r in records]})
        return
    if not records:
        click.echo("no runs recorded yet (loom materialize records one)")
        return
    rows = [
        (
            r.run_id[:SHORT_ID],
            r.status.value,
            _when(r.started_at),
            _seconds(r.duration),
            _counts(r),
            r.selection or "*",
        )
        for r in records
    ]
    _print_table(("run", "status", "started", "duration", "steps", "selection"), rows)


@runs_group.command("show")
@click.argument("run_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools.")
@project_option
def show_run_command(run_id: str, as_json: bool) -> None:
    """One run (RUN_ID or a unique prefix): each step with its status, duration, metadata,
    log lines and error."""
    storage = existing_project_storage(current_storage_project())
    if storage is None:
        raise UnknownRunError(f"no run has id `{run_id}`: no runs recorded yet")
    with storage:
        record = storage.run(run_id)
        steps = steps_of_run(
            storage.events(record.run_id), run_ended=record.status is not RunStatus.STARTED
        )
    if as_json:
        payload = {"run": run_json(record), "steps": [step_json(s) for s in steps]}
        echo_json(payload)
        return
    _print_run(record, steps)


def run_json(record: RunRecord) -> dict[str, Any]:
    return {
        "run_id": record.run_id,
        "status": record.status.value,
        "started_at": record.started_at,
        "ended_at": record.ended_at,
        "duration": record.duration,
        "selection": record.selection,
        "pid": record.pid,
        "hostname": record.hostname,
        "error": record.error,
        "steps": dict(record.step_counts),
    }


def step_json(step: StepRecord) -> dict[str, Any]:
    return {
        "step": step.step_key,
        "asset_keys": [k.to_user_string() for k in step.asset_keys],
        "status": step.status.value,
        "started_at": step.started_at,
        "duration": step.duration,
        "attempts": step.attempts,
        "metadata": {key: dict(values) for key, values in step.metadata.items()},
        "checks": [{"name": name, "passed": passed} for name, passed in step.checks],
        "logs": [{"level": level, "message": message} for level, message in step.logs],
        "error": step.error,
    }


def _print_run(record: RunRecord, steps: list[StepRecord]) -> None:
    click.echo(f"run {record.run_id}  {record.status.value}")
    click.echo(f"  started   {_when(record.started_at)}  ({_seconds(record.duration)})")
    click.echo(f"  selection {record.selection or '*'}")
    if record.pid is not None:
        click.echo(f"  process   {record.pid} on {record.hostname}")
    if record.error:
        click.echo(f"  error     {record.error}")
    for step in steps:
        keys = ", ".join(k.to_user_string() for k in step.asset_keys) or step.step_key
        retries = f"  ({step.attempts} attempts)" if step.attempts > 1 else ""
        click.echo(f"\n{step.status.value:>11}  {keys}  {_seconds(step.duration)}{retries}")
        for key, metadata in step.metadata.items():
            if metadata:
                prefix = f"{key}: " if len(step.metadata) > 1 else ""
                click.echo(f"{'':>13}{prefix}{format_metadata(metadata)}")
        for name, passed in step.checks:
            click.echo(f"{'':>13}check {name}: {'passed' if passed else 'FAILED'}")
        for level, message in step.logs:
            click.echo(f"{'':>13}{level} {message}")
        if step.error:
            for line in step.error.rstrip().splitlines():
                click.echo(f"{'':>13}{line}")


def _counts(record: RunRecord) -> str:
    counts = record.step_counts
    parts = [f"{counts[k]} {k}" for k in ("succeeded", "failed", "skipped") if counts.get(k)]
    return ", ".join(parts) or "-"


def _when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))


def _seconds(duration: float | None) -> str:
    return "-" if duration is None else f"{duration:.2f}s"


def _print_table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    for cells in (headers, *rows):
        click.echo("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
