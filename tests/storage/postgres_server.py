"""A throwaway PostgreSQL server on loopback, from the Debian binaries, for storage tests.

Used two ways: the ``postgres_url`` fixture starts one when ``LOOM_TEST_POSTGRES_URL`` is not
set, and ``.ci/run`` runs ``python tests/storage/postgres_server.py start|stop DIR`` around the
whole suite. PostgreSQL refuses to run as root, so as root the server runs as the ``postgres``
user (``runuser``).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
from pathlib import Path

URL_ENV = "LOOM_TEST_POSTGRES_URL"
USER = "loom"


class ServerUnavailable(Exception):
    """Why no server could be started here (the tests print it when they skip)."""


def binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ServerUnavailable("PostgreSQL is not installed (no initdb; apt-get install postgresql)")


def start(base: Path) -> str:
    """Start a server with its data and socket under ``base``; returns its admin URL."""
    bin_dir = binaries()
    base.mkdir(parents=True, exist_ok=True)
    run_as = _run_as(base)
    port = _free_port()
    data = base / "data"
    _run(
        [
            *run_as,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]
    )
    options = f"-h 127.0.0.1 -p {port} -k {base} -F -c max_connections=200"
    _run(
        [
            *run_as,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(base / "server.log"),
            "-w",
            "-t",
            "30",
            "start",
        ]
    )
    url = f"postgresql+psycopg://{USER}@127.0.0.1:{port}/postgres"
    (base / "url").write_text(url)
    return url


def stop(base: Path) -> None:
    data = base / "data"
    if (data / "postmaster.pid").exists():
        _run(
            [
                *_run_as(base),
                str(binaries() / "pg_ctl"),
                "-D",
                str(data),
                "-m",
                "immediate",
                "-w",
                "stop",
            ]
        )
    shutil.rmtree(base, ignore_errors=True)


def _run_as(base: Path) -> list[str]:
    if os.geteuid() != 0:
        return []
    try:
        owner = pwd.getpwnam("postgres")
    except KeyError:
        raise ServerUnavailable("running as root and there is no `postgres` user") from None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise ServerUnavailable("running as root and there is no runuser to drop privileges")
    os.chown(base, owner.pw_uid, owner.pw_gid)
    return [runuser, "-u", "postgres", "--"]


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip().splitlines()
        raise ServerUnavailable(f"`{Path(command[-1]).name}` failed: {' / '.join(output[-3:])}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


if __name__ == "__main__":
    action, folder = sys.argv[1], Path(sys.argv[2])
    try:
        if action == "start":
            print(start(folder))
        else:
            stop(folder)
    except ServerUnavailable as why:
        print(f"PostgreSQL unavailable: {why}", file=sys.stderr)
        sys.exit(1)
