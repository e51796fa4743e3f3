"""YAML text to plain Python values, remembering the line and column of every node.

This is the only module that imports ruamel.yaml. It reads the parser's event stream (from the
C parser when ``ruamel.yaml.clib`` is installed) and builds ``dict``/``list``/scalars directly,
so no node tree is kept: each value's position is one packed int in a dict keyed by its path.

Scalars resolve by the YAML 1.2 core schema (null, bool, int, float, else str); dates stay
strings, as in JSON. Anchors, aliases and ``<<`` merge keys work; an alias shares the anchored
object, and positions under an alias point into the anchored node. Empty documents (only
comments, or a trailing ``---``) are skipped; ``YamlDocument.index`` still counts them, so it
always matches the document's place in the file.

Everything after the parser (templating, pydantic, jsonschema, the parse cache) walks values
as trees, so a document is refused, at the offending node, when it is nested deeper than
``MAX_DEPTH``, when its aliases would expand to more than ``MAX_ALIAS_EXPANSION`` values (a
"billion laughs" bomb: shared here, but exponential for every later walk), or when an integer
has more than ``MAX_INT_DIGITS`` digits (Python refuses to print one past 4,300). The checks
cost nothing on the common path: depth is checked when a collection opens, expansion only at an
alias, digits only in integers.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeAlias, final

from assetloom.errors import SourceLocation, UnreadableFileError, YamlSyntaxError

if TYPE_CHECKING:
    from assetloom.yaml.parse_cache import ParseCache

__all__ = [
    "KeyPath",
    "PositionMap",
    "YamlDocument",
    "parse_yaml_documents",
    "read_source",
    "read_yaml_documents",
]

KeyPath: TypeAlias = tuple[Any, ...]
"""Mapping keys and list indices from the document root to a value."""

DEFAULT_MAX_FILE_SIZE: Final = 10 * 2**20
MAX_DEPTH: Final = 100
MAX_ALIAS_EXPANSION: Final = 100_000
MAX_INT_DIGITS: Final = 1000

# A position is one int: the 1-based line in the high bits, the 1-based column in the low bits.
_COL_BITS: Final = 32
_COL_MASK: Final = (1 << _COL_BITS) - 1


@final
class PositionMap:
    """Where each value (and each mapping key) of one document sits in its file."""

    __slots__ = ("_keys", "_links", "_path", "_values")

    def __init__(
        self,
        path: str,
        values: dict[KeyPath, int],
        keys: dict[KeyPath, int],
        links: dict[KeyPath, KeyPath],
    ) -> None:
        self._path = path
        self._values = values
        self._keys = keys
        # Every node has its own entry, but an alias (or a key brought in by `<<`) has none
        # beneath it: its subtree's positions are those of the node it refers to.
        self._links = links

    def location(self, key_path: Sequence[Any]) -> SourceLocation:
        """The value at ``key_path``, or its nearest ancestor that exists (a pydantic error
        about a missing field then points at the mapping that lacks it)."""
        path = key_path if type(key_path) is tuple else tuple(key_path)
        packed = self._values.get(path)  # the common case: the node exists, no alias above
        if packed is not None:
            return self._location(packed)
        for end in range(len(path), -1, -1):
            packed = self._find(self._values, path[:end])
            if packed is not None:
                return self._location(packed)
        return SourceLocation(self._path)

    def key_location(self, key_path: Sequence[Any]) -> SourceLocation:
        """The key token of the last element (for "unknown key" errors); list items and
        missing paths fall back to :meth:`location`."""
        packed = self._find(self._keys, tuple(key_path))
        if packed is None:
            return self.location(key_path)
        return self._location(packed)

    def has(self, key_path: Sequence[Any]) -> bool:
        return self._find(self._values, tuple(key_path)) is not None

    def tables(self) -> tuple[dict[KeyPath, int], dict[KeyPath, int], dict[KeyPath, KeyPath]]:
        """The raw position tables (values, keys, links), for the parse cache."""
        return self._values, self._keys, self._links

    def document_location(self) -> SourceLocation:
        """Where the document's root value starts."""
        return self.location(())

    def _location(self, packed: int) -> SourceLocation:
        return SourceLocation(self._path, packed >> _COL_BITS, packed & _COL_MASK)

    def _find(self, table: dict[KeyPath, int], path: KeyPath) -> int | None:
        return _find(table, self._links, path)


