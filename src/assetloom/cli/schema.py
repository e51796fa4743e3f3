"""``loom schema``: write the JSON Schemas of every component type to ``schemas/``, or
``--check`` that the files there match the code."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from assetloom.cli.project_option import current_project, project_option
from assetloom.cli.workspace_option import current_workspace_file
from assetloom.project import Project


@dataclass(frozen=True)
class SchemaDrift:
    """How the files in ``schemas/`` differ from what the code generates."""

    changed: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.changed or self.missing or self.extra)


@click.command("schema")
@click.option("--check", is_flag=True, help="Exit 1 if schemas/ differs from the code.")
@project_option
def schema_command(check: bool) -> None:
    """Write JSON Schemas for defs.yaml files to schemas/ (or --check them)."""
    workspace_file = current_workspace_file()
    if workspace_file is not None:
        from assetloom.cli.workspace_commands import for_each_project

        for_each_project(workspace_file, ["schema", *(["--check"] if check else [])])
    project = current_project()
    files = generate_files(project)
    folder = project.relative(project.schemas_dir)
    drift = compare(project.schemas_dir, files)
    if check:
        if not drift:
            click.echo(f"{folder}/ is up to date ({len(files)} files)")
            return
        for label, names in (
            ("changed", drift.changed),
            ("missing", drift.missing),
            ("extra", drift.extra),
        ):
            for name in names:
                click.echo(f"{label}: {folder}/{name}", err=True)
        click.echo(f"{folder}/ is out of date: run `loom schema`", err=True)
        sys.exit(1)
    write(project.schemas_dir, files, drift)
    click.echo(
        f"wrote {len(files)} files to {folder}/ ({len(drift.changed) + len(drift.missing)} "
        f"updated, {len(drift.extra)} removed)"
    )


def generate_files(project: Project) -> dict[str, str]:
    """``{file name: text}`` of every schema the project's types produce."""
    from assetloom.loading.registry import ComponentRegistry
    from assetloom.schema.generate import SchemaSet

    return SchemaSet.for_registry(ComponentRegistry(project)).files()


def compare(folder: Path, files: dict[str, str]) -> SchemaDrift:
    existing = {p.name for p in folder.glob("*.json")} if folder.is_dir() else set()
    changed = [
        name
        for name in sorted(files)
        if name in existing and (folder / name).read_text(encoding="utf-8") != files[name]
    ]
    missing = sorted(set(files) - existing)
    extra = sorted(existing - set(files))
    return SchemaDrift(tuple(changed), tuple(missing), tuple(extra))


def write(folder: Path, files: dict[str, str], drift: SchemaDrift) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in (*drift.changed, *drift.missing):
        (folder / name).write_text(files[name], encoding="utf-8")
    for name in drift.extra:
        (folder / name).unlink()
