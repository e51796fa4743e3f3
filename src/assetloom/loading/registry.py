"""Resolving a ``type:`` string to a Component class.

Three forms: a dotted path importable from the project (``components.etl.EtlTableFactory``),
a path relative to the defs.yaml's folder (``.etl.EtlTableFactory``), or a short name
registered through the ``assetloom.components`` entry-point group or the project's
``[tool.assetloom] registry_modules``. Each module is imported once per registry.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from assetloom.components.component import Component
from assetloom.errors import (
    ComponentLoadError,
    SourceLocation,
    UnknownComponentTypeError,
    did_you_mean,
)
from assetloom.loading.importer import ProjectImporter
from assetloom.loading.user_code import (
    describe_failure,
    interrupts_noted,
    raised_by_user_code,
    user_frame,
)
from assetloom.project import Project

ENTRY_POINT_GROUP = "assetloom.components"
BUILTIN_MODULE = "assetloom.components.builtin"


class ComponentRegistry:
    """Finds component classes for one project, caching modules and short names."""

    def __init__(self, project: Project, importer: ProjectImporter | None = None) -> None:
        self.project = project
        self.importer = importer or ProjectImporter(project)
        self._modules: dict[str, ModuleType] = {}
        self._short_names: dict[str, type[Component]] | None = None

    # --- public -------------------------------------------------------------------------

    def resolve(
        self, type_name: str, *, base_dir: Path, location: SourceLocation
    ) -> type[Component]:
        """The Component subclass ``type_name`` names, or a located error saying why not."""
        if type_name.startswith("."):
            module_name, _, attr = type_name[1:].rpartition(".")
            try:
                module = self._import_relative(module_name, base_dir, type_name, location)
            except LookupError as error:  # the path leaves the project
                raise UnknownComponentTypeError(
                    f"unknown component type `{type_name}`: {error}", location=location
                ) from None
            if module is None:
                file = self.project.relative(_relative_file(base_dir, module_name))
                raise self._unknown(type_name, location, f"no file {file}")
        elif "." in type_name:
            module_name, _, attr = type_name.rpartition(".")
            module = self._import(module_name, type_name, location)
            if module is None:
                short = self.short_names().get(type_name)
                if short is not None:
                    return short
                raise self._unknown(type_name, location, f"no module `{module_name}`")
        else:
            found = self.short_names().get(type_name)
            if found is None:
                raise self._unknown(type_name, location, "no registered component has that name")
            return found
        cls = getattr(module, attr, None)
        if cls is None:
            in_module = [f"{type_name.rpartition('.')[0]}.{n}" for n in _component_names(module)]
            raise self._unknown(
                type_name, location, f"`{module.__name__}` has no `{attr}`", extra=in_module
            )
        if not (isinstance(cls, type) and issubclass(cls, Component)):
            raise UnknownComponentTypeError(
                f"`{type_name}` is not a Component subclass (it is {_describe(cls)}); "
                "a type must subclass assetloom.Component",
                location=location,
            )
        return cls

    def short_names(self) -> dict[str, type[Component]]:
        """Registered short names: built-ins, entry points, ``registry_modules``."""
        if self._short_names is None:
            names: dict[str, type[Component]] = {}
            for module_name in (BUILTIN_MODULE, *self.project.registry_modules):
                module = self._import(module_name, module_name, None)
                if module is not None:
                    names.update(_components_in(module))
            for dotted, cls in _entry_point_components():
                names[dotted] = cls
                names.setdefault(cls.__name__, cls)
            for name, cls in list(names.items()):
                names.setdefault(f"assetloom.{name}", cls)
                names.setdefault(f"dagster.{name}", cls)
            self._short_names = names
        return self._short_names

    def known_names(self) -> list[str]:
        """Every type name that resolves, for "did you mean" and schema generation."""
        names = set(self.short_names())
        for module_name, cls in self.project_components():
            names.add(f"{module_name}.{cls.__name__}")
        return sorted(names)

    def project_components(self) -> Iterator[tuple[str, type[Component]]]:
        """Component classes defined in the project's components package(s)."""
        folders = self.project.component_folders
        for file in (f for folder in folders for f in sorted(folder.rglob("*.py"))):
            if file.name.startswith("_") and file.name != "__init__.py":
                continue
            module_name = self.importer.module_name_for(file)
            try:
                module = self._import(module_name, module_name, None)
            except ComponentLoadError:
                continue
            if module is not None:
                for cls in _components_in(module).values():
                    if cls.__module__ == module.__name__:
                        yield module_name, cls

    # --- importing ----------------------------------------------------------------------

    def _import(
        self, module_name: str, type_name: str, location: SourceLocation | None
    ) -> ModuleType | None:
        """The module, None if it does not exist, or a located error if it raises."""
        cached = self._modules.get(module_name)
        if cached is not None:
            return cached
        with interrupts_noted():
            try:
                module = self.importer.import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name and module_name.startswith(error.name):
                    return None
                raise self._import_error(type_name, module_name, error, location) from error
            except BaseException as error:
                if not raised_by_user_code(error):
                    raise
                raise self._import_error(type_name, module_name, error, location) from error
        self._modules[module_name] = module
        return module

    def import_module(
        self, name: str, *, base_dir: Path, location: SourceLocation
    ) -> ModuleType:
        """A module by dotted name, or ``.name`` relative to ``base_dir``; LookupError when
        there is no such module (or its file is outside the project), a located
        ComponentLoadError when importing it raises."""
        if name.startswith("."):
            module = self._import_relative(name[1:], base_dir, name, location)
        else:
            module = self._import(name, name, location)
        if module is None:
            raise LookupError(f"no module `{name}`")
        return module

    def _import_relative(
        self, module_name: str, base_dir: Path, type_name: str, location: SourceLocation
    ) -> ModuleType | None:
        file = _relative_file(base_dir, module_name)
        if not file.resolve().is_relative_to(self.project.root):
            # A `type:` or `template_vars_module:` is data: it may not import arbitrary files.
            raise LookupError(
                f"`{module_name}` leads outside the project, to {file.resolve()}; a relative "
                "module must be a file inside the project"
            )
        if not file.is_file():
            return None
        qualified = self.importer.module_name_for(file)
        with interrupts_noted():
            try:
                module = self.importer.import_file(qualified, file)
            except BaseException as error:
                if not raised_by_user_code(error):
                    raise
                raise self._import_error(type_name, qualified, error, location) from error
        self._modules[qualified] = module
        return module

    def _import_error(
        self,
        type_name: str,
        module_name: str,
        error: BaseException,
        location: SourceLocation | None,
    ) -> ComponentLoadError:
        where = user_frame(error, self.project.root)
        return ComponentLoadError(
            f"could not import `{module_name}` for type `{type_name}`: "
            f"{describe_failure(error)}" + (f" (at {where})" if where else ""),
            location=location,
        )

    def _unknown(
        self,
        type_name: str,
        location: SourceLocation,
        reason: str,
        extra: list[str] | None = None,
    ) -> UnknownComponentTypeError:
        # The `dagster.` aliases resolve but are never worth suggesting.
        candidates = [
            n for n in dict.fromkeys([*(extra or []), *self.known_names()])
            if not n.startswith("dagster.")
        ]
        hint = did_you_mean(type_name, candidates)
        return UnknownComponentTypeError(
            f"unknown component type `{type_name}`: {reason}{hint}", location=location
        )


