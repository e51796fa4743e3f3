"""``post_processing.assets``: change the specs of selected assets after ``build_defs``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assetloom.assets.spec import AssetSpec
from assetloom.defs import Definitions

if TYPE_CHECKING:
    from assetloom.loading.envelope import PostProcessingRule

MERGED_ATTRIBUTES = ("metadata", "tags")


def apply_rules(defs: Definitions, rules: Sequence[PostProcessingRule]) -> Definitions:
    """A copy of ``defs`` with every rule applied in order to the assets it targets."""
    if not rules:
        return defs
    from assetloom.graph.selection import select

    assets = list(defs.assets)
    for rule in rules:
        changes = rule.attributes.model_dump(exclude_unset=True)
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
