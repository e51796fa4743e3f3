"""The run storage of the current project, for the commands that read or write it.

Each command imports SQLAlchemy (through ``assetloom.storage.run_storage``) only here, and
only when it needs the database: ``loom list defs`` on a project that never ran does not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from assetloom.execution.events import EventObserver, RunEvent, RunStarted, fan_out
from assetloom.project import Project
from assetloom.storage.location import sqlite_path, storage_url

if TYPE_CHECKING:
    from assetloom.storage.run_storage import RunStorage


def open_project_storage(project: Project) -> RunStorage:
    """The project's run storage, created (and migrated) if needed."""
    from assetloom.storage.run_storage import RunStorage

    return RunStorage.open(storage_url(project))


def existing_project_storage(project: Project) -> RunStorage | None:
    """The project's run storage, or None when it is a SQLite file nobody has created yet."""
    url = storage_url(project)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return None
    from assetloom.storage.run_storage import RunStorage

    return RunStorage.open(url)


@contextmanager
def recorded_run(project: Project, selection: str | None) -> Iterator[EventObserver]:
    """An observer that shows the run (``cli.progress``) and records it in run storage, with
    ``selection`` as what the user asked for (``--select X --stale``); on leaving, every
    event has been written."""
    from assetloom.cli.progress import progress_display
    from assetloom.storage.writer import StorageWriter

    with (
        open_project_storage(project) as storage,
        StorageWriter(storage) as writer,
        progress_display() as display,
    ):
        show_and_record = fan_out(writer, display)

        def observe(event: RunEvent) -> None:
            if isinstance(event, RunStarted):
                event = dataclasses.replace(event, selection=selection)
            show_and_record(event)

        yield observe
