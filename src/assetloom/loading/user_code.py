"""What counts as the user code's own failure while a project loads, and how to word it.

Loading runs code the project wrote: component and ``defs/`` modules at import, validators
and ``__post_init__`` while attributes resolve, ``build_defs``. Whatever that code raises must
become a located error naming the component — not a traceback, and not an exit: ``sys.exit(0)``
in ``build_defs`` once ended ``loom check defs`` with status 0 and no output. So every
``Exception``, every ``SystemExit`` and a ``KeyboardInterrupt`` the code raised itself are
reported (and the load goes on with the other files).

A real Ctrl-C must still stop the process. While user code runs, :func:`interrupts_noted`
makes SIGINT raise :class:`CtrlC` (a ``KeyboardInterrupt``), which is never reported, only
re-raised. Where that handler cannot be installed (not the main thread, or SIGINT already
handled by someone else, such as an executor), every ``KeyboardInterrupt`` is taken as real,
unless SIGINT is ignored altogether (a background process): then none can be.
"""

from __future__ import annotations

import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import FrameType, TracebackType

from assetloom.errors import ComponentLoadError, LoomError, SourceLocation

__all__ = [
    "CtrlC",
    "describe_failure",
    "interrupts_noted",
    "load_failure",
    "raised_by_user_code",
    "user_code",
    "user_frame",
]


class CtrlC(KeyboardInterrupt):
    """The user pressed Ctrl-C (SIGINT arrived) while user code ran during a load."""


@contextmanager
def interrupts_noted() -> Iterator[None]:
    """Tell a real Ctrl-C from a ``KeyboardInterrupt`` raised by code, inside the block."""
    handler = signal.getsignal(signal.SIGINT)
    if (
        handler is not signal.default_int_handler
        or threading.current_thread() is not threading.main_thread()
    ):
        yield  # already noted by an outer block, or SIGINT is someone else's
        return
    signal.signal(signal.SIGINT, _raise_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


class user_code:
    """Run the block as user code: a LoomError passes as it is, the code's own failure is
    raised as ``failure(error)``, and a real Ctrl-C stops the process.

    A class rather than a generator: a load enters one per document twice, and inside a
    load's :func:`interrupts_noted` it costs one ``getsignal``."""

    __slots__ = ("_failure", "_noted")

    def __init__(self, failure: Callable[[BaseException], LoomError]) -> None:
        self._failure = failure
        self._noted: AbstractContextManager[None] | None = None

    def __enter__(self) -> None:
        if not _noting():
            self._noted = interrupts_noted()
            self._noted.__enter__()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if error is None or isinstance(error, LoomError) or not raised_by_user_code(error):
                return
            raise self._failure(error) from error
        finally:
            if self._noted is not None:
                self._noted.__exit__(None, None, None)


def raised_by_user_code(error: BaseException) -> bool:
    """Whether ``error`` is the code's own failure, to report; False means re-raise it."""
    if isinstance(error, KeyboardInterrupt):
        return not isinstance(error, CtrlC) and (_noting() or _ignoring())
    return isinstance(error, Exception | SystemExit)


def load_failure(
    what: str, location: SourceLocation | None, project_root: Path
) -> Callable[[BaseException], ComponentLoadError]:
    """A ``failure`` for :func:`user_code`: ``{what} raised X: ... (at file:line)``."""

    def failure(error: BaseException) -> ComponentLoadError:
        where = user_frame(error, project_root)
        return ComponentLoadError(
            f"{what} raised {describe_failure(error)}" + (f" (at {where})" if where else ""),
            location=location,
        )

    return failure


def describe_failure(error: BaseException) -> str:
    """``RuntimeError: boom``, ``SystemExit (sys.exit(0) was called)``: what the code raised
    (the first line of its message: pydantic's, say, go on with a link)."""
    if isinstance(error, SystemExit):
        return f"SystemExit (sys.exit({'' if error.code is None else repr(error.code)}) was called)"
    lines = str(error).strip().splitlines()
    return type(error).__name__ + (f": {lines[0]}" if lines else "")


def user_frame(error: BaseException, root: Path) -> str | None:
    """``path:line`` of the deepest traceback frame inside the project, if any."""
    prefix = str(root) + "/"
    found = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename.startswith(prefix):
            found = f"{frame.filename.removeprefix(prefix)}:{frame.lineno}"
    if found is None and isinstance(error, SyntaxError) and error.filename:
        found = f"{error.filename.removeprefix(prefix)}:{error.lineno}"
    return found


def _noting() -> bool:
    return signal.getsignal(signal.SIGINT) is _raise_ctrl_c


def _ignoring() -> bool:
    """SIGINT is ignored (a process started in the background, under ``nohup``): no Ctrl-C
    can arrive, so a KeyboardInterrupt is the code's own."""
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def _raise_ctrl_c(signum: int, frame: FrameType | None) -> None:
    raise CtrlC
