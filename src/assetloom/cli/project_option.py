"""How a command finds its project: ``--project DIR`` or the nearest folder with ``defs/``."""

from __future__ import annotations

import os

import click

from assetloom.project import Project


def current_project() -> Project:
    """The project named on the command line, made the working directory so that relative
    paths in messages and in the project's own settings mean the same thing."""
    ctx = click.get_current_context()
    root = ctx.find_root().obj
    project = Project.at(root) if root is not None else Project.find()
    os.chdir(project.root)
    return project
