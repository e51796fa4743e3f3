"""``RetryPolicy`` with ``Backoff`` and ``Jitter`` (Dagster's documented delay formula) and
``RetryRequested`` raised from an asset."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import assetloom as dg


@pytest.mark.parametrize(
    ("backoff", "delays"),
    [
        (None, [2.0, 2.0, 2.0]),
        (dg.Backoff.LINEAR, [2.0, 4.0, 6.0]),
        (dg.Backoff.EXPONENTIAL, [2.0, 6.0, 14.0]),  # ((2 ** n) - 1) * delay
    ],
)
def test_backoff_grows_the_delay_with_the_attempt(
    backoff: dg.Backoff | None, delays: list[float]
) -> None:
    policy = dg.RetryPolicy(max_retries=3, delay=2, backoff=backoff)
    assert [policy.delay_before(n) for n in (1, 2, 3)] == delays


@given(rand=st.floats(min_value=0, max_value=0.999), attempt=st.integers(1, 6))
def test_jitter_stays_within_its_documented_bounds(rand: float, attempt: int) -> None:
    delay = 1.5
    base = dg.RetryPolicy(max_retries=6, delay=delay, backoff=dg.Backoff.EXPONENTIAL)
    backed_off = base.delay_before(attempt)
    full = dg.RetryPolicy(6, delay, dg.Backoff.EXPONENTIAL, dg.Jitter.FULL)
    plus_minus = dg.RetryPolicy(6, delay, dg.Backoff.EXPONENTIAL, dg.Jitter.PLUS_MINUS)
    assert 0 <= full.delay_before(attempt, rand=rand) <= backed_off
    assert backed_off - delay <= plus_minus.delay_before(attempt, rand=rand) <= backed_off + delay


def test_backoff_without_a_delay_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="needs a `delay`"):
        dg.RetryPolicy(max_retries=2, backoff=dg.Backoff.LINEAR)


def test_retry_policy_retries_a_failing_asset() -> None:
    attempts: list[int] = []

    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=2))
    def flaky() -> int:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError("try again")
        return len(attempts)

    assert dg.materialize([flaky]).asset_value("flaky") == 3


def test_retry_requested_retries_without_a_policy() -> None:
    attempts: list[int] = []

    @dg.asset
    def asks() -> str:
        attempts.append(1)
        if len(attempts) < 2:
            raise dg.RetryRequested(max_retries=1, seconds_to_wait=0)
        return "done"

    assert dg.materialize([asks]).asset_value("asks") == "done"
    assert len(attempts) == 2


def test_retry_requested_gives_up_after_its_max_retries() -> None:
    attempts: list[int] = []

    @dg.asset
    def always() -> None:
        attempts.append(1)
        raise dg.RetryRequested(max_retries=2)

    result = dg.materialize([always], raise_on_error=False)
    assert len(attempts) == 3
    assert result.failed_keys == [dg.AssetKey("always")]


def test_failure_without_retries_is_not_retried() -> None:
    attempts: list[int] = []

    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=3))
    def refuses() -> None:
        attempts.append(1)
        raise dg.Failure(description="bad input", metadata={"rows": 0}, allow_retries=False)

    result = dg.materialize_to_memory([refuses], raise_on_error=False)
    assert len(attempts) == 1
    [failure] = result.failures
    assert isinstance(failure.error, dg.Failure)
    assert failure.error.metadata == {"rows": 0}
