"""The exit codes of every ``loom`` command, documented in README's "Errors" section."""

from __future__ import annotations

from enum import IntEnum

from assetloom.errors import AssetExecutionError, LoomError, SelectionError


class ExitCode(IntEnum):
    OK = 0
    #: the definitions are invalid (or, under ``--strict``, warned about)
    INVALID = 1
    #: the command line is wrong: click's own usage errors, a selection that matches nothing
    USAGE = 2
    #: the definitions loaded but a run failed
    RUN_FAILED = 3
    #: a run was cancelled with Ctrl-C (the shell's 128 + SIGINT)
    CANCELLED = 130


def exit_code_for(error: LoomError) -> ExitCode:
    """Which exit a command takes when ``error`` escapes it."""
    if isinstance(error, SelectionError):
        return ExitCode.USAGE
    if isinstance(error, AssetExecutionError):
        return ExitCode.RUN_FAILED
    return ExitCode.INVALID
