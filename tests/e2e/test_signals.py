"""10. SIGINT/SIGTERM stop cleanly; 13. a reader closing stdout early (`| head`) ends the run."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

from conftest import parse_jsonl, parse_logs, popen_netchaos, read_gzip


def wait_for_size(path, minimum: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size >= minimum:
            return path.stat().st_size
        time.sleep(0.02)
    raise AssertionError(f"{path} did not reach {minimum} bytes in {timeout} s")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_stops_cleanly(tmp_path, sig):
    path = tmp_path / "continuous.jsonl"
    gz, csv_path = tmp_path / "continuous.json.gz", tmp_path / "continuous.csv"
    proc = popen_netchaos(
        "generate", "--rate", "20000", "--seed", "2", "--malformed-prob", "0", "--log-interval", "0",
        "--progress", "off", "--output", str(path), "--output", str(gz), "--output", str(csv_path),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    try:
        # The simulation first creates the sessions already running (seconds in a debug build);
        # then records are written, and the file keeps growing.
        first = wait_for_size(path, 1, timeout=120)
        at_signal = wait_for_size(path, first + 1, timeout=60)
        assert proc.poll() is None, "a continuous run ended on its own"
        proc.send_signal(sig)
        stdout, stderr_bytes = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    stderr = stderr_bytes.decode()
    assert proc.returncode == 0, stderr[-2000:]
    assert stdout == b""

    data = path.read_bytes()
    assert data.endswith(b"\n"), data[-200:]
    parsed = parse_jsonl(data)
    assert not parsed.unparseable, parsed.unparseable[:2]  # every line is a complete record
    lines = len(parsed.lines)
    # Everything written before the signal is still there, complete.
    assert len(data) >= at_signal and lines >= data[:at_signal].count(b"\n") > 0, (len(data), at_signal)
    seqs = [r["seq"] for r in parsed.records]
    assert seqs == sorted(set(seqs))

    logs = parse_logs(stderr)
    assert logs and logs[-1]["msg"] == "final summary", stderr[-2000:]
    summary = logs[-1]
    assert summary["total"] == lines
    assert [o["records"] for o in summary["outputs"]] == [lines, lines, lines]
    assert summary["outputs"][0]["bytes"] == len(data)
    assert summary["errors"] == []
    # The other outputs were flushed and closed at the same record boundary.
    assert read_gzip(gz) == data
    csv_data = csv_path.read_bytes()
    assert csv_data.endswith(b"\n") and csv_data.count(b"\n") == lines + 1


@pytest.mark.parametrize("rate", ["5000", "max"])
def test_closing_stdout_early_ends_the_run(rate):
    proc = popen_netchaos(
        "generate", "--rate", rate, "--seed", "3", "--log-interval", "0", "--progress", "off",
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(10)]
        proc.stdout.close()  # like `head -n 10` exiting
        returncode = proc.wait(timeout=30)  # the next write fails and the run ends (no bound on how fast)
        stderr = proc.stderr.read().decode()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert all(line.endswith(b"\n") for line in lines)
    assert json.loads(lines[0])["seq"] == 0
    assert returncode == 0, stderr[-2000:]
    logs = parse_logs(stderr)
    assert logs and logs[-1]["msg"] == "final summary", stderr[-2000:]
    assert logs[-1]["errors"] == [], logs[-1]
