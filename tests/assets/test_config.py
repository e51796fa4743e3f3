"""``Config`` parameters filled from run config (Dagster's shape), ``RunConfig`` and
``EnvVar``."""

import pytest

import assetloom as dg


class RowsConfig(dg.Config):
    limit: int
    label: str = "rows"


@dg.asset
def rows(config: RowsConfig) -> list[str]:
    return [config.label] * config.limit


def test_run_config_fills_the_config_parameter() -> None:
    result = dg.materialize([rows], run_config={"ops": {"rows": {"config": {"limit": 2}}}})
    assert result.asset_value("rows") == ["rows", "rows"]


def test_run_config_objects_work_too() -> None:
    config = dg.RunConfig(ops={"rows": RowsConfig(limit=1, label="x")})
    assert dg.materialize([rows], run_config=config).asset_value("rows") == ["x"]


def test_config_with_defaults_needs_no_run_config() -> None:
    class Defaults(dg.Config):
        n: int = 3

    @dg.asset
    def three(config: Defaults) -> int:
        return config.n

    assert dg.materialize([three]).asset_value("three") == 3


def test_invalid_config_fails_before_the_run_naming_the_field() -> None:
    with pytest.raises(dg.DagsterInvalidConfigError, match=r"ops\.rows\.config: .*limit"):
        dg.materialize([rows], run_config={"ops": {"rows": {"config": {"limit": "many"}}}})
    with pytest.raises(dg.DagsterInvalidConfigError, match="limit: Field required"):
        dg.materialize([rows])


def test_run_config_naming_no_asset_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(dg.DagsterInvalidConfigError, match="did you mean `rows`"):
        dg.materialize([rows], run_config={"ops": {"row": {"config": {"limit": 1}}}})


def test_config_is_on_the_context_too() -> None:
    @dg.asset
    def sees(context: dg.AssetExecutionContext, config: RowsConfig) -> object:
        return context.op_config

    given = {"limit": 1}
    result = dg.materialize([sees], run_config={"ops": {"sees": {"config": given}}})
    assert result.asset_value("sees") == given


def test_direct_invocation_takes_a_config_object() -> None:
    assert rows(config=RowsConfig(limit=1)) == ["rows"]


def test_env_var_fills_a_resource_field(monkeypatch: pytest.MonkeyPatch) -> None:
    class Api(dg.ConfigurableResource):
        token: str

    monkeypatch.setenv("API_TOKEN", "secret")
    assert Api(token=dg.EnvVar("API_TOKEN")).token == "secret"
    assert dg.EnvVar("API_TOKEN").get_value() == "secret"


def test_unset_env_var_is_an_error_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    class Api(dg.ConfigurableResource):
        token: str

    monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    with pytest.raises(dg.DagsterInvalidConfigError, match="`NO_SUCH_TOKEN` is not set"):
        Api(token=dg.EnvVar("NO_SUCH_TOKEN"))


def test_run_config_object_converts_to_dagsters_dict_shape() -> None:
    config = dg.RunConfig(ops={"rows": RowsConfig(limit=2), "raw": {"limit": 1}})
    assert config.to_config_dict() == {
        "ops": {
            "rows": {"config": {"limit": 2, "label": "rows"}},
            "raw": {"config": {"limit": 1}},
        }
    }
