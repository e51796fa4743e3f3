"""The workspace's end of a location process: start it, send requests, read the answers.

The child's stderr is relayed line by line to ours (so what user code prints is seen) and its
last lines are kept: a process that dies before answering (a wrong interpreter, assetloom not
installed in it) is reported with them.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from assetloom.errors import CodeLocationError
from assetloom.workspace.config import LocationConfig
from assetloom.workspace.protocol import (
    FINAL_TYPES,
    error_message,
    read_message,
    write_message,
)
from assetloom.workspace.snapshot import Json

STDERR_TAIL = 20
SHUTDOWN_TIMEOUT = 10.0


class LocationProcess:
    """One running location process; requests are answered in the order they were sent."""

    def __init__(self, config: LocationConfig, workspace_root: Path) -> None:
        self.config = config
        self._ids = itertools.count(1)
        self._shutting_down = False
        self._stderr_tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL)
        location = {
            "kind": config.kind.value,
            "root": str(config.root),
            "target": config.target,
            "prefix": location_prefix(config.root, workspace_root),
        }
        command = [
            config.python or sys.executable,
            "-m",
            "assetloom.workspace.location_process",
            json.dumps(location),
        ]
        if not config.root.is_dir():
            raise CodeLocationError(
                f"code location `{config.name}` cannot start: no folder {config.root}",
                location=config.declared_at,
            )
        try:
            self._process = subprocess.Popen(
                command,
                cwd=config.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
        except OSError as error:
            raise CodeLocationError(
                f"code location `{config.name}` cannot start: {error.strerror}: "
                f"{error.filename or command[0]}",
                location=config.declared_at,
            ) from None
        assert self._process.stderr is not None
        self._relay = threading.Thread(target=self._relay_stderr, daemon=True)
        self._relay.start()

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def send(self, op: str, **fields: Any) -> int:
        """Send a request; its answers are read with :meth:`answers`."""
        request_id = next(self._ids)
        assert self._process.stdin is not None
        # A process that is gone is reported by answers(), with its last words.
        with contextlib.suppress(BrokenPipeError, ValueError):
            write_message(self._process.stdin, {"id": request_id, "op": op, **fields})
        return request_id

    def answers(self, request_id: int) -> Iterator[Json]:
        """The messages answering ``request_id``, the final one last; a process that stops
        answering yields one ``errors`` message that says so."""
        assert self._process.stdout is not None
        while True:
            try:
                message = read_message(self._process.stdout)
            except ValueError as error:
                yield self._failure(
                    request_id, f"sent something that is not the protocol ({error})"
                )
                return
            if message is None:
                yield self._failure(request_id, "exited before answering")
                return
            if message.get("id") != request_id:
                continue
            yield message
            if message.get("type") in FINAL_TYPES:
                return

    def request(self, op: str, **fields: Any) -> Iterator[Json]:
        return self.answers(self.send(op, **fields))

    def request_shutdown(self) -> None:
        """Ask the process to exit, without waiting (``close`` waits): closing several
        locations then overlaps their exits."""
        if not self._shutting_down and self._process.poll() is None:
            self._shutting_down = True
            self.send("shutdown")

    def close(self) -> None:
        self.request_shutdown()
        if self._process.poll() is None:
            try:
                self._process.wait(timeout=SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                with contextlib.suppress(BrokenPipeError):  # it exited with our request unread
                    stream.close()
        self._relay.join(timeout=SHUTDOWN_TIMEOUT)

    def _failure(self, request_id: int, what: str) -> Json:
        code = self._process.wait()
        tail = "".join(self._stderr_tail).rstrip()
        message = f"the process of code location `{self.config.name}` {what} (exit code {code})"
        if tail:
            message += f"; its last output:\n{tail}"
        hint = (
            f"install assetloom in the environment of `{self.config.python}`"
            if "No module named 'assetloom'" in tail
            else None
        )
        error = CodeLocationError(message, location=self.config.declared_at, hint=hint)
        return error_message(request_id, error)

    def _relay_stderr(self) -> None:
        stream: IO[str] | None = self._process.stderr
        assert stream is not None
        for line in stream:
            self._stderr_tail.append(line)
            sys.stderr.write(line)
            sys.stderr.flush()
        stream.close()


def location_prefix(root: Path, workspace_root: Path) -> str:
    """The location's folder as seen from the workspace: the location process puts it before
    every path it reports, so messages point at files from where the user stands."""
    relative = os.path.relpath(root, workspace_root)
    return "" if relative == "." else Path(relative).as_posix()
