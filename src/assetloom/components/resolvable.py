"""Model, Resolvable and Resolver: how a class's annotated fields become its YAML attributes.

For every Resolvable class we derive, once, a pydantic *YAML model*: the same fields, but where
a field is ``Annotated[T, Resolver(fn, model_field_type=Y)]`` the YAML model expects ``Y``, and
nested Resolvable classes are replaced by their own YAML models. Attributes are validated by
that model (one compiled validator per type; errors carry the exact field path) and then
*resolved*: resolvers run and the target classes are built.

A pydantic ``Model`` without resolvers anywhere inside is its own YAML model, so validating it
builds the instance directly: the common case costs one pydantic validation and nothing more.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import types
import typing
from collections import abc
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

import pydantic_core
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, create_model
from pydantic.fields import FieldInfo

from assetloom.components.attribute_docs import describe_properties, described_from
from assetloom.errors import DefsDocumentError, ResolutionError, SourceLocation

if typing.TYPE_CHECKING:
    from pydantic import GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

PathPart = str | int


class Model(BaseModel):
    """A pydantic model for component attributes: unknown fields are errors, and attribute
    docstrings become field descriptions in JSON Schema (shown by editors; read from the
    source only when a schema is generated, see ``attribute_docs``)."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler, /
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        describe_properties(handler.resolve_ref_schema(schema), cls)
        return schema


class Resolvable:
    """Marks a class whose annotated fields define its YAML ``attributes``.

    Works on pydantic ``Model`` subclasses (as in ``class F(Component, Model, Resolvable)``),
    on dataclasses, and on plain classes whose ``__init__`` takes the annotated fields.
    """

    @classmethod
    def resolve_from_yaml(
        cls, yaml: str | Any, context: ResolutionContext | None = None
    ) -> typing.Self:
        """Validate YAML text (or data already parsed from YAML) and build an instance; a
        resolver's error is a ResolutionError located in the text."""
        if isinstance(yaml, str):
            from assetloom.yaml.source import parse_yaml_documents

            documents = parse_yaml_documents(yaml, "<yaml>")
            data = documents[0].value if documents else {}
            located = context or ResolutionContext(
                locate=documents[0].positions.location if documents else None
            )
            return cls.resolve_from_yaml(data, located)
        built = resolve_attributes(cls, yaml, context or ResolutionContext())
        return typing.cast(typing.Self, built)

    @classmethod
    def model(cls) -> type[BaseModel]:
        """The pydantic model of this class's YAML attributes (what its schema describes)."""
        return yaml_model_for(typing.cast(type, cls))

    @classmethod
    def resolve_from_model(cls, context: ResolutionContext, model: BaseModel) -> typing.Self:
        """Build an instance from an already validated ``model()`` instance."""
        return typing.cast(typing.Self, _build(cls, model, context))


@dataclasses.dataclass(frozen=True)
class Resolver:
    """Turns a field's YAML value into its Python value: ``fn(context, value)``.

    ``model_field_type`` is the type the YAML holds (default: the field's own type) and
    ``model_field_name`` its name in YAML (default: the field's). A resolver made with
    ``Resolver.from_model`` gets the whole validated YAML model instead of one value, and its
    field is not in the YAML at all. ``can_inject`` and ``inject_before_resolve`` are
    accepted for Dagster code: templates are always rendered before anything resolves.
    """

    fn: Callable[[ResolutionContext, Any], Any] | None = None
    model_field_type: Any = None
    description: str | None = None
    examples: Sequence[Any] | None = None
    model_field_name: str | None = None
    inject_before_resolve: bool = True
    can_inject: bool = False
    from_parent_model: bool = False

    def __post_init__(self) -> None:
        # Annotated metadata is hashed when the annotation joins a union (`X | None`).
        if self.examples is not None and not isinstance(self.examples, tuple):
            object.__setattr__(self, "examples", tuple(self.examples))

    @classmethod
    def default(
        cls, *, model_field_type: Any = None, description: str | None = None,
        examples: Sequence[Any] | None = None,
    ) -> Resolver:
        """Keep the default resolution but set the YAML type or documentation."""
        return cls(None, model_field_type, description, examples)

    @classmethod
    def from_model(
        cls, fn: Callable[[ResolutionContext, Any], Any], **kwargs: Any
    ) -> Resolver:
        """A resolver computing the field from the whole validated YAML model."""
        return cls(fn, from_parent_model=True, **kwargs)


