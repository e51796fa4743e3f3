"""``workspace.yaml``: which code locations a workspace holds and how each one is loaded.

Read with the project's YAML reader (values plus the line:col of every node) and validated by
a closed pydantic model, so a bad workspace file gets the same located, "did you mean" errors
as a ``defs.yaml``. Paths in the file are relative to the folder that holds it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from assetloom.errors import LoadErrors, SourceLocation, WorkspaceFileError
from assetloom.yaml.source import YamlDocument, read_yaml_documents


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _without_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("a NUL character cannot be part of a path, a name or a command")
    return text


# Every string of the file ends up in a path or a process's arguments, where NUL is refused.
Text = Annotated[str, AfterValidator(_without_nul)]


class ProjectEntry(_Closed):
    """A project folder (``defs/`` and friends) loaded as one code location."""

    path: Text = Field(description="The project root, relative to the workspace file.")
    location_name: Text | None = Field(None, description="Default: the folder's name.")
    python: Text | None = Field(
        None, description="The interpreter (e.g. the project's `.venv/bin/python`)."
    )


class PythonFileEntry(_Closed):
    """Dagster's form: a Python file exposing a Definitions object or @definitions functions."""

    relative_path: Text
    location_name: Text | None = Field(None, description="Default: the file's stem.")
    working_directory: Text | None = Field(
        None, description="Put on sys.path and made the current folder; default: the file's."
    )
    executable_path: Text | None = None


class PythonModuleEntry(_Closed):
    """Dagster's form: an importable module exposing a Definitions object."""

    module_name: Text
    location_name: Text | None = Field(None, description="Default: the module's name.")
    working_directory: Text | None = Field(
        None, description="Put on sys.path and made the current folder; default: the workspace's."
    )
    executable_path: Text | None = None


class LoadFromEntry(_Closed):
    """Exactly one of ``project``, ``python_file``, ``python_module``."""

    project: ProjectEntry | None = None
    python_file: PythonFileEntry | None = None
    python_module: PythonModuleEntry | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> LoadFromEntry:
        given = [name for name in _ENTRY_KINDS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of {', '.join(_ENTRY_KINDS)} (got {len(given) or 'none'})"
            )
        return self


_ENTRY_KINDS = ("project", "python_file", "python_module")


class WorkspaceDocument(_Closed):
    load_from: list[LoadFromEntry] = Field(min_length=1)


class LocationKind(enum.Enum):
    PROJECT = "project"
    PYTHON_FILE = "python_file"
    PYTHON_MODULE = "python_module"


@dataclass(frozen=True, slots=True)
class LocationConfig:
    """One code location, with every path made absolute.

    ``root`` is the project root or the working directory: the location process runs there,
    and the source locations it reports are relative to it. ``target`` is the file to import
    (python_file), the module name (python_module) or None (project). ``declared_at`` is the
    entry in ``workspace.yaml``, where problems with the location itself are reported.
    """

    name: str
    kind: LocationKind
    root: Path
    target: str | None
    python: str | None
    declared_at: SourceLocation


@dataclass(frozen=True, slots=True)
class WorkspaceConfig:
    file: Path
    locations: tuple[LocationConfig, ...]

    @property
    def root(self) -> Path:
        return self.file.parent


def read_workspace(file: Path) -> WorkspaceConfig:
    """Parse and validate ``file``; every problem is raised at once as located errors."""
    display = file.name  # every path of a workspace is relative to its folder; a link's own
    file = file.resolve()  # name, not its target's, is the one the user knows
    documents = read_yaml_documents(file, display)  # or a located UnreadableFileError
    if len(documents) != 1 or not isinstance(documents[0].value, dict):
        raise WorkspaceFileError(
            "a workspace file is one mapping with a `load_from:` list",
            location=documents[0].positions.document_location()
            if documents
            else SourceLocation(display, 1, 1),
        )
    document = documents[0]
    try:
        parsed = WorkspaceDocument.model_validate(document.value)
    except ValidationError as error:
        from assetloom.loading.validation_errors import located_errors

        raise LoadErrors(
            [
                WorkspaceFileError(e.message, location=e.location, related=e.related, hint=e.hint)
                for e in located_errors(error, document, WorkspaceDocument)
            ]
        ) from None
    locations = [
        _location(entry, index, document, file.parent)
        for index, entry in enumerate(parsed.load_from)
    ]
    _check_unique_names(locations)
    return WorkspaceConfig(file, tuple(locations))


def _location(
    entry: LoadFromEntry, index: int, document: YamlDocument, base: Path
) -> LocationConfig:
    where = document.positions.key_location
    if entry.project is not None:
        project = entry.project
        root = (base / project.path).resolve()
        return LocationConfig(
            name=project.location_name or root.name,
            kind=LocationKind.PROJECT,
            root=root,
            target=None,
            python=_interpreter(project.python, base),
            declared_at=where(("load_from", index, "project")),
        )
    if entry.python_file is not None:
        python_file = entry.python_file
        file = (base / python_file.relative_path).resolve()
        directory = python_file.working_directory
        return LocationConfig(
            name=python_file.location_name or file.stem,
            kind=LocationKind.PYTHON_FILE,
            root=(base / directory).resolve() if directory else file.parent,
            target=str(file),
            python=_interpreter(python_file.executable_path, base),
            declared_at=where(("load_from", index, "python_file")),
        )
    module = entry.python_module
    assert module is not None  # the model checked that exactly one form is given
    directory = module.working_directory
    return LocationConfig(
        name=module.location_name or module.module_name,
        kind=LocationKind.PYTHON_MODULE,
        root=(base / directory).resolve() if directory else base,
        target=module.module_name,
        python=_interpreter(module.executable_path, base),
        declared_at=where(("load_from", index, "python_module")),
    )


def _interpreter(given: str | None, base: Path) -> str | None:
    """A path with a folder in it is relative to the workspace; a bare name (``python3.12``)
    is looked up on PATH when the process starts."""
    if given is None or "/" not in given:
        return given
    return str((base / given).absolute())


def _check_unique_names(locations: list[LocationConfig]) -> None:
    seen: dict[str, LocationConfig] = {}
    errors = []
    for location in locations:
        first = seen.setdefault(location.name, location)
        if first is not location:
            errors.append(
                WorkspaceFileError(
                    f"two code locations are named `{location.name}` (the other is declared "
                    f"at {first.declared_at}); set `location_name` to tell them apart",
                    location=location.declared_at,
                    related=[first.declared_at],
                )
            )
    if errors:
        raise LoadErrors(errors)
