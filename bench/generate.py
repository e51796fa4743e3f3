"""Generate the benchmark project twice, for assetloom and for Dagster, from one description.

The project follows the seed doc's ETL-table factory: ``F`` folders, each holding one
``defs.yaml`` that instantiates ``EtlTableFactory`` with 10 tables. Every table depends on
1-3 earlier tables (picked at random, across folders, from a seeded generator) and some
tables also depend on external source keys (``source_0`` ... ``source_9``) that nothing
defines. One regular Python asset, ``downstream_asset``, depends on several generated ones.

Both projects are written from the same :class:`ProjectSpec`, so they hold exactly the
same asset keys and edges; only the layout around them differs::

    assetloom/                                  dagster/
      pyproject.toml   ([tool.assetloom])         pyproject.toml   ([tool.dg])
      components/__init__.py                      src/bench_project/__init__.py
      components/etl_table_component.py           src/bench_project/definitions.py
      defs/folder_00000/defs.yaml                 src/bench_project/components/...
      defs/downstream_asset.py                    src/bench_project/defs/folder_00000/defs.yaml
                                                  src/bench_project/defs/downstream_asset.py

Usage: ``python bench/generate.py --assets 1000 --out /tmp/proj`` writes
``/tmp/proj/assetloom`` and ``/tmp/proj/dagster`` (plus ``/tmp/proj/manifest.json``).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

TABLES_PER_FOLDER = 10
N_SOURCES = 10
N_DOWNSTREAM_DEPS = 5
DAGSTER_MODULE = "bench_project"
DOWNSTREAM_ASSET = "downstream_asset"

# The component is the seed's factory with an asset body that does no work. The two copies
# differ only in the import line, so both frameworks build the same assets from the same code.
_COMPONENT_SOURCE = '''\
"""ETL-table factory: one asset per table listed in defs.yaml (bodies do no work)."""

import {import_line}


class EtlTable(dg.Model):
    name: str
    deps: list[str] = []
    query: str


class EtlTableFactory(dg.Component, dg.Model, dg.Resolvable):
    etl_tables: list[EtlTable]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions(assets=[_etl_asset(table) for table in self.etl_tables])


def _etl_asset(table: EtlTable):
    @dg.asset(name=table.name, deps=table.deps)
    def etl_table() -> None:
        return None

    return etl_table
'''

_DOWNSTREAM_SOURCE = '''\
"""A regular asset downstream of several component-generated tables."""

import {import_line}


@dg.asset(deps=[{deps}])
def {name}() -> None:
    return None
'''


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    deps: tuple[str, ...]
    query: str


@dataclass(frozen=True, slots=True)
class ProjectSpec:
    """Framework-neutral description of a generated project."""

    seed: int
    folders: tuple[tuple[Table, ...], ...]
    downstream_deps: tuple[str, ...]

    @property
    def tables(self) -> list[Table]:
        return [table for folder in self.folders for table in folder]

    @property
    def asset_keys(self) -> list[str]:
        """Keys of every asset the project defines (tables + the downstream asset)."""
        return [table.name for table in self.tables] + [DOWNSTREAM_ASSET]

    @property
    def external_keys(self) -> list[str]:
        """Keys that are depended on but defined nowhere (external assets)."""
        defined = set(self.asset_keys)
        used = {dep for table in self.tables for dep in table.deps}
        return sorted(used - defined)

    @property
    def edges(self) -> list[tuple[str, str]]:
        """``(upstream, downstream)`` pairs, including those of the downstream asset."""
        pairs = [(dep, table.name) for table in self.tables for dep in table.deps]
        pairs += [(dep, DOWNSTREAM_ASSET) for dep in self.downstream_deps]
        return pairs


def folder_name(index: int) -> str:
    return f"folder_{index:05d}"


def table_name(index: int) -> str:
    return f"table_{index:05d}"


def describe(n_tables: int, seed: int = 0) -> ProjectSpec:
    """Describe a project of ``n_tables`` generated tables (``n_tables + 1`` assets)."""
    if n_tables < 1:
        raise ValueError("n_tables must be at least 1")
    rng = random.Random(seed)
    tables: list[Table] = []
    for i in range(n_tables):
        upstream = sorted(rng.sample(range(i), min(rng.randint(1, 3), i)))
        deps = [table_name(j) for j in upstream]
        n_src = 2 if i == 0 else (1 if rng.random() < 0.25 else 0)
        deps += [f"source_{k}" for k in sorted(rng.sample(range(N_SOURCES), n_src))]
        query = f"SELECT * FROM {deps[0]}" + "".join(f" JOIN {dep} USING (id)" for dep in deps[1:])
        tables.append(Table(table_name(i), tuple(deps), query))
    folders = tuple(
        tuple(tables[start : start + TABLES_PER_FOLDER])
        for start in range(0, n_tables, TABLES_PER_FOLDER)
    )
    downstream = sorted(rng.sample(range(n_tables), min(N_DOWNSTREAM_DEPS, n_tables)))
    return ProjectSpec(seed, folders, tuple(table_name(i) for i in downstream))


def _defs_yaml(component_type: str, tables: tuple[Table, ...]) -> str:
    lines = [f"type: {component_type}", "", "attributes:", "  etl_tables:"]
    for table in tables:
        lines.append(f"    - name: {table.name}")
        lines.append(f"      deps: [{', '.join(table.deps)}]")
        lines.append(f"      query: {json.dumps(table.query)}")
    return "\n".join(lines) + "\n"


def _downstream_source(import_line: str, spec: ProjectSpec) -> str:
    deps = ", ".join(json.dumps(dep) for dep in spec.downstream_deps)
    return _DOWNSTREAM_SOURCE.format(import_line=import_line, deps=deps, name=DOWNSTREAM_ASSET)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def write_assetloom(spec: ProjectSpec, root: Path) -> Path:
    """Write the assetloom layout; returns the project root."""
    import_line = "assetloom as dg"
    _write(
        root / "pyproject.toml",
        '[project]\nname = "bench-project"\nversion = "0.1.0"\n\n[tool.assetloom]\n',
    )
    _write(root / "components" / "__init__.py", "")
    _write(
        root / "components" / "etl_table_component.py",
        _COMPONENT_SOURCE.format(import_line=import_line),
    )
    component_type = "components.etl_table_component.EtlTableFactory"
    for index, tables in enumerate(spec.folders):
        _write(root / "defs" / folder_name(index) / "defs.yaml", _defs_yaml(component_type, tables))
    _write(root / "defs" / f"{DOWNSTREAM_ASSET}.py", _downstream_source(import_line, spec))
    return root


_DAGSTER_PYPROJECT = f"""\
[project]
name = "bench-project"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["dagster"]

