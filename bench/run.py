"""Benchmark assetloom against Dagster on the same generated projects.

Run it with the project's virtualenv python::

    .venv/bin/python bench/run.py                      # 100, 1000, 5000, 10000 assets
    .venv/bin/python bench/run.py --sizes 100 --repeats 1 --only assetloom

For every size it generates the project twice (``bench/generate.py``), then measures, side by
side and each as the median of ``--repeats`` fresh processes, wall time and peak RSS of:

- ``load``: a fresh python that loads the defs folder and resolves the asset graph;
- ``check_yaml`` / ``list_defs`` / ``check_defs``: ``loom ...`` vs ``dg ...`` in the project root;
- ``materialize``: a fresh python that loads the defs and materializes every asset in process
  (``materialize_call`` is the time spent inside the ``materialize`` call alone).

Cold-cache cells, assetloom only: ``<cell> (no cache)`` for every cell above but
``materialize_call`` is the same run with ``LOOM_NO_CACHE=1`` in the child's environment, so
that every process parses every defs.yaml (the plain cells reuse the on-disk parse cache that
the warm-up filled); ``--no-cold`` skips them.

Floor rows, assetloom side: ``pydantic floor`` (import pydantic, define one model) and per size
``yaml parse floor`` (the same, then every event of every defs.yaml from ruamel's C parser);
the report shows each cell's time above that floor and the issue's targets. Children write
bytecode; an untimed warm-up (compileall + each command shape once) runs before timing.

Peak RSS comes from the ``wait4`` rusage of the child, which on Linux also covers the
children it waited for (max, not sum). Results go to ``<out>/<date>.json`` (every raw sample),
``<out>/<date>.md`` and ``<out>/latest.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dagster_env
import executors
import generate

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DEFAULT_OUT = BENCH_DIR / "results"
WORK_DIR = BENCH_DIR / ".work"
FRAMEWORKS = ("assetloom", "dagster")
CELLS = ("load", "check_yaml", "list_defs", "check_defs", "materialize", "materialize_call")
COMMANDS = CELLS[:-1]  # cells that are a whole process (materialize_call is a part of one)
# assetloom only: the same command with its parse cache off, i.e. parsing every defs.yaml.
NO_CACHE = " (no cache)"
COLD_CELLS = tuple(cell + NO_CACHE for cell in COMMANDS)
PYDANTIC_FLOOR = "pydantic floor"
YAML_FLOOR = "yaml parse floor"
FLOORS = ("python -c pass", "import", PYDANTIC_FLOOR, "--help")
SIZE_FLOORS = (YAML_FLOOR,)
# assetloom only: a long-lived session's reload after one defs.yaml was edited.
RELOAD = "incremental reload"
RELOAD_TARGET = 0.10  # reload time / full load time, in the same process
STDERR_TAIL = 2000

# The targets for ratio = Dagster time / assetloom time: (cell, size) -> minimum.
RATIO_TARGETS: dict[tuple[str, int], float] = {
    ("load", 1000): 15.0,
    ("load", 10000): 25.0,
    ("materialize", 1000): 30.0,
}
_RATIO_TARGETS_FROM_1000 = {"check_yaml": 10.0, "list_defs": 15.0, "check_defs": 15.0}
SCALING_TARGET = 10.0  # time(10,000) / time(1,000), every command
RSS_TARGET = 0.5  # assetloom peak RSS / Dagster's at 10,000 assets
HELP_TARGET_S = 0.150
# assetloom keeps parsed defs.yaml in <project>/.loom/cache unless this is set (to non-0).
LOOM_NO_CACHE = "LOOM_NO_CACHE"


def loom_parse_cache(env: dict[str, str]) -> str:
    """Whether the assetloom children keep their on-disk parse cache (they inherit ``env``)."""
    return "off" if env.get(LOOM_NO_CACHE, "") not in ("", "0") else "on"


def base_cell(cell: str) -> str:
    """``load`` for ``load (no cache)``: the cell a cold-cache variant is measured like."""
    return cell.removesuffix(NO_CACHE)


def ratio_target(cell: str, size: int | None) -> float | None:
    """The minimum Dagster/assetloom time ratio the issue asks for, if any (cold cells too)."""
    cell = base_cell(cell)
    if size is None:
        return None
    if cell in _RATIO_TARGETS_FROM_1000 and size >= 1000:
        return _RATIO_TARGETS_FROM_1000[cell]
    return RATIO_TARGETS.get((cell, size))


# Child scripts: argv[1] is the project root. They print one JSON line of facts on stdout.
_LOAD = {
    "assetloom": """\
import json, sys
from pathlib import Path
import assetloom as dg
defs = dg.load_from_defs_folder(project_root=Path(sys.argv[1]))
graph = defs.resolve_asset_graph()
facts = {"graph": type(graph).__name__}
keys = getattr(graph, "all_keys", None)
if keys is not None:
    facts["assets"] = len(keys() if callable(keys) else keys)
print(json.dumps(facts))
""",
    "dagster": """\
import json, sys
from pathlib import Path
import dagster as dg
defs = dg.load_from_defs_folder(path_within_project=Path(sys.argv[1]))
graph = defs.resolve_asset_graph()
print(json.dumps({"graph": type(graph).__name__, "assets": len(graph.get_all_asset_keys())}))
""",
}
_MATERIALIZE = {
    "assetloom": """\
