"""A damaged parse cache is never believed: whatever happens to its bytes, reading a project
through it raises nothing and gives exactly what parsing the files gives."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assetloom.yaml.parse_cache import ParseCache
from assetloom.yaml.source import YamlDocument, read_yaml_documents

FILES = {
    "defs/etl/defs.yaml": """\
type: components.etl.EtlTables
attributes:
  etl_tables:
    - &orders {name: orders, deps: [raw_orders], query: "SELECT * FROM raw_orders"}
    - <<: *orders
      name: shipments
---
type: components.etl.EtlTables
attributes: {etl_tables: [], retries: 3, ratio: 0.5, enabled: true, note: null}
""",
    "defs/sales/defs.yaml": """\
type: .local.Sales
attributes:
  region: "{{ env.REGION }}"
  owners: [alice@example.com, bob@example.com]
""",
    "defs/empty/defs.yaml": "# nothing here\n",
}
# The same files one edit earlier: a cache of them holds records that verify, for other bytes.
OLDER = {path: text.replace("orders", "order") for path, text in FILES.items()}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def _read_all(root: Path, cache: ParseCache) -> list[list[Any]]:
    return [_plain(read_yaml_documents(root / name, name, cache)) for name in FILES]


def _plain(documents: list[YamlDocument]) -> list[Any]:
    return [(d.value, d.positions.tables(), d.path, d.index, d.template_marks) for d in documents]


@pytest.fixture(scope="module")
def caches(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes, bytes]:
    """A project, the bytes of a cache of it, and of a cache of its older files."""
    root = tmp_path_factory.mktemp("damaged-cache")
    cache_file = root / ".loom" / "cache" / "yaml.marshal"
    blobs = []
    for files in (OLDER, FILES):
        _write(root, files)
        cache_file.unlink(missing_ok=True)
        cache = ParseCache(cache_file)
        _read_all(root, cache)
        cache.save()
        blobs.append(cache_file.read_bytes())
    return root, blobs[1], blobs[0]


Damage = Any
_positions = st.integers(min_value=0, max_value=4096)
_damage: st.SearchStrategy[Damage] = st.one_of(
    st.tuples(st.just("flip"), _positions, st.integers(min_value=0, max_value=7)),
    st.tuples(st.just("truncate"), _positions),
    st.tuples(st.just("insert"), _positions, st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("duplicate"), _positions, st.integers(1, 256), _positions),
    st.tuples(st.just("splice"), _positions, st.integers(1, 512), _positions),
    st.tuples(st.just("delete"), _positions, st.integers(1, 64)),
)


def _apply(blob: bytes, damage: Damage, other: bytes) -> bytes:
    kind, at, *rest = damage
    at = at % (len(blob) + 1)
    if kind == "flip":
        if not blob:
            return blob
        at = min(at, len(blob) - 1)
        return blob[:at] + bytes([blob[at] ^ (1 << rest[0])]) + blob[at + 1 :]
    if kind == "truncate":
        return blob[:at]
    if kind == "insert":
        return blob[:at] + rest[0] + blob[at:]
    if kind == "delete":
        return blob[:at] + blob[at + rest[0] :]
    size, to = rest
    if kind == "duplicate":
        return blob[: to % (len(blob) + 1)] + blob[at : at + size] + blob[to % (len(blob) + 1) :]
    start = to % (len(other) + 1)  # splice: bytes of the other cache, maybe whole records
    return blob[:at] + other[start : start + size] + blob[at + size :]


@settings(
    max_examples=400,
    deadline=1000,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(damages=st.lists(_damage, min_size=1, max_size=4))
def test_a_damaged_cache_gives_the_values_of_the_files_or_nothing(
    caches: tuple[Path, bytes, bytes], damages: list[Damage]
) -> None:
    root, blob, other = caches
    for damage in damages:
        blob = _apply(blob, damage, other)
    cache_file = root / ".loom" / "cache" / "yaml.marshal"
    cache_file.write_bytes(blob)

    fresh = _read_all(root, ParseCache(None))
    through_cache = ParseCache(cache_file)
    assert _read_all(root, through_cache) == fresh
    through_cache.save()
    assert _read_all(root, ParseCache(cache_file)) == fresh


@settings(max_examples=100, deadline=1000)
@given(records=st.lists(st.booleans(), min_size=2, max_size=8))
def test_whole_records_swapped_between_two_caches_are_misses_when_stale(
    caches: tuple[Path, bytes, bytes], records: list[bool]
) -> None:
    """A cache pieced together from records of both caches, as a concurrent writer or a
    careless copy could leave it."""
    root, blob, other = caches
    head = len(b"loom-yaml-cache\x00") + 16
    mine, theirs = _split(blob[head:]), _split(other[head:])
    pieced = blob[:head] + b"".join(
        (mine if take_mine else theirs)[i % len(mine)] for i, take_mine in enumerate(records)
    )
    cache_file = root / ".loom" / "cache" / "yaml.marshal"
    cache_file.write_bytes(pieced)

    assert _read_all(root, ParseCache(cache_file)) == _read_all(root, ParseCache(None))


def _split(body: bytes) -> list[bytes]:
    out = []
    while body:
        key_size, payload_size = struct.unpack_from("<II", body)
        end = 24 + key_size + payload_size
        out.append(body[:end])
        body = body[end:]
    return out
