"""The seed's ETL-table factory: one asset per table, each built by a SQL query on the
DuckDB warehouse resource."""

import assetloom as dg


class EtlTable(dg.Model):
    name: str
    deps: list[str] = []
    query: str


class EtlTableFactory(dg.Component, dg.Model, dg.Resolvable):
    """Creates one table asset per entry of `etl_tables`, running its query on the warehouse."""

    etl_tables: list[EtlTable]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        assets = []
        for table in self.etl_tables:

            def create_etl_asset(table_config: EtlTable = table) -> dg.AssetsDefinition:
                @dg.asset(name=table_config.name, deps=table_config.deps, kinds={"duckdb"})
                def etl_table(
                    context: dg.AssetExecutionContext, warehouse: dg.DuckDBResource
                ) -> dg.MaterializeResult:
                    warehouse.execute(
                        f"CREATE OR REPLACE TABLE {table_config.name} AS {table_config.query}"
                    )
                    [(rows,)] = warehouse.execute(f"SELECT count(*) FROM {table_config.name}")
                    context.log.info("%s: %s rows", table_config.name, rows)
                    return dg.MaterializeResult(metadata={"rows": rows})

                return etl_table

            assets.append(create_etl_asset())
        return dg.Definitions(assets=assets)