@dataclasses.dataclass(frozen=True)
class ResolutionContext:
    """What a resolver gets: the component's load context, and where the value sits in YAML."""

    load_context: Any = None
    path: tuple[PathPart, ...] = ()
    locate: Callable[[tuple[PathPart, ...]], SourceLocation | None] | None = None

    def at(self, *parts: PathPart) -> ResolutionContext:
        return dataclasses.replace(self, path=(*self.path, *parts))

    def at_path(self, path_part: PathPart) -> ResolutionContext:
        """Dagster's spelling of :meth:`at` for one part."""
        return self.at(path_part)

    def resolve_value(self, value: Any, as_type: Any = None) -> Any:
        """``value`` with its templates rendered and, given ``as_type``, validated as that
        type. Templates are rendered before any resolver runs, so only the type is left."""
        return value if as_type is None else _adapter(as_type).validate_python(value)

    @property
    def location(self) -> SourceLocation | None:
        return self.locate(self.path) if self.locate else None


# --- deriving the YAML model ------------------------------------------------------------

_T = typing.TypeVar("_T")


def _cached_on_class(fn: Callable[[type], _T]) -> Callable[[type], _T]:
    """``functools.cache`` for a function of a class, with the result kept on the class
    itself: it goes when the class goes (a reloaded project's classes are not kept alive by
    a module-level cache)."""
    attribute = f"__assetloom_{fn.__name__.strip('_')}__"

    @functools.wraps(fn)
    def cached(cls: type) -> _T:
        if attribute in cls.__dict__:
            found: _T = cls.__dict__[attribute]
            return found
        value = fn(cls)
        with contextlib.suppress(TypeError):  # a built-in type: computed again next time
            type.__setattr__(cls, attribute, value)
        return value

    return cached


@_cached_on_class
def yaml_model_for(cls: type) -> type[BaseModel]:
    """The pydantic model that validates ``cls``'s YAML attributes (built once per class)."""
    if _is_plain_model(cls):
        return typing.cast(type[BaseModel], cls)
    fields: dict[str, Any] = {}
    yaml_names: dict[str, str] = {}
    for name, annotation, default in _fields_of(cls):
        resolver = resolver_of(annotation)
        if resolver is not None and resolver.from_parent_model:
            continue  # computed from the other fields, not written in YAML
        if resolver is not None and resolver.model_field_name:
            yaml_names[name] = name = resolver.model_field_name
        if _needs_resolution(annotation) and _has_python_default(default):
            # A Python-side default (an AssetKey, say) has no YAML form: keep it out of the
            # schema; the class applies it when the attribute is omitted.
            docs = {"description": default.description} if _has_description(default) else {}
            default = Field(default=None, json_schema_extra=_drop_default, **docs)
        fields[name] = (_yaml_annotation(annotation), default)
    config = ConfigDict(
        extra="forbid",
        arbitrary_types_allowed=True,
        json_schema_extra=described_from(cls, yaml_names) if issubclass(cls, Model) else None,
    )
    model = create_model(
        cls.__name__, __config__=config, __doc__=_own_doc(cls), __module__=cls.__module__,
        **fields,
    )
    return typing.cast(type[BaseModel], model)


def _has_description(default: Any) -> bool:
    return isinstance(default, FieldInfo) and default.description is not None


def _has_python_default(default: Any) -> bool:
    if isinstance(default, FieldInfo):
        return not default.is_required() and default.default is not None
    return default is not ... and default is not None


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _own_doc(cls: type) -> str | None:
    """The class docstring, unless it is the signature dataclasses write in its place."""
    doc = cls.__doc__
    if doc and dataclasses.is_dataclass(cls) and doc.startswith(f"{cls.__name__}("):
        return None
    return doc


def _fields_of(cls: type) -> list[tuple[str, Any, Any]]:
    """(name, annotation with metadata, default-or-FieldInfo) for each attribute of cls."""
    if issubclass(cls, BaseModel):
        return [
            (name, _with_metadata(info), _default_info(info))
            for name, info in cls.model_fields.items()
        ]
    hints = get_type_hints(cls, include_extras=True)
    if dataclasses.is_dataclass(cls):
        out = []
        for f in dataclasses.fields(cls):
            if not f.init:
                continue
            default: Any = ...
            if f.default is not dataclasses.MISSING:
                default = f.default
            elif f.default_factory is not dataclasses.MISSING:
                default = Field(default_factory=f.default_factory)
            out.append((f.name, hints[f.name], default))
        return out
    return [
        (name, hint, getattr(cls, name, ...))
        for name, hint in hints.items()
        if not name.startswith("_") and get_origin(hint) is not typing.ClassVar
    ]


