from pathlib import Path

import pytest

import assetloom as dg

K = dg.AssetKey


def test_in_memory_round_trip() -> None:
    io = dg.InMemoryIOManager()
    assert not io.has_output(K("a"))
    io.handle_output(K("a"), {"rows": [1, 2]})
    assert io.has_output(K("a"))
    assert io.load_input(K("a")) == {"rows": [1, 2]}


def test_in_memory_missing_value_names_the_key() -> None:
    with pytest.raises(LookupError, match="no value for `raw/orders` in this run"):
        dg.InMemoryIOManager().load_input(K("raw/orders"))


def test_filesystem_round_trip(tmp_path: Path) -> None:
    io = dg.FilesystemIOManager(tmp_path / "storage")
    key = K(["warehouse", "orders"])
    assert not io.has_output(key)
    io.handle_output(key, {"rows": [1, 2], "key": key})
    assert io.has_output(key)
    assert (tmp_path / "storage" / "warehouse" / "orders.pickle").is_file()
    assert list((tmp_path / "storage" / "warehouse").iterdir()) == [
        tmp_path / "storage" / "warehouse" / "orders.pickle"
    ]
    again = dg.FilesystemIOManager(base_dir=str(tmp_path / "storage"))
    assert again.load_input(key) == {"rows": [1, 2], "key": key}


def test_filesystem_overwrites_the_previous_value(tmp_path: Path) -> None:
    io = dg.FilesystemIOManager(tmp_path)
    io.handle_output(K("a"), 1)
    io.handle_output(K("a"), 2)
    assert io.load_input(K("a")) == 2


def test_filesystem_keeps_keys_with_dots_apart(tmp_path: Path) -> None:
    io = dg.FilesystemIOManager(tmp_path)
    io.handle_output(K("orders.v1"), "v1")
    io.handle_output(K("orders.v2"), "v2")
    io.handle_output(K("orders"), "plain")
    assert io.load_input(K("orders.v1")) == "v1"
    assert io.load_input(K("orders.v2")) == "v2"
    assert io.load_input(K("orders")) == "plain"


def test_filesystem_key_and_prefix_of_another_key_coexist(tmp_path: Path) -> None:
    io = dg.FilesystemIOManager(tmp_path)
    io.handle_output(K("a"), "a")
    io.handle_output(K("a/b"), "a/b")
    assert (io.load_input(K("a")), io.load_input(K("a/b"))) == ("a", "a/b")


def test_filesystem_missing_value_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(LookupError, match="`a/b` has not been materialized yet"):
        dg.FilesystemIOManager(tmp_path).load_input(K("a/b"))


def _assets(ran: list[str]) -> list[dg.AssetsDefinition]:
    @dg.asset
    def numbers() -> list[int]:
        ran.append("numbers")
        return [1, 2, 3]

    @dg.asset
    def total(numbers: list[int]) -> int:
        ran.append("total")
        return sum(numbers)

    return [numbers, total]


def test_a_later_run_reads_what_an_earlier_run_stored(tmp_path: Path) -> None:
    ran: list[str] = []
    io = dg.FilesystemIOManager(tmp_path)
    dg.materialize(_assets(ran), io_manager=io)
    assert ran == ["numbers", "total"]

    ran.clear()
    result = dg.materialize(_assets(ran), selection="total", io_manager=io)
    assert ran == ["total"]
    assert result.output_for_node("total") == 6


def test_an_io_manager_given_as_the_io_manager_resource_is_used(tmp_path: Path) -> None:
    result = dg.materialize(
        _assets([]), resources={"io_manager": dg.FilesystemIOManager(base_dir=tmp_path)}
    )
    assert result.output_for_node("total") == 6
    assert (tmp_path / "total.pickle").is_file()
