"""Any bytes in a ``defs.yaml`` give documents or a located LoomError, within a time limit:
from the parser alone, from ``check yaml``'s pipeline and from a full load. No RecursionError,
no ValueError from huge integers, no hang on alias bombs, whatever people write."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from assetloom.errors import YamlSyntaxError
from assetloom.yaml.source import YamlDocument, parse_yaml_documents
from tests.reliability.conftest import load_and_check
from tests.reliability.timeouts import within

# Pieces of YAML syntax, including the hostile ones: deep nesting, anchors and aliases
# (bombs among them), merge keys, tags, directives, huge numbers, tabs, control characters.
YAML_PIECES = [
    "\n", "  ", "    ", "- ", ": ", "? ", ", ", "[", "]", "{", "}", "---\n", "...\n", "# c\n",
    "a", "b", "name", "deps", "type", "attributes", "post_processing", "'q'", '"q\\n"', "'",
    '"', "|\n  x\n", ">\n  x\n", "&a ", "*a", "&b ", "*b", "<<: *a\n", "<<: ", "!!int ",
    "!!str ", "!!float ", "!!map ", "!!seq ", "!custom ", "!!binary ", "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n", "1", "-1", "0x1F", "0o7", "1e9", ".inf", ".nan", "null", "~",
    "true", "2001-12-14", "9" * 5000, "0x" + "f" * 3000, "[" * 300, "]" * 300, "{a: " * 300,
    "\t", "\x00", "\x7f", "\ufeff", "é", "{{ env.X }}", "{% for %}", "\r\n",
]  # fmt: skip

BOMB_ROWS = st.integers(min_value=1, max_value=12).map(
    lambda rows: (
        "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"a{r}: &a{r} [{', '.join([f'*a{r - 1}'] * 10)}]\n" for r in range(1, rows))
    )
)
yaml_texts = st.one_of(
    st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join),
    st.text(max_size=200),
    BOMB_ROWS,
)

PATH = "defs/x/defs.yaml"


def parsed(text: str) -> list[YamlDocument] | YamlSyntaxError:
    try:
        return parse_yaml_documents(text, PATH)
    except YamlSyntaxError as error:
        return error


@settings(max_examples=1000, deadline=None)
@given(text=yaml_texts)
def test_the_parser_gives_documents_or_a_located_syntax_error(text: str) -> None:
    with within():
        outcome = parsed(text)
    if isinstance(outcome, YamlSyntaxError):
        assert outcome.location is not None
        assert outcome.location.path == PATH
    else:
        assert all(d.positions.document_location().path == PATH for d in outcome)


@settings(max_examples=300, deadline=None)
@given(body=yaml_texts)
def test_any_attributes_text_loads_or_gives_loom_errors(project_root: Path, body: str) -> None:
    load_and_check(project_root, "type: components.tables.Tables\nattributes:\n  " + body)


@settings(max_examples=200, deadline=None)
@given(text=yaml_texts)
def test_any_whole_file_loads_or_gives_loom_errors(project_root: Path, text: str) -> None:
    load_and_check(project_root, text)
