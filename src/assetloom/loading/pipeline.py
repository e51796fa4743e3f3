"""One ``defs.yaml`` document → a Component instance → its Definitions.

The stages, each reporting located errors: envelope, requirements, type, templates,
attributes, ``build_defs``, source locations of the built assets, post-processing.
"""

from __future__ import annotations

import os
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assetloom.components.component import Component, ComponentLoadContext
from assetloom.components.resolvable import (
    ResolutionContext,
    resolve_attributes,
    validate_yaml_data,
    yaml_model_for,
)
from assetloom.errors import (
    ComponentLoadError,
    DefsDocumentError,
    LoadErrors,
    LoomError,
    RequirementError,
    SourceLocation,
)
from assetloom.loading.registry import ComponentRegistry
from assetloom.loading.user_code import load_failure, user_code
from assetloom.yaml.source import YamlDocument

if typing.TYPE_CHECKING:
    from assetloom.defs import Definitions
    from assetloom.loading.envelope import PostProcessing, Requirements
    from assetloom.templating.environment import RenderedTree, TemplateEnvironment

# What only some documents need (templates, post-processing, an error's wording) and what
# `check yaml` never needs (the built definitions) is imported where it is used: every
# command imports this module, and each import is time before the first file is read.

#: A document with only these keys, a string `type` and mapping `attributes` (nearly every
#: document) needs no envelope model: the model would only say the same, at a cost.
_PLAIN_KEYS = frozenset({"type", "attributes"})


@dataclass(frozen=True, slots=True)
class Envelope:
    """A valid document envelope: the top-level keys of `loading.envelope.DefsDocument`."""

    type: str
    attributes: dict[str, Any] | None = None
    template_vars_module: str | None = None
    requirements: Requirements | None = None
    post_processing: PostProcessing | None = None


@dataclass(frozen=True)
class LoadedComponent:
    """A component instance with the document it came from."""

    component: Component
    document: YamlDocument
    envelope: Envelope
    context: ComponentLoadContext


def instantiate(
    document: YamlDocument,
    *,
    context: ComponentLoadContext,
    registry: ComponentRegistry,
    templates: Callable[[], TemplateEnvironment] | None = None,
) -> LoadedComponent:
    """Validate a document and build its component; raises LoomError (maybe LoadErrors).
    ``templates`` gives the session's template environment, asked for only when the document
    has templates (a default environment if not given)."""
    envelope = _envelope(document)
    _check_requirements(envelope, document)
    component_type = _component_type(envelope, document, context, registry)
    attributes: Any = envelope.attributes
    positions = document.positions
    rendered: RenderedTree | None = None
    if attributes is not None and document.template_marks and _has_templates(attributes):
        from assetloom.loading.template_vars import template_scope
        from assetloom.templating.environment import TemplateEnvironment

        scope = template_scope(
            context=context,
            component_type=component_type,
            module_name=envelope.template_vars_module,
            registry=registry,
            location=positions.location(("template_vars_module",))
            if envelope.template_vars_module
            else positions.location(("type",)),
        )
        environment = templates() if templates is not None else TemplateEnvironment()
        try:
            rendered = environment.render_document(attributes, scope, positions, ("attributes",))
        except LoomError as template_errors:
            # Report what check yaml reports about the rest of the document too: a template
            # that fails must not hide a wrong value next to it.
            raise LoadErrors(
                [template_errors, *_untemplated_problems(document, context, registry)]
            ) from None
        attributes = rendered.value
    resolution = ResolutionContext(
        load_context=context, path=("attributes",), locate=positions.location
    )
    # Validators, resolvers and __post_init__ are user code too.
    with user_code(_attributes_failure(component_type, document, context)):
        try:
            component = resolve_attributes(component_type, attributes, resolution)
        except ValidationError as error:
            from assetloom.loading.validation_errors import located_errors

            problems = located_errors(
                error, _with_attributes(document, attributes), yaml_model_for(component_type),
                ("attributes",),
            )
            if rendered is not None:  # a value from the environment may be a secret
                rendered.hide_env_values(problems)
            raise LoadErrors(problems) from None
    return LoadedComponent(component, document, envelope, context)


def check_document(
    document: YamlDocument, *, context: ComponentLoadContext, registry: ComponentRegistry
) -> None:
    """The stages of :func:`instantiate` that judge the document itself — envelope, type,
    attributes — with the same errors, and nothing after: no template is rendered (a
    templated string is taken to render to a valid value), no resolver or ``build_defs``
    runs, and ``requirements.env`` is left to the load (it judges the environment)."""
    envelope = _envelope(document)
    component_type = _component_type(envelope, document, context, registry)
    attributes = envelope.attributes or {}
    with user_code(_attributes_failure(component_type, document, context)):
        try:
            validate_yaml_data(yaml_model_for(component_type), attributes)
        except ValidationError as error:
            from assetloom.loading.validation_errors import located_errors

            templated = _templated_paths(document) if document.template_marks else frozenset()
            problems = located_errors(
                error, document, yaml_model_for(component_type), ("attributes",),
                ignore=templated.__contains__,
            )
            if problems:
                raise LoadErrors(problems) from None


