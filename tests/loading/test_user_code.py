"""What counts as user code's own failure at load (reported) and what stops the process."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from assetloom.errors import ComponentLoadError, SourceLocation
from assetloom.loading.user_code import (
    CtrlC,
    describe_failure,
    interrupts_noted,
    raised_by_user_code,
    user_code,
)

HERE = SourceLocation("defs/a/defs.yaml", 1, 7)


@pytest.fixture(autouse=True)
def _run_from_a_terminal() -> Iterator[None]:
    """Python's own SIGINT handler, as in a process started from a terminal, whether or not
    the tests themselves were started in the background (which ignores SIGINT)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def failure(error: BaseException) -> ComponentLoadError:
    return ComponentLoadError(f"`build_defs` raised {describe_failure(error)}", location=HERE)


@pytest.mark.parametrize(
    ("raise_it", "message"),
    [
        (lambda: 1 / 0, "ZeroDivisionError: division by zero"),
        (lambda: sys.exit(0), "SystemExit (sys.exit(0) was called)"),
        (lambda: sys.exit(), "SystemExit (sys.exit() was called)"),
        (lambda: sys.exit("bye"), "SystemExit (sys.exit('bye') was called)"),
        (lambda: (_ for _ in ()).throw(KeyboardInterrupt), "KeyboardInterrupt"),
    ],
)
def test_what_user_code_raises_becomes_a_located_error(raise_it: object, message: str) -> None:
    with pytest.raises(ComponentLoadError) as caught, user_code(failure):
        raise_it()  # type: ignore[operator]
    assert str(caught.value) == f"defs/a/defs.yaml:1:7: `build_defs` raised {message}"


def _press_ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(1)  # the signal arrives here


def test_a_real_ctrl_c_is_not_reported_but_raised() -> None:
    with pytest.raises(CtrlC), user_code(failure):
        _press_ctrl_c()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_keyboard_interrupt_is_taken_as_real_where_ctrl_c_cannot_be_told_apart() -> None:
    outcome: list[bool] = []

    def in_a_thread() -> None:
        with interrupts_noted():
            outcome.append(raised_by_user_code(KeyboardInterrupt()))

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    thread.join()
    assert outcome == [False]
    assert raised_by_user_code(KeyboardInterrupt()) is False  # outside a noted block


def test_only_the_first_line_of_a_long_message_is_kept() -> None:
    error = ValueError("first line\n\nFor further information visit https://example.com")
    assert describe_failure(error) == "ValueError: first line"


def test_with_sigint_ignored_a_keyboard_interrupt_is_the_codes_own() -> None:
    """A process started in the background (`nohup`, `&`) ignores SIGINT: no Ctrl-C can
    arrive, so a KeyboardInterrupt in user code is reported like any failure."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with pytest.raises(ComponentLoadError, match="KeyboardInterrupt"), user_code(failure):
            raise KeyboardInterrupt
    finally:
        signal.signal(signal.SIGINT, previous)
