"""AssetsDefinition: one compute function and the asset(s) it materializes."""

from __future__ import annotations

import enum
import inspect
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin

from assetloom.assets.key import AssetKey
from assetloom.assets.retry import RetryPolicy
from assetloom.assets.spec import AssetIn, AssetSpec
from assetloom.config import Config
from assetloom.errors import InvariantViolationError, SourceLocation
from assetloom.resources import RESOURCE_PARAM_MARK

if TYPE_CHECKING:
    from assetloom.assets.checks import AssetCheckKey, AssetCheckSpec

CONTEXT_PARAM = "context"


class ParamRole(enum.Enum):
    CONTEXT = "context"
    INPUT = "input"  # an upstream asset's value, key known at decoration time
    RESOURCE = "resource"  # annotated with a resource type
    CONFIG = "config"  # annotated with a Config subclass: filled from the run config
    BY_NAME = "by_name"  # an upstream asset if one has that name, else a resource


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    role: ParamRole
    key: AssetKey | None = None
    config_type: type[Config] | None = None


_NONE: Mapping[Any, Any] = MappingProxyType({})
_NO_KEYS: frozenset[str] = frozenset()


class AssetsDefinition:
    """What ``@asset`` and ``@multi_asset`` produce: the specs of the assets a function
    materializes, how its parameters are bound, and where it was defined.

    ``AssetsDefinition(specs=[...])`` without a function declares external assets. The
    function can still be called directly (``my_asset(...)``) in a unit test.
    """

    __slots__ = (
        "_keys",
        "_output_names",
        "can_subset",
        "check_specs",
        "compute_fn",
        "io_manager_keys",
        "location",
        "node_name",
        "params",
        "required_resource_keys",
        "retry_policy",
        "specs",
    )

    def __init__(
        self,
        *,
        specs: Sequence[AssetSpec],
        compute_fn: Callable[..., Any] | None = None,
        params: Sequence[Param] = (),
        node_name: str | None = None,
        retry_policy: RetryPolicy | None = None,
        location: SourceLocation | None = None,
        output_names: Mapping[AssetKey, str] | None = None,
        can_subset: bool = False,
        check_specs: Sequence[AssetCheckSpec] = (),
        io_manager_keys: Mapping[AssetKey, str] | None = None,
        required_resource_keys: Iterable[str] | None = None,
    ) -> None:
        if not specs:
            raise ValueError("an AssetsDefinition needs at least one AssetSpec")
        self.specs = tuple(specs)
        self.compute_fn = compute_fn
        self.params = tuple(params)
        self.node_name = node_name or "__".join(self.specs[0].key.path)
        self.retry_policy = retry_policy
        self.location = location
        self._keys = frozenset(spec.key for spec in self.specs)
        # Factories build thousands of these: the usual empty extras share one object each
        # instead of allocating (the garbage collector's work grows with every container).
        self._output_names = dict(output_names) if output_names else None
        self.can_subset = can_subset
        self.check_specs = tuple(check_specs) if check_specs else ()
        self.io_manager_keys: Mapping[AssetKey, str] = (
            dict(io_manager_keys) if io_manager_keys else _NONE
        )
        self.required_resource_keys = (
            frozenset(required_resource_keys) if required_resource_keys else _NO_KEYS
        )

    @property
    def output_names(self) -> Mapping[AssetKey, str]:
        """What ``Output(output_name=...)`` and ``context.selected_output_names`` call each
        asset: the names given in ``outs``, else "result" for a single asset, else the key
        as a Python identifier."""
        if self._output_names is not None:
            return self._output_names
        if len(self.specs) == 1:
            return {self.specs[0].key: "result"}
        return {spec.key: spec.key.to_python_identifier() for spec in self.specs}

    @property
    def key(self) -> AssetKey:
        if len(self.specs) != 1:
            raise InvariantViolationError(
                f"`{self.node_name}` materializes {len(self.specs)} assets; use `.keys`"
            )
        return self.specs[0].key

    @property
    def keys(self) -> frozenset[AssetKey]:
        return self._keys

    @property
    def is_executable(self) -> bool:
        return self.compute_fn is not None

    @property
    def is_external(self) -> bool:
        return self.compute_fn is None

    @property
    def op(self) -> AssetsDefinition:
        return self

    @property
    def name(self) -> str:
        return self.node_name

    @property
    def config_type(self) -> type[Config] | None:
        """The ``Config`` class the function takes, if any (filled from the run config)."""
        return next((p.config_type for p in self.params if p.config_type is not None), None)

    @property
    def check_keys(self) -> set[AssetCheckKey]:
        return {spec.key for spec in self.check_specs}

    @property
    def keys_by_output_name(self) -> dict[str, AssetKey]:
        return {name: key for key, name in self.output_names.items()}

    @property
    def code_versions_by_key(self) -> dict[AssetKey, str | None]:
        return {spec.key: spec.code_version for spec in self.specs}

    @property
    def group_names_by_key(self) -> dict[AssetKey, str | None]:
        return {spec.key: spec.group_name for spec in self.specs}

    @property
    def descriptions_by_key(self) -> dict[AssetKey, str | None]:
        return {spec.key: spec.description for spec in self.specs}

    @property
    def metadata_by_key(self) -> dict[AssetKey, Mapping[str, Any]]:
        return {spec.key: spec.metadata for spec in self.specs}

    @property
    def tags_by_key(self) -> dict[AssetKey, Mapping[str, str]]:
        return {spec.key: spec.tags for spec in self.specs}

    @property
    def owners_by_key(self) -> dict[AssetKey, tuple[str, ...]]:
        return {spec.key: spec.owners for spec in self.specs}

    @property
    def asset_deps(self) -> dict[AssetKey, set[AssetKey]]:
        return {spec.key: set(spec.dep_keys) for spec in self.specs}

    def get_asset_spec(self, key: AssetKey | None = None) -> AssetSpec:
        """The spec of ``key`` (of the only asset when None)."""
        wanted = self.key if key is None else key
        return next(spec for spec in self.specs if spec.key == wanted)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.compute_fn is None:
            raise TypeError(f"`{self.node_name}` is an external asset and cannot be called")
        from assetloom.execution.context import AssetExecutionContext

        for arg in (*args, *kwargs.values()):
            if isinstance(arg, AssetExecutionContext):  # from build_asset_context
                arg.bind_to(self._keys, self.output_names)
        return self.compute_fn(*args, **kwargs)

    def __repr__(self) -> str:
        keys = ", ".join(sorted(k.to_user_string() for k in self._keys))
        return f"<AssetsDefinition {self.node_name} [{keys}]>"

    def replace_specs(self, specs: Sequence[AssetSpec]) -> AssetsDefinition:
        """The same function with other specs: post-processing keeps the keys; a subset
        (``subset_for``) keeps some of them."""
        keys = {spec.key for spec in specs}
        return AssetsDefinition(
            specs=specs,
            compute_fn=self.compute_fn,
            params=self.params,
            node_name=self.node_name,
            retry_policy=self.retry_policy,
            location=self.location,
            output_names={k: n for k, n in self.output_names.items() if k in keys},
            can_subset=self.can_subset,
            check_specs=[c for c in self.check_specs if c.asset_key in keys],
            io_manager_keys={k: n for k, n in self.io_manager_keys.items() if k in keys},
            required_resource_keys=self.required_resource_keys,
        )

    def subset_for(self, keys: frozenset[AssetKey] | set[AssetKey]) -> AssetsDefinition:
        """This definition run for some of its assets only (``can_subset=True``): the step's
        ``context.selected_asset_keys`` are those."""
        if self._keys <= keys:
            return self
        return self.replace_specs([spec for spec in self.specs if spec.key in keys])

    def set_source_location(self, location: SourceLocation) -> None:
        """Point a definition that was just built (by a component) at the YAML that declared
        it. In place, because copying every asset of a large project is measurable."""
        self.location = location
        for spec in self.specs:
            object.__setattr__(spec, "location", location)

    def with_location(self, location: SourceLocation) -> AssetsDefinition:
        updated = self.replace_specs([spec.with_location(location) for spec in self.specs])
        updated.location = location
        return updated


