"""Asset jobs: ``define_asset_job`` names a selection; ``Definitions(jobs=...)`` holds it."""

import pytest

import assetloom as dg


class Factor(dg.Config):
    factor: int = 1


@dg.asset(group_name="numbers")
def base() -> int:
    return 2


@dg.asset(group_name="numbers")
def scaled(base: int, config: Factor) -> int:
    return base * config.factor


@dg.asset
def unrelated() -> None:
    raise AssertionError("not in the job")


job = dg.define_asset_job(
    "numbers_job",
    selection=dg.AssetSelection.groups("numbers"),
    config={"ops": {"scaled": {"config": {"factor": 10}}}},
    tags={"team": "math"},
)
DEFS = dg.Definitions(assets=[base, scaled, unrelated], jobs=[job])


def test_a_job_runs_its_selection_with_its_config() -> None:
    result = DEFS.get_job_def("numbers_job").execute_in_process()
    assert result.succeeded_keys == [dg.AssetKey("base"), dg.AssetKey("scaled")]
    assert result.asset_value("scaled") == 20


def test_run_config_given_at_execution_replaces_the_jobs() -> None:
    run_config = {"ops": {"scaled": {"config": {"factor": 3}}}}
    result = DEFS.get_job_def("numbers_job").execute_in_process(run_config=run_config)
    assert result.asset_value("scaled") == 6


def test_jobs_survive_a_merge_and_an_unknown_job_is_named() -> None:
    merged = dg.Definitions.merge(DEFS, dg.Definitions())
    assert [j.name for j in merged.jobs] == ["numbers_job"]
    with pytest.raises(LookupError, match="did you mean `numbers_job`"):
        merged.get_job_def("number_job")


def test_two_jobs_of_one_name_are_an_invalid_definition() -> None:
    with pytest.raises(dg.DagsterInvalidDefinitionError, match="job `j` is defined twice"):
        dg.Definitions(jobs=[dg.define_asset_job("j"), dg.define_asset_job("j")])


def test_the_implicit_global_job_runs_every_asset() -> None:
    defs = dg.Definitions(assets=[base, scaled])
    job = defs.get_implicit_global_asset_job_def()
    result = job.execute_in_process(run_config={"ops": {"scaled": {"config": {"factor": 5}}}})
    assert result.asset_value("scaled") == 10
