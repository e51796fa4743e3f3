"""Run configuration: typed ``Config`` classes an asset takes as a parameter, the run config
that fills them (``{"ops": {"asset_name": {"config": {...}}}}``, Dagster's shape), and
``EnvVar`` for values read from the environment."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from assetloom.errors import InvalidConfigError, SourceLocation, did_you_mean


class Config(BaseModel):
    """Subclass with typed fields, and annotate an asset parameter with the subclass
    (``def orders(config: OrdersConfig)``); each run fills it from its run config. Fields
    without a default must be given there."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def __init__(self, **data: Any) -> None:
        super().__init__(**resolve_env_vars(data, type(self).__name__))


class EnvVar(str):
    """A value read from the environment variable it names, when the object holding it (a
    ``ConfigurableResource`` or a ``Config``) is built."""

    __slots__ = ()

    @property
    def env_var_name(self) -> str:
        return str.__str__(self)

    def get_value(self, default: str | None = None) -> str | None:
        return os.environ.get(self.env_var_name, default)

    def __repr__(self) -> str:
        return f"EnvVar({self.env_var_name!r})"


def resolve_env_vars(values: Any, owner: str) -> Any:
    """``values`` (a model's input) with each top-level ``EnvVar`` replaced by its value; an
    unset variable is an InvalidConfigError naming it."""
    if not isinstance(values, Mapping):
        return values
    resolved = dict(values)
    for name, value in values.items():
        if isinstance(value, EnvVar):
            found = value.get_value()
            if found is None:
                raise InvalidConfigError(
                    f"{owner}.{name}: environment variable `{value.env_var_name}` is not set"
                )
            resolved[name] = found
    return resolved


class RunConfig:
    """Run config as objects: ``RunConfig(ops={"orders": OrdersConfig(limit=5)})`` is the
    same as ``{"ops": {"orders": {"config": {"limit": 5}}}}``."""

    __slots__ = ("ops",)

    def __init__(self, ops: Mapping[str, Config | Mapping[str, Any]] | None = None) -> None:
        self.ops = dict(ops or {})

    def to_config_dict(self) -> dict[str, Any]:
        ops = {
            name: {"config": value.model_dump() if isinstance(value, Config) else dict(value)}
            for name, value in self.ops.items()
        }
        return {"ops": ops}


class RunConfigFile(dict[str, Any]):
    """Run config read from a YAML file: the data, and where each value sits in the file, so
    that a config error points at the offending value."""

    def __init__(self, data: Mapping[str, Any], locate: Locate) -> None:
        super().__init__(data)
        self.locate = locate

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[dict[str, Any]]]:
        # Positions matter only before the run; worker processes get the plain data.
        return (dict, (dict(self),))


Locate = Callable[[Sequence[Any]], SourceLocation | None]
RunConfigLike = RunConfig | Mapping[str, Any] | None


def read_run_config_file(file: Path, display_path: str) -> RunConfigFile:
    """``loom materialize --config FILE``: a YAML mapping in Dagster's run config shape."""
    from assetloom.yaml.source import parse_yaml_documents

    documents = parse_yaml_documents(file.read_text(encoding="utf-8"), display_path)
    if not documents:
        return RunConfigFile({}, lambda path: None)
    document = documents[0]
    if not isinstance(document.value, Mapping):
        raise InvalidConfigError(
            "run config must be a mapping such as `ops: {asset: {config: {...}}}`",
            location=document.positions.document_location(),
        )
    return RunConfigFile(document.value, document.positions.location)


def _locate(run_config: RunConfigLike, path: Sequence[Any]) -> SourceLocation | None:
    return run_config.locate(path) if isinstance(run_config, RunConfigFile) else None


def op_config(run_config: RunConfigLike, node_name: str) -> Any:
    """The raw ``config`` value the run config gives ``node_name`` (None when absent)."""
    if run_config is None:
        return None
    if isinstance(run_config, RunConfig):
        return run_config.ops.get(node_name)
    ops = run_config.get("ops", {})
    unknown = set(run_config) - {"ops", "resources", "execution", "loggers"}
    if unknown:
        raise InvalidConfigError(
            f"run config has unknown top-level key(s) {sorted(unknown)}; expected `ops`",
            location=_locate(run_config, [min(unknown)]),
        )
    entry = ops.get(node_name) if isinstance(ops, Mapping) else None
    if entry is None:
        return None
    if not isinstance(entry, Mapping) or set(entry) - {"config"}:
        raise InvalidConfigError(
            f"ops.{node_name}: expected a mapping with one key `config`, got {entry!r}",
            location=_locate(run_config, ["ops", node_name]),
        )
    return entry.get("config")


def build_config(
    config_type: type[Config], raw: Any, node_name: str, run_config: RunConfigLike = None
) -> Config:
    """Validate ``raw`` (a Config instance, a mapping or None) as ``config_type``; the error
    names (and, for a config file, points at) the first offending field."""
    if isinstance(raw, config_type):
        return raw
    try:
        return config_type.model_validate(raw if raw is not None else {})
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}"
            for e in error.errors()
        )
        first = error.errors()[0]["loc"] if error.errors() else ()
        raise InvalidConfigError(
            f"ops.{node_name}.config: invalid {config_type.__name__}: {problems}",
            location=_locate(run_config, ["ops", node_name, "config", *first]),
        ) from None


def check_run_config(
    run_config: RunConfigLike, config_types: Mapping[str, type[Config] | None]
) -> None:
    """Before a run starts: every name under ``ops`` is a node of the run (``config_types``
    maps each node to the Config class it takes, or None), and each Config validates."""
    if run_config is None:
        run_config = {}
    ops = run_config.ops if isinstance(run_config, RunConfig) else run_config.get("ops", {})
    unknown = sorted(set(ops or {}) - set(config_types))
    if unknown:
        raise InvalidConfigError(
            f"run config: ops.{unknown[0]} names no asset or check of this run"
            + did_you_mean(unknown[0], config_types),
            location=_locate(run_config, ["ops", unknown[0]]),
        )
    for node, config_type in config_types.items():
        if config_type is not None:
            build_config(config_type, op_config(run_config, node), node, run_config)
