"""JSON logs on stderr: one object per line, periodic throughput lines, and the final summary."""

from __future__ import annotations

import json

import pytest

from conftest import run_netchaos

SUMMARY_KEYS = {"msg", "total", "labels", "outputs", "errors", "dropped", "average_rate"}


def stderr_objects(stderr: str) -> list[dict]:
    objects = []
    for line in stderr.splitlines():
        value = json.loads(line)  # every stderr line is a JSON object
        assert isinstance(value, dict) and "msg" in value and "level" in value, line
        objects.append(value)
    return objects


@pytest.mark.parametrize("how", ["flag", "env"])
def test_periodic_lines_and_summary(how):
    args = ["generate", "--rate", "20000", "--duration", "1.3s", "--progress", "off"]
    env = None
    if how == "flag":
        args += ["--log-interval", "0.25"]
    else:
        env = {"NETCHAOS_LOG_INTERVAL": "0.25"}
    result = run_netchaos(*args, env=env, timeout=30).check()
    logs = stderr_objects(result.stderr)
    assert logs[0]["msg"] == "generation started"
    periodic = [entry for entry in logs if entry["msg"] == "throughput"]
    assert 3 <= len(periodic) <= 6, [entry["msg"] for entry in logs]
    totals = [entry["total"] for entry in periodic]
    assert totals == sorted(totals) and totals[0] > 0
    summary = logs[-1]
    assert summary["msg"] == "final summary"
    assert SUMMARY_KEYS <= set(summary), summary
    lines = result.stdout.count(b"\n")
    assert summary["total"] == lines
    assert sum(summary["labels"].values()) == lines
    assert summary["outputs"] == [{"bytes": len(result.stdout), "files": [], "name": "stdout(jsonl)",
                                   "records": lines}]
    assert summary["errors"] == []
    assert abs(summary["average_rate"] - 20000) < 1000, summary["average_rate"]


def test_log_interval_zero_means_no_periodic_lines():
    result = run_netchaos("generate", "--rate", "20000", "--duration", "1s", "--log-interval", "0",
                          "--progress", "off", timeout=30).check()
    logs = stderr_objects(result.stderr)
    assert [entry["msg"] for entry in logs] == ["generation started", "final summary"]
