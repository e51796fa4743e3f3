"""TemplatedSqlComponent: one asset per SQL statement, run on a database resource."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from assetloom.assets.decorators import asset
from assetloom.assets.definition import AssetsDefinition
from assetloom.components.component import Component, ComponentLoadContext
from assetloom.components.resolvable import Model, Resolvable
from assetloom.defs import Definitions
from assetloom.execution.context import AssetExecutionContext
from assetloom.resources import ConfigurableResource


class SqlAsset(Model):
    """One table or view built by one SQL statement."""

    # `_one_source` as JSON Schema, so editors and `loom check yaml` agree with the loader.
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": [source], "properties": {source: {"type": "string"}}}
                for source in ("sql", "sql_file")
            ]
        }
    )

    key: str = Field(examples=["marts/daily_revenue"])
    """The asset key (`a/b` is two parts)."""
    sql: str | None = None
    """Inline SQL. Templates in it are rendered when the defs.yaml loads."""
    sql_file: str | None = None
    """A `.sql` file beside the defs.yaml, rendered with `sql_vars` when the asset runs."""
    sql_vars: dict[str, Any] = Field(default_factory=dict)
    """Template variables for `sql_file` (merged over the component's `sql_vars`)."""
    deps: list[str] = Field(default_factory=list)
    """Keys of the tables this statement reads."""
    description: str | None = None
    group_name: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    owners: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_source(self) -> SqlAsset:
        if (self.sql is None) == (self.sql_file is None):
            raise ValueError("give exactly one of `sql` and `sql_file`")
        return self


class TemplatedSqlComponent(Component, Model, Resolvable):
    """Runs SQL statements (inline or from `.sql` files) on a database resource that has an
    `execute(sql)` method, such as `DuckDBResource`; one asset per statement."""

    connection: str = "warehouse"
    """Name of the resource to run the SQL on."""
    sql_vars: dict[str, Any] = Field(default_factory=dict)
    """Template variables shared by every `sql_file`."""
    assets: list[SqlAsset]
    """The statements, each building one asset."""

    def build_defs(self, context: ComponentLoadContext) -> Definitions:
        return Definitions(assets=[self._asset(item, context) for item in self.assets])

    def _asset(self, item: SqlAsset, context: ComponentLoadContext) -> AssetsDefinition:
        folder = context.path
        sql_file = folder / item.sql_file if item.sql_file else None
        if sql_file is not None and not sql_file.is_file():
            raise FileNotFoundError(f"asset `{item.key}`: no SQL file {sql_file.name} in {folder}")
        variables = {**self.sql_vars, **item.sql_vars}
        connection = self.connection
        settings = context.settings

        def run_sql(context: AssetExecutionContext, **resources: Any) -> None:
            statement = item.sql if sql_file is None else _render_sql(sql_file, variables, settings)
            assert statement is not None
            context.log.info("running SQL for %s", item.key)
            resources[connection].execute(statement)

        run_sql.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter("context", inspect.Parameter.KEYWORD_ONLY),
                inspect.Parameter(
                    connection, inspect.Parameter.KEYWORD_ONLY, annotation=ConfigurableResource
                ),
            ]
        )
        run_sql.__name__ = item.key.replace("/", "__")
        return asset(
            key=item.key,
            deps=item.deps,
            description=item.description,
            group_name=item.group_name,
            kinds={"sql"},
            tags=item.tags,
            owners=item.owners,
        )(run_sql)


def _render_sql(file: Path, variables: dict[str, Any], settings: Mapping[str, Any]) -> str:
    """The file's SQL, rendered within the project's ``template_*`` limits, like its YAML."""
    from assetloom.templating.environment import render_text

    return render_text(file.read_text(encoding="utf-8"), variables, settings=settings)
