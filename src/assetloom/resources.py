"""Resources: long-lived objects (database connections, clients) injected into assets by
parameter name."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict

from assetloom.config import resolve_env_vars


class ConfigurableResource(BaseModel):
    """A resource configured by typed fields. A parameter annotated with a subclass is always
    a resource; an unannotated parameter is one when no asset has its name. A field given
    ``EnvVar("NAME")`` takes that environment variable's value."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def __init__(self, **data: Any) -> None:
        super().__init__(**resolve_env_vars(data, type(self).__name__))

    def setup_for_execution(self, context: Any) -> None:
        """Called once per run before the first asset that uses this resource."""

    def teardown_after_execution(self, context: Any) -> None:
        """Called once per run after the last asset."""


RESOURCE_TYPES: tuple[type, ...] = (ConfigurableResource,)

RESOURCE_PARAM_MARK = "assetloom.resource_param"

T = TypeVar("T")

ResourceParam = Annotated[T, RESOURCE_PARAM_MARK]
"""``client: ResourceParam[MyClient]``: the parameter is a resource of that name, whatever
its type (for plain objects that are not ``ConfigurableResource``s)."""
