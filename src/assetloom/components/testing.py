"""Helpers for testing a component in Python, as Dagster's "testing your component" guide
does: build its Definitions without a project on disk."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assetloom.components.component import Component, ComponentLoadContext
from assetloom.defs import Definitions


def component_defs(
    *,
    component: Component,
    resources: Mapping[str, Any] | None = None,
    context: ComponentLoadContext | None = None,
) -> Definitions:
    """``component.build_defs`` with a test context (the current directory) unless one is
    given, plus ``resources`` (so ``materialize(component_defs(...))`` can run it)."""
    defs = component.build_defs(context or ComponentLoadContext.for_test())
    if resources:
        defs = Definitions.merge(defs, Definitions(resources=resources))
    return defs