[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[tool.setuptools.packages.find]
where = ["src"]

[tool.dagster]
module_name = "{DAGSTER_MODULE}.definitions"
code_location_name = "bench_project"

[tool.dg]
directory_type = "project"

[tool.dg.project]
root_module = "{DAGSTER_MODULE}"
registry_modules = ["{DAGSTER_MODULE}.components.*"]
"""

_DAGSTER_DEFINITIONS = """\
from pathlib import Path

import dagster as dg


@dg.definitions
def defs() -> dg.Definitions:
    return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
"""


def write_dagster(spec: ProjectSpec, root: Path) -> Path:
    """Write the Dagster (``dg`` project) layout; returns the project root.

    The package lives in ``src/bench_project``; callers make it importable by putting
    ``dagster_src(root)`` on the Dagster interpreter's path.
    """
    import_line = "dagster as dg"
    pkg = root / "src" / DAGSTER_MODULE
    _write(root / "pyproject.toml", _DAGSTER_PYPROJECT)
    _write(pkg / "__init__.py", "")
    _write(pkg / "definitions.py", _DAGSTER_DEFINITIONS)
    _write(pkg / "components" / "__init__.py", "")
    _write(
        pkg / "components" / "etl_table_component.py",
        _COMPONENT_SOURCE.format(import_line=import_line),
    )
    _write(pkg / "defs" / "__init__.py", "")
    component_type = f"{DAGSTER_MODULE}.components.etl_table_component.EtlTableFactory"
    for index, tables in enumerate(spec.folders):
        _write(pkg / "defs" / folder_name(index) / "defs.yaml", _defs_yaml(component_type, tables))
    _write(pkg / "defs" / f"{DOWNSTREAM_ASSET}.py", _downstream_source(import_line, spec))
    return root


def dagster_src(root: Path) -> Path:
    return root / "src"


def generate(n_tables: int, out: Path, seed: int = 0) -> ProjectSpec:
    """Write ``out/assetloom``, ``out/dagster`` and ``out/manifest.json`` (replacing them)."""
    spec = describe(n_tables, seed)
    for name in ("assetloom", "dagster"):
        shutil.rmtree(out / name, ignore_errors=True)
    write_assetloom(spec, out / "assetloom")
    write_dagster(spec, out / "dagster")
    manifest = {
        "seed": seed,
        "tables": n_tables,
        "folders": len(spec.folders),
        "assets": len(spec.asset_keys),
        "external_assets": spec.external_keys,
        "edges": len(spec.edges),
    }
    _write(out / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    return spec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the benchmark project for both frameworks.")
    parser.add_argument("--assets", type=int, required=True, help="number of generated tables")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    spec = generate(args.assets, args.out, args.seed)
    print(
        f"{len(spec.asset_keys)} assets in {len(spec.folders)} folders "
        f"(+{len(spec.external_keys)} external) -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
