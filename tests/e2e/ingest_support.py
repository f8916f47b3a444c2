"""Processes for the ingester's end-to-end tests: `netchaos ingest`, a pull-mode generator, and
a real redis-server, each on a free port, stopped at the end."""
from __future__ import annotations

import json
import os
import select
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

from conftest import BIN, clean_env, parse_logs, terminate


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


# Only keeps a hung request from hanging the test: a debug build on a busy machine may take many
# seconds to list 200,000 switches.
HTTP_TIMEOUT = 120


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def post(url: str, body: bytes, content_type: str = "application/json", token: str | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Process:
    """A netchaos process whose JSON logs are read as they come."""

    @staticmethod
    def command() -> list[str]:
        return [BIN]

    @staticmethod
    def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
        return clean_env(extra)

    def __init__(self, args: list[str], env: dict[str, str] | None = None):
        self.proc = subprocess.Popen([BIN, *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     env=clean_env(env))
        self.text = b""

    def read(self) -> list[dict]:
        while True:
            ready, _, _ = select.select([self.proc.stderr], [], [], 0)
            if not ready:
                break
            chunk = os.read(self.proc.stderr.fileno(), 65536)
            if not chunk:
                break
            self.text += chunk
        return parse_logs(self.text.decode(errors="replace"))

    def wait_for(self, message: str, timeout: float = 30) -> dict:
        def found():
            if self.proc.poll() is not None:
                self.read()
                raise AssertionError(f"{message!r} never came: the process exited {self.proc.returncode}: {self.text[-2000:]!r}")
            return next((e for e in self.read() if e.get("msg") == message), None)
        return wait_until(found, timeout, message)

    def stop(self) -> int:
        terminate(self.proc, "the process")
        self.read()
        return self.proc.returncode


class Ingester(Process):
    def __init__(self, *args: str, env: dict[str, str] | None = None):
        # Reports live 30 s of wall-clock time by default: longer here, so that a loaded machine's
        # pause between a write and a read never expires what a test reads back.
        super().__init__(["ingest", "--port", "0", "--host", "127.0.0.1", *args], {"INGEST_REPORT_TTL": "1h", **(env or {})})
        listening = self.wait_for("ingest listening")
        self.url = f"http://127.0.0.1:{listening['http.port']}"


class RedisProcess:
    def __init__(self, password: str | None = None):
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed (make test installs it)"
        self.port = free_port()
        self.binary = binary
        self.password = password
        self.start()

    def start(self):
        self.proc = subprocess.Popen([self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                      *(["--requirepass", self.password] if self.password else [])],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def accepts():
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return True
            except OSError:
                return False
        wait_until(accepts, 10, "redis-server to accept connections")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def list_metrics(base: str) -> list[dict]:
    status, _, body = get(base + "/telemetry/ListMetrics")
    assert status == 200, body
    return json.loads(body)
