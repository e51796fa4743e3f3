"""README's "Errors" table is the list of codes users look codes up in: it must name every
error class's code and every warning code, with the right class."""

from __future__ import annotations

import re
from pathlib import Path

from assetloom.errors import WARNING_CODES, error_codes

README = Path(__file__).resolve().parents[2] / "README.md"


def documented_codes() -> dict[str, str]:
    rows = re.findall(r"^\| `(LOOM\d{3})` \| `?([\w ]+?)`? \|", README.read_text("utf-8"), re.M)
    return dict(rows)


def test_every_error_code_is_in_the_readme_table_with_its_class() -> None:
    documented = documented_codes()
    for code, cls in error_codes().items():
        assert documented.get(code) == cls.__name__, f"README lacks {code} ({cls.__name__})"


def test_every_warning_code_is_in_the_readme_table() -> None:
    documented = documented_codes()
    for code in WARNING_CODES:
        assert documented.get(code) == "warning", f"README lacks warning {code}"


def test_the_table_documents_no_code_that_does_not_exist() -> None:
    assert set(documented_codes()) == set(error_codes()) | set(WARNING_CODES)
