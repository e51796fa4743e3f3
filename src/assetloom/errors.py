"""Every error assetloom raises, rooted in :class:`LoomError`, and the one :class:`Diagnostic`
type every command reports them (and warnings) with.

The tree (each class also subclasses the matching builtin, so ``except ValueError`` keeps
working); each class has a stable ``code``, documented in README's "Errors" table::

    LoomError                                  LOOM000 base; carries SourceLocation(s) and a hint
    ├── YamlSyntaxError (ValueError)           LOOM101 a defs.yaml does not parse as YAML
    ├── DefsDocumentError (ValueError)         LOOM102 a document breaks its envelope or model
    │   └── ResolutionError                    LOOM102 a component's attributes did not resolve
    ├── UnknownComponentTypeError (LookupError)LOOM103 ``type:`` names no Component
    ├── TemplateError (ValueError)             LOOM104 a ``{{ }}`` template failed
    ├── RequirementError (LookupError)         LOOM105 ``requirements.env`` names an unset variable
    ├── ComponentLoadError (RuntimeError)      LOOM106 user code raised while loading
    ├── UnreadableFileError (OSError)          LOOM107 a defs/ file not read (FIFO, too big)
    ├── DefinitionsError (ValueError)          LOOM201 the merged Definitions are inconsistent
    │   ├── DuplicateAssetKeyError             LOOM202 two sources define the same key
    │   ├── CycleError                         LOOM203 the dependency graph has a cycle
    │   ├── UnknownCheckTargetError            LOOM204 an asset check targets no known asset
    │   └── DependencyTypoError (LookupError)  LOOM205 a dep on an undefined key looks like a typo
    ├── InvalidAssetKeyError (ValueError)      LOOM206 empty or malformed key parts
    ├── MissingResourceError (LookupError)     LOOM207 an asset needs a resource nobody provides
    ├── InvalidConfigError (ValueError)        LOOM208 run config does not fit an asset's Config
    ├── SelectionError (ValueError)            LOOM301 a selection string does not parse
    │   ├── UnknownAssetKeyError (LookupError) LOOM302 a selection names no known key
    │   └── EmptySelectionError                LOOM303 a selection matches no executable asset
    ├── AssetExecutionError (RuntimeError)     LOOM401 an asset failed while materializing
    ├── InvariantViolationError (ValueError)   LOOM402 an API used in a way it does not support
    ├── RunStorageError (RuntimeError)         LOOM501 run storage cannot be opened or written
    ├── UnknownRunError (LookupError)          LOOM502 a run id names no recorded run
    ├── CodeLocationError (RuntimeError)       LOOM601 a code location's process failed
    ├── WorkspaceFileError (ValueError)        LOOM602 a workspace.yaml does not fit its model
    └── LoadErrors                             several of the above, gathered from a project

Warnings are not raised: they are Diagnostics with severity ``warning`` (codes ``LOOM9xx``,
listed in :data:`WARNING_CODES`).

Errors are rendered ``path:line:col: message`` so editors and terminals can jump to them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

__all__ = [
    "AssetExecutionError",
    "CodeLocationError",
    "ComponentLoadError",
    "CycleError",
    "DefinitionsError",
    "DefsDocumentError",
    "DependencyTypoError",
    "Diagnostic",
    "DuplicateAssetKeyError",
    "EmptySelectionError",
    "InvalidAssetKeyError",
    "LoadErrors",
    "LoomError",
    "MissingResourceError",
    "RequirementError",
    "RunStorageError",
    "SelectionError",
    "Severity",
    "SourceLocation",
    "TemplateError",
    "UnknownAssetKeyError",
    "UnknownCheckTargetError",
    "UnknownComponentTypeError",
    "UnknownRunError",
    "UnreadableFileError",
    "WorkspaceFileError",
    "YamlSyntaxError",
    "did_you_mean",
    "error_codes",
]


@dataclass(frozen=True, slots=True, order=True)
class SourceLocation:
    """Where a definition or a YAML value came from: a path (relative to the project) and a
    1-based line and column. ``line`` 0 means "the whole file"."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"


class Severity(StrEnum):
    """An error makes a command fail; a warning fails it only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem as every command reports it: text (``path:line:col: error[CODE]: message``)
    or JSON (:meth:`to_json`), whichever check found it."""

    severity: Severity
    code: str
    message: str
    location: SourceLocation | None = None
    related: tuple[SourceLocation, ...] = ()
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}[{self.code}]: {self.message}"

    def to_json(self) -> dict[str, Any]:
        """The structure ``--format json`` prints, the same for every command."""
        return {
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            **_position(self.location),
            "related": [_position(r) for r in self.related],
            "hint": self.hint,
        }


