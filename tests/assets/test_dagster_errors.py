"""Dagster's error classes by name are ours, raised where Dagster raises them, so
``pytest.raises(dg.DagsterInvalidDefinitionError)`` in a user's test behaves the same."""

import pytest

import assetloom as dg


@dg.asset(name="same")
def first() -> int:
    return 1


@dg.asset(name="same")
def second() -> int:
    return 2


def test_duplicate_keys_are_invalid_definitions() -> None:
    with pytest.raises(dg.DagsterInvalidDefinitionError, match="defined twice"):
        dg.Definitions.validate_loadable(dg.Definitions(assets=[first, second]))


def test_a_cycle_is_an_invalid_definition() -> None:
    @dg.asset(deps=["b"])
    def a() -> None: ...

    @dg.asset(deps=["a"])
    def b() -> None: ...

    with pytest.raises(dg.DagsterInvalidDefinitionError, match="cycle"):
        dg.Definitions.validate_loadable(dg.Definitions(assets=[a, b]))


def test_a_missing_resource_is_an_invalid_definition() -> None:
    @dg.asset
    def needs(warehouse: dg.ConfigurableResource) -> None: ...

    with pytest.raises(dg.DagsterInvalidDefinitionError, match="needs resource `warehouse`"):
        dg.materialize([needs])


def test_a_failing_asset_raises_its_own_error_noted_with_its_location() -> None:
    @dg.asset
    def boom() -> None:
        raise KeyError("nope")

    with pytest.raises(KeyError, match="nope") as caught:
        dg.materialize([boom])
    assert "test_dagster_errors.py:" in caught.value.__notes__[0]


def test_a_failure_is_raised_as_itself() -> None:
    @dg.asset
    def refuses() -> None:
        raise dg.Failure(description="no input")

    with pytest.raises(dg.Failure, match="no input"):
        dg.materialize([refuses])


def test_every_dagster_error_is_a_dagster_error_and_a_loom_error() -> None:
    names = [n for n in dg.__all__ if n.startswith("Dagster") and n.endswith("Error")]
    assert len(names) >= 10
    for name in names:
        assert issubclass(getattr(dg, name), dg.DagsterError)
    assert dg.DagsterError is dg.LoomError


def test_resolution_exception_is_a_located_document_error() -> None:
    assert issubclass(dg.ResolutionException, dg.DefsDocumentError)