def _relative_file(base_dir: Path, module_name: str) -> Path:
    return base_dir.joinpath(*module_name.split(".")).with_suffix(".py")


def _components_in(module: ModuleType) -> dict[str, type[Component]]:
    """Concrete Component classes a module offers (its ``__all__``, else all its names)."""
    exported = getattr(module, "__all__", None)
    names = list(exported) if exported is not None else list(vars(module))
    found: dict[str, type[Component]] = {}
    for name in names:
        obj = getattr(module, name, None)
        is_component = isinstance(obj, type) and issubclass(obj, Component)
        if is_component and obj is not Component and not inspect.isabstract(obj):
            found[name] = obj  # type: ignore[assignment]
    return found


def _component_names(module: ModuleType) -> list[str]:
    return sorted(_components_in(module))


def _entry_point_components() -> Iterator[tuple[str, type[Component]]]:
    from importlib.metadata import entry_points

    for entry in entry_points(group=ENTRY_POINT_GROUP):
        loaded = entry.load()
        if isinstance(loaded, ModuleType):
            for cls in _components_in(loaded).values():
                yield f"{loaded.__name__}.{cls.__name__}", cls
        elif isinstance(loaded, type) and issubclass(loaded, Component):
            yield entry.name, loaded


def _describe(obj: object) -> str:
    if isinstance(obj, type):
        return f"the class {obj.__module__}.{obj.__qualname__}"
    return f"a {type(obj).__name__}"
