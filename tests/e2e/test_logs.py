"""JSON logs on stderr: one object per line, periodic throughput lines, and the final summary."""

from __future__ import annotations

import json

import pytest

from conftest import LABELS, run_netchaos

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
    # 40,000 records at a flat 20,000/s: at least 2 s, however fast the startup is.
    rate, count = 20_000, 40_000
    start = 1795334400  # 2026-11-22T08:00:00Z
    args = ["generate", "--rate", str(rate), "--load-curve", "off", "--count", str(count), "--progress", "off",
            "--start-time", str(start)]
    env = None
    if how == "flag":
        args += ["--log-interval", "0.25"]
    else:
        env = {"NETCHAOS_LOG_INTERVAL": "0.25"}
    result = run_netchaos(*args, env=env, timeout=180).check()
    logs = stderr_objects(result.stderr)
    assert logs[0]["msg"] == "generation started"
    summary = logs[-1]
    assert summary["msg"] == "final summary"
    periodic = [entry for entry in logs if entry["msg"] == "throughput"]
    assert [entry["msg"] for entry in logs[1:-1]] == ["throughput"] * len(periodic)
    # One line every 0.25 s of the run (the last interval may end with the run).
    elapsed = summary["elapsed_sec"]
    assert 3 <= len(periodic) <= elapsed / 0.25 + 1, (len(periodic), elapsed)
    times = [entry["elapsed_sec"] for entry in periodic]
    assert times == sorted(times) and times[-1] <= elapsed
    totals = [entry["total"] for entry in periodic]
    assert totals == sorted(totals) and totals[-1] <= count
    for entry in periodic:
        assert set(entry["labels"]) == set(LABELS), entry
        assert sum(entry["labels"].values()) == entry["total"], entry
        assert entry["current_rate"] >= 0 and entry["dropped"] >= 0
    assert SUMMARY_KEYS <= set(summary), summary
    lines = result.stdout.count(b"\n")
    assert summary["total"] == lines == count
    assert set(summary["labels"]) == set(LABELS) and sum(summary["labels"].values()) == lines
    assert summary["outputs"] == [{"bytes": len(result.stdout), "files": [], "name": "stdout(jsonl)",
                                   "records": lines}]
    assert summary["errors"] == []
    # Records are never written ahead of their time: the run's clock (from its first records) has
    # reached the event time of the last one. (The average is the network's own rate over these
    # two seconds, which varies by a few percent around the rate asked.)
    assert abs(summary["average_rate"] - lines / elapsed) <= 0.01 * summary["average_rate"] + 1, summary
    ends = []
    for line in result.stdout.splitlines()[-200:]:
        try:
            ends.append(int(json.loads(line)["end_ms"]))
        except (ValueError, KeyError, TypeError):
            continue  # a record broken on purpose
    last_end = max(ends)
    assert last_end / 1000 - start <= elapsed + 0.25, (last_end / 1000 - start, elapsed)
    assert summary["average_rate"] <= rate * 1.1, summary["average_rate"]


def test_log_interval_zero_means_no_periodic_lines():
    result = run_netchaos("generate", "--rate", "20000", "--duration", "1s", "--log-interval", "0",
                          "--progress", "off", timeout=30).check()
    logs = stderr_objects(result.stderr)
    assert [entry["msg"] for entry in logs] == ["generation started", "final summary"]
