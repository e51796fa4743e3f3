"""The on-disk parse cache: unchanged bytes are not parsed again; anything else is a miss."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assetloom.loading.session import LoadSession
from assetloom.project import Project
from assetloom.yaml import source as yaml_source
from assetloom.yaml.parse_cache import ParseCache
from assetloom.yaml.source import read_yaml_documents

TEXT = """\
type: components.etl.EtlTables
attributes:
  etl_tables:
    - name: orders   # line 4
      deps: [raw_orders]
---
type: components.etl.EtlTables
attributes: {etl_tables: []}
"""


def _write(tmp_path: Path, text: str = TEXT) -> Path:
    file = tmp_path / "defs" / "etl" / "defs.yaml"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text)
    return file


def _fresh_cache(tmp_path: Path) -> ParseCache:
    """What a new process sees: only the file on disk."""
    return ParseCache(tmp_path / ".loom" / "cache" / "yaml.marshal")


def _forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> None:
        raise AssertionError("parsed although the cache had these bytes")

    monkeypatch.setattr(yaml_source, "_decode_and_parse", fail)


def test_a_saved_parse_is_reused_by_the_next_process_with_values_and_positions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _write(tmp_path)
    first = _fresh_cache(tmp_path)
    parsed = read_yaml_documents(file, "defs/etl/defs.yaml", first)
    first.save()

    _forbid_parsing(monkeypatch)
    cached = read_yaml_documents(file, "defs/etl/defs.yaml", _fresh_cache(tmp_path))

    assert [d.value for d in cached] == [d.value for d in parsed]
    assert [d.index for d in cached] == [0, 1]
    location = cached[0].positions.location(("attributes", "etl_tables", 0, "name"))
    assert str(location) == "defs/etl/defs.yaml:4:13"
    assert not cached[0].template_marks


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    file = _write(tmp_path)
    cache = _fresh_cache(tmp_path)
    read_yaml_documents(file, "defs/etl/defs.yaml", cache)
    cache.save()

    _write(tmp_path, TEXT.replace("raw_orders", "raw_orderz"))
    [document, _] = read_yaml_documents(file, "defs/etl/defs.yaml", _fresh_cache(tmp_path))
    assert document.value["attributes"]["etl_tables"][0]["deps"] == ["raw_orderz"]


def test_a_corrupt_or_foreign_cache_file_is_a_miss(tmp_path: Path) -> None:
    file = _write(tmp_path)
    cache_file = tmp_path / ".loom" / "cache" / "yaml.marshal"
    cache_file.parent.mkdir(parents=True)
    for junk in (b"", b"not marshal at all", b"\xe9\x00\x00"):
        cache_file.write_bytes(junk)
        [document, _] = read_yaml_documents(file, "p", _fresh_cache(tmp_path))
        assert document.value["type"] == "components.etl.EtlTables"


def test_a_cache_written_by_another_version_of_the_parser_is_a_miss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _write(tmp_path)
    cache = _fresh_cache(tmp_path)
    read_yaml_documents(file, "p", cache)
    cache.save()

    monkeypatch.setattr("assetloom.yaml.parse_cache._parser_stamp", lambda: (0, 0))
    parsed: list[str] = []
    real = yaml_source._decode_and_parse
    monkeypatch.setattr(
        yaml_source, "_decode_and_parse", lambda *a: parsed.append("again") or real(*a)
    )
    read_yaml_documents(file, "p", _fresh_cache(tmp_path))
    assert parsed == ["again"]


def test_a_cache_that_cannot_be_written_is_not_an_error(tmp_path: Path) -> None:
    file = _write(tmp_path)
    (tmp_path / ".loom").write_text("a file where the folder would go")
    cache = _fresh_cache(tmp_path)
    read_yaml_documents(file, "p", cache)
    cache.save()  # no exception


def test_entries_of_deleted_files_are_dropped_on_save(tmp_path: Path) -> None:
    kept, gone = _write(tmp_path), tmp_path / "defs" / "old.yaml"
    gone.write_text("type: x\n")
    cache = _fresh_cache(tmp_path)
    read_yaml_documents(kept, "kept", cache)
    read_yaml_documents(gone, "gone", cache)
    cache.save()
    gone.unlink()

    later = _fresh_cache(tmp_path)
    read_yaml_documents(_write(tmp_path, TEXT + "# edited\n"), "kept", later)
    later.save()
    assert set(_fresh_cache(tmp_path)._records()) == {bytes(kept)}


def test_no_cache_when_loom_no_cache_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOM_NO_CACHE", "1")
    _write(tmp_path)
    session = LoadSession(Project.at(tmp_path))
    session.check_documents([tmp_path / "defs" / "etl" / "defs.yaml"])
    assert not (tmp_path / ".loom").exists()


def test_loom_commands_fill_the_cache_and_see_edits(tmp_path: Path) -> None:
    """End to end, in fresh processes: the second run reads the cache, an edit is seen."""
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "__init__.py").write_text("")
    (tmp_path / "components" / "etl.py").write_text(
        textwrap.dedent(
            """\
            import assetloom as dg

            class EtlTable(dg.Model):
                name: str
                deps: list[str] = []

            class EtlTables(dg.Component, dg.Model, dg.Resolvable):
                etl_tables: list[EtlTable]

                def build_defs(self, context):
                    return dg.Definitions(
                        assets=[dg.AssetSpec(t.name, deps=t.deps) for t in self.etl_tables]
                    )
            """
        )
    )
    _write(tmp_path)
    loom = [sys.executable, "-c", "from assetloom.cli.main import main; main()", "list", "defs"]

    def listed() -> str:
        run = subprocess.run(loom, cwd=tmp_path, capture_output=True, text=True, check=True)
        return run.stdout

    first = listed()
    assert (tmp_path / ".loom" / "cache" / "yaml.marshal").is_file()
    assert listed() == first
    probe = (
        "import sys, assetloom as dg; dg.load_from_defs_folder(project_root='.');"
        "print('ruamel.yaml' in sys.modules)"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "False", "a cache hit should not even import the parser"
    _write(tmp_path, TEXT.replace("name: orders", "name: shipments"))
    assert "shipments" in listed()


def _cache_file(tmp_path: Path) -> Path:
    return tmp_path / ".loom" / "cache" / "yaml.marshal"


def _saved_cache(tmp_path: Path, text: str = TEXT) -> tuple[Path, bytes]:
    """A project file and the bytes of a cache that holds its parse."""
    file = _write(tmp_path, text)
    cache = _fresh_cache(tmp_path)
    read_yaml_documents(file, "p", cache)
    cache.save()
    return file, _cache_file(tmp_path).read_bytes()


def _parse_count(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = yaml_source._decode_and_parse
    monkeypatch.setattr(
        yaml_source, "_decode_and_parse", lambda *a: parsed.append("parsed") or real(*a)
    )
    return parsed


def test_a_record_with_one_damaged_byte_is_a_miss_not_a_wrong_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file, blob = _saved_cache(tmp_path)
    at = blob.index(b"raw_orders")
    _cache_file(tmp_path).write_bytes(blob[:at] + b"R" + blob[at + 1 :])
    parsed = _parse_count(monkeypatch)

    [document, _] = read_yaml_documents(file, "p", _fresh_cache(tmp_path))

    assert document.value["attributes"]["etl_tables"][0]["deps"] == ["raw_orders"]
    assert parsed == ["parsed"]


def test_a_record_from_a_cache_of_older_bytes_is_a_miss(tmp_path: Path) -> None:
    """Records spliced in from another cache verify, but were parsed from other bytes."""
    _, old_blob = _saved_cache(tmp_path, TEXT.replace("raw_orders", "raw_orderz"))
    file = _write(tmp_path)
    _cache_file(tmp_path).write_bytes(old_blob)

    [document, _] = read_yaml_documents(file, "p", _fresh_cache(tmp_path))

    assert document.value["attributes"]["etl_tables"][0]["deps"] == ["raw_orders"]


def test_a_damaged_cache_is_rewritten_whole_on_save(tmp_path: Path) -> None:
    file, blob = _saved_cache(tmp_path)
    _cache_file(tmp_path).write_bytes(blob[: len(blob) // 2])
    cache = _fresh_cache(tmp_path)
    read_yaml_documents(file, "p", cache)
    cache.save()

    assert _cache_file(tmp_path).read_bytes() == blob


@pytest.mark.parametrize("kind", ["folder", "symlink", "fifo", "device"])
def test_a_cache_path_that_is_not_a_regular_file_is_ignored_and_left_alone(
    tmp_path: Path, kind: str
) -> None:
    file = _write(tmp_path)
    cache_file = _cache_file(tmp_path)
    cache_file.parent.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere.marshal"
    if kind == "folder":
        cache_file.mkdir()
    elif kind == "symlink":
        elsewhere.write_bytes(b"somebody else's file")
        cache_file.symlink_to(elsewhere)
    elif kind == "fifo":
        os.mkfifo(cache_file)  # opening it to read would block forever
    else:
        cache_file.symlink_to("/dev/zero")  # reading it would never end

    cache = _fresh_cache(tmp_path)
    [document, _] = read_yaml_documents(file, "p", cache)
    cache.save()

    assert document.value["type"] == "components.etl.EtlTables"
    assert cache_file.is_symlink() or not cache_file.is_file()
    if kind == "symlink":
        assert elsewhere.read_bytes() == b"somebody else's file"
    assert sorted(p.name for p in cache_file.parent.iterdir()) == ["yaml.marshal"]


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _write(tmp_path)
    cache = _fresh_cache(tmp_path)
    read_yaml_documents(file, "p", cache)

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    cache.save()  # no exception

    assert list(_cache_file(tmp_path).parent.iterdir()) == []


def test_an_interrupted_write_leaves_no_temporary_file_and_still_interrupts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = _write(tmp_path)
    cache = _fresh_cache(tmp_path)
    read_yaml_documents(file, "p", cache)

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        cache.save()

    assert list(_cache_file(tmp_path).parent.iterdir()) == []


RELOADING = """
import sys
from pathlib import Path
from assetloom.loading.session import LoadSession
from assetloom.project import Project

