"""Every executor runs a plan the same way: same materializations, same skips, same retries,
time limits and blocking checks, and a failing step — even one that ends its process — fails
alone while independent assets still run.

The multiprocess executor runs real worker processes (forked here, since the definitions are
built in memory); the Dask executor a real ``LocalCluster`` with worker processes.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import assetloom as dg
from assetloom.errors import LoomError
from assetloom.execution.events import RunEvent, StepRetried
from assetloom.execution.executors import executor_named
from assetloom.execution.executors.backend import Executor
from assetloom.execution.io_managers import FilesystemIOManager
from assetloom.execution.result import ExecuteInProcessResult

K = dg.AssetKey

try:
    import distributed  # noqa: F401

    HAS_DASK = True
except ImportError:  # the `dask` extra is optional
    HAS_DASK = False

needs_dask = pytest.mark.skipif(not HAS_DASK, reason="dask[distributed] is not installed")


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    """One real cluster (2 worker processes) for the module's Dask runs."""
    if not HAS_DASK:
        pytest.skip("dask[distributed] is not installed")
    import dask
    from distributed import LocalCluster

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
    ):
        yield cluster.scheduler_address


EXECUTORS = ["in_process", "multiprocess", pytest.param("dask", marks=needs_dask)]


@pytest.fixture
def executor(request: pytest.FixtureRequest) -> Executor:
    name: str = request.param
    if name == "dask":
        return executor_named("dask", dask_address=request.getfixturevalue("dask_address"))
    return executor_named(name, max_concurrent=2)


def run(
    assets: list[dg.AssetsDefinition] | dg.Definitions,
    executor: Executor,
    storage: Path,
    observer: Callable[[RunEvent], None] | None = None,
    **kwargs: object,
) -> ExecuteInProcessResult:
    return dg.materialize(
        assets,
        executor=executor,
        io_manager=FilesystemIOManager(storage),
        raise_on_error=False,
        observer=observer,
        **kwargs,  # type: ignore[arg-type]
    )


def no_op_graph(size: int) -> list[dg.AssetsDefinition]:
    """``size`` no-op assets, each depending on up to two earlier ones."""
    assets = []
    for i in range(size):
        deps = [f"a{j}" for j in (i // 2, i // 3) if j < i]

        @dg.asset(name=f"a{i}", deps=sorted(set(deps)))
        def no_op() -> int:
            return 1

        assets.append(no_op)
    return assets


@pytest.mark.parametrize("executor", EXECUTORS, indirect=True)
def test_200_no_op_assets_give_the_same_materializations(
    executor: Executor, tmp_path: Path
) -> None:
    result = run(no_op_graph(200), executor, tmp_path)
    assert result.success
    assert sorted(m.asset_key for m in result.materializations) == sorted(
        K(f"a{i}") for i in range(200)
    )
    assert result.asset_value("a199") == 1


def _failing_and_independent() -> list[dg.AssetsDefinition]:
    @dg.asset
    def calls_sys_exit() -> None:
        sys.exit(3)

    @dg.asset
    def calls_os_exit() -> None:
        os._exit(4)

    @dg.asset
    def unpicklable() -> threading.Lock:
        return threading.Lock()

    @dg.asset(deps=[calls_os_exit])
    def after_os_exit() -> None: ...

    @dg.asset
    def independent() -> str:
        return "fine"

    @dg.asset
    def downstream_of_independent(independent: str) -> str:
        return independent + "!"

    return [
        calls_sys_exit,
        calls_os_exit,
        unpicklable,
        after_os_exit,
        independent,
        downstream_of_independent,
    ]


@pytest.mark.parametrize("executor", EXECUTORS, indirect=True)
def test_an_asset_that_exits_or_returns_an_unpicklable_value_fails_alone(
    executor: Executor, tmp_path: Path
) -> None:
    result = run(_failing_and_independent(), executor, tmp_path)
    summaries = sorted(f.summary for f in result.failures)
    assert summaries[0].startswith("asset `calls_os_exit` failed: StepExited: ")
    assert "os._exit" in summaries[0] or "exited with code 4" in summaries[0]
    assert summaries[1] == (
        "asset `calls_sys_exit` failed: StepExited: the asset called sys.exit(3)"
    )
    assert summaries[2].startswith(
        "asset `unpicklable` failed: TypeError: the value of `unpicklable` (lock) cannot be "
        "stored: cannot pickle"
    )
    assert result.skipped_keys == [K("after_os_exit")]
    assert result.succeeded_keys == [K("downstream_of_independent"), K("independent")]
    assert result.asset_value("downstream_of_independent") == "fine!"


@pytest.mark.parametrize("executor", EXECUTORS, indirect=True)
def test_retries_wait_and_then_succeed_on_every_executor(
    executor: Executor, tmp_path: Path
) -> None:
    attempts = tmp_path / "attempts"

    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=2, delay=0.05))
    def flaky() -> int:
        with attempts.open("a") as fh:
            fh.write("x")
        if len(attempts.read_text()) < 3:
            raise ConnectionError("try again")
        return 7

    events: list[RunEvent] = []
    result = run([flaky], executor, tmp_path / "storage", events.append)
    assert result.success
    assert result.asset_value("flaky") == 7
    retried = [e for e in events if isinstance(e, StepRetried)]
    assert [(e.attempt, e.error.summary) for e in retried] == [
        (1, "ConnectionError: try again"),
        (2, "ConnectionError: try again"),
    ]


