"""The ``loom`` command. Sub-commands live in their own modules and are imported only when
run, so ``loom --help`` stays fast and imports none of the heavy libraries."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from assetloom.cli.counts import count_diagnostics
from assetloom.cli.diagnostics import print_diagnostics
from assetloom.cli.exit_codes import exit_code_for
from assetloom.cli.project_option import loaded_project_root, project_option
from assetloom.cli.workspace_option import workspace_option
from assetloom.errors import LoomError


class LazyGroup(click.Group):
    """A group whose commands are ``"module:attribute"`` strings, imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module_name, _, attr = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module_name), attr)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List lazy commands with their short help, without importing them."""
        rows = [(name, LAZY_HELP.get(f"{self.name} {name}", "")) for name in self.lazy]
        rows += [(n, c.get_short_help_str()) for n, c in self.commands.items()]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(sorted(rows))


LAZY_HELP = {
    "cli materialize": "Materialize assets of the project (all, or --select).",
    "cli runs": "The recorded runs of the project (list, show RUN_ID).",
    "cli schema": "Write JSON Schemas for defs.yaml files to schemas/ (or --check them).",
    "check defs": "Load every definition and check the asset graph.",
    "check yaml": "Validate every defs.yaml against the component schemas.",
    "list defs": "List the assets of the project (--json for tools).",
}


class RootGroup(LazyGroup):
    """The ``loom`` group: a LoomError escaping any command is drawn as diagnostics (no
    traceback) and exits with the code for its kind."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LoomError as error:
            diagnostics = error.diagnostics()
            print_diagnostics(diagnostics, loaded_project_root(ctx))
            click.echo(count_diagnostics(diagnostics), err=True)
            sys.exit(exit_code_for(error))


@click.group(
    cls=RootGroup,
    lazy={
        "materialize": "assetloom.cli.materialize:materialize_command",
        "runs": "assetloom.cli.runs:runs_group",
        "schema": "assetloom.cli.schema:schema_command",
    },
)
@project_option
@workspace_option
@click.version_option(package_name="assetloom", prog_name="loom")
def cli() -> None:
    """assetloom: assets generated from YAML by components."""


@cli.group(
    cls=LazyGroup,
    lazy={
        "defs": "assetloom.cli.check_defs:check_defs_command",
        "yaml": "assetloom.cli.check_yaml:check_yaml_command",
    },
)
def check() -> None:
    """Check definitions and YAML."""


@cli.group(name="list", cls=LazyGroup, lazy={"defs": "assetloom.cli.list_defs:list_defs_command"})
def list_() -> None:
    """List what the project defines."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI; exit codes are :class:`ExitCode`'s."""
    try:
        returned = cli.main(args=argv, prog_name="loom", standalone_mode=False)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    if isinstance(returned, int):
        sys.exit(returned)