import json, sys, time
from pathlib import Path
import assetloom as dg
defs = dg.load_from_defs_folder(project_root=Path(sys.argv[1]))
start = time.perf_counter()
result = dg.materialize(defs)
elapsed = time.perf_counter() - start
if not getattr(result, "success", True):
    sys.exit("materialize reported failure")
facts = {"call_s": elapsed}
events = getattr(result, "get_asset_materialization_events", None)
if events is not None:
    facts["materialized"] = len(events())
print(json.dumps(facts))
""",
    "dagster": """\
import json, sys, time
from pathlib import Path
import dagster as dg
defs = dg.load_from_defs_folder(path_within_project=Path(sys.argv[1]))
assets = list(defs.assets)
start = time.perf_counter()
result = dg.materialize(assets)
elapsed = time.perf_counter() - start
if not result.success:
    sys.exit("materialize reported failure")
materialized = len(result.get_asset_materialization_events())
print(json.dumps({"call_s": elapsed, "materialized": materialized}))
""",
}
# Floors (assetloom side): the least any load must spend in a fresh process. Every component
# module defines pydantic models; the YAML floor does that too, then pulls every event of every
# defs.yaml from ruamel's C parser without building values (argv[1] is the project root).
_PYDANTIC_FLOOR = """\
from pydantic import BaseModel
class EtlTable(BaseModel):
    name: str
    deps: list[str] = []
    query: str
"""
_YAML_FLOOR = (
    _PYDANTIC_FLOOR
    + """\
import json, os, sys
from ruamel.yaml.cyaml import CParser
from ruamel.yaml.events import StreamEndEvent
files = events = 0
for folder, _, names in os.walk(os.path.join(sys.argv[1], "defs")):
    if "defs.yaml" in names:
        with open(os.path.join(folder, "defs.yaml"), "rb") as f:
            parser = CParser(f.read().decode("utf-8-sig"))
        try:
            while type(parser.get_event()) is not StreamEndEvent:
                events += 1
        finally:
            parser.dispose()
        files += 1
print(json.dumps({"yaml_files": files, "yaml_events": events}))
"""
)
# argv[1] is the project root: load in a session, edit the middle defs.yaml, reload.
_RELOAD = """\
import json, sys, time
from pathlib import Path
from assetloom.loading.session import LoadSession
from assetloom.project import Project
root = Path(sys.argv[1])
start = time.perf_counter()
session = LoadSession(Project.at(root))
session.load().resolve_asset_graph()
full_load_s = time.perf_counter() - start
files = sorted((root / "defs").glob("*/defs.yaml"))
edited = files[len(files) // 2]
original = edited.read_bytes()
try:
    edited.write_bytes(original.replace(b"SELECT", b"SELECT /* edited */", 1))
    start = time.perf_counter()
    graph = session.reload().resolve_asset_graph()
    reload_s = time.perf_counter() - start
finally:
    edited.write_bytes(original)
print(json.dumps({"call_s": reload_s, "full_load_s": full_load_s, "assets": len(graph.all_keys)}))
"""
_CLI = {
    "check_yaml": ("check", "yaml"),
    "list_defs": ("list", "defs", "--json"),
    "check_defs": ("check", "defs"),
}


@dataclass
class Sample:
    wall_s: float
    maxrss_mib: float
    rc: int
    timed_out: bool
    stdout: str
    stderr_tail: str

    def as_json(self) -> dict[str, Any]:
        return {"wall_s": round(self.wall_s, 6), "maxrss_mib": round(self.maxrss_mib, 2)}


def _maxrss_mib(ru_maxrss: int) -> float:
    # Linux reports KiB, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def run_process(
    argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float | None
) -> Sample:
    """Run ``argv`` to completion; wall time, peak RSS (wait4) and output tails."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, rusage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    return Sample(
        wall_s=wall,
        maxrss_mib=_maxrss_mib(rusage.ru_maxrss),
        rc=proc.returncode,
        timed_out=timed_out.is_set(),
        stdout=stdout,
        stderr_tail=stderr[-STDERR_TAIL:],
    )


@dataclass
class Framework:
    name: str
    python: Path
    bin_dir: Path
    env: dict[str, str]
    cli: str
    # Library code without pip's bytecode (assetloom is an editable install under src/).
    compile_dirs: tuple[Path, ...] = ()

    def project_root(self, size_dir: Path) -> Path:
        return size_dir / self.name

    def env_for(self, root: Path) -> dict[str, str]:
        env = dict(self.env)
        if self.name == "dagster":
            env["PYTHONPATH"] = str(generate.dagster_src(root))
        return env


# PYTHONDONTWRITEBYTECODE would make every timed process recompile assetloom's editable src/
# and the generated project (Dagster's site-packages have pip's .pyc); users write bytecode.
_DROPPED_ENV = {"PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE"}


def _base_env(bin_dir: Path, venv_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv_dir)
    return env


def assetloom_framework() -> Framework:
    python = Path(sys.executable)
    bin_dir = python.parent
    spec = importlib.util.find_spec("assetloom")  # the harness runs on assetloom's python
    package = tuple(Path(p) for p in (spec.submodule_search_locations or [])) if spec else ()
    env = _base_env(bin_dir, Path(sys.prefix))
    return Framework("assetloom", python, bin_dir, env, "loom", compile_dirs=package)


