"""Shared helpers for the end-to-end tests of the `netchaos` binary.

The binary is taken from $NETCHAOS_BIN (default: the debug build). Every helper runs it with a
clean environment: the knobs netchaos reads from the environment are removed first, so the
developer's shell cannot change what a test sees; tests pass their own environment on purpose.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import os
import re
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pytest

try:  # a faster parser when it is installed; the results are the same for our purposes
    import orjson as _orjson

    def fast_loads(data: bytes | str) -> Any:
        return _orjson.loads(data)

    JSON_ERRORS: tuple[type[Exception], ...] = (_orjson.JSONDecodeError, ValueError)
except ImportError:  # pragma: no cover
    def fast_loads(data: bytes | str) -> Any:
        return json.loads(data)

    JSON_ERRORS = (ValueError,)


DEFAULT_BIN = str(Path(__file__).resolve().parents[2] / ".build" / "debug" / "netchaos")
BIN = os.path.abspath(os.environ.get("NETCHAOS_BIN", DEFAULT_BIN))

# Every environment name netchaos maps to a configuration key (see ConfigKeys.swift).
NETCHAOS_ENV = {
    "NETCHAOS_CONFIG", "NETCHAOS_DATASET", "EPS_TARGET", "WORKER_COUNT", "NETCHAOS_COUNT",
    "NETCHAOS_DURATION", "NETCHAOS_SEED", "NETCHAOS_START_TIME", "NETCHAOS_TIME_RATE", "GENERATOR_ID",
    "NETCHAOS_OUTPUTS", "NETCHAOS_FORMAT", "NETCHAOS_ROTATE_SIZE", "NETCHAOS_GZIP_LEVEL",
    "NETCHAOS_PARQUET_COMPRESSION", "NETCHAOS_ROW_GROUP_SIZE", "NETCHAOS_VPC_VERSION", "CHAOS_MODE",
    "NETCHAOS_REFERENCE_DATA", "DUPLICATE_SETTLEMENT_PROB", "CURRENCY_MISMATCH_PROB", "IMPOSSIBLE_WIN_PROB",
    "LATENCY_SPIKE_PROB", "ERROR_RATE_PROB", "DATA_EXFIL_PROB", "MALFORMED_PROB", "DROP_PROB",
    "PORT_SCAN_ENABLED", "PORT_SCAN_INTERVAL_SEC", "PORT_SCAN_PORTS", "PORT_SCAN_SPACING_MS",
    "NETWORK_CLIENTS", "NETWORK_SERVICES", "NETWORK_EXFIL_TARGETS", "NETWORK_SCAN_SOURCES",
    "NETWORK_WINDOW", "NETWORK_DOMAIN", "NETCHAOS_END_TIME", "NETCHAOS_SHARD", "VPC_SKIPDATA_PROB", "VPC_NODATA",
    "NETCHAOS_LOG_INTERVAL", "NETCHAOS_PROGRESS", "LOG_LEVEL",
    # Seed 003's names.
    "PRODUCER_MESSAGE_COUNT", "PRODUCER_WORKERS", "PRODUCER_BUFFER_SIZE", "OUTPUT_DIRECTORY", "OUTPUT_CSV_ENABLED",
    "OUTPUT_CSV_FILENAME", "OUTPUT_CSV_BUFFER_SIZE", "OUTPUT_PARQUET_ENABLED", "OUTPUT_PARQUET_FILENAME",
    "METRICS_INTERVAL", "METRICS_DETAILED",
}

# A fixed start so timestamps are predictable: 2026-11-22T08:00:00Z.
START = 1795334400
START_ISO = "2026-11-22T08:00:00Z"

ORIGINAL_FIELDS = [
    "timestamp", "event_id", "src_ip", "dst_ip", "src_port", "dst_port", "protocol", "bytes_sent",
    "bytes_received", "latency_ms", "packets_sent", "flags", "app_layer", "tags",
]
# After the original fields, in this order (malformed_kind only on malformed records; incident_id,
# technique and stage only on records an incident produced).
EXTRA_FIELDS = ["packets_received", "start_ms", "end_ms", "session_id", "label", "anomalies", "malformed_kind", "incident_id", "technique",
                "stage", "generator_id", "seq"]
INCIDENT_FIELDS = ["incident_id", "technique", "stage"]


def extra_fields(record: dict, malformed: bool = False) -> list[str]:
    """The fields after the original ones that `record` must hold, in order."""
    return [k for k in EXTRA_FIELDS if (k != "malformed_kind" or malformed) and (k not in INCIDENT_FIELDS or "incident_id" in record)]
TAG_KEYS = ["env", "region", "security_group", "vpc_id", "account_id"]
CSV_HEADER = (
    "timestamp,event_id,src_ip,dst_ip,src_port,dst_port,protocol,bytes_sent,bytes_received,latency_ms,"
    "packets_sent,flags,app_layer.protocol,app_layer.method,app_layer.host,app_layer.status_code,tags.env,"
    "tags.region,tags.security_group,tags.vpc_id,tags.account_id,packets_received,start_ms,end_ms,session_id,"
    "label,anomalies,malformed_kind,incident_id,technique,stage,generator_id,seq"
)
# Lowest precedence first.
LABEL_PRECEDENCE = ["latency_spike", "connection_reset", "exfiltration", "port_scan", "beaconing", "brute_force", "ddos",
                    "lateral_movement", "malformed"]
LABELS = ["normal"] + LABEL_PRECEDENCE
# The classes the chaos knobs make (the other families come from scenarios).
DEFAULT_LABELS = ["normal", "latency_spike", "connection_reset", "exfiltration", "port_scan", "malformed"]
MALFORMED_KINDS = ["truncated", "wrong_type", "missing_field", "out_of_range", "bad_ip"]
TCP_FLAGS = {"SYN", "FIN", "RST", "ACK", "PSH", "URG"}
PROTOCOLS = {"TCP", "UDP", "ICMP"}
UUID4_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
SG_RE = re.compile(r"^sg-\d{6}$")

INT_FIELDS = ["timestamp", "src_port", "dst_port", "bytes_sent", "bytes_received", "latency_ms", "packets_sent"]
PORT_FIELDS = ["src_port", "dst_port"]
COUNTER_FIELDS = ["bytes_sent", "bytes_received", "latency_ms", "packets_sent"]


# Environment names of the sink, S3 and Kafka knobs: removed too.
SCRUBBED_PREFIXES = ("KAFKA_", "AWS_", "MINIO_", "S3_", "SINK_", "BATCH_", "FLUSH_INTERVAL", "LOAD_", "BACKGROUND_")


def terminate(proc: subprocess.Popen, what: str, timeout: float = 30) -> None:
    """SIGTERM, then wait; a process still running after `timeout` is killed and the test fails."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise AssertionError(f"{what} did not stop on SIGTERM")


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NETCHAOS_ENV and not k.startswith(SCRUBBED_PREFIXES)}
    if extra:
        env.update(extra)
    return env


