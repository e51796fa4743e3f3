"""What run storage hands back: plain values, never database rows."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from assetloom.assets.key import AssetKey
from assetloom.execution.events import JsonValue


class RunStatus(enum.StrEnum):
    STARTED = "started"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class StepStatus(enum.StrEnum):
    STARTED = "started"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    INTERRUPTED = "interrupted"  # started, and the run ended (or died) before the step did


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One run: who ran it (pid on host), when, what it selected, and how it ended."""

    run_id: str
    status: RunStatus
    started_at: float
    ended_at: float | None
    selection: str | None
    pid: int | None
    hostname: str | None
    heartbeat_at: float | None
    error: str | None
    step_counts: Mapping[str, int]

    @property
    def duration(self) -> float | None:
        return None if self.ended_at is None else self.ended_at - self.started_at


@dataclass(frozen=True, slots=True)
class AssetState:
    """The latest materialization of an asset and the latest outcome of its step.

    They differ when the last run of the asset failed: ``materialized_at`` still tells how
    fresh the stored value is, ``last_status`` that the latest attempt did not succeed.
    """

    key: AssetKey
    materialized_at: float | None
    materialized_run_id: str | None
    code_version: str | None
    last_status: StepStatus | None
    last_run_id: str | None
    last_status_at: float | None


@dataclass(frozen=True, slots=True)
class StepRecord:
    """One step of a run, gathered from its events (``loom runs show``)."""

    step_key: str
    asset_keys: tuple[AssetKey, ...]
    status: StepStatus
    started_at: float | None
    duration: float | None
    attempts: int
    metadata: Mapping[str, Mapping[str, JsonValue]]  # asset key -> its materialization metadata
    checks: tuple[tuple[str, bool], ...]  # (check name, passed)
    logs: tuple[tuple[str, str], ...]  # (level, message)
    error: str | None
