"""Every error assetloom raises, rooted in :class:`LoomError`.

The tree (each class also subclasses the matching builtin, so ``except ValueError`` keeps working)::

    LoomError                                  base; carries SourceLocation(s) and renders them
    ├── InvalidAssetKeyError (ValueError)      empty or malformed key parts
    ├── DefinitionsError (ValueError)          the merged Definitions are inconsistent
    │   ├── DuplicateAssetKeyError             two sources define the same key
    │   ├── CycleError                         the dependency graph has a cycle
    │   └── UnknownCheckTargetError            an asset check targets no known asset
    ├── SelectionError (ValueError)            a selection string does not parse
    │   └── UnknownAssetKeyError (LookupError) a selection names no known key ("did you mean")
    ├── MissingResourceError (LookupError)     an asset needs a resource nobody provided
    ├── AssetExecutionError (RuntimeError)     an asset failed while materializing
    ├── YamlSyntaxError (ValueError)           a defs.yaml does not parse as YAML
    ├── DefsDocumentError (ValueError)         a defs.yaml document breaks its envelope or model
    ├── UnknownComponentTypeError (LookupError)
    ├── TemplateError (ValueError)             a ``{{ }}`` template failed to compile or render
    ├── RequirementError (LookupError)         ``requirements.env`` names an unset variable
    ├── ComponentLoadError (RuntimeError)      user code raised while importing or building defs
    └── LoadErrors                             several of the above, gathered from a whole project

Errors are rendered ``path:line:col: message`` so editors and terminals can jump to them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "AssetExecutionError",
    "ComponentLoadError",
    "CycleError",
    "DefinitionsError",
    "DefsDocumentError",
    "DuplicateAssetKeyError",
    "InvalidAssetKeyError",
    "LoadErrors",
    "LoomError",
    "MissingResourceError",
    "RequirementError",
    "SelectionError",
    "SourceLocation",
    "TemplateError",
    "UnknownAssetKeyError",
    "UnknownCheckTargetError",
    "UnknownComponentTypeError",
    "YamlSyntaxError",
    "did_you_mean",
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


def did_you_mean(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str:
    """A ``" — did you mean `x`?"`` suffix naming the closest candidate, or ``""``."""
    matches = difflib.get_close_matches(word, list(candidates), n=3, cutoff=cutoff)
    if not matches:
        return ""
    quoted = " or ".join(f"`{m}`" for m in matches)
    return f" — did you mean {quoted}?"


class LoomError(Exception):
    """Base of every assetloom error. ``location`` is where the user should look; ``related``
    are other places involved (the first definition of a duplicate key, say)."""

    def __init__(
        self,
        message: str,
        *,
        location: SourceLocation | None = None,
        related: Sequence[SourceLocation] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.related = tuple(related)

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"

    def iter_errors(self) -> Iterable[LoomError]:
        """The individual problems this error stands for (itself, unless it groups others)."""
        yield self


class InvalidAssetKeyError(LoomError, ValueError):
    """An asset key with no parts, an empty part, or a part of the wrong type."""


class DefinitionsError(LoomError, ValueError):
    """The assets and checks handed to ``Definitions`` do not form a valid graph."""


class DuplicateAssetKeyError(DefinitionsError):
    """Two sources define the same asset key."""


class CycleError(DefinitionsError):
    """The dependency graph has a cycle; the message lists it as ``a -> b -> a``."""


class UnknownCheckTargetError(DefinitionsError):
    """An asset check targets a key that no asset defines."""


class SelectionError(LoomError, ValueError):
    """A selection string does not follow the selection grammar."""


class UnknownAssetKeyError(SelectionError, LookupError):
    """A selection or lookup names a key that is not in the graph."""


class MissingResourceError(LoomError, LookupError):
    """An asset asks for a resource by parameter name and none was provided."""


class AssetExecutionError(LoomError, RuntimeError):
    """An asset (or asset check) raised while materializing; ``__cause__`` is the original."""


class YamlSyntaxError(LoomError, ValueError):
    """A YAML file does not parse, or repeats a key in one mapping."""


class DefsDocumentError(LoomError, ValueError):
    """A ``defs.yaml`` document has an unknown key, a missing ``type``, or attributes that do
    not match the component's model."""


class UnknownComponentTypeError(LoomError, LookupError):
    """``type:`` names no importable ``Component`` subclass."""


class TemplateError(LoomError, ValueError):
    """A ``{{ }}`` template failed to compile or render, or used an undefined name."""


class RequirementError(LoomError, LookupError):
    """An environment variable listed in ``requirements.env`` is not set."""


class ComponentLoadError(LoomError, RuntimeError):
    """User code raised while a module under ``defs/`` was imported or ``build_defs`` ran."""


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


def _sort_key(error: LoomError) -> tuple[str, int, int]:
    loc = error.location
    return (loc.path, loc.line, loc.col) if loc else ("", 0, 0)
