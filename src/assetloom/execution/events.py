"""The events a run reports, one type per thing that happens.

Every executor emits these through one observer callback (``EventObserver``); the CLI fans them
out to the progress display and to run storage. They are frozen and small so that they can be
pickled across worker processes and Dask tasks, and each has a JSON form (``to_json`` /
``event_from_json``) so storage can keep the event log as text without knowing the types.

Map of the events::

    RunEvent                  run_id, timestamp (seconds since the epoch)
      RunStarted              the planned step keys and asset keys, the selection
      RunSucceeded / RunFailed (error) / RunCancelled
      StepEvent               + step_key, asset_keys (a multi-asset step has several)
        StepStarted
        StepSucceeded / StepFailed (error) / StepSkipped (reason)   + duration
        StepRetried           + attempt, delay, error
      AssetEvent              + step_key, asset_key, metadata (JSON values)
        AssetMaterialized     + code_version
        CheckEvaluated        + check_name, passed, description
      LogMessage              + step_key, level, message (``context.log`` lines)
"""

from __future__ import annotations

import dataclasses
import math
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias

from assetloom.assets.key import AssetKey

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """An exception reduced to text: events cross process boundaries, exceptions may not."""

    type_name: str
    message: str
    traceback: str = ""
    location: str | None = None

    @classmethod
    def from_exception(cls, error: BaseException, location: object = None) -> ErrorInfo:
        formatted = "".join(traceback.format_exception(error))
        where = str(location) if location is not None else None
        return cls(type(error).__name__, str(error), formatted, where)

    @property
    def summary(self) -> str:
        return f"{self.type_name}: {self.message}"

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "type_name": self.type_name,
            "message": self.message,
            "traceback": self.traceback,
            "location": self.location,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ErrorInfo:
        return cls(data["type_name"], data["message"], data["traceback"], data["location"])