def _find(table: dict[KeyPath, int], links: dict[KeyPath, KeyPath], path: KeyPath) -> int | None:
    """The entry for ``path``, following a link on any proper prefix of it."""
    packed = table.get(path)
    if packed is not None or not links:
        return packed
    for end in range(len(path) - 1, 0, -1):
        target = links.get(path[:end])
        if target is not None:
            return _find(table, links, target + path[end:])
    return None


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """One ``---``-separated document of a YAML file, as plain data plus positions."""

    value: Any
    positions: PositionMap
    path: str
    index: int
    template_marks: bool = True
    """Whether the file's text holds ``{{`` or ``{%`` at all; when not, no string inside the
    document can be a template and the search for one is skipped."""


def parse_yaml_documents(text: str, path: str) -> list[YamlDocument]:
    """Every non-empty document in ``text``; ``path`` is only used for display."""
    from ruamel.yaml.error import YAMLError

    next_event, dispose = _event_source(text)
    try:
        return _build_documents(next_event, path, "{{" in text or "{%" in text)
    except YAMLError as error:
        raise _syntax_error(error, text, path) from None
    finally:
        dispose()


def read_yaml_documents(
    file: Path,
    display_path: str,
    cache: ParseCache | None = None,
    *,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
) -> list[YamlDocument]:
    """Read ``file`` (see :func:`read_source`) as UTF-8 and parse it; with a ``cache``,
    bytes parsed before (by this process or an earlier one) are not parsed again. Nothing is
    kept in this module: a load session keeps what it needs."""
    data = read_source(file, display_path, max_size)
    documents = cache.get(file, display_path, data) if cache is not None else None
    if documents is None:
        documents = _decode_and_parse(data, display_path)
        if cache is not None:
            cache.put(file, display_path, data, documents)
    return documents


def read_source(file: Path, display_path: str, max_size: int) -> bytes:
    """The bytes of ``file``, or a located UnreadableFileError: when it is not a regular file
    (a FIFO would block the read forever, ``/dev/zero`` never end it), is over ``max_size``
    bytes, or cannot be read. Symlinks are followed: whether to is the tree walk's call."""
    try:
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise _unreadable(display_path, error) from None
    try:
        status = os.fstat(descriptor)
        regular = stat.S_ISREG(status.st_mode)
        data = _read_at_most(descriptor, status.st_size, max_size) if regular else b""
    except OSError as error:
        raise _unreadable(display_path, error) from None
    finally:
        os.close(descriptor)
    if not regular:
        raise UnreadableFileError(
            "not a regular file; not read", location=SourceLocation(display_path)
        )
    if data is None:
        raise UnreadableFileError(
            f"the file is over the size limit of {max_size:,} bytes "
            "(`[tool.assetloom] max_file_size`); not read",
            location=SourceLocation(display_path),
        )
    return data


def _read_at_most(descriptor: int, expected: int, limit: int) -> bytes | None:
    """All the bytes, or None past ``limit`` (counted as read: the file may be growing)."""
    if expected > limit:
        return None
    chunks, size = [], 0
    while chunk := os.read(descriptor, max(expected - size, 0) + 65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return None
    return b"".join(chunks)


def _unreadable(display_path: str, error: OSError) -> UnreadableFileError:
    reason = "permission denied" if isinstance(error, PermissionError) else error.strerror
    return UnreadableFileError(
        f"cannot read the file: {(reason or str(error)).lower()}",
        location=SourceLocation(display_path),
    )


def _decode_and_parse(data: bytes, display_path: str) -> list[YamlDocument]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlSyntaxError(
            f"could not parse YAML: the file is not valid UTF-8 (byte {data[error.start]:#04x})",
            location=SourceLocation(display_path, line, col),
        ) from None
    return parse_yaml_documents(text, display_path)


def _event_source(text: str) -> tuple[Callable[[], Any], Callable[[], None]]:
    try:
        # cyaml re-exports the extension's parser without declaring it.
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:  # ruamel.yaml.clib is a declared dependency, but wheels can be missing
        from ruamel.yaml import YAML

        events: Iterator[Any] = YAML(typ="safe", pure=True).parse(text)
        return events.__next__, lambda: None
    parser = CParser(text)
    return parser.get_event, parser.dispose


# --- building values from events -----------------------------------------------------------

_STR_TAG: Final = "tag:yaml.org,2002:str"
_COLLECTION_TAGS: Final = {
    "!": ("mapping", "list"),
    "tag:yaml.org,2002:map": ("mapping",),
    "tag:yaml.org,2002:seq": ("list",),
}
_NO_KEY: Final = object()
_EMPTY: Final = object()
_MERGE_KEY: Final = object()
_INVALID: Final = object()
# The parent frame's `key` says what its next node is: a mapping key (_NO_KEY), the value of
# that key, the value of `<<` (_MERGE_KEY), or an item (_IN_SEQUENCE).
_IN_SEQUENCE: Final = object()

_WORDS: Final[dict[str, Any]] = {
    "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
}  # fmt: skip
_NUMBER_START: Final = frozenset("+-.0123456789")
# The core schema's number forms; like ruamel's safe loader we also accept `_` separators.
_INT_RE: Final = re.compile(r"[-+]?(?:0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)")
_FLOAT_RE: Final = re.compile(r"[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS: Final = {
    f"{sign}.{word}": float(f"{sign}{word}")
    for sign in ("", "+", "-")
    for word in ("inf", "Inf", "INF")
} | {".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan")}
_INT_BASES: Final = {"0b": 2, "0o": 8, "0x": 16}


