import pickle

import pytest

import assetloom as dg
from assetloom.errors import InvalidAssetKeyError


@pytest.mark.parametrize(
    "key",
    [dg.AssetKey("a/b"), dg.AssetKey(["a", "b"]), dg.AssetKey("a", "b"), dg.AssetKey(("a", "b"))],
)
def test_every_form_builds_the_same_two_part_key(key: dg.AssetKey) -> None:
    assert key.path == ("a", "b")
    assert key == dg.AssetKey(["a", "b"])
    assert key.to_user_string() == "a/b"
    assert str(key) == "a/b"
    assert repr(key) == "AssetKey(['a', 'b'])"


def test_a_slash_inside_a_list_part_also_splits() -> None:
    assert dg.AssetKey(["raw/orders"]) == dg.AssetKey("raw", "orders")


def test_single_part_key_and_name() -> None:
    key = dg.AssetKey("orders")
    assert key.path == ("orders",)
    assert key.name == "orders"
    assert key.parent is None
    assert dg.AssetKey("raw/orders").parent == dg.AssetKey("raw")


def test_from_user_string_round_trips() -> None:
    key = dg.AssetKey(["warehouse", "sales", "orders"])
    assert dg.AssetKey.from_user_string(key.to_user_string()) == key


def test_with_prefix() -> None:
    key = dg.AssetKey("orders")
    assert key.with_prefix("raw") == dg.AssetKey("raw/orders")
    assert key.with_prefix("wh/raw") == dg.AssetKey(["wh", "raw", "orders"])
    assert key.with_prefix(["wh", "raw"]) == dg.AssetKey(["wh", "raw", "orders"])
    assert key.with_prefix([]) == key


def test_has_prefix() -> None:
    key = dg.AssetKey(["wh", "raw", "orders"])
    assert key.has_prefix("wh")
    assert key.has_prefix(["wh", "raw"])
    assert key.has_prefix("wh/raw")
    assert not key.has_prefix("raw")
    assert not key.has_prefix(["wh", "raw", "orders", "x"])
    assert not key.has_prefix("w")


def test_hashable_and_equal_keys_collapse_in_sets_and_dicts() -> None:
    keys = {dg.AssetKey("a/b"), dg.AssetKey(["a", "b"]), dg.AssetKey("a", "b")}
    assert len(keys) == 1
    assert {dg.AssetKey("a/b"): 1}[dg.AssetKey(["a", "b"])] == 1
    assert dg.AssetKey("a") != "a"


def test_ordered_by_parts() -> None:
    keys = [dg.AssetKey("b"), dg.AssetKey("a/c"), dg.AssetKey("a"), dg.AssetKey("a/b")]
    assert [k.to_user_string() for k in sorted(keys)] == ["a", "a/b", "a/c", "b"]
    assert dg.AssetKey("a") < dg.AssetKey("b") <= dg.AssetKey("b")
    assert dg.AssetKey("b") > dg.AssetKey("a") >= dg.AssetKey("a")


def test_comparing_with_a_non_key_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        _ = dg.AssetKey("a") < "b"  # type: ignore[operator]


def test_immutable_and_picklable() -> None:
    key = dg.AssetKey("a/b")
    with pytest.raises(AttributeError, match="immutable"):
        key.path = ("c",)  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(key)) == key


@pytest.mark.parametrize("bad", ["", "a//b", "/a", "a/", [], ["a", ""]])
def test_empty_parts_are_rejected_with_a_clear_error(bad: str | list[str]) -> None:
    with pytest.raises(InvalidAssetKeyError, match="no part may be empty"):
        dg.AssetKey(bad)


def test_invalid_key_error_is_a_value_error_and_a_loom_error() -> None:
    with pytest.raises(ValueError, match="invalid asset key 'a//b'") as info:
        dg.AssetKey("a//b")
    assert isinstance(info.value, dg.LoomError)


def test_non_string_part_is_rejected() -> None:
    with pytest.raises(InvalidAssetKeyError, match="must be strings, got int 3"):
        dg.AssetKey(["a", 3])  # type: ignore[list-item]


def test_python_identifier_joins_parts_and_replaces_other_characters() -> None:
    assert dg.AssetKey(["raw", "orders-v2"]).to_python_identifier() == "raw__orders_v2"
    assert dg.AssetKey("a").to_python_identifier("out") == "a__out"