def _with_metadata(info: FieldInfo) -> Any:
    annotation = info.annotation
    resolvers = [m for m in info.metadata if isinstance(m, Resolver)]
    return Annotated[annotation, *resolvers] if resolvers else annotation


def _default_info(info: FieldInfo) -> Any:
    docs: dict[str, Any] = {
        name: value
        for name, value in (
            ("description", info.description), ("examples", info.examples), ("alias", info.alias)
        )
        if value is not None  # a None here would hide the Resolver's own documentation
    }
    if info.default_factory is not None:
        return Field(default_factory=info.default_factory, **docs)
    return Field(default=info.default, **docs)


def _yaml_annotation(annotation: Any) -> Any:
    """Map a Python-side annotation to what the YAML holds."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extras = get_args(annotation)
        resolver = next((e for e in extras if isinstance(e, Resolver)), None)
        others = [e for e in extras if not isinstance(e, Resolver)]
        if resolver is None:
            mapped = _yaml_annotation(inner)
            return Annotated[mapped, *others] if others else mapped
        yaml_type = resolver.model_field_type
        target = _yaml_annotation(inner) if yaml_type is None else yaml_type
        examples = list(resolver.examples) if resolver.examples is not None else None
        docs = Field(description=resolver.description, examples=examples)
        return Annotated[target, docs]
    if isinstance(annotation, type) and _is_resolvable(annotation):
        return yaml_model_for(annotation)
    if origin in (Union, types.UnionType):
        return Union[tuple(_yaml_annotation(a) for a in get_args(annotation))]  # noqa: UP007
    if origin in _COLLECTIONS or origin in _MAPPINGS:
        args = tuple(_yaml_annotation(a) for a in get_args(annotation))
        base = dict if origin in _MAPPINGS else tuple if origin is tuple else list
        if origin is tuple and args and args[-1] is Ellipsis:
            return list[args[0]]  # type: ignore[valid-type]
        return base[args] if args else base
    return annotation


def _is_resolvable(cls: type) -> bool:
    return issubclass(cls, Resolvable) or (
        dataclasses.is_dataclass(cls) and not issubclass(cls, BaseModel)
    ) or (issubclass(cls, BaseModel) and not _is_plain_model(cls))


@_cached_on_class
def _is_plain_model(cls: type) -> bool:
    """A pydantic model whose fields need no resolution: it is its own YAML model."""
    if not issubclass(cls, BaseModel):
        return False
    return all(not _needs_resolution(_with_metadata(i)) for i in cls.model_fields.values())


def _needs_resolution(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extras = get_args(annotation)
        resolves = any(
            isinstance(e, Resolver)
            and (e.fn is not None or e.model_field_type is not None or e.model_field_name)
            for e in extras
        )
        return resolves or _needs_resolution(inner)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return not _is_plain_model(annotation)
        return dataclasses.is_dataclass(annotation) or issubclass(annotation, Resolvable)
    return any(_needs_resolution(a) for a in get_args(annotation))


# --- resolving validated data into the target class -----------------------------------


def resolve_attributes(cls: type, attributes: Any, context: ResolutionContext) -> Any:
    """Validate ``attributes`` with ``cls``'s YAML model, then build ``cls``.

    Raises ``pydantic.ValidationError`` for invalid data (the loader maps it onto YAML
    positions) and ``DefsDocumentError`` when a resolver raises.
    """
    model = yaml_model_for(cls)
    validated = validate_yaml_data(model, attributes if attributes is not None else {})
    if model is cls:
        return validated
    return _build(cls, validated, context)


def validate_yaml_data(model: type[BaseModel], data: Any) -> BaseModel:
    """Validate YAML data by the rule the published JSON Schema states, so the loader, ``loom
    check yaml`` and an editor agree: as the JSON document the editor sees, in pydantic's
    strict mode (no ``"3"`` for an int, no ``"yes"`` for a bool; an int is a number; a
    string is a path, a date or an enum value). Data with no JSON form (a Python object a
    template produced) is validated as Python, strictly."""
    try:
        text = pydantic_core.to_json(data, inf_nan_mode="constants")
    except pydantic_core.PydanticSerializationError:
        return model.model_validate(data, strict=True)
    return model.model_validate_json(text, strict=True)


def _build(cls: type, validated: BaseModel, context: ResolutionContext) -> Any:
    kwargs: dict[str, Any] = {}
    for name, annotation, _ in _fields_of(cls):
        resolver = resolver_of(annotation)
        if resolver is not None and resolver.from_parent_model and resolver.fn is not None:
            kwargs[name] = _call_resolver(resolver.fn, context.at(name), validated)
            continue
        yaml_name = (resolver.model_field_name if resolver else None) or name
        if yaml_name in validated.model_fields_set or _has_no_python_default(cls, name):
            value = getattr(validated, yaml_name)
            kwargs[name] = _resolve_value(annotation, value, context.at(yaml_name))
    return cls(**kwargs)


def resolver_of(annotation: Any) -> Resolver | None:
    """The Resolver in a field's ``Annotated[...]`` metadata, if any."""
    if get_origin(annotation) is not Annotated:
        return None
    return next((e for e in get_args(annotation)[1:] if isinstance(e, Resolver)), None)


