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
handled by someone else, such as an executor), every ``KeyboardInterrupt`` is taken as real.
"""

from __future__ import annotations

import signal
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

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
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield  # already noted by an outer block, or SIGINT is someone else's
        return
    signal.signal(signal.SIGINT, _raise_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@contextmanager
def user_code(failure: Callable[[BaseException], LoomError]) -> Iterator[None]:
    """Run the block as user code: a LoomError passes as it is, the code's own failure is
    raised as ``failure(error)``, and a real Ctrl-C stops the process."""
    with interrupts_noted():
        try:
            yield
        except LoomError:
            raise
        except BaseException as error:
            if not raised_by_user_code(error):
                raise
            raise failure(error) from error


def raised_by_user_code(error: BaseException) -> bool:
    """Whether ``error`` is the code's own failure, to report; False means re-raise it."""
    if isinstance(error, KeyboardInterrupt):
        return not isinstance(error, CtrlC) and _noting()
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


def _raise_ctrl_c(signum: int, frame: FrameType | None) -> None:
    raise CtrlC
