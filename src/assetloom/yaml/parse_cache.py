"""An on-disk cache of parsed ``defs.yaml`` files, so an unchanged file is not parsed again.

Parsing is the largest per-file cost of loading a project (about a third of loading 10,000
generated assets), and most files do not change between two ``loom`` commands. Like Python's
own bytecode cache, this keeps each file's parsed documents (plain values and positions) in
``<storage_dir>/cache/``, checked against a digest of the file's bytes, so an edit is always
seen. A missing, unreadable or foreign cache file is simply a miss; failing to write it is
not an error. ``LOOM_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any, Final

from assetloom.yaml import source as yaml_source
from assetloom.yaml.source import PositionMap, YamlDocument

__all__ = ["ParseCache", "parse_cache_for"]

# Bump when the shape of a cached document changes.
_FORMAT: Final = 2
DISABLE_VARIABLE: Final = "LOOM_NO_CACHE"

Entry = tuple[str, bytes, bytes]
"""(display path, digest of the file's bytes, its documents marshalled on their own)

Each entry's documents stay marshalled until asked for, so reading the cache file costs a
few MiB of bytes objects, not the values and positions of every file in the project."""


class ParseCache:
    """The parsed documents of one project's YAML files, keyed by absolute path."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._stored: dict[str, Entry] | None = None
        self._used: dict[str, Entry] = {}
        self._dirty = False

    def get(self, file: Path, display_path: str, data: bytes) -> list[YamlDocument] | None:
        """The documents parsed from exactly these bytes before, or None."""
        if self.file is None:
            return None
        key = str(file)
        entry = self._entries().get(key)
        if entry is None or entry[0] != display_path or entry[1] != _digest(data):
            return None
        self._used[key] = entry
        return [_document(display_path, packed) for packed in marshal.loads(entry[2])]

    def put(self, file: Path, display_path: str, data: bytes, docs: list[YamlDocument]) -> None:
        if self.file is None:
            return
        try:  # only plain data goes in; anything else is not cached
            blob = marshal.dumps(tuple(_packed(document) for document in docs))
        except ValueError:
            return
        self._used[str(file)] = (display_path, _digest(data), blob)
        self._dirty = True

    def save(self) -> None:
        """Write the entries used in this process, plus older ones whose file still exists."""
        if self.file is None or not self._dirty:
            return
        kept = {
            key: entry
            for key, entry in self._entries().items()
            if key not in self._used and os.path.exists(key)
        }
        kept.update(self._used)
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            scratch = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
            scratch.write_bytes(marshal.dumps((_header(), kept)))
            os.replace(scratch, self.file)
        except OSError:
            return
        self._stored = kept
        self._dirty = False

    def _entries(self) -> dict[str, Entry]:
        if self._stored is None:
            self._stored = _read(self.file) if self.file is not None else {}
        return self._stored


def parse_cache_for(storage_dir: Path) -> ParseCache:
    """The one cache of a storage folder in this process (shared by check and load)."""
    cache = _CACHES.get(storage_dir)
    if cache is None:
        enabled = os.environ.get(DISABLE_VARIABLE, "") in ("", "0")
        cache = ParseCache(storage_dir / "cache" / "yaml.marshal" if enabled else None)
        _CACHES[storage_dir] = cache
    return cache


_CACHES: dict[Path, ParseCache] = {}


def _read(file: Path) -> dict[str, Entry]:
    try:
        header, entries = marshal.loads(file.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if header != _header() or not isinstance(entries, dict):
        return {}
    return entries


def _header() -> tuple[Any, ...]:
    """What a cache file must have been written by: this format, marshal and Python, and
    this very parser (its file's size and mtime change with any edit or upgrade)."""
    return (_FORMAT, marshal.version, sys.version_info[:2], _parser_stamp())


def _parser_stamp() -> tuple[int, int]:
    stat = os.stat(yaml_source.__file__)
    return stat.st_size, stat.st_mtime_ns


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _packed(document: YamlDocument) -> tuple[Any, ...]:
    values, keys, links = document.positions.tables()
    return (document.value, values, keys, links, document.index, document.template_marks)


def _document(display_path: str, packed: tuple[Any, ...]) -> YamlDocument:
    value, values, keys, links, index, template_marks = packed
    positions = PositionMap(display_path, values, keys, links)
    return YamlDocument(value, positions, display_path, index, template_marks)
