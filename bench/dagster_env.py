"""Create (once) the virtualenv that holds the Dagster version we compare against.

Dagster is never a dependency of assetloom: it lives in its own virtualenv under
``bench/.work/`` (gitignored) and is only run as a subprocess by the harness.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import venv
from pathlib import Path

DAGSTER_VERSION = "1.13.27"
PACKAGES = (f"dagster=={DAGSTER_VERSION}", f"dagster-dg-cli=={DAGSTER_VERSION}")
WORK_DIR = Path(__file__).resolve().parent / ".work"
DEFAULT_VENV = WORK_DIR / "dagster-venv"
_MARKER = "assetloom-bench.json"


def venv_python(venv_dir: Path) -> Path:
    return venv_dir / "bin" / "python"


def venv_bin(venv_dir: Path, name: str) -> Path:
    return venv_dir / "bin" / name


def is_ready(venv_dir: Path = DEFAULT_VENV) -> bool:
    marker = venv_dir / _MARKER
    if not marker.is_file() or not venv_python(venv_dir).is_file():
        return False
    try:
        return json.loads(marker.read_text()).get("packages") == list(PACKAGES)
    except (OSError, ValueError):
        return False


def ensure(venv_dir: Path = DEFAULT_VENV, *, quiet: bool = False) -> Path:
    """Return the venv directory, creating it and installing Dagster on first use."""
    if is_ready(venv_dir):
        return venv_dir
    if not quiet:
        print(f"creating Dagster virtualenv at {venv_dir} ...", file=sys.stderr)
    venv.EnvBuilder(with_pip=True, clear=True).create(venv_dir)
    py = str(venv_python(venv_dir))
    pip = [py, "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        pip.append("--quiet")
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, *PACKAGES], check=True)
    (venv_dir / _MARKER).write_text(json.dumps({"packages": list(PACKAGES)}))
    return venv_dir


def installed_version(venv_dir: Path = DEFAULT_VENV) -> str | None:
    if not venv_python(venv_dir).is_file():
        return None
    proc = subprocess.run(
        [str(venv_python(venv_dir)), "-c", "import dagster; print(dagster.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    args = parser.parse_args(argv)
    path = ensure(args.venv)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
