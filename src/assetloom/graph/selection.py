"""Asset selection strings: parse them into an immutable tree and resolve it against a graph.

The syntax is Dagster's asset selection syntax. Grammar (traversals bind tightest, then
``not``, then ``and``, then ``or``)::

    selection := or_expr END
    or_expr   := and_expr (OR and_expr)*
    and_expr  := not_expr (AND not_expr)*
    not_expr  := NOT not_expr | traversal
    traversal := [[DIGITS] "+"] primary ["+" [DIGITS]]
    primary   := "*" | "(" or_expr ")" | FUNCTION "(" or_expr ")"
               | ATTRIBUTE ":" value ["=" value]      -- only tag: takes "=value"
               | value                                -- a key, the same as key:value
    value     := WORD | QUOTED

``AND``/``OR``/``NOT`` are written all lower case or all upper case. ATTRIBUTE is one of
``key group tag kind owner code_location``; FUNCTION is ``sinks`` or ``roots``. A WORD is a
run of letters, digits and ``_ - . / @ *``; a QUOTED value is ``"..."`` and may hold any
character (``\\"`` and ``\\\\`` escape a quote and a backslash).

Semantics:

- ``*`` is every key in the graph.
- ``key:v`` (or a bare ``v``) matches the key whose user string (``a/b``) is ``v``; no such key
  is an :class:`UnknownAssetKeyError` with a "did you mean". A ``*`` in ``v`` is a glob over the
  user string (it also crosses ``/``); a glob may match nothing.
- ``group:``, ``code_location:`` compare for equality; ``kind:``, ``owner:`` test membership;
  ``tag:k`` means the tag ``k`` is present, ``tag:k=v`` that it has the value ``v``.
- ``+x`` is ``x`` and everything upstream of it, ``N+x`` is ``x`` and ``N`` layers upstream;
  ``x+`` and ``x+N`` go downstream; ``+x+`` is the union of both directions. ``0+x`` is ``x``.
- ``sinks(x)`` / ``roots(x)`` are the members of ``x`` with no child / no parent inside ``x``.
"""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import ClassVar, Final, Literal, Protocol, final

from assetloom.assets.key import AssetKey
from assetloom.errors import (
    EmptySelectionError,
    SelectionError,
    UnknownAssetKeyError,
    did_you_mean,
)
from assetloom.graph.traversal import reachable

__all__ = [
    "AllAssets",
    "And",
    "AssetAttributes",
    "AttributeFilter",
    "KeyPattern",
    "Not",
    "Or",
    "Roots",
    "RunnableGraph",
    "SelectableGraph",
    "Selection",
    "Sinks",
    "TagFilter",
    "Traverse",
    "parse_selection",
    "select",
    "select_executable",
]


# -- the graph as the selection sees it ------------------------------------------------------


@final
@dataclass(frozen=True, slots=True)
class AssetAttributes:
    """What an asset can be filtered by, besides its key."""

    group_name: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    kinds: AbstractSet[str] = frozenset()
    owners: Sequence[str] = ()
    code_location: str | None = None


class SelectableGraph(Protocol):
    """The read-only view of an asset graph that a selection resolves against."""

    @property
    def all_keys(self) -> AbstractSet[AssetKey]:
        """Every key: executable and external assets."""
        ...

    def attributes(self, key: AssetKey) -> AssetAttributes: ...

    def parents(self, key: AssetKey) -> AbstractSet[AssetKey]:
        """The keys ``key`` depends on directly."""
        ...

    def children(self, key: AssetKey) -> AbstractSet[AssetKey]:
        """The keys that depend on ``key`` directly."""
        ...


class RunnableGraph(SelectableGraph, Protocol):
    """A graph some of whose keys can be run (the others are external assets)."""

    @property
    def executable_keys(self) -> AbstractSet[AssetKey]: ...


@final
class _Resolver:
    """One resolution against one graph: caches the key index and the attributes it reads."""

    __slots__ = ("_attributes", "_by_user_string", "all_keys", "graph")

    def __init__(self, graph: SelectableGraph) -> None:
        self.graph = graph
        self.all_keys = frozenset(graph.all_keys)
        self._by_user_string: dict[str, AssetKey] | None = None
        self._attributes: dict[AssetKey, AssetAttributes] = {}

    @property
    def by_user_string(self) -> dict[str, AssetKey]:
        if self._by_user_string is None:
            self._by_user_string = {key.to_user_string(): key for key in self.all_keys}
        return self._by_user_string

    def where(self, predicate: Callable[[AssetAttributes], bool]) -> frozenset[AssetKey]:
        found = []
        for key in self.all_keys:
            attributes = self._attributes.get(key)
            if attributes is None:
                attributes = self._attributes[key] = self.graph.attributes(key)
            if predicate(attributes):
                found.append(key)
        return frozenset(found)

    @staticmethod
    def expand(
        seeds: Iterable[AssetKey],
        neighbours: Callable[[AssetKey], AbstractSet[AssetKey]],
        layers: int | None,
    ) -> set[AssetKey]:
        """``seeds`` plus everything within ``layers`` steps (``None``: any number), by BFS."""
        return reachable(seeds, neighbours, layers)


