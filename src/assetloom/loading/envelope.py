"""The envelope of a ``defs.yaml`` document: its closed set of top-level keys."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Closed(BaseModel):
    # Field descriptions are spelt out rather than taken from attribute docstrings: reading
    # them back from the source cost every process 8 ms, a tenth of `loom check yaml`.
    model_config = ConfigDict(extra="forbid")


class Requirements(_Closed):
    """What must hold in the environment for this component to load."""

    env: list[str] = Field(
        default_factory=list, description="Environment variables that must be set."
    )


class SpecAttributes(_Closed):
    """The AssetSpec attributes a post-processing rule may set."""

    description: str | None = None
    metadata: dict[str, Any] | None = None
    group_name: str | None = None
    kinds: list[str] | None = None
    tags: dict[str, str] | None = None
    owners: list[str] | None = None
    code_version: str | None = None
    deps: list[str] | None = None


class PostProcessingRule(_Closed):
    """Changes applied to some of the component's assets after ``build_defs``."""

    target: str = Field("*", description="An asset selection, e.g. `group:sales` or `key:raw_*`.")
    operation: Literal["merge", "replace"] = Field(
        "merge",
        description="`merge` merges metadata and tags and replaces the other given attributes;"
        " `replace` replaces them all.",
    )
    attributes: SpecAttributes = Field(
        default_factory=SpecAttributes,
        description="AssetSpec attributes: description, metadata, group_name, kinds, tags,"
        " owners, code_version, deps.",
    )


class PostProcessing(_Closed):
    """Post-processing of the component's assets."""

    assets: list[PostProcessingRule] = Field(default_factory=list)


class DefsDocument(_Closed):
    """One component instance declared in a ``defs.yaml`` (one ``---`` document)."""

    type: str = Field(
        description="The component class: `pkg.module.Class`, `.module.Class` (beside this"
        " file), or a registered short name."
    )
    attributes: dict[str, Any] | None = Field(None, description="The component's own fields.")
    template_vars_module: str | None = Field(
        None,
        description="A module whose `@template_var` functions are available in templates"
        " (`.name` for a module beside this file).",
    )
    requirements: Requirements | None = None
    post_processing: PostProcessing | None = None