def _call_resolver(
    fn: Callable[[ResolutionContext, Any], Any], context: ResolutionContext, value: Any
) -> Any:
    """Run a resolver; whatever it raises becomes a ResolutionError at the value's place."""
    try:
        return fn(context, value)
    except ResolutionError as error:
        if error.location is None:
            error.location = context.location
        raise
    except DefsDocumentError:
        raise
    except Exception as error:
        raise ResolutionError(
            f"{render_path(context.path)}: {type(error).__name__}: {error}",
            location=context.location,
        ) from error


def _has_no_python_default(cls: type, name: str) -> bool:
    if issubclass(cls, BaseModel):
        return cls.model_fields[name].is_required()
    if dataclasses.is_dataclass(cls):
        f = next(f for f in dataclasses.fields(cls) if f.name == name)
        return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    return not hasattr(cls, name)


def _resolve_value(annotation: Any, value: Any, context: ResolutionContext) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *extras = get_args(annotation)
        resolver = next((e for e in extras if isinstance(e, Resolver)), None)
        if resolver is None or resolver.fn is None:
            return _resolve_value(inner, value, context)
        return _call_resolver(resolver.fn, context, value)
    if value is None:
        return None
    if isinstance(value, BaseModel) and isinstance(annotation, type):
        if type(value) is annotation:
            return value
        if yaml_model_for(annotation) is type(value):
            return _build(annotation, value, context)
    if origin in (Union, types.UnionType):
        return _resolve_value(_union_member(annotation, value), value, context)
    if origin in _COLLECTIONS and isinstance(value, (list, tuple, set, frozenset)):
        args = get_args(annotation)
        item_type = args[0] if args else Any
        items = [_resolve_value(item_type, v, context.at(i)) for i, v in enumerate(value)]
        return _COLLECTIONS[origin](items)
    if origin in _MAPPINGS and isinstance(value, dict):
        args = get_args(annotation)
        item_type = args[1] if len(args) == 2 else Any
        return {k: _resolve_value(item_type, v, context.at(k)) for k, v in value.items()}
    return value


def _union_member(annotation: Any, value: Any) -> Any:
    """The member of a union that the validated YAML ``value`` came from."""
    options = [a for a in get_args(annotation) if a is not type(None)]
    if len(options) == 1:
        return options[0]
    for option in options:
        if isinstance(value, BaseModel) and isinstance(option, type):
            if option is type(value) or yaml_model_for(option) is type(value):
                return option
        elif not isinstance(value, BaseModel) and _accepts(option, value):
            return option
    return Any


def _accepts(option: Any, value: Any) -> bool:
    try:
        _adapter(option).validate_python(value, strict=True)
    except ValidationError:
        return False
    return True


@functools.cache
def _adapter(option: Any) -> TypeAdapter[Any]:
    return TypeAdapter(_yaml_annotation(option))


# Every collection type a field may be annotated with (``collections.abc`` ones included, as
# Dagster's components use them), and the concrete type its resolved value gets.
_COLLECTIONS: dict[Any, Callable[[list[Any]], Any]] = {
    list: list,
    tuple: tuple,
    set: set,
    frozenset: frozenset,
    abc.Sequence: list,
    abc.MutableSequence: list,
    abc.Collection: list,
    abc.Iterable: list,
    abc.Set: frozenset,
    abc.MutableSet: set,
}
_MAPPINGS = frozenset({dict, abc.Mapping, abc.MutableMapping})


def render_path(path: Sequence[PathPart]) -> str:
    """``attributes.etl_tables[1].deps[0]`` for a key path."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
