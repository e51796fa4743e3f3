"""Components that ship with assetloom, usable by short name in ``type:``
(``DefsFolderComponent`` or ``assetloom.DefsFolderComponent``)."""

from assetloom.components.builtin.defs_folder import DefsFolderComponent
from assetloom.components.builtin.python_script import PythonScriptComponent
from assetloom.components.builtin.templated_sql import TemplatedSqlComponent

__all__ = ["DefsFolderComponent", "PythonScriptComponent", "TemplatedSqlComponent"]