def dagster_framework(venv_dir: Path, home: Path) -> Framework:
    dagster_env.ensure(venv_dir)
    bin_dir = venv_dir / "bin"
    env = _base_env(bin_dir, venv_dir)
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env["DAGSTER_HOME"] = str(home)
    return Framework("dagster", dagster_env.venv_python(venv_dir), bin_dir, env, "dg")


@dataclass
class CellResult:
    framework: str
    cell: str
    size: int | None
    status: str = "ok"  # ok | error | timeout | skipped
    samples: list[dict[str, Any]] = field(default_factory=list)
    detail: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def median_s(self) -> float | None:
        if self.status != "ok" or not self.samples:
            return None
        return statistics.median(s["wall_s"] for s in self.samples)

    @property
    def median_mib(self) -> float | None:
        values = [s["maxrss_mib"] for s in self.samples if s.get("maxrss_mib") is not None]
        if self.status != "ok" or not values:
            return None
        return statistics.median(values)

    def as_json(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "cell": self.cell,
            "size": self.size,
            "status": self.status,
            "median_s": self.median_s,
            "median_mib": self.median_mib,
            "samples": self.samples,
            "detail": self.detail,
            "facts": self.facts,
        }


def measure(
    fw: Framework,
    cell: str,
    size: int | None,
    argv: list[str],
    *,
    cwd: Path,
    env: dict[str, str],
    repeats: int,
    timeout: float | None,
    check_json: bool = False,
    call_cell: CellResult | None = None,
    expected: dict[str, int] | None = None,
) -> CellResult:
    """Run ``argv`` ``repeats`` times; stop at the first failure or timeout."""
    result = CellResult(fw.name, cell, size)
    for _ in range(repeats):
        sample = run_process(argv, cwd=cwd, env=env, timeout=timeout)
        if sample.timed_out:
            result.status = "timeout"
            result.detail = f"killed after {timeout:.0f} s"
            break
        if sample.rc != 0:
            result.status = "error"
            result.detail = f"exit code {sample.rc}: {sample.stderr_tail.strip()}"
            break
        facts = _facts(sample.stdout, check_json=check_json)
        if isinstance(facts, str):
            result.status = "error"
            result.detail = facts
            break
        wrong = _wrong_counts(facts, expected)
        if wrong:
            result.status = "error"
            result.detail = wrong
            break
        result.facts = facts
        result.samples.append(sample.as_json())
        if call_cell is not None and "call_s" in facts:
            extra = {"full_load_s": facts["full_load_s"]} if "full_load_s" in facts else {}
            call_cell.samples.append({"wall_s": facts["call_s"], "maxrss_mib": None, **extra})
    if call_cell is not None and result.status != "ok":
        call_cell.status, call_cell.detail = result.status, result.detail
    print(_progress(result), file=sys.stderr, flush=True)
    return result


def _wrong_counts(facts: dict[str, Any], expected: dict[str, int] | None) -> str:
    """A complaint when a child reports a different number of assets than the project has."""
    for name, want in (expected or {}).items():
        got = facts.get(name)
        if got is not None and got != want:
            return f"{name}: {got}, expected {want} (the comparison would not be like for like)"
    return ""


def _facts(stdout: str, *, check_json: bool) -> dict[str, Any] | str:
    """Facts a child reported; for ``list defs --json`` the number of assets listed."""
    text = stdout.strip()
    if check_json:
        try:
            data = json.loads(text)
        except ValueError as exc:
            return f"stdout is not JSON ({exc}): {text[:300]!r}"
        assets = data.get("assets") if isinstance(data, dict) else data
        return {"assets_listed": len(assets)} if isinstance(assets, list) else {}
    last = text.splitlines()[-1] if text else ""
    try:
        facts = json.loads(last)
    except ValueError:
        return {}
    return facts if isinstance(facts, dict) else {}


def _progress(result: CellResult) -> str:
    size = "" if result.size is None else f" n={result.size}"
    if result.status != "ok":
        return f"  {result.framework:9} {result.cell}{size}: {result.status} {result.detail[:200]}"
    times = ", ".join(f"{s['wall_s']:.3f}" for s in result.samples)
    return (
        f"  {result.framework:9} {result.cell}{size}: median {result.median_s:.3f} s "
        f"[{times}] {result.median_mib or 0:.0f} MiB"
    )


def compile_bytecode(fw: Framework, dirs: list[Path], timeout: float) -> None:
    """Write the .pyc an import would write (timestamp-checked) for every module under ``dirs``."""
    if not dirs:
        return
    argv = [str(fw.python), "-m", "compileall", "-q", "--invalidation-mode", "timestamp"]
    sample = run_process([*argv, *map(str, dirs)], cwd=REPO_ROOT, env=fw.env, timeout=timeout)
    if sample.rc != 0 or sample.timed_out:
        tail = (sample.stdout + sample.stderr_tail).strip()[-500:]
        print(f"  {fw.name:9} compileall failed (rc {sample.rc}): {tail}", file=sys.stderr)