def _position(location: SourceLocation | None) -> dict[str, Any]:
    """``path``, ``line``, ``col`` as text shows them (line 0: the whole file)."""
    if location is None:
        return {"path": None, "line": 0, "col": 0}
    col = (location.col or 1) if location.line else 0
    return {"path": location.path, "line": location.line, "col": col}


#: Codes of the warnings (Diagnostics that are never raised), with what each means.
WARNING_CODES = {
    "LOOM901": "an entry of `[tool.assetloom] external_assets` that no asset depends on",
    "LOOM902": "a look-alike of `defs.yaml` (`defs.yml`, `Defs.yaml`, ...): not loaded",
    "LOOM903": "a symlink under defs/ to outside the project (or to a folder holding it)",
}


def did_you_mean(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str:
    """A ``" — did you mean `x`?"`` suffix naming the closest candidate, or ``""``."""
    matches = difflib.get_close_matches(word, list(candidates), n=3, cutoff=cutoff)
    if not matches:
        return ""
    quoted = " or ".join(f"`{m}`" for m in matches)
    return f" — did you mean {quoted}?"


class LoomError(Exception):
    """Base of every assetloom error. ``location`` is where the user should look; ``related``
    are other places involved (the first definition of a duplicate key, say); ``hint`` says
    how to fix it when the message alone does not."""

    code: ClassVar[str] = "LOOM000"

    def __init__(
        self,
        message: str,
        *,
        location: SourceLocation | None = None,
        related: Sequence[SourceLocation] = (),
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.related = tuple(related)
        self.hint = hint

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"

    def iter_errors(self) -> Iterable[LoomError]:
        """The individual problems this error stands for (itself, unless it groups others)."""
        yield self

    def to_diagnostic(self) -> Diagnostic:
        return Diagnostic(
            Severity.ERROR, self.code, self.message, self.location, self.related, self.hint
        )

    def diagnostics(self) -> list[Diagnostic]:
        """One Diagnostic per problem this error stands for."""
        return [error.to_diagnostic() for error in self.iter_errors()]


class YamlSyntaxError(LoomError, ValueError):
    """A YAML file does not parse, or repeats a key in one mapping."""

    code = "LOOM101"


class DefsDocumentError(LoomError, ValueError):
    """A ``defs.yaml`` document has an unknown key, a missing ``type``, or attributes that do
    not match the component's model."""

    code = "LOOM102"


class UnknownComponentTypeError(LoomError, LookupError):
    """``type:`` names no importable ``Component`` subclass."""

    code = "LOOM103"


class TemplateError(LoomError, ValueError):
    """A ``{{ }}`` template failed to compile or render, or used an undefined name."""

    code = "LOOM104"


class RequirementError(LoomError, LookupError):
    """An environment variable listed in ``requirements.env`` is not set."""

    code = "LOOM105"


class ComponentLoadError(LoomError, RuntimeError):
    """User code raised while a module under ``defs/`` was imported or ``build_defs`` ran."""

    code = "LOOM106"


class UnreadableFileError(LoomError, OSError):
    """A file or folder under ``defs/`` the loader will not read: not a regular file, over
    the size limit, or not readable."""

    code = "LOOM107"


class DefinitionsError(LoomError, ValueError):
    """The assets and checks handed to ``Definitions`` do not form a valid graph."""

    code = "LOOM201"


class DuplicateAssetKeyError(DefinitionsError):
    """Two sources define the same asset key."""

    code = "LOOM202"


class CycleError(DefinitionsError):
    """The dependency graph has a cycle; the message lists it as ``a -> b -> a``."""

    code = "LOOM203"


class UnknownCheckTargetError(DefinitionsError):
    """An asset check targets a key that no asset defines."""

    code = "LOOM204"


class DependencyTypoError(DefinitionsError, LookupError):
    """A dependency on a key nobody defines that closely matches a defined key: a typo far
    more often than an intended external asset."""

    code = "LOOM205"


class InvalidAssetKeyError(LoomError, ValueError):
    """An asset key with no parts, an empty part, or a part of the wrong type."""

    code = "LOOM206"


class MissingResourceError(DefinitionsError, LookupError):
    """An asset asks for a resource by parameter name and none was provided."""

    code = "LOOM207"


class SelectionError(LoomError, ValueError):
    """A selection string does not follow the selection grammar."""

    code = "LOOM301"


class UnknownAssetKeyError(SelectionError, LookupError):
    """A selection or lookup names a key that is not in the graph."""

    code = "LOOM302"


class EmptySelectionError(SelectionError):
    """A selection to run matches no executable asset (only external ones, or nothing)."""

    code = "LOOM303"


class AssetExecutionError(LoomError, RuntimeError):
    """An asset (or asset check) raised while materializing; ``__cause__`` is the original."""

    code = "LOOM401"


class RunStorageError(LoomError, RuntimeError):
    """The run storage (its URL, its database or its schema version) cannot be used."""

    code = "LOOM501"


class UnknownRunError(LoomError, LookupError):
    """A run id (or prefix) that names no run, or several, in the run storage."""

    code = "LOOM502"


class CodeLocationError(LoomError, RuntimeError):
    """A workspace's code location process could not start, died, or broke the protocol."""

    code = "LOOM601"


class WorkspaceFileError(LoomError, ValueError):
    """A ``workspace.yaml`` does not fit its model, or names two locations alike."""

    code = "LOOM602"


class LoadErrors(LoomError):
    """Every problem found while loading a project, reported together."""

    def __init__(self, errors: Sequence[LoomError]) -> None:
        flat = [leaf for error in errors for leaf in error.iter_errors()]
        self.errors = sorted(flat, key=_sort_key)
        noun = "error" if len(self.errors) == 1 else "errors"
        super().__init__(f"{len(self.errors)} {noun} while loading definitions")

    def __str__(self) -> str:
        return "\n".join([self.message, *(str(e) for e in self.errors)])

    def iter_errors(self) -> Iterable[LoomError]:
        return iter(self.errors)


def error_codes() -> dict[str, type[LoomError]]:
    """Every error code and the class that carries it (for the README table and its test)."""
    found: dict[str, type[LoomError]] = {}
    stack: list[type[LoomError]] = [LoomError]
    while stack:
        cls = stack.pop()
        if cls is not LoadErrors:
            found.setdefault(cls.code, cls)
        stack.extend(cls.__subclasses__())
    return dict(sorted(found.items()))


def _sort_key(error: LoomError) -> tuple[str, int, int]:
    loc = error.location
    return (loc.path, loc.line, loc.col) if loc else ("", 0, 0)


# --- Dagster's error names ------------------------------------------------------------------
# Code written for Dagster catches its error classes by name; each is one of ours, raised where
# Dagster raises it (``pytest.raises(dg.DagsterInvalidDefinitionError)`` catches a duplicate
# key). The two classes below have no closer relative in the tree above.


class InvalidConfigError(LoomError, ValueError):
    """Run config does not fit an asset's ``Config`` class, or names no step of the run."""

    code = "LOOM208"


class InvariantViolationError(LoomError, ValueError):
    """An API was used in a way it does not support (``context.asset_key`` in a step of
    several assets, say)."""

    code = "LOOM402"


class UnknownResourceError(MissingResourceError, AttributeError):
    """``context.resources.x`` names no resource of the run; an AttributeError too, so
    ``getattr(context.resources, "x", None)`` works."""


class ResolutionError(DefsDocumentError):
    """A component's attributes could not be resolved: a resolver raised, or the data does
    not fit the Resolvable class (Dagster's ``ResolutionException``)."""


DagsterError = LoomError
DagsterInvalidDefinitionError = DefinitionsError
DagsterInvalidConfigDefinitionError = DefinitionsError
DagsterInvalidConfigError = InvalidConfigError
DagsterInvariantViolationError = InvariantViolationError
DagsterExecutionStepExecutionError = AssetExecutionError
DagsterUserCodeExecutionError = AssetExecutionError
DagsterResourceFunctionError = AssetExecutionError
DagsterExecutionStepNotFoundError = UnknownAssetKeyError
DagsterUnknownResourceError = UnknownResourceError
ResolutionException = ResolutionError

__all__ += [
    "DagsterError",
    "DagsterExecutionStepExecutionError",
    "DagsterExecutionStepNotFoundError",
    "DagsterInvalidConfigDefinitionError",
    "DagsterInvalidConfigError",
    "DagsterInvalidDefinitionError",
    "DagsterInvariantViolationError",
    "DagsterResourceFunctionError",
    "DagsterUnknownResourceError",
    "DagsterUserCodeExecutionError",
    "InvalidConfigError",
    "InvariantViolationError",
    "ResolutionError",
    "ResolutionException",
    "UnknownResourceError",
]
