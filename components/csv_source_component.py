"""Source tables loaded from CSV files into the DuckDB warehouse."""

from pathlib import Path

import assetloom as dg


class CsvTable(dg.Model):
    name: str
    """The table (and asset) name."""
    path: str
    """The CSV file, relative to the project root."""


class CsvSourceTables(dg.Component, dg.Model, dg.Resolvable):
    """Loads each CSV file into a warehouse table of the same name."""

    tables: list[CsvTable]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        assets = []
        for table in self.tables:
            csv_file = Path(context.project_root, table.path)

            def create_source(name: str = table.name, csv: Path = csv_file) -> dg.AssetsDefinition:
                @dg.asset(name=name, kinds={"csv", "duckdb"}, group_name="sources")
                def source_table(warehouse: dg.DuckDBResource) -> dg.MaterializeResult:
                    warehouse.execute(
                        f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_csv_auto(?)",
                        [str(csv)],
                    )
                    [(rows,)] = warehouse.execute(f"SELECT count(*) FROM {name}")
                    return dg.MaterializeResult(metadata={"rows": rows, "source": str(csv)})

                return source_table

            assets.append(create_source())
        return dg.Definitions(assets=assets)
