"""``post_processing.assets``: change the specs of selected assets after ``build_defs``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import Field

from assetloom.assets.spec import AssetSpec
from assetloom.components.document import PostProcessingRule
from assetloom.components.resolvable import Model
from assetloom.defs import Definitions

MERGED_ATTRIBUTES = ("metadata", "tags")


class SpecAttributes(Model):
    """The AssetSpec attributes a post-processing rule may set."""

    description: str | None = None
    metadata: dict[str, Any] | None = None
    group_name: str | None = None
    kinds: list[str] | None = None
    tags: dict[str, str] | None = None
    owners: list[str] | None = None
    code_version: str | None = None
    deps: list[str] | None = Field(default=None)


def apply_rules(defs: Definitions, rules: Sequence[PostProcessingRule]) -> Definitions:
    """A copy of ``defs`` with every rule applied in order to the assets it targets."""
    if not rules:
        return defs
    from assetloom.graph.selection import select

    assets = list(defs.assets)
    for rule in rules:
        changes = SpecAttributes.model_validate(rule.attributes).model_dump(exclude_unset=True)
        graph = Definitions(assets, defs.asset_checks).resolve_asset_graph()
        targets = select(graph, rule.target)
        assets = [
            a.replace_specs([_apply(s, changes, rule.operation) if s.key in targets else s
                             for s in a.specs])
            if any(k in targets for k in a.keys) else a
            for a in assets
        ]
    return Definitions(assets, defs.asset_checks, defs.resources, metadata=defs.metadata)


def _apply(spec: AssetSpec, changes: dict[str, Any], operation: str) -> AssetSpec:
    if operation == "merge":
        changes = {
            name: {**getattr(spec, name), **value} if name in MERGED_ATTRIBUTES else value
            for name, value in changes.items()
        }
    return spec.replace_attributes(**changes)
