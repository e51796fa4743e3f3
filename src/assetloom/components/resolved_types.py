"""Ready-made resolved field types: write ``key: ResolvedAssetKey`` or
``assets: list[ResolvedAssetSpec]`` in a component and get YAML support for free."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from assetloom.assets.key import AssetKey
from assetloom.assets.spec import AssetSpec
from assetloom.components.resolvable import Model, ResolutionContext, Resolver


def _to_key(context: ResolutionContext, value: str) -> AssetKey:
    return AssetKey(value)


ResolvedAssetKey = Annotated[
    AssetKey,
    Resolver(
        _to_key,
        model_field_type=str,
        description="An asset key; `a/b` is the two-part key [a, b].",
        examples=["raw/orders"],
    ),
]


class AssetSpecModel(Model):
    """An asset's description in YAML."""

    key: str = Field(examples=["marts/daily_revenue"])
    """The asset key; `a/b` is the two-part key [a, b]."""
    deps: list[str] = Field(default_factory=list)
    """Keys of upstream assets."""
    description: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    group_name: str | None = None
    kinds: list[str] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)
    owners: list[str] = Field(default_factory=list)
    code_version: str | None = None

    def to_spec(self) -> AssetSpec:
        return AssetSpec(
            self.key,
            deps=self.deps,
            description=self.description,
            metadata=self.metadata,
            group_name=self.group_name,
            kinds=self.kinds,
            tags=self.tags,
            owners=self.owners,
            code_version=self.code_version,
        )


def _to_spec(context: ResolutionContext, value: AssetSpecModel) -> AssetSpec:
    return value.to_spec()


ResolvedAssetSpec = Annotated[AssetSpec, Resolver(_to_spec, model_field_type=AssetSpecModel)]
