"""Component: a class that turns one ``defs.yaml`` document into Definitions."""

from __future__ import annotations

import abc
import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assetloom.components.resolvable import ResolutionContext, resolve_attributes
from assetloom.project import relative_path

if TYPE_CHECKING:
    from assetloom.defs import Definitions


@dataclass(frozen=True)
class ComponentLoadContext:
    """Where a component is being loaded: its folder, the project root and the defs root."""

    path: Path
    project_root: Path
    defs_root: Path
    settings: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def for_test(
        cls, *, path: Path | str | None = None, project_root: Path | str | None = None
    ) -> ComponentLoadContext:
        """A context for unit tests: the folder defaults to the current directory."""
        root = Path(project_root or Path.cwd()).resolve()
        return cls(
            path=Path(path).resolve() if path else root,
            project_root=root,
            defs_root=root / "defs",
        )

    def for_path(self, path: Path) -> ComponentLoadContext:
        return ComponentLoadContext(path, self.project_root, self.defs_root, self.settings)

    @property
    def relative_path(self) -> str:
        """The component's folder relative to the project root (for messages)."""
        return relative_path(self.path, self.project_root)


class Component(abc.ABC):
    """Subclass and implement ``build_defs``. Make it ``Resolvable`` (usually together with
    ``Model``) so its annotated fields become the ``attributes`` of its ``defs.yaml``."""

    @abc.abstractmethod
    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        """Turn this instance into assets, checks and resources."""

    @classmethod
    def get_description(cls) -> str | None:
        """What the component does (its docstring by default), for listings and schemas."""
        return inspect.getdoc(cls) if cls.__doc__ else None

    @classmethod
    def from_attributes_dict(
        cls,
        *,
        attributes: Mapping[str, Any],
        context: ComponentLoadContext | None = None,
    ) -> typing.Self:
        """Build an instance from YAML-shaped attributes, as the loader does (for tests)."""
        resolution = ResolutionContext(load_context=context or ComponentLoadContext.for_test())
        return typing.cast(typing.Self, resolve_attributes(cls, dict(attributes), resolution))


_COMPONENT_INSTANCE_MARK = "__assetloom_component_instance__"
_DEFINITIONS_MARK = "__assetloom_definitions__"
_TEMPLATE_VAR_MARK = "__assetloom_template_var__"

F = typing.TypeVar("F", bound=Callable[..., Any])


def component_instance(fn: F) -> F:
    """Mark a function in a folder's ``component.py`` that returns a Component instance; it
    may take the ``ComponentLoadContext``."""
    setattr(fn, _COMPONENT_INSTANCE_MARK, True)
    return fn


def definitions(fn: F) -> F:
    """Mark a function in a module under ``defs/`` that returns ``Definitions`` (resources,
    say); it may take the ``ComponentLoadContext``."""
    setattr(fn, _DEFINITIONS_MARK, True)
    return fn


def template_var(fn: F) -> F:
    """Mark a function of a ``template_vars_module`` (or a ``@staticmethod`` of a component
    class) as a name available in templates. Zero-argument functions are called for their
    value; functions taking ``context`` get the ComponentLoadContext; a returned callable is
    usable as a function in templates."""
    target = fn.__func__ if isinstance(fn, staticmethod) else fn
    setattr(target, _TEMPLATE_VAR_MARK, True)
    return fn


def is_component_instance_fn(obj: Any) -> bool:
    """Whether ``obj`` is a function marked with :func:`component_instance`."""
    return _is_marked(obj, _COMPONENT_INSTANCE_MARK)


def is_definitions_fn(obj: Any) -> bool:
    """Whether ``obj`` is a function marked with :func:`definitions`."""
    return _is_marked(obj, _DEFINITIONS_MARK)


def is_template_var_fn(obj: Any) -> bool:
    """Whether ``obj`` is a function marked with :func:`template_var` (for a
    ``@staticmethod``, pass the function it wraps)."""
    return _is_marked(obj, _TEMPLATE_VAR_MARK)


def _is_marked(obj: Any, mark: str) -> bool:
    return callable(obj) and getattr(obj, mark, False) is True


def call_with_optional_context(fn: Callable[..., Any], context: ComponentLoadContext) -> Any:
    """Call ``fn()`` or ``fn(context)``, whichever its signature asks for."""
    params = inspect.signature(fn).parameters
    return fn(context) if params else fn()