# -- the selection tree -----------------------------------------------------------------------

_OR, _AND, _NOT, _TRAVERSE, _ATOM = 1, 2, 3, 4, 5


class Selection(ABC):
    """A parsed selection: an immutable tree whose ``str()`` is its canonical text."""

    __slots__ = ()
    _precedence: ClassVar[int] = _ATOM

    def resolve(self, graph: SelectableGraph) -> frozenset[AssetKey]:
        """The keys of ``graph`` this selection names.

        Raises :class:`UnknownAssetKeyError` if an exact key names no asset.
        """
        return self._evaluate(_Resolver(graph))

    @abstractmethod
    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]: ...

    @abstractmethod
    def __str__(self) -> str: ...

    def _operand_text(self, operand: Selection, at_least: int) -> str:
        text = str(operand)
        return text if operand._precedence >= at_least else f"({text})"


@final
@dataclass(frozen=True, slots=True)
class AllAssets(Selection):
    """``*``: every key in the graph."""

    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]:
        return resolver.all_keys

    def __str__(self) -> str:
        return "*"


@final
@dataclass(frozen=True, slots=True)
class KeyPattern(Selection):
    """``key:pattern``: one key by its user string, or a glob if the pattern has a ``*``."""

    pattern: str

    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]:
        index = resolver.by_user_string
        if "*" in self.pattern:
            regex = _glob_regex(self.pattern)
            return frozenset(key for text, key in index.items() if regex.fullmatch(text))
        key = index.get(self.pattern)
        if key is None:
            hint = did_you_mean(self.pattern, index)
            raise UnknownAssetKeyError(f"no asset has key `{self.pattern}`{hint}")
        return frozenset((key,))

    def __str__(self) -> str:
        return f"key:{_quote(self.pattern)}"


_ATTRIBUTE_TESTS: Final[Mapping[str, Callable[[AssetAttributes, str], bool]]] = {
    "group": lambda attributes, value: attributes.group_name == value,
    "kind": lambda attributes, value: value in attributes.kinds,
    "owner": lambda attributes, value: value in attributes.owners,
    "code_location": lambda attributes, value: attributes.code_location == value,
}


@final
@dataclass(frozen=True, slots=True)
class AttributeFilter(Selection):
    """``group:v``, ``kind:v``, ``owner:v`` or ``code_location:v`` (exact, no globs)."""

    attribute: str
    value: str

    def __post_init__(self) -> None:
        if self.attribute not in _ATTRIBUTE_TESTS:
            raise ValueError(f"unknown attribute {self.attribute!r}")

    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]:
        test, value = _ATTRIBUTE_TESTS[self.attribute], self.value
        return resolver.where(lambda attributes: test(attributes, value))

    def __str__(self) -> str:
        return f"{self.attribute}:{_quote(self.value)}"


@final
@dataclass(frozen=True, slots=True)
class TagFilter(Selection):
    """``tag:k`` (the tag is present) or ``tag:k=v`` (with that value)."""

    key: str
    value: str | None = None

    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]:
        key, value = self.key, self.value
        if value is None:
            return resolver.where(lambda attributes: key in attributes.tags)
        return resolver.where(lambda attributes: attributes.tags.get(key) == value)

    def __str__(self) -> str:
        text = f"tag:{_quote(self.key)}"
        return text if self.value is None else f"{text}={_quote(self.value)}"


@final
@dataclass(frozen=True, slots=True)
class Not(Selection):
    """``not x``: every key that ``x`` does not select."""

    _precedence: ClassVar[int] = _NOT
    operand: Selection

    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]:
        return resolver.all_keys - self.operand._evaluate(resolver)

    def __str__(self) -> str:
        return f"not {self._operand_text(self.operand, _NOT)}"


@final
@dataclass(frozen=True, slots=True)
class And(Selection):
    """``a and b and ...``: the intersection."""

    _precedence: ClassVar[int] = _AND
    operands: tuple[Selection, ...]

    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]:
        # Every operand is evaluated, so that an unknown key is reported wherever it appears.
        results = [operand._evaluate(resolver) for operand in self.operands]
        return frozenset.intersection(*results)

    def __str__(self) -> str:
        return " and ".join(self._operand_text(operand, _NOT) for operand in self.operands)