@dataclass
class Result:
    args: list[str]
    returncode: int
    stdout: bytes
    stderr: str
    logs: list[dict] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        finals = [entry for entry in self.logs if entry.get("msg") == "final summary"]
        assert finals, f"no final summary in stderr of {self.args}:\n{self.stderr[-3000:]}"
        assert self.logs[-1] is finals[-1], "the final summary is not the last log line"
        return finals[-1]

    def output(self, name_part: str) -> dict:
        matches = [o for o in self.summary["outputs"] if name_part in o["name"]]
        assert len(matches) == 1, f"expected one output named like {name_part!r}: {self.summary['outputs']}"
        return matches[0]

    def check(self) -> "Result":
        assert self.returncode == 0, (
            f"netchaos {' '.join(self.args)} exited {self.returncode}\nstderr:\n{self.stderr[-3000:]}"
        )
        return self


def parse_logs(stderr: str) -> list[dict]:
    logs = []
    for line in stderr.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                logs.append(json.loads(line))
            except ValueError:
                pass
    return logs


def run_netchaos(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 180,
    cwd: str | os.PathLike | None = None,
    stdin: int | None = subprocess.DEVNULL,
    stdout_to: Any = None,
) -> Result:
    """Runs `netchaos <args>` (args usually start with 'generate') and waits for it."""
    argv = [BIN, *args]
    proc = subprocess.run(
        argv, stdin=stdin, stdout=subprocess.PIPE if stdout_to is None else stdout_to, stderr=subprocess.PIPE, env=clean_env(env),
        timeout=timeout, cwd=cwd,
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    return Result(list(args), proc.returncode, proc.stdout or b"", stderr, parse_logs(stderr))


def verify_json(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict]:
    """Runs `netchaos verify --json <args>`: its exit code (0 or 1, anything else fails the test)
    and its report."""
    result = run_netchaos("verify", "--json", *args, env=env)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    return result.returncode, json.loads(result.stdout)


def generate(*args: str, **kwargs: Any) -> Result:
    """`netchaos generate <args>` with periodic log lines off; asserts exit status 0."""
    return run_netchaos("generate", "--log-interval", "0", "--progress", "off", *args, **kwargs).check()


def popen_netchaos(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.Popen:
    return subprocess.Popen([BIN, *args], env=clean_env(env), **kwargs)


# --- records -------------------------------------------------------------------------------


@dataclass
class Parsed:
    """The lines of a JSONL output: parsed records, and the lines that are not JSON."""

    lines: list[bytes]
    records: list[dict | None]  # None where the line does not parse

    @property
    def parseable(self) -> list[dict]:
        return [r for r in self.records if r is not None]

    @property
    def unparseable(self) -> list[bytes]:
        return [line for line, r in zip(self.lines, self.records) if r is None]


def split_lines(data: bytes) -> list[bytes]:
    assert data == b"" or data.endswith(b"\n"), f"output does not end with a newline: ...{data[-200:]!r}"
    lines = data.split(b"\n")[:-1]
    return lines


def parse_jsonl(data: bytes) -> Parsed:
    lines = split_lines(data)
    records: list[dict | None] = []
    for line in lines:
        try:
            value = fast_loads(line)
        except JSON_ERRORS:
            value = None
        if value is not None and not isinstance(value, dict):
            raise AssertionError(f"a line parses to a non-object: {line[:200]!r}")
        records.append(value)
    return Parsed(lines, records)


def read_gzip(path: Path) -> bytes:
    with gzip.open(path, "rb") as handle:
        return handle.read()


def is_ipv4(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_int_text(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"-?\d+", value) is not None


def problems(record: dict) -> list[tuple[str, str]]:
    """Everything wrong with the 14 original fields of a record, as (category, field) pairs.

    Categories: missing_field, wrong_type, out_of_range, bad_ip, other (anything the malformed
    kinds never produce, such as a bad UUID or an unknown protocol name).
    """
    found: list[tuple[str, str]] = []
    for name in ORIGINAL_FIELDS:
        if name not in record:
            found.append(("missing_field", name))
            continue
        value = record[name]
        if name in INT_FIELDS:
            if not is_int(value):
                found.append(("wrong_type", name))
            elif name in PORT_FIELDS and not 0 <= value <= 65535:
                found.append(("out_of_range", name))
            elif name in COUNTER_FIELDS and value < 0:
                found.append(("out_of_range", name))
            elif name == "timestamp" and value < 0:
                found.append(("other", name))
        elif name in ("src_ip", "dst_ip"):
            if not isinstance(value, str):
                found.append(("wrong_type", name))
            elif not is_ipv4(value):
                found.append(("bad_ip", name))
        elif name == "event_id":
            if not isinstance(value, str):
                found.append(("wrong_type", name))
            elif not UUID4_RE.match(value):
                found.append(("other", name))
        elif name == "protocol":
            if not isinstance(value, str):
                found.append(("wrong_type", name))
            elif value not in PROTOCOLS:
                found.append(("other", name))
        elif name == "flags":
            if not isinstance(value, list) or not all(isinstance(f, str) for f in value):
                found.append(("wrong_type", name))
            elif not set(value) <= TCP_FLAGS or len(set(value)) != len(value):
                found.append(("other", name))
            elif record.get("protocol") in ("UDP", "ICMP") and value:
                found.append(("other", name))
        elif name == "app_layer":
            ok = (
                isinstance(value, dict)
                and list(value) == ["protocol", "method", "host", "status_code"]
                and all(isinstance(value[k], str) for k in ("protocol", "method", "host"))
                and is_int(value["status_code"])
            )
            if not ok:
                found.append(("wrong_type", name))
        elif name == "tags":
            ok = (
                isinstance(value, dict)
                and list(value) == TAG_KEYS
                and all(isinstance(v, str) for v in value.values())
            )
            if not ok:
                found.append(("wrong_type", name))
            elif not SG_RE.match(value["security_group"]):
                found.append(("other", name))
    return found


def expected_label(anomalies: Iterable[str]) -> str:
    best = "normal"
    for name in anomalies:
        if LABEL_PRECEDENCE.index(name) > (LABEL_PRECEDENCE.index(best) if best != "normal" else -1):
            best = name
    return best


@pytest.fixture(scope="session", autouse=True)
def _binary_exists() -> None:
    path = Path(BIN)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.exit(f"netchaos binary not found or not executable: {BIN} (set NETCHAOS_BIN)", returncode=4)