root = Path(sys.argv[1])
session = LoadSession(Project.at(root))
session.load()
cache = root / ".loom" / "cache" / "yaml.marshal"
before = cache.read_bytes()
edited = "type: components.tables.Tables\\nattributes: {names: [longer]}\\n"
(root / "defs" / "a" / "defs.yaml").write_text(edited)
session.reload()
print("unchanged after the reload:", cache.read_bytes() == before)
"""

TABLES = """
import assetloom as dg


class Tables(dg.Component, dg.Model, dg.Resolvable):
    names: list[str]

    def build_defs(self, context):
        return dg.Definitions(assets=[dg.AssetSpec(name) for name in self.names])
"""


def test_a_reload_leaves_the_cache_write_to_the_end_of_the_process(tmp_path: Path) -> None:
    """A long-lived process gets its new graph without waiting for the whole cache to be
    written; the edited file's parse is in the cache once the process has ended."""
    root = tmp_path / "proj"
    (root / "components").mkdir(parents=True)
    (root / "components" / "tables.py").write_text(TABLES)
    defs_file = root / "defs" / "a" / "defs.yaml"
    defs_file.parent.mkdir(parents=True)
    defs_file.write_text("type: components.tables.Tables\nattributes: {names: [a]}\n")
    run = subprocess.run(
        [sys.executable, "-c", RELOADING, str(root)],
        capture_output=True, text=True, check=True, cwd=root,
    )  # fmt: skip
    assert run.stdout.strip() == "unchanged after the reload: True"
    cache = ParseCache(root / ".loom" / "cache" / "yaml.marshal")
    assert "longer" in defs_file.read_text()  # the edit the reload saw (a different size)
    assert cache.get(defs_file, "defs/a/defs.yaml", defs_file.read_bytes()) is not None