@pytest.mark.parametrize("executor", EXECUTORS, indirect=True)
def test_a_step_past_its_time_limit_fails_and_the_rest_run(
    executor: Executor, tmp_path: Path
) -> None:
    @dg.asset(tags={"assetloom/timeout": "0.3"})
    def spins() -> None:
        while True:
            pass

    @dg.asset
    def other() -> int:
        return 1

    started = time.monotonic()
    result = run([spins, other], executor, tmp_path)
    assert time.monotonic() - started < 10
    assert [f.summary for f in result.failures] == [
        "asset `spins` failed: StepTimedOut: timed out after 0.3s"
    ]
    assert result.succeeded_keys == [K("other")]


@pytest.mark.parametrize("executor", EXECUTORS, indirect=True)
def test_the_run_wide_step_timeout_applies_to_every_step(
    executor: Executor, tmp_path: Path
) -> None:
    @dg.asset
    def spins() -> None:
        while True:
            pass

    result = run([spins], executor, tmp_path, step_timeout=0.2)
    assert [f.summary for f in result.failures] == [
        "asset `spins` failed: StepTimedOut: timed out after 0.2s"
    ]


@pytest.mark.parametrize("executor", EXECUTORS, indirect=True)
def test_a_failed_blocking_check_skips_downstream_on_every_executor(
    executor: Executor, tmp_path: Path
) -> None:
    @dg.asset
    def orders() -> list[int]:
        return []

    @dg.asset_check(asset=orders, blocking=True)
    def not_empty(orders: list[int]) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=bool(orders))

    @dg.asset
    def report(orders: list[int]) -> int:
        return len(orders)

    @dg.asset
    def unrelated() -> int:
        return 1

    result = run(
        dg.Definitions(assets=[orders, report, unrelated], asset_checks=[not_empty]),
        executor,
        tmp_path,
    )
    assert result.skipped_keys == [K("report")]
    assert result.succeeded_keys == [K("orders"), K("unrelated")]


def test_an_asset_starts_when_its_own_upstreams_finished_not_level_by_level(
    tmp_path: Path,
) -> None:
    """``quick_child`` waits only for ``quick``; level by level it would wait for ``slow``."""
    finished = tmp_path / "finished"

    def mark(name: str) -> None:
        with finished.open("a") as fh:
            fh.write(name + "\n")

    @dg.asset
    def slow() -> None:
        time.sleep(1.0)
        mark("slow")

    @dg.asset
    def quick() -> None:
        mark("quick")

    @dg.asset(deps=[quick])
    def quick_child() -> None:
        mark("quick_child")

    @dg.asset(deps=[slow, quick_child])
    def last() -> None:
        mark("last")

    executor = executor_named("multiprocess", max_concurrent=2)
    assert run([slow, quick, quick_child, last], executor, tmp_path / "s").success
    assert finished.read_text().split() == ["quick", "quick_child", "slow", "last"]


@pytest.mark.parametrize("name", ["multiprocess", pytest.param("dask", marks=needs_dask)])
def test_executors_in_other_processes_refuse_an_in_memory_io_manager(name: str) -> None:
    @dg.asset
    def a() -> int:
        return 1

    with pytest.raises(LoomError, match=f"(?i)the {name} executor runs steps in other"):
        dg.materialize([a], executor=executor_named(name))


@needs_dask
def test_without_an_address_the_dask_executor_starts_its_own_local_cluster(
    tmp_path: Path,
) -> None:
    @dg.asset
    def pid() -> int:
        return os.getpid()

    result = run([pid], executor_named("dask", max_concurrent=2), tmp_path)
    assert result.success
    assert result.asset_value("pid") != os.getpid()


def test_a_multiprocess_step_stuck_in_native_code_past_its_limit_loses_its_worker(
    tmp_path: Path,
) -> None:
    """``time.sleep`` holds the thread in C, where the time limit's exception cannot land;
    the worker is killed a grace period later, and the next step gets a fresh one."""

    @dg.asset(tags={"assetloom/timeout": "0.2"})
    def sleeps() -> None:
        time.sleep(60)

    @dg.asset(deps=[sleeps])
    def after() -> None: ...

    @dg.asset
    def other() -> int:
        return 1

    started = time.monotonic()
    result = run([sleeps, after, other], executor_named("multiprocess", max_concurrent=1), tmp_path)
    assert time.monotonic() - started < 10
    assert [f.summary for f in result.failures] == [
        "asset `sleeps` failed: StepTimedOut: timed out after 0.2s (stuck; its worker was killed)"
    ]
    assert result.skipped_keys == [K("after")]
    assert result.succeeded_keys == [K("other")]


@pytest.mark.parametrize("executor", EXECUTORS, indirect=True)
def test_log_lines_and_metadata_reach_the_observer_from_any_process(
    executor: Executor, tmp_path: Path
) -> None:
    @dg.asset
    def counted(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        context.log.info("counted 3 rows")
        return dg.MaterializeResult(metadata={"rows": 3})

    events: list[RunEvent] = []
    assert run([counted], executor, tmp_path, events.append).success
    seen = [(e.kind, getattr(e, "message", None) or getattr(e, "metadata", None)) for e in events]
    assert ("log_message", "counted 3 rows") in seen
    assert ("asset_materialized", {"rows": 3}) in seen
