"""``--json`` output: indented JSON, encoded by pydantic-core.

Python's ``json`` module gives up its C encoder when asked to indent; for ``loom list defs
--json`` on 10,000 assets that was 0.12 s of pure-Python encoding, against 0.01 s here. The
text is laid out as ``json.dumps(value, indent=2, ensure_ascii=False)`` lays it out (a float
may be spelled differently: ``5.9e-8`` for ``5.9e-08``).
"""

from __future__ import annotations

from typing import Any

import click

__all__ = ["echo_json"]


def echo_json(value: Any) -> None:
    """Print ``value`` (plain JSON data) as indented JSON."""
    import pydantic_core  # here: `loom --help` and text output need none of pydantic

    click.echo(pydantic_core.to_json(value, indent=2).decode())