def _to_int(text: str) -> Any:
    if _INT_RE.fullmatch(text) is None:
        return _INVALID
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    digits = digits.lstrip("+-")
    base = _INT_BASES.get(digits[:2], 10)
    if base != 10:
        digits = digits[2:]
    if len(digits) > MAX_INT_DIGITS:
        raise _TooLarge(
            f"an integer of {len(digits):,} digits is too large (at most {MAX_INT_DIGITS:,}); "
            "quote it if it is meant as a string"
        )
    try:
        return sign * int(digits, base)
    except ValueError:  # only separators, e.g. `0x_`
        return _INVALID


def _to_float(text: str) -> Any:
    if _FLOAT_RE.fullmatch(text) is None:
        return _SPECIAL_FLOATS.get(text, _INVALID)
    try:
        return float(text.replace("_", ""))
    except ValueError:  # e.g. `._`
        return _INVALID


def _resolve_plain(text: str) -> Any:
    """The value of an untagged, unquoted scalar."""
    if not text:
        return None
    if text[0] in _NUMBER_START:
        number = _to_int(text)
        if number is _INVALID:
            number = _to_float(text)
        return text if number is _INVALID else number
    return _WORDS.get(text, text)


def _tagged_null(text: str) -> Any:
    return None if text in ("", "~", "null", "Null", "NULL") else _INVALID


def _tagged_bool(text: str) -> Any:
    value = _WORDS.get(text)
    return value if isinstance(value, bool) else _INVALID


def _tagged_float(text: str) -> Any:
    value = _to_float(text)
    if value is _INVALID:
        value = _to_int(text)
    return value if value is _INVALID else float(value)


_TAGGED: Final[dict[str, Callable[[str], Any]]] = {
    "tag:yaml.org,2002:int": _to_int,
    "tag:yaml.org,2002:float": _tagged_float,
    "tag:yaml.org,2002:bool": _tagged_bool,
    "tag:yaml.org,2002:null": _tagged_null,
}


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:") else tag


class _TooLarge(Exception):
    """A value past one of the limits; the composer adds where it is."""


def _too_deep(detail: str = "") -> str:
    return f"values are nested more than {MAX_DEPTH} levels deep{detail}"


class _Frame:
    """A mapping or sequence whose end event has not come yet."""

    __slots__ = ("anchor", "container", "key", "merge", "merge_key_at", "path")

    def __init__(self, container: Any, path: KeyPath, anchor: str | None, key: Any) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.key = key
        self.merge: tuple[Any, KeyPath] | None = None
        self.merge_key_at = 0


@cache
def _event_types() -> tuple[type[Any], ...]:
    from ruamel.yaml import events

    return (
        events.ScalarEvent,
        events.AliasEvent,
        events.MappingStartEvent,
        events.SequenceStartEvent,
        events.MappingEndEvent,
        events.SequenceEndEvent,
        events.DocumentStartEvent,
        events.DocumentEndEvent,
        events.StreamEndEvent,
    )