def warm_up(
    fw: Framework, runs: list[list[str]], *, cwd: Path, env: dict[str, str], timeout: float
) -> None:
    """Run every command shape once, untimed: .pyc written, files in the page cache."""
    start = time.perf_counter()
    for argv in runs:
        run_process(argv, cwd=cwd, env=env, timeout=timeout)
    elapsed = time.perf_counter() - start
    print(f"  {fw.name:9} warm-up: {len(runs)} untimed runs, {elapsed:.1f} s", file=sys.stderr)


def measure_floors(
    fw: Framework, repeats: int, timeout: float, *, warmup: bool = True
) -> list[CellResult]:
    module = "assetloom" if fw.name == "assetloom" else "dagster"
    runs = {
        "python -c pass": [str(fw.python), "-c", "pass"],
        "import": [str(fw.python), "-c", f"import {module}"],
    }
    if fw.name == "assetloom":
        runs[PYDANTIC_FLOOR] = [str(fw.python), "-c", _PYDANTIC_FLOOR]
    runs["--help"] = [str(fw.bin_dir / fw.cli), "--help"]
    if warmup:
        compile_bytecode(fw, list(fw.compile_dirs), timeout)
        warm_up(fw, list(runs.values()), cwd=REPO_ROOT, env=fw.env, timeout=timeout)
    return [
        measure(fw, name, None, argv, cwd=REPO_ROOT, env=fw.env, repeats=repeats, timeout=timeout)
        for name, argv in runs.items()
    ]


def measure_size(
    fw: Framework,
    size: int,
    size_dir: Path,
    *,
    repeats: int,
    timeout: float,
    materialize_limit: float,
    skip_materialize: str | None,
    warmup: bool,
    floor_repeats: int = 1,
    expected: dict[str, int] | None = None,
    cold: bool = False,
    executors_too: bool = True,
) -> list[CellResult]:
    """Every cell at one size; with ``cold`` (assetloom only) each YAML-reading command is
    measured a second time, right after its warm run, with the parse cache off."""
    root = fw.project_root(size_dir)
    env = fw.env_for(root)
    # The cache is off in this environment: it neither reads nor writes the warm runs' cache.
    cold_env = {**env, LOOM_NO_CACHE: "1"} if cold and fw.name == "assetloom" else None
    py = str(fw.python)
    load_argv = [py, "-c", _LOAD[fw.name], str(root)]
    cli = str(fw.bin_dir / fw.cli)
    yaml_floor_argv = [py, "-c", _YAML_FLOOR, str(root)] if fw.name == "assetloom" else None
    if warmup:
        # Bytecode for the library and the generated project, then every timed shape once
        # (materialize imports nothing beyond load that lacks .pyc: its library modules are
        # compiled here or by pip, and Dagster's materialize alone takes minutes).
        compile_bytecode(fw, [*fw.compile_dirs, root], timeout)
        shapes = [load_argv, *([cli, *args] for args in _CLI.values())]
        if yaml_floor_argv:
            shapes.append(yaml_floor_argv)
        warm_up(fw, shapes, cwd=root, env=env, timeout=timeout)
        if cold_env is not None:
            warm_up(fw, shapes[: 1 + len(_CLI)], cwd=root, env=cold_env, timeout=timeout)
    results = []

    def timed(cell: str, argv: list[str], **kwargs: Any) -> None:
        """The cell, then (with ``cold``) its cold-cache variant, measured the same way."""
        options = {"cwd": root, "repeats": repeats, "expected": expected, "timeout": timeout}
        options.update(kwargs)
        results.append(measure(fw, cell, size, argv, env=env, **options))
        if cold_env is not None:
            options.pop("call_cell", None)  # the materialize call parses nothing
            results.append(measure(fw, cell + NO_CACHE, size, argv, env=cold_env, **options))

    if yaml_floor_argv:
        results.append(
            measure(
                fw,
                YAML_FLOOR,
                size,
                yaml_floor_argv,
                cwd=root,
                env=env,
                repeats=floor_repeats,
                timeout=timeout,
                expected=expected,
            )
        )
    timed("load", load_argv)
    for cell, args in _CLI.items():
        timed(cell, [cli, *args], check_json=cell == "list_defs")
    call = CellResult(fw.name, "materialize_call", size)
    if skip_materialize:
        mat = CellResult(fw.name, "materialize", size, status="skipped", detail=skip_materialize)
        call.status, call.detail = mat.status, mat.detail
        print(_progress(mat), file=sys.stderr, flush=True)
        results.append(mat)
    else:
        materialize_argv = [py, "-c", _MATERIALIZE[fw.name], str(root)]
        timed("materialize", materialize_argv, timeout=materialize_limit, call_cell=call)
    results.append(call)
    if not skip_materialize and executors_too:
        for cell, argv in executors.commands(fw.name, py, root, size).items():
            run_only = CellResult(fw.name, cell + executors.CALL, size)
            results.append(measure(fw, cell, size, argv, cwd=root, env=env, repeats=repeats,
                                   timeout=materialize_limit, expected=expected,
                                   call_cell=run_only))  # fmt: skip
            results.append(run_only)
    if fw.name == "assetloom":
        reload = CellResult(fw.name, RELOAD, size)
        reload_argv = [py, "-c", _RELOAD, str(root)]
        options = {"repeats": repeats, "timeout": timeout, "expected": expected}
        measure(fw, f"{RELOAD} (process)", size, reload_argv, cwd=root, env=env, call_cell=reload,
                **options)  # fmt: skip
        results.append(reload)
    return results


