"""The line-delimited JSON protocol between the workspace and a location process.

One JSON object per line. The workspace sends requests ``{"id": n, "op": ...}``:

- ``snapshot``: load (once) and describe the definitions;
- ``reload``: forget the location's modules, load again, describe;
- ``execute`` with ``keys`` (each a list of key parts), ``run_id`` and ``storage_dir``: run
  those assets, storing values under ``storage_dir``;
- ``shutdown`` (or end of input): exit.

The process answers each request with zero or more ``event`` messages (while an ``execute``
runs: each run event of :mod:`assetloom.execution.events` in its JSON form) and one final
message: ``snapshot`` (``assets``), ``done`` (``outcomes``, ``failures``), or ``errors`` (every
located problem, when the location failed to load or a request failed).
"""

from __future__ import annotations

import dataclasses
import json
from typing import IO, Any, Final

from assetloom.errors import Diagnostic, LoomError
from assetloom.workspace.snapshot import Json, location_from_json, location_to_json, rebase

FINAL_TYPES: Final = frozenset({"snapshot", "done", "errors"})


def write_message(stream: IO[str], message: Json) -> None:
    stream.write(json.dumps(message, separators=(",", ":")) + "\n")
    stream.flush()


def read_message(stream: IO[str]) -> Json | None:
    """The next message, or None at the end of the stream."""
    line = stream.readline()
    if not line:
        return None
    message = json.loads(line)
    if not isinstance(message, dict):
        raise ValueError(f"expected a JSON object, got {type(message).__name__}")
    return message


def errors_to_json(error: LoomError, prefix: str = "") -> list[Json]:
    """Every problem ``error`` stands for, its paths put under ``prefix`` (see ``rebase``)."""
    return [
        {
            "message": leaf.message,
            "code": leaf.code,
            "hint": leaf.hint,
            "location": location_to_json(rebase(leaf.location, prefix)),
            "related": [location_to_json(rebase(r, prefix)) for r in leaf.related],
        }
        for leaf in error.iter_errors()
    ]


class LocationError(LoomError):
    """An error a location process reported, drawn with the code it had there."""

    def __init__(self, message: str, *, reported_code: str, **details: Any) -> None:
        super().__init__(message, **details)
        self.reported_code = reported_code

    def to_diagnostic(self) -> Diagnostic:
        return dataclasses.replace(super().to_diagnostic(), code=self.reported_code)


def errors_from_json(data: list[Json]) -> list[LoomError]:
    return [
        LocationError(
            item["message"],
            reported_code=item["code"],
            hint=item["hint"],
            location=location_from_json(item["location"]),
            related=[r for r in map(location_from_json, item["related"]) if r is not None],
        )
        for item in data
    ]


def error_message(request_id: Any, error: LoomError, prefix: str = "") -> Json:
    return {"id": request_id, "type": "errors", "errors": errors_to_json(error, prefix)}