@final
@dataclass(frozen=True, slots=True)
class Or(Selection):
    """``a or b or ...``: the union."""

    _precedence: ClassVar[int] = _OR
    operands: tuple[Selection, ...]

    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]:
        return frozenset().union(*(operand._evaluate(resolver) for operand in self.operands))

    def __str__(self) -> str:
        return " or ".join(self._operand_text(operand, _AND) for operand in self.operands)


@final
@dataclass(frozen=True, slots=True)
class Traverse(Selection):
    """``N+x+M``: ``x`` plus ``upstream`` layers of its ancestors and ``downstream`` layers of
    its descendants. A count of ``None`` means every layer (a bare ``+``); ``0`` means none."""

    _precedence: ClassVar[int] = _TRAVERSE
    operand: Selection
    upstream: int | None = 0
    downstream: int | None = 0

    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]:
        seeds = self.operand._evaluate(resolver)
        selected = set(seeds)
        if self.upstream != 0:
            selected |= resolver.expand(seeds, resolver.graph.parents, self.upstream)
        if self.downstream != 0:
            selected |= resolver.expand(seeds, resolver.graph.children, self.downstream)
        return frozenset(selected)

    def __str__(self) -> str:
        up = "+" if self.upstream is None else f"{self.upstream}+" if self.upstream else ""
        down = "+" if self.downstream is None else f"+{self.downstream}" if self.downstream else ""
        return f"{up}{self._operand_text(self.operand, _ATOM)}{down}"


@final
@dataclass(frozen=True, slots=True)
class Sinks(Selection):
    """``sinks(x)``: the members of ``x`` none of whose children are in ``x``."""

    operand: Selection

    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]:
        members, children = self.operand._evaluate(resolver), resolver.graph.children
        return frozenset(key for key in members if members.isdisjoint(children(key)))

    def __str__(self) -> str:
        return f"sinks({self.operand})"


@final
@dataclass(frozen=True, slots=True)
class Roots(Selection):
    """``roots(x)``: the members of ``x`` none of whose parents are in ``x``."""

    operand: Selection

    def _evaluate(self, resolver: _Resolver) -> frozenset[AssetKey]:
        members, parents = self.operand._evaluate(resolver), resolver.graph.parents
        return frozenset(key for key in members if members.isdisjoint(parents(key)))

    def __str__(self) -> str:
        return f"roots({self.operand})"


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


# -- tokens -----------------------------------------------------------------------------------

_KEYWORDS: Final = frozenset({"and", "AND", "or", "OR", "not", "NOT"})
_ATTRIBUTES: Final = ("key", "tag", *_ATTRIBUTE_TESTS)
_FUNCTIONS: Final[Mapping[str, Callable[[Selection], Selection]]] = {
    "sinks": Sinks,
    "roots": Roots,
}
_WORD_SYMBOLS: Final = frozenset("_-./@*")
_CHARACTER_HINTS: Final = {
    "&": " — use `and`",
    "|": " — use `or`",
    ",": " — use `or` to combine selections",
    "!": " — use `not`",
    "'": ' — quote values with double quotes (`"`)',
}
_MAX_NESTING: Final = 64

_Kind = Literal["word", "string", "(", ")", ":", "=", "+", "end"]
_PUNCTUATION: Final[Mapping[str, _Kind]] = {"(": "(", ")": ")", ":": ":", "=": "=", "+": "+"}


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in _WORD_SYMBOLS


