"""The generated schema, proved with independent clients: the ``check-jsonschema`` CLI and
the real ``yaml-language-server`` (installed by ``scripts/install-yaml-language-server.sh``),
driven over stdio with LSP JSON-RPC as an editor would."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

import pytest

from assetloom.loading.registry import ComponentRegistry
from assetloom.project import Project
from assetloom.schema.generate import SchemaSet

from .conftest import GOOD_DEFS, MakeProject

REPO = Path(__file__).resolve().parents[2]
SERVER_JS = "node_modules/yaml-language-server/bin/yaml-language-server"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def write_schemas(root: Path) -> Path:
    files = SchemaSet.for_registry(ComponentRegistry(Project.at(root))).files()
    folder = root / "schemas"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder / "defs.schema.json"


# --- check-jsonschema ---------------------------------------------------------------------

BROKEN_VARIANTS = {
    "deps_not_a_list": GOOD_DEFS.replace("deps: [transactions]", "deps: 5"),
    "unknown_item_key": GOOD_DEFS.replace("deps: [customers]", "dep: [customers]"),
    "misspelt_attribute": GOOD_DEFS.replace("  etl_tables:", "  etl_table:"),
    "misspelt_top_level": GOOD_DEFS.replace("attributes:", "atributes:"),
    "unknown_type": GOOD_DEFS.replace("EtlTableFactory", "EtlTableFactry"),
    "missing_query": GOOD_DEFS.replace("      query: select * from customers\n", ""),
    "no_type": GOOD_DEFS.replace("type:", "kind:"),
}


@pytest.fixture
def check_jsonschema() -> str:
    found = CHECK_JSONSCHEMA if CHECK_JSONSCHEMA.exists() else shutil.which("check-jsonschema")
    if not found:
        pytest.fail("check-jsonschema is not installed (it is in the `dev` extra)")
    return str(found)


def test_check_jsonschema_accepts_the_good_file_and_templates(
    make_project: MakeProject, check_jsonschema: str
) -> None:
    templated = GOOD_DEFS.replace("deps: [customers]", 'deps: "{{ upstream_keys }}"')
    root = make_project({"defs/a/defs.yaml": GOOD_DEFS, "defs/b/defs.yaml": templated})
    schema = write_schemas(root)
    for file in ("defs/a/defs.yaml", "defs/b/defs.yaml"):
        proc = subprocess.run(
            [check_jsonschema, "--schemafile", str(schema), str(root / file)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("variant", sorted(BROKEN_VARIANTS))
def test_check_jsonschema_rejects_broken_variants(
    make_project: MakeProject, check_jsonschema: str, variant: str
) -> None:
    root = make_project({"defs/a/defs.yaml": BROKEN_VARIANTS[variant]})
    schema = write_schemas(root)
    proc = subprocess.run(
        [check_jsonschema, "--schemafile", str(schema), str(root / "defs/a/defs.yaml")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Schema validation errors were encountered" in proc.stdout + proc.stderr


@pytest.mark.skipif(
    not (REPO / "defs").is_dir() or not (REPO / "schemas" / "defs.schema.json").is_file(),
    reason="the example project or its committed schemas/ are not in this checkout",
)
def test_check_jsonschema_accepts_the_example_project(check_jsonschema: str) -> None:
    files = sorted(str(p) for p in (REPO / "defs").rglob("defs.yaml"))
    assert files
    schema = REPO / "schemas" / "defs.schema.json"
    # check-jsonschema reads one document per file: give it each document on its own.
    for file in files:
        proc = subprocess.run(
            [check_jsonschema, "--schemafile", str(schema), file],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if "expected a single document" in proc.stdout + proc.stderr:
            continue
        assert proc.returncode == 0, proc.stdout + proc.stderr


# --- yaml-language-server -----------------------------------------------------------------


def find_server() -> Path | None:
    """The installed server's entry script (``$YAML_LANGUAGE_SERVER`` overrides)."""
    override = os.environ.get("YAML_LANGUAGE_SERVER")
    candidates = [Path(override)] if override else [REPO / ".ci" / SERVER_JS]
    return next((c for c in candidates if c.is_file()), None)


@pytest.fixture(scope="module")
def server_script() -> Path:
    if shutil.which("node") is None:
        pytest.skip("node is not installed, so yaml-language-server cannot run")
    found = find_server()
    if found is None:
        message = (
            "yaml-language-server is not installed: run "
            "`bash scripts/install-yaml-language-server.sh`"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


class LspClient:
    """Just enough of an LSP client: requests, notifications, and answers to the server's own
    requests (``workspace/configuration`` asks for the YAML settings)."""

    def __init__(self, script: Path, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.proc = subprocess.Popen(
            ["node", str(script), "--stdio"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._next_id = 0
        assert self.proc.stdout is not None
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if line == b"":
                return
            self.messages.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        self._next_id += 1
        self._send({"id": self._next_id, "method": method, "params": params})
        message = self.wait(lambda m: m.get("id") == self._next_id and "method" not in m, timeout)
        return message.get("result")

    def wait(self, matches: Any, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                break
            if "method" in message and "id" in message:
                self._answer(message)
            elif matches(message):
                return message
        raise AssertionError("yaml-language-server did not answer in time")

    def _answer(self, message: dict[str, Any]) -> None:
        result: Any = None
        if message["method"] == "workspace/configuration":
            items = message["params"]["items"]
            result = [self.settings.get(i.get("section", ""), None) for i in items]
        self._send({"id": message["id"], "result": result})

    def diagnostics(self, uri: str, text: str) -> list[dict[str, Any]]:
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        message = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        return list(message["params"]["diagnostics"])

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except (AssertionError, subprocess.TimeoutExpired, BrokenPipeError):
            self.proc.kill()
            self.proc.wait()
        finally:
            for stream in (self.proc.stdin, self.proc.stdout):
                if stream is not None:
                    stream.close()


def test_yaml_language_server_reports_the_broken_line(
    make_project: MakeProject, server_script: Path
) -> None:
    modeline = "# yaml-language-server: $schema=../../schemas/defs.schema.json\n"
    broken = modeline + GOOD_DEFS.replace("deps: [transactions]", "deps: 5")
    misspelt = modeline + GOOD_DEFS.replace("  etl_tables:", "  etl_table:")
    good = modeline + GOOD_DEFS
    root = make_project(
        {"defs/bad/defs.yaml": broken, "defs/good/defs.yaml": good, "defs/typo/defs.yaml": misspelt}
    )
    write_schemas(root)
    settings = {"yaml": {"validate": True, "hover": True, "completion": True, "schemas": {}}}
    client = LspClient(server_script, settings)
    try:
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": {"workspace": {"configuration": True}},
            },
        )
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": settings})

        bad = client.diagnostics((root / "defs/bad/defs.yaml").as_uri(), broken)
        # LSP lines are 0-based: `deps: 5` is on line 6 of the file (after the modeline).
        assert [(d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in bad] == [
            (5, 12)
        ], bad
        assert "array" in bad[0]["message"].lower(), bad

        typo = client.diagnostics((root / "defs/typo/defs.yaml").as_uri(), misspelt)
        lines = sorted({d["range"]["start"]["line"] for d in typo})
        assert 3 in lines, typo  # `etl_table:` is not allowed
        assert any("etl_table" in d["message"] for d in typo), typo

        assert client.diagnostics((root / "defs/good/defs.yaml").as_uri(), good) == []
    finally:
        client.close()