def external_assets_definition(spec: AssetSpec) -> AssetsDefinition:
    """An AssetSpec given to ``Definitions`` as it appears in the graph: present, not runnable."""
    return AssetsDefinition(specs=[spec], compute_fn=None, location=spec.location)


def function_location(fn: Callable[..., Any]) -> SourceLocation | None:
    """``file:line`` of a function, relative to the working directory when it lies below it."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    cwd = os.getcwd()
    cached = _LOCATIONS.get(code)
    if cached is None or cached[0] != cwd:  # factories decorate one code object many times
        cached = _LOCATIONS[code] = (
            cwd,
            SourceLocation(display_path(code.co_filename), code.co_firstlineno, 1),
        )
    return cached[1]


_LOCATIONS: dict[Any, tuple[str, SourceLocation]] = {}


def docstring_of(fn: Callable[..., Any]) -> str | None:
    doc = getattr(fn, "__doc__", None)
    return inspect.cleandoc(doc) or None if doc else None


def display_path(filename: str) -> str:
    cwd = os.getcwd()
    if filename.startswith(cwd + os.sep):
        return filename[len(cwd) + 1 :]
    return filename


def bind_params(
    fn: Callable[..., Any],
    *,
    ins: Mapping[str, AssetIn] | None,
    key_prefix: Sequence[str],
    resource_types: tuple[type, ...],
) -> tuple[Param, ...]:
    """Decide once, at decoration time, what each parameter of an asset function receives.

    Factories decorate the same code object thousands of times, so the answer is cached per
    code object, defaults and annotations (inspect.signature was a third of load time)."""
    cache_key = None if ins or hasattr(fn, "__signature__") else _binding_key(fn, key_prefix)
    if cache_key is not None:
        cached = _BINDINGS.get(cache_key)
        if cached is None:
            cached = _bind_params(
                fn, ins=None, key_prefix=key_prefix, resource_types=resource_types
            )
            _BINDINGS[cache_key] = cached
        return cached
    return _bind_params(fn, ins=ins, key_prefix=key_prefix, resource_types=resource_types)


_BINDINGS: dict[tuple[Any, ...], tuple[Param, ...]] = {}


def _binding_key(fn: Callable[..., Any], key_prefix: Sequence[str]) -> tuple[Any, ...] | None:
    code = getattr(fn, "__code__", None)
    if code is None:
        return None
    key = (
        code,
        len(getattr(fn, "__defaults__", None) or ()),
        tuple(getattr(fn, "__kwdefaults__", None) or ()),
        tuple(key_prefix),
        tuple(getattr(fn, "__annotations__", {}).items()),
    )
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _bind_params(
    fn: Callable[..., Any],
    *,
    ins: Mapping[str, AssetIn] | None,
    key_prefix: Sequence[str],
    resource_types: tuple[type, ...],
) -> tuple[Param, ...]:
    ins = dict(ins or {})
    params: list[Param] = []
    for parameter in _signature(fn).parameters.values():
        name = parameter.name
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name in ins:
            params.append(Param(name, ParamRole.INPUT, in_key(name, ins.pop(name), key_prefix)))
        elif name == CONTEXT_PARAM:
            params.append(Param(name, ParamRole.CONTEXT))
        elif _is_resource_annotation(parameter.annotation, resource_types):
            params.append(Param(name, ParamRole.RESOURCE))
        elif _is_resource_annotation(parameter.annotation, (Config,)):
            params.append(Param(name, ParamRole.CONFIG, config_type=parameter.annotation))
        elif parameter.default is not parameter.empty:
            continue  # a default binds it (factories pass loop values this way)
        else:
            params.append(Param(name, ParamRole.BY_NAME, AssetKey([*key_prefix, name])))
    if ins:
        raise TypeError(
            f"`{fn.__name__}` has no parameter(s) {sorted(ins)} named in `ins`; "
            "each `ins` entry must match a parameter"
        )
    return tuple(params)


def in_key(name: str, asset_in: AssetIn, key_prefix: Sequence[str]) -> AssetKey:
    if asset_in.key is not None:
        return AssetKey.from_coercible(asset_in.key)
    prefix = asset_in.key_prefix if asset_in.key_prefix is not None else key_prefix
    return AssetKey(name).with_prefix(prefix)


def _signature(fn: Callable[..., Any]) -> inspect.Signature:
    try:  # resolve string annotations (``from __future__ import annotations``) when we can
        return inspect.signature(fn, eval_str=True)
    except Exception:
        return inspect.signature(fn)


def _is_resource_annotation(annotation: Any, resource_types: tuple[type, ...]) -> bool:
    if get_origin(annotation) is Annotated:
        return RESOURCE_PARAM_MARK in get_args(annotation)[1:]
    return isinstance(annotation, type) and issubclass(annotation, resource_types)