def _quote(value: str) -> str:
    """``value`` as the selection syntax spells it: bare if it reads back as one word."""
    if value and value not in _KEYWORDS and all(_is_word_char(c) for c in value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


@final
@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    value: str  # a quoted string's value has its quotes and escapes removed
    source: str
    offset: int

    @property
    def shown(self) -> str:
        return "the end" if self.kind == "end" else f"`{self.source}`"

    def is_keyword(self, word: str) -> bool:
        return self.kind == "word" and self.value in (word, word.upper())

    @property
    def is_value(self) -> bool:
        return self.kind == "string" or (self.kind == "word" and self.value not in _KEYWORDS)

    @property
    def is_number(self) -> bool:
        return self.kind == "word" and self.value.isascii() and self.value.isdigit()


def _layers(token: _Token) -> int | None:
    """A traversal's layer count; one of more digits than any graph has layers means every
    layer (Python would refuse to convert one of over 4,300 digits at all)."""
    digits = token.value.lstrip("0") or "0"
    return int(digits) if len(digits) <= 9 else None


def _syntax_error(text: str, offset: int, problem: str, hint: str = "") -> SelectionError:
    return SelectionError(f"invalid selection `{text}`: {problem} at column {offset + 1}{hint}")


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, end = 0, len(text)
    while i < end:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in _PUNCTUATION:
            tokens.append(_Token(_PUNCTUATION[char], char, char, i))
            i += 1
        elif char == '"':
            j, chars = i + 1, []
            while j < end and text[j] != '"':
                if text[j] == "\\" and j + 1 < end and text[j + 1] in '"\\':
                    j += 1
                chars.append(text[j])
                j += 1
            if j == end:
                raise _syntax_error(text, i, 'unclosed `"`')
            tokens.append(_Token("string", "".join(chars), text[i : j + 1], i))
            i = j + 1
        elif _is_word_char(char):
            j = i + 1
            while j < end and _is_word_char(text[j]):
                j += 1
            tokens.append(_Token("word", text[i:j], text[i:j], i))
            i = j
        else:
            hint = _CHARACTER_HINTS.get(char, "")
            raise _syntax_error(text, i, f"unexpected character `{char}`", hint)
    tokens.append(_Token("end", "", "", end))
    return tokens


def _unknown(name: str, known: Iterable[str], noun: str) -> str:
    hint = did_you_mean(name, known)
    return hint or f"; known {noun}: " + ", ".join(f"`{k}`" for k in sorted(known))


# -- parser -----------------------------------------------------------------------------------


@final
class _Parser:
    """Recursive descent over the token list; recursion only at parentheses."""

    __slots__ = ("nesting", "position", "text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.position = 0
        self.nesting = 0

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.position + ahead, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        token = self.peek()
        self.position = min(self.position + 1, len(self.tokens) - 1)
        return token

    def error(self, token: _Token, problem: str, hint: str = "") -> SelectionError:
        return _syntax_error(self.text, token.offset, problem, hint)

    def parse(self) -> Selection:
        selection = self.or_expr()
        token = self.peek()
        if token.kind == ")":
            raise self.error(token, "unmatched `)`")
        if token.kind != "end":
            raise self.error(token, f"expected `and`, `or` or the end, found {token.shown}")
        return selection

    def or_expr(self) -> Selection:
        operands = [self.and_expr()]
        while self.peek().is_keyword("or"):
            self.advance()
            operands.append(self.and_expr())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def and_expr(self) -> Selection:
        operands = [self.not_expr()]
        while self.peek().is_keyword("and"):
            self.advance()
            operands.append(self.not_expr())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def not_expr(self) -> Selection:
        negations = 0
        while self.peek().is_keyword("not"):
            self.advance()
            negations += 1
        selection = self.traversal()
        for _ in range(negations):
            selection = Not(selection)
        return selection

    def traversal(self) -> Selection:
        upstream: int | None = 0
        if self.peek().kind == "+":
            self.advance()
            upstream = None
        elif self.peek().is_number and self.peek(1).kind == "+":
            upstream = _layers(self.advance())
            self.advance()
        operand = self.primary()
        downstream: int | None = 0
        if self.peek().kind == "+":
            self.advance()
            downstream = _layers(self.advance()) if self.peek().is_number else None
        if upstream == 0 and downstream == 0:
            return operand
        return Traverse(operand, upstream, downstream)

    def primary(self) -> Selection:
        token = self.peek()
        if token.kind == "(":
            return self.parenthesized()
        if token.kind == "string":
            self.advance()
            return KeyPattern(token.value)
        if token.is_value:
            if token.value == "*":
                self.advance()
                return AllAssets()
            following = self.peek(1).kind
            if following == ":":
                return self.attribute()
            if following == "(":
                return self.function()
            self.advance()
            return KeyPattern(token.value)
        if token.kind == "end":
            raise self.error(token, "expected an expression")
        raise self.error(token, f"expected an expression, found {token.shown}")

    def parenthesized(self) -> Selection:
        opening = self.advance()
        self.nesting += 1
        if self.nesting > _MAX_NESTING:
            raise self.error(opening, f"more than {_MAX_NESTING} nested parentheses")
        selection = self.or_expr()
        self.nesting -= 1
        closing = self.peek()
        if closing.kind == "end":
            raise self.error(opening, "unclosed `(`")
        if closing.kind != ")":
            raise self.error(closing, f"expected `)`, `and` or `or`, found {closing.shown}")
        self.advance()
        return selection

    def function(self) -> Selection:
        name = self.peek()
        if name.value not in _FUNCTIONS:
            hint = _unknown(name.value, _FUNCTIONS, "functions")
            raise self.error(name, f"unknown function `{name.value}`", hint)
        self.advance()
        return _FUNCTIONS[name.value](self.parenthesized())

    def attribute(self) -> Selection:
        name_token = self.advance()
        name = name_token.value
        if name not in _ATTRIBUTES:
            hint = _unknown(name, _ATTRIBUTES, "attributes")
            raise self.error(name_token, f"unknown attribute `{name}`", hint)
        self.advance()  # the colon
        value = self.value(f"`{name}:`")
        if name == "tag":
            if self.peek().kind != "=":
                return TagFilter(value)
            self.advance()
            return TagFilter(value, self.value("`=`"))
        if self.peek().kind == "=":
            raise self.error(self.peek(), "unexpected `=`", " — only `tag:` takes `=value`")
        if name == "key":
            return KeyPattern(value)
        return AttributeFilter(name, value)

    def value(self, after: str) -> str:
        token = self.peek()
        if token.is_value:
            self.advance()
            return token.value
        found = "" if token.kind == "end" else f", found {token.shown}"
        raise self.error(token, f"expected a value after {after}{found}")


# -- entry points -----------------------------------------------------------------------------


def parse_selection(text: str) -> Selection:
    """Parse a selection string (see this module's docstring for the grammar).

    Raises :class:`SelectionError` naming the 1-based column of the first problem, e.g.
    ``invalid selection `key:a and`: expected an expression at column 10``.
    """
    return _parse(text)


@functools.lru_cache(maxsize=512)
def _parse(text: str) -> Selection:
    return _Parser(text).parse()


def select(graph: SelectableGraph, text: str | Sequence[str] | None) -> frozenset[AssetKey]:
    """The keys of ``graph`` selected by ``text``.

    ``None`` selects every key. A sequence selects the union of its items; an item that is
    exactly some key's user string selects that key (so keys needing quotes still work),
    anything else is parsed as a selection.
    """
    if text is None:
        return frozenset(graph.all_keys)
    if isinstance(text, str):
        return parse_selection(text).resolve(graph)
    resolver = _Resolver(graph)
    selected: set[AssetKey] = set()
    for item in text:
        key = resolver.by_user_string.get(item)
        if key is not None:
            selected.add(key)
        else:
            selected |= parse_selection(item)._evaluate(resolver)
    return frozenset(selected)


def select_executable(graph: RunnableGraph, text: str | Sequence[str]) -> frozenset[AssetKey]:
    """The keys ``text`` selects that can be run. A selection to run that matches none (a
    misspelt group, a tag no asset has, only external assets) is an error naming it, never
    a run of nothing."""
    selected = select(graph, text)
    runnable = frozenset(selected & graph.executable_keys)
    if runnable:
        return runnable
    shown = text if isinstance(text, str) else ", ".join(text)
    if selected:
        names = ", ".join(f"`{k.to_user_string()}`" for k in sorted(selected))
        raise EmptySelectionError(
            f"selection `{shown}` matches only external assets ({names}), which are never run",
            hint="select the assets that depend on them, e.g. `key:x+`",
        )
    hint = _near_values(graph, shown)
    raise EmptySelectionError(f"selection `{shown}` matches no asset", hint=hint)


def _near_values(graph: SelectableGraph, text: str) -> str | None:
    """For ``group:x`` (or ``kind:``, ``owner:``, ``code_location:``, ``tag:``) matching
    nothing: the values the graph does have, closest first."""
    try:
        parsed = parse_selection(text)
    except SelectionError:
        return None
    if isinstance(parsed, AttributeFilter):
        attribute, wanted = parsed.attribute, parsed.value
    elif isinstance(parsed, TagFilter):
        attribute, wanted = "tag", parsed.key
    else:
        return None
    values: set[str] = set()
    for key in graph.all_keys:
        values.update(_ATTRIBUTE_VALUES[attribute](graph.attributes(key)))
    if not values:
        return f"no asset has a {attribute}"
    close = did_you_mean(wanted, values).removeprefix(" — ")
    return close or f"known {attribute}s: " + ", ".join(f"`{v}`" for v in sorted(values))


_ATTRIBUTE_VALUES: Final[Mapping[str, Callable[[AssetAttributes], Iterable[str]]]] = {
    "group": lambda a: [a.group_name] if a.group_name else [],
    "code_location": lambda a: [a.code_location] if a.code_location else [],
    "kind": lambda a: a.kinds,
    "owner": lambda a: a.owners,
    "tag": lambda a: a.tags,
}