def _untemplated_problems(
    document: YamlDocument, context: ComponentLoadContext, registry: ComponentRegistry
) -> list[LoomError]:
    """The problems :func:`check_document` finds outside the document's template strings."""
    try:
        check_document(document, context=context, registry=registry)
    except LoomError as error:
        return list(error.iter_errors())
    return []


def _attributes_failure(
    component_type: type[Component], document: YamlDocument, context: ComponentLoadContext
) -> Callable[[BaseException], ComponentLoadError]:
    """How a validator, resolver or ``__post_init__`` that raised is reported: at the
    document's ``attributes`` (its ``type`` when it has none), naming the component. The
    location is looked up only for a failure."""

    def failure(error: BaseException) -> ComponentLoadError:
        positions = document.positions
        node = ("attributes",) if positions.has(("attributes",)) else ("type",)
        what = f"building `{component_type.__name__}` from its attributes"
        return load_failure(what, positions.location(node), context.project_root)(error)

    return failure


def _component_type(
    envelope: Envelope,
    document: YamlDocument,
    context: ComponentLoadContext,
    registry: ComponentRegistry,
) -> type[Component]:
    location = document.positions.location(("type",))
    return registry.resolve(envelope.type, base_dir=context.path, location=location)


def _templated_paths(document: YamlDocument) -> frozenset[tuple[Any, ...]]:
    """The paths of the template strings under ``attributes``."""
    found: list[tuple[Any, ...]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [(("attributes",), document.value.get("attributes"))]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str) and _has_templates(value):
            found.append(path)
        elif isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))
    return frozenset(found)


def build(loaded: LoadedComponent, project_root: Path) -> Definitions:
    """Run ``build_defs``, point each asset at its YAML item, apply post-processing."""
    document = loaded.document
    location = document.positions.location(("type",))
    defs = run_build_defs(loaded.component, loaded.context, location, project_root)
    defs = _with_yaml_locations(defs, document)
    rules = loaded.envelope.post_processing.assets if loaded.envelope.post_processing else []
    if not rules:
        return defs
    from assetloom.loading.post_processing import apply_rules

    return apply_rules(defs, rules)


def run_build_defs(
    component: Component,
    context: ComponentLoadContext,
    location: SourceLocation,
    project_root: Path,
) -> Definitions:
    """``component.build_defs(context)``, with anything it raises reported at ``location``."""
    from assetloom.defs import Definitions

    name = type(component).__name__
    with user_code(load_failure(f"`{name}.build_defs`", location, project_root)):
        defs = component.build_defs(context)
    if not isinstance(defs, Definitions):
        raise ComponentLoadError(
            f"`{name}.build_defs` returned {type(defs).__name__}, expected Definitions",
            location=location,
        )
    return defs


def _envelope(document: YamlDocument) -> Envelope:
    value = document.value
    if not isinstance(value, dict):
        from assetloom.loading.validation_errors import describe

        raise DefsDocumentError(
            "a defs.yaml document must be a mapping with a `type` key, not "
            f"{describe(value)}",
            location=document.positions.document_location(),
        )
    component_type, attributes = value.get("type"), value.get("attributes")
    if (
        value.keys() <= _PLAIN_KEYS
        and type(component_type) is str
        and (attributes is None or type(attributes) is dict)
    ):
        return Envelope(component_type, attributes)
    from assetloom.loading.envelope import DefsDocument
    from assetloom.loading.validation_errors import located_errors

    try:
        model = typing.cast(DefsDocument, validate_yaml_data(DefsDocument, value))
    except ValidationError as error:
        raise LoadErrors(located_errors(error, document, DefsDocument)) from None
    return Envelope(
        model.type,
        model.attributes,
        model.template_vars_module,
        model.requirements,
        model.post_processing,
    )


def _check_requirements(envelope: Envelope, document: YamlDocument) -> None:
    if envelope.requirements is None:
        return
    problems: list[LoomError] = []
    for index, variable in enumerate(envelope.requirements.env):
        if variable not in os.environ:
            problems.append(
                RequirementError(
                    f"requirements.env: environment variable `{variable}` is not set",
                    location=document.positions.location(("requirements", "env", index)),
                )
            )
    if problems:
        raise LoadErrors(problems)


def _with_attributes(document: YamlDocument, attributes: Any) -> YamlDocument:
    """The document as validated: rendered attributes, original positions."""
    if attributes is document.value.get("attributes"):
        return document
    value = {**document.value, "attributes": attributes}
    return YamlDocument(
        value, document.positions, document.path, document.index, document.template_marks
    )


def _with_yaml_locations(defs: Definitions, document: YamlDocument) -> Definitions:
    """Point every asset at the YAML item that declared it (matched by name or key)."""
    from assetloom.loading.dep_locations import declared_items

    items = declared_items(document)
    fallback = document.positions.location(("type",))
    for assets_def in defs.assets:
        key = min(assets_def.keys)
        item = items.get(key.to_user_string()) or items.get(key.name)
        location = document.positions.location(item.name_path) if item else fallback
        assets_def.set_source_location(location)
    return defs


def _has_templates(value: Any) -> bool:
    from assetloom.templating.environment import has_templates

    return has_templates(value)