def _build_documents(
    next_event: Callable[[], Any], path: str, template_marks: bool
) -> list[YamlDocument]:
    doc_start, stream_end = _event_types()[6], _event_types()[8]
    documents = []
    index = 0
    while True:
        event = next_event()
        if type(event) is doc_start:
            composer = _Composer(path)
            value = composer.compose(next_event)
            if value is not _EMPTY:
                positions = PositionMap(path, composer.values, composer.keys, composer.links)
                documents.append(YamlDocument(value, positions, path, index, template_marks))
            index += 1
        elif type(event) is stream_end or event is None:
            return documents


class _Composer:
    """Builds one document's value from its events, recording positions on the way."""

    __slots__ = ("anchors", "expanded", "keys", "links", "measured", "path", "values")

    def __init__(self, path: str) -> None:
        self.path = path
        self.values: dict[KeyPath, int] = {}
        self.keys: dict[KeyPath, int] = {}
        self.links: dict[KeyPath, KeyPath] = {}
        self.anchors: dict[str, tuple[Any, KeyPath]] = {}
        # Values the aliases so far stand for, and each aliased collection's (size, height).
        self.expanded = 0
        self.measured: dict[int, tuple[int, int]] = {}

    def compose(self, next_event: Callable[[], Any]) -> Any:
        """The document's value, or ``_EMPTY`` for an empty document."""
        scalar, alias, map_start, seq_start, map_end, seq_end, _, doc_end, _ = _event_types()
        values = self.values
        stack: list[_Frame] = []
        parent: _Frame | None = None
        root: Any = _EMPTY
        packed = 0
        try:
            while True:
                event = next_event()
                kind = type(event)
                if kind is map_end or kind is seq_end:
                    frame = stack.pop()
                    parent = stack[-1] if stack else None
                    if frame.merge is not None:
                        self._merge(frame)
                    value, value_path = frame.container, frame.path
                    if frame.anchor is not None:
                        self.anchors[frame.anchor] = (value, value_path)
                elif kind is doc_end:
                    return root
                else:
                    mark = event.start_mark
                    packed = ((mark.line + 1) << _COL_BITS) | (mark.column + 1)
                    if kind is scalar:
                        if event.ctag is None:
                            value = event.value
                            if event.implicit[0]:
                                if parent is None and value == "" and event.anchor is None:
                                    continue  # an empty document
                                value = _resolve_plain(value)
                        else:
                            value = self._tagged(event, packed)
                    elif kind is alias:
                        value, target = self._alias(event, packed, len(stack))
                    elif kind is map_start or kind is seq_start:
                        if parent is not None and parent.key is _NO_KEY:
                            what = "mapping" if kind is map_start else "list"
                            raise self._error(
                                "a mapping key must be a scalar (a string or number), "
                                f"not a {what}",
                                packed,
                            )
                        if len(stack) >= MAX_DEPTH:
                            raise _TooLarge(_too_deep())
                        if event.ctag is not None:
                            self._check_collection_tag(event, kind is map_start, packed)
                    else:  # pragma: no cover - nothing else comes inside a document
                        continue
                    if parent is None:
                        value_path = ()
                    else:
                        key = parent.key
                        if key is _NO_KEY:
                            self._key(parent, value, event, packed)
                            continue
                        if key is _IN_SEQUENCE:
                            value_path = (*parent.path, len(parent.container))
                        elif key is _MERGE_KEY:
                            value_path = (*parent.path, "<<")
                        else:
                            value_path = (*parent.path, key)
                    values[value_path] = packed
                    if kind is map_start:
                        parent = _Frame({}, value_path, event.anchor, _NO_KEY)
                        stack.append(parent)
                        continue
                    if kind is seq_start:
                        parent = _Frame([], value_path, event.anchor, _IN_SEQUENCE)
                        stack.append(parent)
                        continue
                    if kind is alias:
                        self.links[value_path] = target
                    elif event.anchor is not None:
                        self.anchors[event.anchor] = (value, value_path)
                if parent is None:
                    root = value
                elif parent.key is _IN_SEQUENCE:
                    parent.container.append(value)
                elif parent.key is _MERGE_KEY:
                    parent.merge = (value, value_path)
                    parent.key = _NO_KEY
                else:
                    parent.container[parent.key] = value
                    parent.key = _NO_KEY
        except _TooLarge as error:  # a number too large, an alias expanding too far
            raise self._error(str(error), packed) from None

    def _key(self, frame: _Frame, key: Any, event: Any, packed: int) -> None:
        if key == "<<" and event.ctag is None and getattr(event, "implicit", (False,))[0]:
            if frame.merge_key_at:
                self._duplicate("<<", packed, frame.merge_key_at)
            frame.merge_key_at = packed
            frame.key = _MERGE_KEY
            return
        if isinstance(key, dict | list):
            raise self._error("an alias used as a mapping key must refer to a scalar", packed)
        key_path = (*frame.path, key)
        if key in frame.container:
            self._duplicate(key, packed, self.keys[key_path])
        self.keys[key_path] = packed
        frame.key = key

    def _tagged(self, event: Any, packed: int) -> Any:
        tag = str(event.ctag)
        text: str = event.value
        if tag == _STR_TAG or tag == "!":
            return text
        convert = _TAGGED.get(tag)
        if convert is None:
            raise self._error(f"unsupported tag `{_show_tag(tag)}`", packed)
        value = convert(text)
        if value is _INVALID:
            raise self._error(f"`{text}` is not a valid `{_show_tag(tag)}` value", packed)
        return value

    def _alias(self, event: Any, packed: int, depth: int) -> tuple[Any, KeyPath]:
        try:
            value, target = self.anchors[event.anchor]
        except KeyError:
            raise self._error(
                f"alias `*{event.anchor}` refers to no anchor defined before it", packed
            ) from None
        size, height = self._measure(value)
        self.expanded += size
        if self.expanded > MAX_ALIAS_EXPANSION:
            raise _TooLarge(
                f"the aliases of this document expand to more than {MAX_ALIAS_EXPANSION:,} "
                f"values (at `*{event.anchor}`); repeat less, or split the document"
            )
        if depth + height > MAX_DEPTH:
            raise _TooLarge(_too_deep(f" (with what `*{event.anchor}` stands for)"))
        return value, target

    def _measure(self, value: Any) -> tuple[int, int]:
        """How many values ``value`` stands for, aliases expanded, and how deep it nests.
        Shared collections are measured once, so a bomb costs its size in the file."""
        if not isinstance(value, dict | list):
            return 1, 0
        measured = self.measured
        pending: list[tuple[Any, bool]] = [(value, False)]
        while pending:
            node, children_done = pending.pop()
            if id(node) in measured:
                continue
            children = list(node.values() if isinstance(node, dict) else node)
            nested = [c for c in children if isinstance(c, dict | list)]
            if not children_done:
                pending.append((node, True))
                pending.extend((c, False) for c in nested if id(c) not in measured)
                continue
            size = 1 + len(children) - len(nested)
            height = 1
            for child in nested:
                child_size, child_height = measured[id(child)]
                size += child_size
                height = max(height, child_height + 1)
            measured[id(node)] = (size, height)
        return measured[id(value)]

    def _check_collection_tag(self, event: Any, is_mapping: bool, packed: int) -> None:
        tag = str(event.ctag)
        what = "mapping" if is_mapping else "list"
        if what not in _COLLECTION_TAGS.get(tag, ()):
            raise self._error(f"unsupported tag `{_show_tag(tag)}` on a {what}", packed)

    def _merge(self, frame: _Frame) -> None:
        """Apply ``<<``: explicit keys win, then earlier merged mappings over later ones."""
        assert frame.merge is not None
        value, merge_path = frame.merge
        if isinstance(value, dict):
            sources = [(value, merge_path)]
        elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
            sources = [(item, (*merge_path, i)) for i, item in enumerate(value)]
        else:
            raise self._error(
                "the value of a `<<` merge key must be a mapping or a list of mappings",
                self.values[merge_path],
            )
        mapping = frame.container
        values, keys, links = self.values, self.keys, self.links
        for source, source_path in sources:
            for key, item in source.items():
                if key not in mapping:
                    mapping[key] = item
                    path, origin = (*frame.path, key), (*source_path, key)
                    values[path] = _find(values, links, origin) or values[merge_path]
                    keys[path] = _find(keys, links, origin) or values[merge_path]
                    links[path] = origin

    def _duplicate(self, key: Any, packed: int, first: int) -> None:
        raise YamlSyntaxError(
            f"duplicate key `{key}` (first defined at line {first >> _COL_BITS})",
            location=self._location(packed),
            related=(self._location(first),),
        )

    def _error(self, message: str, packed: int) -> YamlSyntaxError:
        return YamlSyntaxError(f"could not parse YAML: {message}", location=self._location(packed))

    def _location(self, packed: int) -> SourceLocation:
        return SourceLocation(self.path, packed >> _COL_BITS, packed & _COL_MASK)