@dataclass(frozen=True, slots=True, kw_only=True)
class RunEvent:
    """What every event carries. ``kind`` names the type in the JSON form and in storage."""

    kind: ClassVar[str] = "event"
    run_id: str
    timestamp: float = field(default_factory=time.time)

    @property
    def step_key(self) -> str | None:
        """The step the event belongs to (None for run-level events)."""
        return None

    @property
    def asset_key(self) -> AssetKey | None:
        """The one asset the event is about (None when it is about several or none)."""
        return None

    def to_json(self) -> dict[str, JsonValue]:
        data: dict[str, JsonValue] = {"kind": self.kind}
        for f in dataclasses.fields(self):
            data[f.name] = _encode(getattr(self, f.name))
        return data

    def to_json_text(self) -> str:
        import json  # here: only run storage writes events as text

        return json.dumps(self.to_json(), separators=(",", ":"), allow_nan=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunStarted(RunEvent):
    kind: ClassVar[str] = "run_started"
    step_keys: tuple[str, ...] = ()
    asset_keys: tuple[AssetKey, ...] = ()
    selection: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSucceeded(RunEvent):
    kind: ClassVar[str] = "run_succeeded"


@dataclass(frozen=True, slots=True, kw_only=True)
class RunFailed(RunEvent):
    """The run ended with failed steps (``error`` is None) or could not go on (``error``)."""

    kind: ClassVar[str] = "run_failed"
    error: ErrorInfo | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RunCancelled(RunEvent):
    kind: ClassVar[str] = "run_cancelled"


@dataclass(frozen=True, slots=True, kw_only=True)
class StepEvent(RunEvent):
    """An event about one step: one asset function (or multi-asset) of the plan."""

    step: str
    asset_keys: tuple[AssetKey, ...] = ()

    @property
    def step_key(self) -> str | None:
        return self.step

    @property
    def asset_key(self) -> AssetKey | None:
        return self.asset_keys[0] if len(self.asset_keys) == 1 else None


@dataclass(frozen=True, slots=True, kw_only=True)
class StepStarted(StepEvent):
    kind: ClassVar[str] = "step_started"


@dataclass(frozen=True, slots=True, kw_only=True)
class StepSucceeded(StepEvent):
    kind: ClassVar[str] = "step_succeeded"
    duration: float


@dataclass(frozen=True, slots=True, kw_only=True)
class StepFailed(StepEvent):
    kind: ClassVar[str] = "step_failed"
    duration: float
    error: ErrorInfo


@dataclass(frozen=True, slots=True, kw_only=True)
class StepSkipped(StepEvent):
    """The step did not run, because an upstream step failed or was skipped."""

    kind: ClassVar[str] = "step_skipped"
    duration: float = 0.0
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StepRetried(StepEvent):
    """Attempt ``attempt`` (1-based) failed with ``error``; the next starts after ``delay``."""

    kind: ClassVar[str] = "step_retried"
    attempt: int
    delay: float
    error: ErrorInfo


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetEvent(RunEvent):
    """Something a step reported about one of its assets, with metadata kept as JSON values
    (converted here, so every executor and storage sees the same form)."""

    step: str
    key: AssetKey
    metadata: Mapping[str, JsonValue] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", json_metadata(self.metadata))

    @property
    def step_key(self) -> str | None:
        return self.step

    @property
    def asset_key(self) -> AssetKey | None:
        return self.key


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetMaterialized(AssetEvent):
    """``code_version`` is the asset's at the time, so staleness can compare it later."""

    kind: ClassVar[str] = "asset_materialized"
    code_version: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckEvaluated(AssetEvent):
    kind: ClassVar[str] = "check_evaluated"
    check_name: str
    passed: bool
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LogMessage(RunEvent):
    """A line an asset logged through ``context.log``."""

    kind: ClassVar[str] = "log_message"
    step: str | None
    level: str
    message: str

    @property
    def step_key(self) -> str | None:
        return self.step


EventObserver: TypeAlias = Callable[[RunEvent], None]
"""The one callback through which an executor reports everything that happens in a run."""

EVENT_TYPES: Mapping[str, type[RunEvent]] = {
    cls.kind: cls
    for cls in (
        RunStarted,
        RunSucceeded,
        RunFailed,
        RunCancelled,
        StepStarted,
        StepSucceeded,
        StepFailed,
        StepSkipped,
        StepRetried,
        AssetMaterialized,
        CheckEvaluated,
        LogMessage,
    )
}

RUN_END_KINDS = frozenset({RunSucceeded.kind, RunFailed.kind, RunCancelled.kind})


def event_from_json(data: Mapping[str, Any]) -> RunEvent:
    """The event ``RunEvent.to_json`` produced ``data`` from."""
    cls = EVENT_TYPES.get(data.get("kind", ""))
    if cls is None:
        raise ValueError(f"unknown event kind {data.get('kind')!r}")
    names = {f.name for f in dataclasses.fields(cls)}
    values = {name: _decode(name, value) for name, value in data.items() if name in names}
    return cls(**values)


def event_from_json_text(text: str) -> RunEvent:
    import json

    return event_from_json(json.loads(text))


def json_metadata(metadata: Mapping[str, Any]) -> dict[str, JsonValue]:
    """Metadata as JSON values: numbers, strings, lists and mappings stay; the rest is text."""
    return {str(name): _json_value(value) for name, value in metadata.items()}


def _json_value(value: Any) -> JsonValue:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, AssetKey):
        return value.to_user_string()
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    inner = getattr(value, "value", None)  # MetadataValue-like wrappers hold their value here
    if inner is not None and inner is not value:
        return _json_value(inner)
    return str(value)


def _encode(value: Any) -> JsonValue:
    if isinstance(value, AssetKey):
        return value.to_user_string()
    if isinstance(value, ErrorInfo):
        return value.to_json()
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return dict(value)
    return value  # type: ignore[no-any-return]


_DECODERS: Mapping[str, Callable[[Any], Any]] = {
    "key": AssetKey.from_user_string,
    "asset_keys": lambda keys: tuple(AssetKey.from_user_string(k) for k in keys),
    "step_keys": tuple,
    "error": lambda error: None if error is None else ErrorInfo.from_json(error),
}


def _decode(name: str, value: Any) -> Any:
    decoder = _DECODERS.get(name)
    return value if decoder is None else decoder(value)


def fan_out(*observers: EventObserver) -> EventObserver:
    """One observer that hands each event to every one of ``observers``, in order."""

    def observe(event: RunEvent) -> None:
        for observer in observers:
            observer(event)

    return observe
