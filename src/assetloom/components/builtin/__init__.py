"""Components that ship with assetloom, usable by short name in ``type:``
(``DefsFolderComponent`` or ``assetloom.DefsFolderComponent``). Each is imported on first use."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assetloom.components.builtin.defs_folder import DefsFolderComponent
    from assetloom.components.builtin.python_script import PythonScriptComponent
    from assetloom.components.builtin.templated_sql import TemplatedSqlComponent

_HOMES = {
    "DefsFolderComponent": "assetloom.components.builtin.defs_folder",
    "PythonScriptComponent": "assetloom.components.builtin.python_script",
    "TemplatedSqlComponent": "assetloom.components.builtin.templated_sql",
}

__all__ = ["DefsFolderComponent", "PythonScriptComponent", "TemplatedSqlComponent"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