# --- syntax errors -------------------------------------------------------------------------

# libyaml (C) and ruamel's pure-Python parser word some problems differently; both map here.
_PROBLEMS: Final[list[tuple[re.Pattern[str], str, bool]]] = [
    # (pattern of "context: problem", message, point at the context mark, not the problem's)
    (re.compile(r"could not find expected ':'"), "expected ':' after a key", True),
    (
        re.compile(r"quoted scalar: found unexpected end of stream"),
        "a quoted string is never closed",
        True,
    ),
    (
        re.compile(r"mapping values are not allowed"),
        "unexpected ':' (put the value in quotes if it contains ': ', or check the indentation)",
        False,
    ),
    (
        re.compile(r"did not find expected key|expected <block end>, but found '<block mapping"),
        "expected a mapping key here; check the indentation",
        False,
    ),
    (
        re.compile(r"did not find expected '-' indicator|expected <block end>, but found"),
        "expected a `- ` list item here; check the indentation",
        False,
    ),
    (re.compile(r"found (?:unknown|undefined) tag handle"), "unknown tag handle", False),
    (
        re.compile(r"found unknown escape character"),
        "unknown escape sequence in a double-quoted string (use single quotes for backslashes)",
        False,
    ),
]
_FLOW_CLOSE_RE: Final = re.compile(r"(?:did not find )?expected ',' or '([\]}])'")


