"""3. Anomaly shares: each chaos knob is the share of the records that carry its anomaly.

Latency spikes and resets happen to the sessions of degraded and failing services, incidents of
minutes each, and exfiltration to sessions of minutes: the records are not independent draws, so
their shares are checked on a million records spread over a simulated day (12 records per
simulated second), within 20% of the knob for the service incidents and 15% for exfiltration, not
within a binomial standard error. Malformed and dropped records
are drawn per record and keep the binomial bound. Port scans are as frequent, relative to the
traffic, whatever --time-rate is.
"""

from __future__ import annotations

import math

import pytest

from conftest import JSON_ERRORS, fast_loads, generate

# 2026-11-29T14:00:00Z (a Sunday afternoon): a fixed start, so the load curves are predictable.
START = 1795960800  # 2026-11-29T14:00:00Z, a Sunday afternoon
N = 1_000_000
SPIKE, RESET, EXFIL, MALFORMED, DROP = 0.05, 0.02, 0.01, 0.01, 0.01
RELATIVE = 0.15


def assert_binomial(name: str, hits: int, n: int, p: float, k: float = 5) -> None:
    share = hits / n
    se = math.sqrt(p * (1 - p) / n)
    assert abs(share - p) <= k * se, (
        f"{name}: share {share:.6f} ({hits}/{n}) is {abs(share - p) / se:.1f} SE from {p} (SE {se:.6f})"
    )


def assert_near(name: str, hits: int, n: int, p: float, relative: float = RELATIVE) -> None:
    share = hits / n
    assert abs(share - p) <= relative * p, f"{name}: share {share:.5f} ({hits}/{n}) is not within {relative:.0%} of {p}"


def test_anomaly_shares(tmp_path):
    path = tmp_path / "shares.jsonl"
    result = generate(
        "--count", str(N), "--rate", "max", "--time-rate", "12", "--seed", "2024", "--start-time", str(START),
        "--latency-spike-prob", str(SPIKE), "--error-rate-prob", str(RESET), "--data-exfil-prob", str(EXFIL),
        "--malformed-prob", str(MALFORMED), "--drop-prob", str(DROP),
        "--output", str(path),
    )
    lines = truncated = malformed = parsed = 0
    spike = reset = exfil = 0
    last_seq = -1
    last_seq_line = -1
    try:
        with open(path, "rb") as handle:
            for lines, line in enumerate(handle, 1):
                try:
                    record = fast_loads(line)
                except JSON_ERRORS:
                    truncated += 1
                    malformed += 1
                    continue
                parsed += 1
                anomalies = record["anomalies"]
                seq = record["seq"]
                assert seq > last_seq
                last_seq, last_seq_line = seq, lines
                malformed += "malformed" in anomalies
                spike += "latency_spike" in anomalies
                reset += "connection_reset" in anomalies
                exfil += "exfiltration" in anomalies
    finally:
        path.unlink(missing_ok=True)

    assert lines == N
    assert result.summary["total"] == N
    assert result.output("shares.jsonl")["records"] == N
    assert 0 < truncated < malformed

    # Per incident and per session: within 20% and 15% of the knob (over a day, a few hundred
    # incidents of the busiest servers and the quietest weigh differently).
    assert_near("latency_spike", spike, parsed, SPIKE, 0.2)
    assert_near("connection_reset", reset, parsed, RESET, 0.2)
    assert_near("exfiltration", exfil, parsed, EXFIL)
    # Per record: binomial.
    assert_binomial("malformed", malformed, N, MALFORMED)
    assert result.summary["labels"]["malformed"] == malformed

    # Drops: the gaps in seq over the slots up to the last record that parses.
    slots = last_seq + 1
    gaps = slots - last_seq_line
    assert_binomial("drop", gaps, slots, DROP)
    if last_seq_line == N:
        assert result.summary["dropped"] == gaps


# Five ports every 0.05 s of event time at 5000 records/s: 5 / (5000 * 0.05) = 2% of the records.
SCAN_PORTS, SCAN_INTERVAL = 5, 0.05
SCAN_SHARE = SCAN_PORTS / (5000 * SCAN_INTERVAL)


def scan_share(time_rate: int, end: str) -> tuple[int, int]:
    result = generate(
        "--rate", "max", "--time-rate", str(time_rate), "--end-time", end, "--seed", "12", "--start-time", str(START),
        "--scan-ports", str(SCAN_PORTS), "--scan-interval", str(SCAN_INTERVAL), "--malformed-prob", "0", "--drop-prob", "0",
    )
    records = 0
    probes = 0
    for line in result.stdout.splitlines():
        records += 1
        probes += b'"port_scan"' in line and "port_scan" in fast_loads(line)["anomalies"]
    return probes, records


def test_scan_share_does_not_depend_on_time_rate():
    """About 110,000 records at 100 and at 1000 records per simulated second (20 and 2 minutes)."""
    slow_probes, slow_records = scan_share(100, "+20m")
    fast_probes, fast_records = scan_share(1000, "+2m")
    assert slow_records > 80_000 and fast_records > 80_000, (slow_records, fast_records)
    # Scans come ten times as often in the busier network: about 480 and 480 of them.
    assert 300 <= slow_probes / SCAN_PORTS <= 700, slow_probes
    assert 300 <= fast_probes / SCAN_PORTS <= 700, fast_probes
    slow, fast = slow_probes / slow_records, fast_probes / fast_records
    assert_near("port_scan at 100/s", slow_probes, slow_records, SCAN_SHARE, 0.25)
    assert_near("port_scan at 1000/s", fast_probes, fast_records, SCAN_SHARE, 0.25)
    assert fast / slow == pytest.approx(1, abs=0.1), f"port_scan share {slow:.5f} at 100/s, {fast:.5f} at 1000/s"
