"""The benchmark generator writes the same project for both frameworks."""

from __future__ import annotations

import graphlib
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402


def _yaml_tables(defs_root: Path) -> dict[str, dict[str, object]]:
    """Every table of every defs.yaml under ``defs_root``, by name, with its folder and type."""
    yaml = YAML(typ="safe")
    tables: dict[str, dict[str, object]] = {}
    for path in sorted(defs_root.glob("*/defs.yaml")):
        doc = yaml.load(path.read_text())
        for table in doc["attributes"]["etl_tables"]:
            tables[table["name"]] = {
                "folder": path.parent.name,
                "type": doc["type"],
                "deps": table["deps"],
                "query": table["query"],
            }
    return tables


def test_same_seed_same_tables_on_both_sides(tmp_path: Path) -> None:
    spec = generate.generate(95, tmp_path, seed=7)
    ours = _yaml_tables(tmp_path / "assetloom" / "defs")
    theirs = _yaml_tables(tmp_path / "dagster" / "src" / generate.DAGSTER_MODULE / "defs")

    strip = {"type"}
    assert {k: {f: v for f, v in t.items() if f not in strip} for k, t in ours.items()} == {
        k: {f: v for f, v in t.items() if f not in strip} for k, t in theirs.items()
    }
    assert [t.name for t in spec.tables] == list(ours)
    assert {t["type"] for t in ours.values()} == {"components.etl_table_component.EtlTableFactory"}
    assert {t["type"] for t in theirs.values()} == {
        "bench_project.components.etl_table_component.EtlTableFactory"
    }
    assert generate.describe(95, seed=7) == spec


def test_same_seed_same_files(tmp_path: Path) -> None:
    generate.generate(40, tmp_path / "a", seed=3)
    generate.generate(40, tmp_path / "b", seed=3)
    files_a = {p.relative_to(tmp_path / "a"): p.read_text() for p in (tmp_path / "a").rglob("*.*")}
    files_b = {p.relative_to(tmp_path / "b"): p.read_text() for p in (tmp_path / "b").rglob("*.*")}
    assert files_a == files_b


def test_other_seed_other_deps() -> None:
    assert generate.describe(50, seed=1).edges != generate.describe(50, seed=2).edges


def test_component_code_differs_only_in_the_import(tmp_path: Path) -> None:
    generate.generate(10, tmp_path)
    ours = (tmp_path / "assetloom" / "components" / "etl_table_component.py").read_text()
    pkg = tmp_path / "dagster" / "src" / generate.DAGSTER_MODULE
    theirs = (pkg / "components" / "etl_table_component.py").read_text()
    assert "import assetloom as dg" in ours
    assert ours.replace("import assetloom as dg", "import dagster as dg") == theirs
    for name in ("dg.Component, dg.Model, dg.Resolvable", "dg.ComponentLoadContext", "dg.asset"):
        assert name in ours


@pytest.mark.parametrize(("n_tables", "folders", "last_folder"), [(100, 10, 10), (95, 10, 5)])
def test_folder_and_table_counts(
    tmp_path: Path, n_tables: int, folders: int, last_folder: int
) -> None:
    spec = generate.generate(n_tables, tmp_path)
    assert len(spec.folders) == folders
    assert [len(f) for f in spec.folders] == [10] * (folders - 1) + [last_folder]
    assert len(spec.asset_keys) == n_tables + 1
    for defs_root in (
        tmp_path / "assetloom" / "defs",
        tmp_path / "dagster" / "src" / generate.DAGSTER_MODULE / "defs",
    ):
        assert len(list(defs_root.glob("folder_*/defs.yaml"))) == folders
        assert len(_yaml_tables(defs_root)) == n_tables
        assert (defs_root / "downstream_asset.py").is_file()
    assert (
        (tmp_path / "assetloom" / "pyproject.toml")
        .read_text()
        .rstrip()
        .endswith("[tool.assetloom]")
    )
    assert "[tool.dg]" in (tmp_path / "dagster" / "pyproject.toml").read_text()


def test_dependencies_are_acyclic_and_point_backwards() -> None:
    spec = generate.describe(1000, seed=0)
    index = {t.name: i for i, t in enumerate(spec.tables)}
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for upstream, downstream in spec.edges:
        sorter.add(downstream, upstream)
    order = list(sorter.static_order())  # raises CycleError on a cycle
    assert set(order) == set(spec.asset_keys) | set(spec.external_keys)

    for i, table in enumerate(spec.tables):
        table_deps = [d for d in table.deps if d in index]
        assert all(index[d] < i for d in table_deps)
        assert (1 <= len(table_deps) <= 3) if i else not table_deps
    folder_of = {t.name: f for f, tables in enumerate(spec.folders) for t in tables}
    assert any(folder_of[u] != folder_of[d] for u, d in spec.edges if u in folder_of)


def test_external_sources_are_never_defined() -> None:
    spec = generate.describe(500, seed=0)
    assert spec.external_keys
    assert all(key.startswith("source_") for key in spec.external_keys)
    assert not set(spec.external_keys) & set(spec.asset_keys)
    assert len(spec.downstream_deps) == generate.N_DOWNSTREAM_DEPS
    assert set(spec.downstream_deps) <= {t.name for t in spec.tables}
