"""Off a terminal, a run prints one plain line per event; a materialized asset's line shows
its metadata, and its log lines come before it."""

from __future__ import annotations

import io

from assetloom.assets.key import AssetKey
from assetloom.cli.progress import PlainProgress
from assetloom.execution.events import (
    AssetMaterialized,
    CheckEvaluated,
    ErrorInfo,
    LogMessage,
    RunEvent,
    RunStarted,
    RunSucceeded,
    StepFailed,
    StepRetried,
    StepSkipped,
    StepStarted,
    StepSucceeded,
)

ORDERS, REPORT = AssetKey("shop/orders"), AssetKey("report")
BOOM = ErrorInfo("ValueError", "boom")


def printed(events: list[RunEvent]) -> list[str]:
    out = io.StringIO()
    display = PlainProgress(out)
    for event in events:
        display(event)
    return out.getvalue().splitlines()


def test_each_step_prints_its_start_logs_and_end_with_metadata() -> None:
    assert printed(
        [
            RunStarted(run_id="r1", step_keys=("orders", "report")),
            StepStarted(run_id="r1", step="orders", asset_keys=(ORDERS,)),
            LogMessage(run_id="r1", step="orders", level="INFO", message="read 58 rows"),
            AssetMaterialized(run_id="r1", step="orders", key=ORDERS, metadata={"rows": 58}),
            CheckEvaluated(run_id="r1", step="orders", key=ORDERS, check_name="ok", passed=True),
            StepSucceeded(run_id="r1", step="orders", asset_keys=(ORDERS,), duration=0.08),
            StepRetried(
                run_id="r1", step="report", asset_keys=(REPORT,), attempt=1, delay=2, error=BOOM
            ),
            StepFailed(run_id="r1", step="report", asset_keys=(REPORT,), duration=0.5, error=BOOM),
            StepSkipped(
                run_id="r1",
                step="tail",
                asset_keys=(AssetKey("tail"),),
                reason="upstream `report` did not materialize",
            ),
            RunSucceeded(run_id="r1"),
        ]
    ) == [
        "run r1: 2 steps",
        "started  shop/orders",
        "    log  orders  INFO read 58 rows",
        "  check  shop/orders  ok passed",
        "     ok  shop/orders  (0.08s)  rows: 58",
        "  retry  report  attempt 1 failed: ValueError: boom; retrying in 2s",
        " FAILED  report  (0.50s)  ValueError: boom",
        "skipped  tail  (upstream `report` did not materialize)",
    ]


def test_a_multi_asset_step_names_the_asset_of_each_metadata() -> None:
    a, b = AssetKey("a"), AssetKey("b")
    lines = printed(
        [
            AssetMaterialized(run_id="r", step="both", key=a, metadata={"rows": 1}),
            AssetMaterialized(
                run_id="r", step="both", key=b, metadata={"rows": 2, "path": "x" * 80}
            ),
            StepSucceeded(run_id="r", step="both", asset_keys=(a, b), duration=1),
        ]
    )
    assert lines == [f"     ok  a, b  (1.00s)  a: rows: 1; b: rows: 2, path: {'x' * 59}…"]


def test_on_a_terminal_running_assets_and_counts_are_drawn_live() -> None:
    from rich.console import Console

    from assetloom.cli.progress import LiveProgress

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100, color_system=None)
    display = LiveProgress(console)
    with display:
        display(RunStarted(run_id="r1", step_keys=("orders", "report")))
        display(StepStarted(run_id="r1", step="orders", asset_keys=(ORDERS,)))
        display(StepStarted(run_id="r1", step="report", asset_keys=(REPORT,)))
        display(AssetMaterialized(run_id="r1", step="orders", key=ORDERS, metadata={"rows": 58}))
        display(StepSucceeded(run_id="r1", step="orders", asset_keys=(ORDERS,), duration=0.08))
        console.print(display.render())
    drawn = screen.getvalue()
    assert "     ok  shop/orders  (0.08s)  rows: 58" in drawn
    assert "running  report" in drawn
    assert "1/2 steps  1 ok  0 failed  0 skipped  1 running" in drawn
