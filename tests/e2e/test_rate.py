"""9. Pacing: records arrive at the configured rate."""

from __future__ import annotations

import bisect
import itertools
import math
import os
import subprocess
import time

from conftest import START, parse_jsonl, parse_logs, popen_netchaos, run_netchaos


def test_rate_20000_over_sliding_windows():
    rate, duration, window = 20_000, 12.0, 10.0
    proc = popen_netchaos(
        "generate", "--rate", str(rate), "--duration", f"{duration:g}s", "--seed", "6", "--log-interval", "0",
        "--progress", "off", stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    started = time.monotonic()
    times: list[float] = []
    counts: list[int] = []
    tail = b""
    try:
        fd = proc.stdout.fileno()
        while True:
            data = os.read(fd, 1 << 20)
            now = time.monotonic()
            if not data:
                break
            newlines = data.count(b"\n")
            if newlines:
                times.append(now - started)
                counts.append(newlines)
            tail = data[-1:]
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=10) == 0, stderr[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert tail == b"\n"
    cumulative = list(itertools.accumulate(counts))
    total = cumulative[-1]

    def arrived(a: float, b: float) -> int:
        i, j = bisect.bisect_left(times, a), bisect.bisect_left(times, b)
        return (cumulative[j - 1] if j else 0) - (cumulative[i - 1] if i else 0)

    expected = rate * window
    # Windows start every 0.5 s after a 0.5 s warm-up and must end within the run.
    report = {}
    start = 0.5
    while start + window <= duration + 1e-9:
        got = arrived(start, start + window)
        report[start] = got
        start += 0.5
    assert len(report) >= 4, report
    bad = {s: n for s, n in report.items() if abs(n - expected) > 0.02 * expected}
    assert not bad, f"10 s windows off by more than 2% of {expected:.0f}: {bad} (all: {report})"

    # The whole run: duration x rate, and the summary agrees with what was read.
    assert abs(total - rate * duration) <= 0.02 * rate * duration, total
    logs = parse_logs(stderr)
    summary = logs[-1]
    assert summary["msg"] == "final summary"
    assert summary["total"] == total
    assert summary["outputs"][0]["records"] == total
    assert summary["elapsed_sec"] <= duration + 0.5


def test_low_rate():
    started = time.monotonic()
    result = run_netchaos("generate", "--rate", "5", "--duration", "3s", "--seed", "1", "--start-time", str(START),
                          "--log-interval", "0", timeout=30).check()
    elapsed = time.monotonic() - started
    parsed = parse_jsonl(result.stdout)
    assert 14 <= len(parsed.lines) <= 16, len(parsed.lines)
    # The last record is due at 2.8 s; the run may end there, or at the 3 s deadline.
    assert 2.7 <= elapsed <= 5, elapsed
    assert result.summary["total"] == len(parsed.lines)
    # Event time follows the rate: 5 events per simulated second.
    for record in parsed.parseable:
        assert record["timestamp"] == math.floor(START + record["seq"] / 5), record
