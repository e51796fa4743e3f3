import assetloom as dg


@dg.definitions
def resources(context: dg.ComponentLoadContext) -> dg.Definitions:
    """The embedded warehouse: a DuckDB file under the project's storage folder."""
    warehouse = context.project_root / ".loom" / "warehouse.duckdb"
    return dg.Definitions(resources={"warehouse": dg.DuckDBResource(database=str(warehouse))})
