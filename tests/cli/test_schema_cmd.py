"""``loom schema`` writes schemas/; ``loom schema --check`` names what drifted."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from assetloom.cli.main import cli

from ..schema.conftest import GOOD_DEFS, MakeProject, forget_project_modules, make_project

__all__ = ["make_project"]

ETL = "components.etl_table_component.EtlTableFactory"


def loom(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(root), "schema", *args])


def test_schema_writes_one_file_per_type_and_the_combined_schema(
    make_project: MakeProject,
) -> None:
    root = make_project({"defs/a/defs.yaml": GOOD_DEFS})
    result = loom(root)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (root / "schemas").glob("*.json"))
    assert f"{ETL}.json" in names
    assert "defs.schema.json" in names
    assert (
        result.stdout == f"wrote {len(names)} files to schemas/ ({len(names)} updated, 0 removed)\n"
    )
    combined = json.loads((root / "schemas/defs.schema.json").read_text())
    assert combined["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert ETL in combined["$defs"]

    check = loom(root, "--check")
    assert check.exit_code == 0
    assert check.stdout == f"schemas/ is up to date ({len(names)} files)\n"


def test_check_names_changed_missing_and_extra_files(make_project: MakeProject) -> None:
    root = make_project({"defs/a/defs.yaml": GOOD_DEFS})
    assert loom(root).exit_code == 0
    component = root / "components/etl_table_component.py"
    component.write_text(component.read_text().replace("    retries: int | None = None\n", ""))
    (root / "schemas/defs.schema.json").unlink()
    (root / "schemas/old.Thing.json").write_text("{}\n")
    forget_project_modules()  # as a new `loom` process would

    result = CliRunner().invoke(cli, ["--project", str(root), "schema", "--check"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"changed: schemas/{ETL}.json\n"
        "missing: schemas/defs.schema.json\n"
        "extra: schemas/old.Thing.json\n"
        "schemas/ is out of date: run `loom schema`\n"
    )