def _predict_skip(previous: list[tuple[int, CellResult]], size: int, limit: float) -> str | None:
    """Skip Dagster's materialize when a smaller size already shows it would exceed the limit."""
    if not previous:
        return None
    prev_size, prev = previous[-1]
    if prev.status in {"timeout", "skipped"}:
        return f"skipped: {prev_size} assets already {prev.status}"
    if prev.median_s is None:
        return None
    predicted = prev.median_s * size / prev_size
    if predicted > limit:
        return f"skipped: predicted {predicted:.0f} s > limit {limit:.0f} s"
    return None


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["mem_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return info


def versions(frameworks: list[Framework]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    out["assetloom_commit"] = git.stdout.strip() or None
    for fw in frameworks:
        dist = "assetloom" if fw.name == "assetloom" else "dagster"
        code = f"import importlib.metadata as m; print(m.version({dist!r}))"
        proc = subprocess.run(
            [str(fw.python), "-c", code], capture_output=True, text=True, env=fw.env, check=False
        )
        out[fw.name] = proc.stdout.strip() or None
    return out


def _fmt_s(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _fmt_mib(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _status_text(result: CellResult | None) -> str:
    if result is None:
        return "-"
    if result.status == "ok":
        return _fmt_s(result.median_s)
    return {"timeout": f"timeout ({result.detail})", "skipped": "skipped"}.get(
        result.status, result.status
    )


def _ratio(ours: CellResult | None, theirs: CellResult | None) -> float | None:
    if ours and theirs and ours.median_s and theirs.median_s:
        return theirs.median_s / ours.median_s
    return None


def _mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def _median(by_key: dict[Any, CellResult], cell: str, size: int | None) -> float | None:
    result = by_key.get(("assetloom", cell, size))
    return result.median_s if result else None


def _targets_list(by_key: dict[Any, CellResult], sizes: list[int]) -> list[str]:
    """The issue's targets that are not a per-cell ratio, with a verdict for each."""
    lines = ["", "Other targets (assetloom):", ""]
    help_s = _median(by_key, "--help", None)
    verdict = "-" if help_s is None else f"{help_s * 1000:.0f} ms {_mark(help_s < HELP_TARGET_S)}"
    lines.append(f"- `loom --help` < {HELP_TARGET_S * 1000:.0f} ms: {verdict}")

    label = f"- time(10,000) / time(1,000) ≤ {SCALING_TARGET:g} for every command:"
    if 1000 in sizes and 10000 in sizes:
        parts = []
        for cell in COMMANDS:
            small, big = _median(by_key, cell, 1000), _median(by_key, cell, 10000)
            if small and big:
                parts.append(f"{cell} {big / small:.1f} {_mark(big / small <= SCALING_TARGET)}")
            else:
                parts.append(f"{cell} -")
        lines.append(f"{label} " + ", ".join(parts))
    else:
        lines.append(f"{label} not measured (needs sizes 1000 and 10000)")

    label = "- peak RSS at 10,000 ≤ half of Dagster's (assetloom MiB / Dagster MiB):"
    if 10000 in sizes:
        parts = []
        for cell in COMMANDS:
            ours = by_key.get(("assetloom", cell, 10000))
            theirs = by_key.get(("dagster", cell, 10000))
            mine = ours.median_mib if ours else None
            other = theirs.median_mib if theirs else None
            if mine and other:
                share = mine / other
                parts.append(
                    f"{cell} {mine:.0f}/{other:.0f} = {share:.2f} {_mark(share <= RSS_TARGET)}"
                )
            else:
                parts.append(f"{cell} -")
        lines.append(f"{label} " + ", ".join(parts))
    else:
        lines.append(f"{label} not measured (needs size 10000)")

    if 1000 in sizes and 10000 in sizes:
        parts = []
        for cell in CELLS:
            at_1k, at_10k = (
                by_key.get(("dagster", cell, 1000)),
                by_key.get(("dagster", cell, 10000)),
            )
            if at_1k and at_10k and at_1k.median_s and at_10k.median_s:
                parts.append(f"{cell} {at_10k.median_s / at_1k.median_s:.1f}")
        if parts:
            lines.append(
                "- for comparison, Dagster's time(10,000) / time(1,000): " + ", ".join(parts)
            )
    return lines


# Which nested floor row bounds each assetloom cell from below (see "Where the time goes").
_FLOOR_CHAIN = ("python -c pass", PYDANTIC_FLOOR, YAML_FLOOR)


def cell_floor(cell: str, parse_cache: str) -> str:
    """The floor row of an assetloom cell. Commands load components (pydantic models); only
    those that parse the YAML (cold cells, or every cell when the cache is off) are bounded by
    the YAML parse floor, since a warm cache hands back parsed files."""
    if cell in ("import", "--help"):
        return "python -c pass"
    if cell.endswith(NO_CACHE) or parse_cache == "off":
        return YAML_FLOOR
    return PYDANTIC_FLOOR


def _floor_section(
    by_key: dict[Any, CellResult], sizes: list[int], *, parse_cache: str
) -> list[str]:
    if parse_cache == "on":
        which = (
            " The parse cache decides which floor applies: a plain cell (warm cache) gets "
            "parsed files back instead of parsing them, so its floor stops at the pydantic "
            "floor; a `(no cache)` cell parses every defs.yaml, so the YAML parse floor bounds "
            "it, and that is where the YAML parse share is paid."
        )
    else:
        which = (
            f" The parse cache was off for every cell (`{LOOM_NO_CACHE}=1`), so every command "
            "parses every defs.yaml and is bounded by the YAML parse floor."
        )
    lines = [
        "",
        "## Where the time goes",
        "",
        "Floor = the median time of a fresh python doing only what the cell cannot avoid: "
        "starting (`python -c pass`), plus importing pydantic and defining one model "
        "(`pydantic floor`; every component module does that), plus pulling every event of "
        "every defs.yaml from ruamel's C parser (`yaml parse floor`, which does the pydantic "
        "floor's work first) for the commands that parse the YAML; each share below is the "
        "difference of two of those nested medians, and above floor = time - floor "
        "(`materialize_call` runs inside a process, so it has no such floor and is left out)."
        + which,
        "",
        "| cell | size | time s | python start | + pydantic | + YAML parse | floor s "
        "| above floor s | time / floor |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    rows: list[tuple[str, int | None]] = [("import", None), ("--help", None)]
    rows += [(c, size) for size in sizes for cell in COMMANDS for c in (cell, cell + NO_CACHE)]
    for cell, size in rows:
        result = by_key.get(("assetloom", cell, size))
        if result is None:
            continue
        chain = _FLOOR_CHAIN[: _FLOOR_CHAIN.index(cell_floor(cell, parse_cache)) + 1]
        medians = [_median(by_key, row, size if row == YAML_FLOOR else None) for row in chain]
        shares = ["", "", ""]
        previous = 0.0
        for i, value in enumerate(medians):
            shares[i] = _fmt_s(None if value is None else value - previous)
            previous = value or 0.0
        floor = medians[-1] if None not in medians else None
        time_s = result.median_s
        above = ratio = "-"
        if time_s is not None and floor:
            above, ratio = _fmt_s(time_s - floor), f"{time_s / floor:.1f}x"
        lines.append(
            f"| {cell} | {'-' if size is None else size} | {_status_text(result)} "
            f"| {' | '.join(shares)} | {_fmt_s(floor)} | {above} | {ratio} |"
        )
    return lines


def _ratio_row(
    by_key: dict[Any, CellResult], cell: str, size: int | None, *, dagster_cell: str
) -> tuple[str, str, str, str, str]:
    """assetloom s, dagster s, ratio, target, met for one row of a comparison table."""
    ours, theirs = (
        by_key.get(("assetloom", cell, size)),
        by_key.get(("dagster", dagster_cell, size)),
    )
    ratio = _ratio(ours, theirs)
    target = ratio_target(cell, size)
    met = "" if target is None else ("-" if ratio is None else _mark(ratio >= target))
    return (
        _status_text(ours),
        _status_text(theirs),
        "-" if ratio is None else f"{ratio:.1f}x",
        "" if target is None else f"≥{target:g}x",
        met,
    )


def _cold_section(
    by_key: dict[Any, CellResult], sizes: list[int], *, parse_cache: str, cold: bool
) -> list[str]:
    """assetloom with its parse cache off against the same Dagster runs."""
    lines = ["", "## Without the parse cache", ""]
    if parse_cache == "off":
        return [*lines, f"The table above already is (`{LOOM_NO_CACHE}=1` was set for the run)."]
    rows = [(cell, size) for size in sizes for cell in COMMANDS]
    rows = [(c, n) for c, n in rows if ("assetloom", c + NO_CACHE, n) in by_key]
    if not rows:
        reason = "`--no-cold`" if not cold else "no assetloom cold-cache cells"
        return [*lines, f"Not measured in this run ({reason})."]
    lines += [
        "The table above is assetloom with its parse cache warm, as from a user's second "
        "command on; here each assetloom process runs with "
        f"`{LOOM_NO_CACHE}=1` and parses every defs.yaml, as after a fresh checkout or an edit "
        "of every file (Dagster parses every time, so its column is the one above).",
        "",
        "| cell | size | assetloom s (no cache) | dagster s | ratio | target | met |",
        "|---|---:|---:|---:|---:|---:|:---:|",
    ]
    for cell, size in rows:
        cells = _ratio_row(by_key, cell + NO_CACHE, size, dagster_cell=cell)
        lines.append(f"| {cell} | {size} | {' | '.join(cells)} |")
    return lines


def _reload_section(by_key: dict[Any, CellResult], sizes: list[int]) -> list[str]:
    measured = [(size, by_key[("assetloom", RELOAD, size)]) for size in sizes
                if ("assetloom", RELOAD, size) in by_key]  # fmt: skip
    if not measured:
        return []
    lines = [
        "",
        f"## {RELOAD.capitalize()}",
        "",
        "assetloom only: one process loads the project in a `LoadSession` (the full load: "
        "imports, every file, the graph), one `defs.yaml` is edited, and `session.reload()` "
        "returns the new, validated graph. Target: the reload takes at most "
        f"{RELOAD_TARGET:.0%} of the full load.",
        "",
        "| size | reload s | full load s | reload / full load | target | met |",
        "|---:|---:|---:|---:|---:|:---:|",
    ]
    for size, result in measured:
        fulls = [s["full_load_s"] for s in result.samples if "full_load_s" in s]
        reload_s = result.median_s
        full_s = statistics.median(fulls) if fulls and result.status == "ok" else None
        share = reload_s / full_s if reload_s is not None and full_s else None
        met = "-" if share is None else _mark(share <= RELOAD_TARGET)
        shown = "-" if share is None else f"{share:.1%}"
        lines.append(
            f"| {size} | {_fmt_s(reload_s)} | {_fmt_s(full_s)} | {shown} "
            f"| {RELOAD_TARGET:.0%} | {met} |"
        )
    return lines


def render_markdown(report: dict[str, Any], results: list[CellResult]) -> str:
    by_key = {(r.framework, r.cell, r.size): r for r in results}
    args = report["args"]
    sizes = args["sizes"]
    floor_repeats = args.get("floor_repeats")
    parse_cache = args.get("loom_parse_cache", "on")
    lines = [
        f"# assetloom vs Dagster — {report['date']}",
        "",
        f"Machine: {report['machine'].get('cpu', '?')}, {report['machine'].get('cpus')} CPUs, "
        f"{report['machine'].get('mem_gib', '?')} GiB, {report['machine']['platform']}, "
        f"Python {report['machine']['python']}.",
        f"Versions: assetloom {report['versions'].get('assetloom') or 'not measured'} "
        f"(commit {report['versions'].get('assetloom_commit')}), "
        f"Dagster {report['versions'].get('dagster') or 'not measured'}.",
        *(
            [
                "Dagster's cells come from earlier runs of this harness on the same machine "
                f"(same Dagster version): {', '.join(report['dagster_from'])}; assetloom's "
                "from this run (`bench/combine.py`)."
            ]
            if report.get("dagster_from")
            else []
        ),
        f"Median of {args['repeats']} fresh processes per cell"
        + (f" ({floor_repeats} for the floor rows)" if floor_repeats else "")
        + " (wall seconds, peak RSS MiB); ratio = Dagster time / assetloom time; "
        "target = the issue's minimum ratio, met = whether this run reaches it "
        "(`-`: a side is missing).",
        f"Reproduce: `{report['command']}`",
        "",
        "Cells: `load` = fresh python loading the defs folder and resolving the asset graph; "
        "`check_yaml`, `list_defs` (`--json`), `check_defs` = `loom` vs `dg` in the project root; "
        "`materialize` = fresh python loading the defs and materializing every asset in process, "
        "`materialize_call` = the `materialize` call alone. Sizes count generated tables "
        "(plus one downstream asset and 10 external sources). Floor rows (assetloom only): "
        "`pydantic floor` = fresh python importing pydantic and defining one small model; "
        "`yaml parse floor` = the same, then pulling every event of every defs.yaml of the "
        "project from ruamel's C parser (no values built).",
        "Processes write and use bytecode (`PYTHONDONTWRITEBYTECODE` is not passed on)"
        + (
            "; before timing, an untimed warm-up compiles assetloom's package and each generated "
            "project and runs each command shape once (materialize excepted; for the "
            "`(no cache)` cells also once with the cache off)."
            if args.get("warmup", True)
            else "; this run had no warm-up (`--no-warmup`), so first samples may compile."
        ),
        (
            "assetloom's on-disk parse cache (`<project>/.loom/cache`) is on, as for a user, and "
            "the warm-up fills it: in the table below, timed assetloom commands reuse the parsed "
            'defs.yaml files; "Without the parse cache" has the same commands with '
            f"`{LOOM_NO_CACHE}=1`, parsing every file."
            if parse_cache == "on"
            else f"assetloom's parse cache is off (`{LOOM_NO_CACHE}=1`): every timed command "
            "parses every defs.yaml."
        ),
        "",
        "| cell | size | assetloom s | dagster s | ratio | target | met "
        "| assetloom MiB | dagster MiB |",
        "|---|---:|---:|---:|---:|---:|:---:|---:|---:|",
    ]
    rows: list[tuple[str, int | None]] = [(floor, None) for floor in FLOORS]
    rows += [(cell, size) for size in sizes for cell in (*CELLS, *SIZE_FLOORS)]
    for cell, size in rows:
        ours, theirs = by_key.get(("assetloom", cell, size)), by_key.get(("dagster", cell, size))
        if ours is None and theirs is None:
            continue
        cells = _ratio_row(by_key, cell, size, dagster_cell=cell)
        lines.append(
            f"| {cell} | {'-' if size is None else size} | {' | '.join(cells)} "
            f"| {_fmt_mib(ours.median_mib if ours else None)} "
            f"| {_fmt_mib(theirs.median_mib if theirs else None)} |"
        )
    lines += _targets_list(by_key, sizes)
    lines += _cold_section(by_key, sizes, parse_cache=parse_cache, cold=args.get("cold", True))
    lines += _reload_section(by_key, sizes)
    lines += executors.section(by_key, sizes, _fmt_s, _mark, args.get("materialize_limit"))
    lines += _floor_section(by_key, sizes, parse_cache=parse_cache)
    problems = [r for r in results if r.status in {"error", "timeout"}]
    if problems:
        lines += ["", "## Errors and timeouts", ""]
        for r in problems:
            detail = r.detail.strip().replace("\n", " ")[-500:]
            lines.append(f"- {r.framework} {r.cell} n={r.size}: {r.status}: `{detail}`")
    return "\n".join(lines) + "\n"


def write_report(out: Path, report: dict[str, Any], results: list[CellResult]) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    report = {**report, "results": [r.as_json() for r in results]}
    json_path = out / f"{report['date']}.json"
    json_path.write_text(json.dumps(report, indent=1) + "\n")
    markdown = render_markdown(report, results)
    (out / f"{report['date']}.md").write_text(markdown)
    (out / "latest.md").write_text(markdown)
    return json_path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="100,1000,5000,10000", help="comma-separated numbers of generated tables"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", choices=("assetloom", "dagster", "both"), default="both")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--work",
        type=Path,
        default=WORK_DIR,
        help="where projects are generated (default bench/.work)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--materialize-limit",
        type=float,
        default=600.0,
        help="seconds before a materialize run is killed (Dagster's is also "
        "skipped when a smaller size predicts it would exceed this)",
    )
    parser.add_argument(
        "--timeout", type=float, default=1800.0, help="seconds before any other run is killed"
    )
    parser.add_argument(
        "--help-repeats",
        type=int,
        default=10,
        help="samples for the floor rows (python -c pass, import, pydantic floor, --help, "
        "yaml parse floor)",
    )
    parser.add_argument("--dagster-venv", type=Path, default=dagster_env.DEFAULT_VENV)
    parser.add_argument(
        "--no-cold",
        action="store_true",
        help=f"skip the cold-cache variants of assetloom's cells ({LOOM_NO_CACHE}=1)",
    )
    parser.add_argument(
        "--no-executors",
        action="store_true",
        help="skip the executor cells (multiprocess, Dask): Dagster's multiprocess run of "
        "1,000 assets alone takes more than 18 minutes",
    )
    parser.add_argument(
        "--no-warmup",
        action="store_true",
        help="skip the untimed warm-up (compileall, one run of each command shape)",
    )
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.work = args.work.resolve()  # the children run in the project folder
    args.out = args.out.resolve()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    return args


def main(argv: list[str] | None = None) -> Path:
    args = parse_args(argv)
    command = "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv)
    frameworks: list[Framework] = []
    if args.only in {"assetloom", "both"}:
        frameworks.append(assetloom_framework())
    if args.only in {"dagster", "both"}:
        frameworks.append(dagster_framework(args.dagster_venv, args.work / "dagster-home"))
    parse_cache = loom_parse_cache(dict(os.environ))
    # With the cache already off every cell is cold: the variants would measure the same thing.
    cold = not args.no_cold and parse_cache == "on"
    report: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "command": command.strip(),
        "machine": machine_info(),
        "versions": versions(frameworks),
        "args": {
            "sizes": args.sizes,
            "repeats": args.repeats,
            "only": args.only,
            "seed": args.seed,
            "materialize_limit": args.materialize_limit,
            "timeout": args.timeout,
            "floor_repeats": args.help_repeats,
            "warmup": not args.no_warmup,
            "loom_parse_cache": parse_cache,
            "cold": cold,
        },
    }
    results: list[CellResult] = []
    print("floors", file=sys.stderr)
    for fw in frameworks:
        results += measure_floors(fw, args.help_repeats, args.timeout, warmup=not args.no_warmup)
    json_path = write_report(args.out, report, results)
    dagster_materialize: list[tuple[int, CellResult]] = []
    for size in args.sizes:
        size_dir = args.work / "projects" / f"n{size}-s{args.seed}"
        spec = generate.generate(size, size_dir, args.seed)
        report.setdefault("projects", {})[str(size)] = {
            "dir": str(size_dir),
            "assets": len(spec.asset_keys),
            "external_assets": len(spec.external_keys),
            "folders": len(spec.folders),
        }
        print(f"size {size}: {len(spec.asset_keys)} assets in {size_dir}", file=sys.stderr)
        for fw in frameworks:
            skip = None
            if fw.name == "dagster":
                skip = _predict_skip(dagster_materialize, size, args.materialize_limit)
            cells = measure_size(
                fw,
                size,
                size_dir,
                repeats=args.repeats,
                timeout=args.timeout,
                materialize_limit=args.materialize_limit,
                skip_materialize=skip,
                executors_too=not args.no_executors,
                warmup=not args.no_warmup,
                floor_repeats=args.help_repeats,
                expected={
                    "assets": len(spec.asset_keys) + len(spec.external_keys),
                    "assets_listed": len(spec.asset_keys) + len(spec.external_keys),
                    "materialized": len(spec.asset_keys),
                    "yaml_files": len(spec.folders),
                },
                cold=cold,
            )
            if fw.name == "dagster":
                mat = next(c for c in cells if c.cell == "materialize")
                dagster_materialize.append((size, mat))
            results += cells
            json_path = write_report(args.out, report, results)
    report["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    json_path = write_report(args.out, report, results)
    print(f"wrote {json_path} and {args.out / 'latest.md'}", file=sys.stderr)
    return json_path


if __name__ == "__main__":
    main()
