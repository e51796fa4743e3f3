"""AssetKey: the contract through which assets meet.

A string key means the same thing everywhere, in Python and in YAML: ``"a/b"`` is the two-part
key ``["a", "b"]``. (Dagster splits on ``/`` only in YAML; we split everywhere so that a key
copied from ``loom list defs`` works in any place that takes a key.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final, TypeAlias

from assetloom.errors import InvalidAssetKeyError

SEPARATOR: Final = "/"


class AssetKey:
    """An immutable, hashable, ordered path of non-empty string parts.

    ``AssetKey("a/b")``, ``AssetKey(["a", "b"])`` and ``AssetKey("a", "b")`` are equal.
    """

    __slots__ = ("_hash", "path")
    path: tuple[str, ...]
    _hash: int

    def __init__(self, *parts: str | Sequence[str]) -> None:
        if len(parts) == 1 and type(parts[0]) is str and parts[0] and SEPARATOR not in parts[0]:
            path_: tuple[str, ...] = (parts[0],)  # the common case, kept cheap
            object.__setattr__(self, "path", path_)
            object.__setattr__(self, "_hash", hash(path_))
            return
        if len(parts) == 1 and not isinstance(parts[0], str):
            parts = tuple(parts[0])
        path: list[str] = []
        for part in parts:
            if not isinstance(part, str):
                raise InvalidAssetKeyError(
                    f"asset key parts must be strings, got {type(part).__name__} {part!r}"
                )
            path.extend(part.split(SEPARATOR))
        if not path or any(not p for p in path):
            raise InvalidAssetKeyError(
                f"invalid asset key {SEPARATOR.join(path)!r}: a key needs at least one part "
                "and no part may be empty"
            )
        object.__setattr__(self, "path", tuple(path))
        object.__setattr__(self, "_hash", hash(self.path))

    @classmethod
    def from_user_string(cls, text: str) -> AssetKey:
        """The key for ``"a/b"`` as printed by :meth:`to_user_string`."""
        return cls(text)

    @classmethod
    def from_coercible(cls, value: CoercibleToAssetKey) -> AssetKey:
        """A key from a key, a string, or a sequence of parts."""
        if isinstance(value, AssetKey):
            return value
        return cls(value)

    def to_user_string(self) -> str:
        return SEPARATOR.join(self.path)

    def to_string(self) -> str:
        return self.to_user_string()

    def to_python_identifier(self, suffix: str | None = None) -> str:
        """The parts joined by ``__``, every other character that cannot be in a Python
        name made ``_`` (a multi-asset's output name for this key)."""
        text = "__".join([*self.path, *([suffix] if suffix else [])])
        return "".join(c if c.isalnum() or c == "_" else "_" for c in text)

    def with_prefix(self, prefix: CoercibleToAssetKeyPrefix) -> AssetKey:
        return AssetKey([*_prefix_parts(prefix), *self.path])

    def has_prefix(self, prefix: CoercibleToAssetKeyPrefix) -> bool:
        parts = _prefix_parts(prefix)
        return self.path[: len(parts)] == parts

    @property
    def parent(self) -> AssetKey | None:
        return AssetKey(self.path[:-1]) if len(self.path) > 1 else None

    @property
    def name(self) -> str:
        """The last part, which names the asset's function and run step."""
        return self.path[-1]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("AssetKey is immutable")

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AssetKey) and self.path == other.path

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, AssetKey):
            return NotImplemented
        return self.path < other.path

    def __le__(self, other: object) -> bool:
        if not isinstance(other, AssetKey):
            return NotImplemented
        return self.path <= other.path

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, AssetKey):
            return NotImplemented
        return self.path > other.path

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, AssetKey):
            return NotImplemented
        return self.path >= other.path

    def __repr__(self) -> str:
        return f"AssetKey({list(self.path)!r})"

    def __str__(self) -> str:
        return self.to_user_string()

    def __reduce__(self) -> tuple[type[AssetKey], tuple[tuple[str, ...]]]:
        return (AssetKey, (self.path,))


CoercibleToAssetKey: TypeAlias = AssetKey | str | Sequence[str]
CoercibleToAssetKeyPrefix: TypeAlias = str | Sequence[str]


def _prefix_parts(prefix: CoercibleToAssetKeyPrefix | Iterable[str]) -> tuple[str, ...]:
    if isinstance(prefix, str):
        return tuple(p for p in prefix.split(SEPARATOR) if p)
    return tuple(part for item in prefix for part in item.split(SEPARATOR) if part)
