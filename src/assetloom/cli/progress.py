"""What ``loom materialize`` shows while a run goes on.

On a terminal, a live display (rich): a line per running asset with its elapsed time, and
counts plus the run's elapsed time, redrawn in place; finished steps scroll above it.
Anywhere else (CI logs, pipes), one plain line per event. Both show each materialized asset's
metadata (``rows: 58``) on its line, and every ``context.log`` line.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import IO, Any

from assetloom.cli.counts import plural
from assetloom.execution.events import (
    AssetMaterialized,
    CheckEvaluated,
    JsonValue,
    LogMessage,
    RunEvent,
    RunStarted,
    StepEvent,
    StepFailed,
    StepRetried,
    StepSkipped,
    StepStarted,
    StepSucceeded,
)

MAX_VALUE_WIDTH = 60


class PlainProgress:
    """One line per event, written as it happens."""

    def __init__(self, out: IO[str] | None = None) -> None:
        self._out = out or sys.stdout
        self._metadata: dict[str, list[AssetMaterialized]] = {}

    def __call__(self, event: RunEvent) -> None:
        line = self.line(event)
        if line is not None:
            self._out.write(line + "\n")
            self._out.flush()

    def __enter__(self) -> PlainProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def line(self, event: RunEvent) -> str | None:
        """The line ``event`` prints, or None; materialization metadata waits for its step's
        line, so a step is one line however many things it reports."""
        if isinstance(event, AssetMaterialized):
            self._metadata.setdefault(event.step, []).append(event)
            return None
        if isinstance(event, RunStarted):
            steps = len(event.step_keys)
            return f"run {event.run_id}: {plural(steps, 'step')}"
        if not isinstance(event, StepEvent | LogMessage | CheckEvaluated):
            return None
        return _step_line(event, self._metadata)


def _step_line(
    event: StepEvent | LogMessage | CheckEvaluated, metadata: dict[str, list[AssetMaterialized]]
) -> str | None:
    if isinstance(event, LogMessage):
        return _row("log", event.step or "", f"{event.level} {event.message}")
    if isinstance(event, CheckEvaluated):
        verdict = "passed" if event.passed else "FAILED"
        about = f"  {event.description}" if event.description else ""
        return _row("check", event.key.to_user_string(), f"{event.check_name} {verdict}{about}")
    keys = ", ".join(k.to_user_string() for k in event.asset_keys) or event.step
    if isinstance(event, StepStarted):
        return _row("started", keys, "")
    if isinstance(event, StepSucceeded):
        details = _metadata_text(metadata.pop(event.step, []), several=len(event.asset_keys) > 1)
        return _row("ok", keys, f"({event.duration:.2f}s)  {details}")
    if isinstance(event, StepFailed):
        return _row("FAILED", keys, f"({event.duration:.2f}s)  {event.error.summary}")
    if isinstance(event, StepSkipped):
        return _row("skipped", keys, f"({event.reason})" if event.reason else "")
    if isinstance(event, StepRetried):
        delay = f"; retrying in {event.delay:g}s" if event.delay else "; retrying"
        return _row("retry", keys, f"attempt {event.attempt} failed: {event.error.summary}{delay}")
    return None


def _row(mark: str, keys: str, details: str) -> str:
    return f"{mark:>7}  {keys}  {details}".rstrip()


def _metadata_text(materialized: list[AssetMaterialized], *, several: bool) -> str:
    """``rows: 58, path: /tmp/x``; in a multi-asset step, ``a: rows: 1; b: rows: 2``."""
    texts = []
    for event in materialized:
        text = format_metadata(event.metadata)
        if text:
            texts.append(f"{event.key.to_user_string()}: {text}" if several else text)
    return "; ".join(texts)


def format_metadata(metadata: Mapping[str, JsonValue]) -> str:
    return ", ".join(f"{name}: {_short(value)}" for name, value in metadata.items())


def _short(value: JsonValue) -> str:
    text = repr(round(value, 6)) if isinstance(value, float) else str(value)
    return text if len(text) <= MAX_VALUE_WIDTH else text[: MAX_VALUE_WIDTH - 1] + "…"


class LiveProgress:
    """The terminal display: finished steps print above a live block of running ones."""

    def __init__(self, console: Any = None) -> None:
        from rich.console import Console
        from rich.live import Live

        self._console = console or Console()
        self._plain = PlainProgress()
        self._running: dict[str, tuple[str, float]] = {}
        self._counts = {"ok": 0, "failed": 0, "skipped": 0}
        self._steps = 0
        self._started = time.monotonic()
        self._live = Live(
            console=self._console,
            get_renderable=self.render,
            refresh_per_second=8,
            transient=True,
        )

    def __enter__(self) -> LiveProgress:
        self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.stop()

    def __call__(self, event: RunEvent) -> None:
        if isinstance(event, RunStarted):
            self._steps = len(event.step_keys)
        elif isinstance(event, StepStarted):
            keys = ", ".join(k.to_user_string() for k in event.asset_keys) or event.step
            self._running[event.step] = (keys, time.monotonic())
            return  # shown in the live block, not as a line
        elif isinstance(event, StepSucceeded | StepFailed | StepSkipped):
            self._running.pop(event.step, None)
            outcome = {StepSucceeded: "ok", StepFailed: "failed", StepSkipped: "skipped"}
            self._counts[outcome[type(event)]] += 1
        line = self._plain.line(event)
        if line is not None:
            self._console.print(_styled(line), highlight=False)

    def render(self) -> Any:
        """The live block as it stands: running assets, counts, elapsed time."""
        from rich.table import Table

        now = time.monotonic()
        table = Table.grid(padding=(0, 2))
        for keys, since in list(self._running.values()):
            table.add_row("[cyan]running[/]", keys, f"{now - since:.1f}s")
        done = sum(self._counts.values())
        table.add_row(
            "",
            f"[bold]{done}/{self._steps} steps[/]  {self._counts['ok']} ok  "
            f"[red]{self._counts['failed']} failed[/]  "
            f"[yellow]{self._counts['skipped']} skipped[/]  {len(self._running)} running",
            f"{now - self._started:.1f}s",
        )
        return table


_STYLES = {"ok": "green", "FAILED": "bold red", "skipped": "yellow", "retry": "yellow"}


def _styled(line: str) -> Any:
    from rich.text import Text

    text = Text(line)
    mark = line.split(maxsplit=1)[0] if line.strip() else ""
    style = _STYLES.get(mark)
    if style:
        text.stylize(style, 0, line.index(mark) + len(mark))
    return text


def progress_display() -> PlainProgress | LiveProgress:
    """The live display on a terminal, plain lines anywhere else."""
    if sys.stdout.isatty():
        return LiveProgress()
    return PlainProgress()
