"""An on-disk cache of parsed ``defs.yaml`` files, so an unchanged file is not parsed again.

Parsing is the largest per-file cost of loading a project (about a third of loading 10,000
generated assets), and most files do not change between two ``loom`` commands. Like Python's
own bytecode cache, this keeps each file's parsed documents (plain values and positions) in
``<storage_dir>/cache/``, checked against a digest of the file's bytes, so an edit is always
seen. ``LOOM_NO_CACHE=1`` turns it off.

The cache is never trusted: it may be truncated, damaged byte by byte, pieced together from
other caches, or not a regular file at all. Each record carries a digest of its own bytes
(salted with the parser's stamp, so a record written by another parser never verifies), and
its payload is unmarshalled only after that digest matches. Anything that does not verify is
a miss; so is a cache path that is not a regular file (a FIFO is never opened, a symlink never
followed). Writes go to a temporary file in the same folder, then ``os.replace``: a reader sees
the old cache or the new one, never half of one, and a failed write leaves no litter. The
digests guard against damage, not against someone who can write the cache on purpose: they
could as well edit ``defs/``.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
import stat
import struct
import sys
import tempfile
import weakref
from pathlib import Path
from typing import Any, Final

from assetloom.yaml import source as yaml_source
from assetloom.yaml.source import PositionMap, YamlDocument

__all__ = ["DISABLE_VARIABLE", "ParseCache"]

# Bump when the layout of the file or the shape of a cached document changes.
_FORMAT: Final = 3
_MAGIC: Final = b"loom-yaml-cache\x00"
DISABLE_VARIABLE: Final = "LOOM_NO_CACHE"

_DIGEST_SIZE: Final = 16
_MAX_CACHE_SIZE: Final = 1 << 30
# A record: the length of its key, the length of its payload, the digest of both; then both.
_RECORD_HEAD: Final = struct.Struct(f"<II{_DIGEST_SIZE}s")

Record = tuple[bytes, bytes | memoryview, bytes]
"""(key: the file's absolute path, payload, digest of key and payload), as read from disk.

The payload (the display path, a digest of the file's bytes, the documents, marshalled) stays
a view of the file's bytes until asked for, so reading the cache costs its size in bytes, not
the values and positions of every file in the project; only the records used are verified and
decoded."""


class ParseCache:
    """The parsed documents of one project's YAML files, keyed by absolute path."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._stored: dict[bytes, Record] | None = None
        self._used: dict[bytes, Record] = {}
        self._dirty = False
        self._saving_at_exit = False
        self._salt = _salt()

    def get(self, file: Path, display_path: str, data: bytes) -> list[YamlDocument] | None:
        """The documents parsed from exactly these bytes before, or None."""
        if self.file is None:
            return None
        key = os.fsencode(file)
        record = self._records().get(key)
        if record is None or not self._verifies(record):
            return None
        try:
            stored_display, data_digest, documents = marshal.loads(record[1])
            if stored_display != display_path or data_digest != _digest(data):
                return None
            result = [_document(display_path, packed) for packed in documents]
        except (ValueError, TypeError, EOFError):  # a verified record of some other shape
            return None
        self._used[key] = record
        return result

    def put(self, file: Path, display_path: str, data: bytes, docs: list[YamlDocument]) -> None:
        if self.file is None:
            return
        documents = tuple(_packed(document) for document in docs)
        try:  # only plain data goes in; anything else is not cached
            payload = marshal.dumps((display_path, _digest(data), documents))
        except ValueError:
            return
        key = os.fsencode(file)
        self._used[key] = (key, payload, self._sign(key, payload))
        self._dirty = True

    def save(self) -> None:
        """Write the records used in this process, plus older ones that still verify and
        whose file still exists. Failing to write is not an error: the cache is optional."""
        if self.file is None or not self._dirty:
            return
        kept = {
            key: record
            for key, record in self._records().items()
            if key not in self._used and self._verifies(record) and os.path.exists(key)
        }
        kept.update(self._used)
        if _write_atomically(self.file, _encode(self._salt, kept.values())):
            self._stored = kept
            self._dirty = False

    def save_at_exit(self) -> None:
        """Save when the process ends instead of now: a long-lived process reloading after
        an edit should not wait for the whole cache to be written. A cache dropped before
        then (its session gone) or a process killed loses only those parses: later misses."""
        if self.file is None or not self._dirty or self._saving_at_exit:
            return
        self._saving_at_exit = True
        atexit.register(_save_if_alive, weakref.ref(self))

    def _records(self) -> dict[bytes, Record]:
        if self._stored is None:
            self._stored = _decode(self._salt, _read_regular_file(self.file)) if self.file else {}
        return self._stored

    def _verifies(self, record: Record) -> bool:
        key, payload, digest = record
        return self._sign(key, payload) == digest

    def _sign(self, key: bytes, payload: bytes | memoryview) -> bytes:
        signer = hashlib.blake2b(len(key).to_bytes(4, "little"), digest_size=_DIGEST_SIZE)
        signer.update(self._salt)
        signer.update(key)
        signer.update(payload)
        return signer.digest()


def _save_if_alive(cache: weakref.ReferenceType[ParseCache]) -> None:
    alive = cache()
    if alive is not None:
        alive.save()


# --- the file format -----------------------------------------------------------------------


def _encode(salt: bytes, records: Any) -> bytes:
    parts = [_MAGIC, salt]
    for key, payload, digest in records:
        parts += (_RECORD_HEAD.pack(len(key), len(payload), digest), key, payload)
    return b"".join(parts)


def _decode(salt: bytes, blob: bytes) -> dict[bytes, Record]:
    """The records of a cache file, unverified; reading stops at the first one that does
    not fit in the file (a damaged length), and a file of another format has none."""
    start = len(_MAGIC) + len(salt)
    if blob[:start] != _MAGIC + salt:
        return {}
    records: dict[bytes, Record] = {}
    view = memoryview(blob)
    head = _RECORD_HEAD.size
    while start + head <= len(blob):
        key_size, payload_size, digest = _RECORD_HEAD.unpack_from(blob, start)
        key_end = start + head + key_size
        end = key_end + payload_size
        if end > len(blob):
            break
        key = bytes(view[start + head : key_end])
        records[key] = (key, view[key_end:end], digest)
        start = end
    return records


def _salt() -> bytes:
    """What a cache must have been written by: this format, marshal and Python, and this very
    parser and cache (their files' size and mtime change with any edit or upgrade)."""
    stamp = (_FORMAT, marshal.version, sys.version_info[:2], _parser_stamp())
    return hashlib.blake2b(repr(stamp).encode(), digest_size=16).digest()


def _parser_stamp() -> tuple[int, ...]:
    stamp: list[int] = []
    for module_file in (yaml_source.__file__, __file__):
        status = os.stat(module_file)
        stamp += (status.st_size, status.st_mtime_ns)
    return tuple(stamp)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST_SIZE).digest()


# --- reading and writing safely ------------------------------------------------------------


def _read_regular_file(file: Path) -> bytes:
    """The bytes of ``file`` if it is a regular file; else (a folder, a symlink, a FIFO, a
    device, nothing, unreadable) no bytes. A FIFO or device is never opened: opening a FIFO
    for reading blocks until someone writes."""
    try:
        if not stat.S_ISREG(os.lstat(file).st_mode):
            return b""
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return b""
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > _MAX_CACHE_SIZE:
            return b""  # swapped between lstat and open, or not a cache we would write
        chunks = []
        remaining = status.st_size
        while remaining > 0:
            chunk = os.read(descriptor, remaining)
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return b""
    finally:
        os.close(descriptor)


def _write_atomically(file: Path, blob: bytes) -> bool:
    """Replace ``file`` with ``blob`` in one step; False (and nothing left behind) when that
    is not possible, or when something other than a regular file sits at ``file``."""
    try:
        if not stat.S_ISREG(os.lstat(file).st_mode):
            return False
    except FileNotFoundError:
        pass
    except OSError:
        return False
    scratch = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        descriptor, scratch = tempfile.mkstemp(
            prefix=f"{file.name}.", suffix=".tmp", dir=file.parent
        )
        with os.fdopen(descriptor, "wb") as out:
            out.write(blob)
        os.replace(scratch, file)
    except BaseException as error:
        if scratch is not None:
            with contextlib.suppress(OSError):
                os.unlink(scratch)
        if isinstance(error, OSError):
            return False
        raise
    return True


# --- documents as plain data ---------------------------------------------------------------


def _packed(document: YamlDocument) -> tuple[Any, ...]:
    values, keys, links = document.positions.tables()
    return (document.value, values, keys, links, document.index, document.template_marks)


def _document(display_path: str, packed: tuple[Any, ...]) -> YamlDocument:
    value, values, keys, links, index, template_marks = packed
    positions = PositionMap(display_path, values, keys, links)
    return YamlDocument(value, positions, display_path, index, template_marks)