def _syntax_error(error: Any, text: str, path: str) -> YamlSyntaxError:
    """A clean one-line message at the right place, instead of ruamel's multi-line text."""
    problem_mark = getattr(error, "problem_mark", None)
    if problem_mark is None:
        return _reader_error(error, text, path)
    problem: str = error.problem or "invalid YAML"
    context_mark = getattr(error, "context_mark", None)
    mark = problem_mark
    message = problem
    offset = _offset(text, problem_mark.line, problem_mark.column)
    if _is_tab_at(text, offset):
        message = "tabs cannot be used for indentation; use spaces"
    elif match := _FLOW_CLOSE_RE.match(problem):
        closer = match.group(1)
        opened = f" (opened at line {context_mark.line + 1})" if context_mark else ""
        message = f"expected ',' or '{closer}'{opened}"
    elif problem.startswith("found character") and "cannot start any token" in problem:
        char = text[offset : offset + 1]
        message = f"a value cannot start with `{char}`; put the value in quotes"
    else:
        described = f"{getattr(error, 'context', None)}: {problem}"
        for pattern, friendly, at_context in _PROBLEMS:
            if pattern.search(described):
                message = friendly
                if at_context and context_mark is not None:
                    mark = context_mark
                break
    return YamlSyntaxError(
        f"could not parse YAML: {message}",
        location=SourceLocation(path, mark.line + 1, mark.column + 1),
    )


def _offset(text: str, line: int, column: int) -> int:
    """The index of a 0-based line and column (marks' own index may count bytes)."""
    start = 0
    for _ in range(line):
        start = text.find("\n", start) + 1
        if start == 0:
            return len(text)
    return start + column


def _is_tab_at(text: str, index: int) -> bool:
    """libyaml reports a tab in indentation at the tab or at the start of its line."""
    if not 0 <= index < len(text):
        return False
    line_start = text.rfind("\n", 0, index) + 1
    line_end = text.find("\n", index)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return "\t" in indent and index - line_start <= len(indent)


def _reader_error(error: Any, text: str, path: str) -> YamlSyntaxError:
    character = getattr(error, "character", None)
    if isinstance(character, int):
        # The reader stops at the first bad character, so its first occurrence is the one.
        index = max(text.find(chr(character)), 0)
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        return YamlSyntaxError(
            f"could not parse YAML: control character {character:#06x} is not allowed",
            location=SourceLocation(path, line, col),
        )
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else "invalid YAML"
    return YamlSyntaxError(f"could not parse YAML: {first_line}", location=SourceLocation(path))
