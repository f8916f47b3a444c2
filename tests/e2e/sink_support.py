"""moto (S3 with signature checks) for the sink tests, a TCP proxy to take it away and bring it
back, and helpers that read what the sink stored."""
from __future__ import annotations

import gzip
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import BIN, clean_env, fast_loads, JSON_ERRORS

ROOT = Path(__file__).resolve().parents[2]
KEY_RE = re.compile(
    r"^ingest/topic=(?P<topic>[^/]+)/dt=\d{4}-\d{2}-\d{2}/hour=\d{2}/partition=(?P<partition>\d+)/"
    r"(?P=topic)\+(?P=partition)\+(?P<offset>\d{20})\.json\.gz$"
)
DLQ_RE = re.compile(r"^dlq/topic=(?P<topic>[^/]+)/partition=(?P<partition>\d+)/(?P=topic)\+(?P=partition)\+(?P<offset>\d{20})\.json\.gz$")
# The generator's malformed kinds and the sink's reasons for them.
REASON_OF_KIND = {
    "truncated": "invalid_json", "wrong_type": "wrong_type", "missing_field": "missing_field",
    "out_of_range": "out_of_range", "bad_ip": "bad_ip",
}


class Moto:
    """scripts/moto_server.py: moto_server on a free port with SigV4 checks on, and its keys."""

    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "moto_server.py")], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        ready, _, _ = select.select([self.proc.stdout], [], [], 90)
        assert ready, "moto_server.py printed nothing within 90 s"
        line = self.proc.stdout.readline().decode()
        assert line.startswith("{"), f"moto_server.py: {line!r} {self.proc.stderr.read1(4000).decode() if self.proc.poll() is not None else ''}"
        info = json.loads(line)
        self.endpoint = info["endpoint"]
        self.access_key = info["access_key_id"]
        self.secret_key = info["secret_access_key"]
        self.port = int(self.endpoint.rsplit(":", 1)[1])

    def client(self):
        import boto3
        from botocore.config import Config
        return boto3.client(
            "s3", endpoint_url=self.endpoint, aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key,
            region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
        )

    def env(self, endpoint: str | None = None) -> dict[str, str]:
        """The original sink's MinIO names."""
        return {
            "MINIO_ENDPOINT": endpoint or self.endpoint, "MINIO_ACCESS_KEY": self.access_key,
            "MINIO_SECRET_KEY": self.secret_key,
        }

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target port; `down()` closes the listener and every open
    connection (clients get refused connections), `up()` listens again on the same port."""

    def __init__(self, target_port: int):
        self.target = target_port
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.listener: socket.socket | None = None
        self.up()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self):
        with self.lock:
            listener, self.listener = self.listener, None
            sockets, self.sockets = self.sockets, set()
        if listener:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self.lock:
                if self.listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self.sockets |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def stored_keys(s3, bucket: str, prefix: str) -> set[str]:
    """The keys under `prefix` (empty when the bucket does not exist yet)."""
    keys = set()
    token = None
    while True:
        kwargs = {"Bucket": bucket, "Prefix": prefix}
        if token:
            kwargs["ContinuationToken"] = token
        try:
            page = s3.list_objects_v2(**kwargs)
        except s3.exceptions.NoSuchBucket:
            return keys
        keys |= {entry["Key"] for entry in page.get("Contents", [])}
        if not page.get("IsTruncated"):
            return keys
        token = page["NextContinuationToken"]


def stored_objects(s3, bucket: str, prefix: str) -> dict[str, bytes]:
    """Every object under `prefix`: key -> body."""
    objects = {}
    token = None
    while True:
        kwargs = {"Bucket": bucket, "Prefix": prefix}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        for entry in page.get("Contents", []):
            objects[entry["Key"]] = s3.get_object(Bucket=bucket, Key=entry["Key"])["Body"].read()
        if not page.get("IsTruncated"):
            return objects
        token = page["NextContinuationToken"]


def records_in(objects: dict[str, bytes]) -> list[dict]:
    """The JSON records of gzipped NDJSON objects, in key order."""
    records = []
    for key in sorted(objects):
        for line in gzip.decompress(objects[key]).decode().splitlines():
            records.append(json.loads(line))
    return records


def reference(seed: int, count: int, extra: list[str] | None = None) -> tuple[list[dict], list[str]]:
    """What the generator writes for this seed: the valid records, and the malformed lines."""
    from conftest import run_netchaos, START_ISO
    out = run_netchaos("generate", "--rate", "max", "--count", str(count), "--seed", str(seed), "--start-time", START_ISO,
                       "--log-interval", "0", "--progress", "off", *(extra or [])).check().stdout
    valid, malformed = [], []
    for line in out.decode().splitlines():
        try:
            record = fast_loads(line)
        except JSON_ERRORS:
            malformed.append(line)
            continue
        (malformed if "malformed_kind" in record else valid).append(record if "malformed_kind" not in record else line)
    return valid, malformed


def identity(record: dict) -> tuple[str, int]:
    return record["generator_id"], record["seq"]


def start_sink(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen([BIN, "sink", *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=clean_env(env))


def finish(proc: subprocess.Popen, timeout: float = 180) -> tuple[int, list[dict], str]:
    """Waits for a sink process; its exit code, JSON log lines and stderr."""
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"sink did not finish within {timeout} s:\n{err.decode()[-3000:]}")
    text = err.decode("utf-8", "replace")
    logs = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                logs.append(json.loads(line))
            except ValueError:
                pass
    return proc.returncode, logs, text


def summary_of(logs: list[dict]) -> dict:
    finals = [entry for entry in logs if entry.get("msg") == "final summary"]
    assert finals, f"no final summary in {logs[-5:]}"
    return finals[-1]


def wait_until(condition, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")
