"""``AssetSelection``: Dagster's Python API for selecting assets, written as a selection
string of the one selection grammar (``graph/selection.py``), so both ways of selecting
always agree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from assetloom.assets.key import AssetKey, CoercibleToAssetKey
from assetloom.assets.spec import dep_keys

if TYPE_CHECKING:
    from assetloom.graph.selection import SelectableGraph


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _any_of(terms: Iterable[str]) -> str:
    listed = list(terms)
    return "(" + " or ".join(listed) + ")" if listed else "(not *)"


class AssetSelection:
    """A set of assets, combined with ``|``, ``&`` and ``-`` and widened with
    ``upstream()`` / ``downstream()``; ``define_asset_job`` and ``materialize(selection=...)``
    take one. ``str(selection)`` is the equivalent selection string."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    @classmethod
    def all(cls, include_sources: bool = False) -> AssetSelection:
        """Every asset (external ones too: a run skips them anyway)."""
        del include_sources
        return cls("*")

    @classmethod
    def from_string(cls, text: str) -> AssetSelection:
        return cls(f"({text})")

    @classmethod
    def keys(cls, *keys: CoercibleToAssetKey) -> AssetSelection:
        return cls(
            _any_of(f"key:{_quoted(AssetKey.from_coercible(k).to_user_string())}" for k in keys)
        )

    @classmethod
    def assets(cls, *assets: Any) -> AssetSelection:
        """The keys of asset definitions, specs or keys."""
        return cls.keys(*[key for item in assets for key in dep_keys(item)])

    @classmethod
    def key_prefixes(cls, *prefixes: str | list[str]) -> AssetSelection:
        parts = [AssetKey.from_coercible(p).to_user_string() for p in prefixes]
        return cls(_any_of(f"key:{_quoted(prefix + '/*')}" for prefix in parts))

    @classmethod
    def groups(cls, *group_strs: str) -> AssetSelection:
        return cls(_any_of(f"group:{_quoted(group)}" for group in group_strs))

    @classmethod
    def tag(cls, key: str, value: str) -> AssetSelection:
        return cls(f"tag:{_quoted(key)}={_quoted(value)}")

    @classmethod
    def kind(cls, kind: str) -> AssetSelection:
        return cls(f"kind:{_quoted(kind)}")

    @classmethod
    def owner(cls, owner: str) -> AssetSelection:
        return cls(f"owner:{_quoted(owner)}")

    def upstream(self, depth: int | None = None, include_self: bool = True) -> AssetSelection:
        widened = f"{depth if depth is not None else ''}+{self._text}"
        return AssetSelection(f"({widened})" if include_self else f"({widened} and not {self})")

    def downstream(self, depth: int | None = None, include_self: bool = True) -> AssetSelection:
        widened = f"{self._text}+{depth if depth is not None else ''}"
        return AssetSelection(f"({widened})" if include_self else f"({widened} and not {self})")

    def sinks(self) -> AssetSelection:
        return AssetSelection(f"sinks{self._paren}")

    def roots(self) -> AssetSelection:
        return AssetSelection(f"roots{self._paren}")

    @property
    def _paren(self) -> str:
        return self._text if self._text.startswith("(") else f"({self._text})"

    def __or__(self, other: AssetSelection) -> AssetSelection:
        return AssetSelection(f"({self} or {other})")

    def __and__(self, other: AssetSelection) -> AssetSelection:
        return AssetSelection(f"({self} and {other})")

    def __sub__(self, other: AssetSelection) -> AssetSelection:
        return AssetSelection(f"({self} and not {other})")

    def resolve(self, graph_or_defs: Any) -> set[AssetKey]:
        """The keys this selection names in a graph (or a ``Definitions``' graph)."""
        from assetloom.graph.selection import select

        resolve = getattr(graph_or_defs, "resolve_asset_graph", None)
        graph: SelectableGraph = resolve() if callable(resolve) else graph_or_defs
        return set(select(graph, self._text))

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"AssetSelection({self._text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetSelection) and self._text == other._text

    def __hash__(self) -> int:
        return hash(self._text)
