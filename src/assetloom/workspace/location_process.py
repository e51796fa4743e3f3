"""One code location's process: ``python -m assetloom.workspace.location_process LOCATION``.

Started by the workspace with the location's interpreter, in the location's folder, so the
location's code runs with its own ``sys.path``, environment and installed packages. It speaks
the protocol of :mod:`assetloom.workspace.protocol` on its stdin and stdout. The protocol gets
private copies of both file descriptors: whatever user code prints goes to stderr, and nothing
it reads can swallow a request.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from assetloom.assets.key import AssetKey
from assetloom.defs import Definitions
from assetloom.errors import CodeLocationError, LoomError
from assetloom.execution.events import RunEvent, StepFailed, StepRetried
from assetloom.workspace.config import LocationKind
from assetloom.workspace.location_loader import (
    declared_external_keys,
    forget_modules,
    load_location,
)
from assetloom.workspace.protocol import error_message, read_message, write_message
from assetloom.workspace.snapshot import Json, location_to_json, rebase, snapshot_assets

Send = Callable[[Json], None]
"""Writes one message to the workspace."""


class LocationServer:
    """Answers requests about one location; keeps its definitions loaded between them."""

    def __init__(self, kind: LocationKind, root: Path, target: str | None, prefix: str) -> None:
        self.kind = kind
        self.root = root
        self.target = target
        self.prefix = prefix
        self._defs: Definitions | None = None

    def handle(self, request: Json, send: Send) -> None:
        """Answer one request through ``send`` (intermediate messages, then a final one)."""
        request_id = request.get("id")
        try:
            op = request.get("op")
            if op == "snapshot":
                send(self._snapshot(request_id))
            elif op == "reload":
                forget_modules(self.root)
                self._defs = None
                send(self._snapshot(request_id))
            elif op == "execute":
                send(self._execute(request, send))
            else:
                raise CodeLocationError(f"unknown request `{op}`")
        except LoomError as error:
            send(error_message(request_id, error, self.prefix))
        except Exception as error:  # a bug or a misbehaving user object: report, keep serving
            failure = CodeLocationError(f"{type(error).__name__}: {error}")
            send(error_message(request_id, failure))

    def _loaded(self) -> Definitions:
        if self._defs is None:
            self._defs = load_location(self.kind, self.root, self.target)
        return self._defs

    def _snapshot(self, request_id: Any) -> Json:
        assets = snapshot_assets(self._loaded())
        return {
            "id": request_id,
            "type": "snapshot",
            "assets": [a.rebased(self.prefix).to_json() for a in assets],
            "declared_external": list(declared_external_keys(self.kind, self.root)),
        }

    def _execute(self, request: Json, send: Send) -> Json:
        from assetloom.execution.io_managers import FilesystemIOManager
        from assetloom.execution.materialize import materialize

        request_id = request["id"]

        def forward(event: RunEvent) -> None:
            event = self._rebased(event)
            send({"id": request_id, "type": "event", "event": event.to_json()})

        result = materialize(
            self._loaded(),
            selection=[AssetKey(parts) for parts in request["keys"]],
            raise_on_error=False,
            io_manager=FilesystemIOManager(request["storage_dir"]),
            observer=forward,
            run_id=request["run_id"],
        )
        return {
            "id": request_id,
            "type": "done",
            "outcomes": [[list(k.path), o.value] for k, o in result.outcomes.items()],
            "failures": [
                {
                    "summary": f.summary,
                    "location": location_to_json(rebase(f.location, self.prefix)),
                    "traceback": f.traceback,
                }
                for f in result.failures
            ],
        }

    def _rebased(self, event: RunEvent) -> RunEvent:
        """The event with the location of its error (if any) seen from the workspace."""
        if not isinstance(event, StepFailed | StepRetried) or not self.prefix:
            return event
        location = event.error.location
        if not location or location.startswith("/"):
            return event
        where = dataclasses.replace(event.error, location=f"{self.prefix}/{location}")
        return dataclasses.replace(event, error=where)


def _private_streams() -> tuple[IO[str], IO[str]]:
    """The protocol's own copies of stdin and stdout; fd 0 then reads nothing and fd 1 writes
    to stderr, for user code that prints or reads."""
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    responses = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    return requests, responses


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    location = json.loads(args[0])
    requests, responses = _private_streams()
    server = LocationServer(
        LocationKind(location["kind"]),
        Path(location["root"]),
        location["target"],
        location["prefix"],
    )

    def send(message: Json) -> None:
        write_message(responses, message)

    try:
        while (request := read_message(requests)) is not None and request.get("op") != "shutdown":
            server.handle(request, send)
    except KeyboardInterrupt:  # Ctrl-C in loom's terminal reaches every location: loom reports
        sys.exit(130)


if __name__ == "__main__":
    main()
