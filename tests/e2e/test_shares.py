"""3. Anomaly shares on a million records match the configured probabilities."""

from __future__ import annotations

import math

from conftest import JSON_ERRORS, START, fast_loads, generate

N = 1_000_000
SPIKE, RESET, EXFIL, MALFORMED, DROP = 0.05, 0.02, 0.01, 0.01, 0.01


def assert_share(name: str, hits: int, n: int, p: float, k: float = 5) -> None:
    share = hits / n
    se = math.sqrt(p * (1 - p) / n)
    assert abs(share - p) <= k * se, (
        f"{name}: share {share:.6f} ({hits}/{n}) is {abs(share - p) / se:.1f} SE from {p} (SE {se:.6f})"
    )


def test_anomaly_shares(tmp_path):
    path = tmp_path / "shares.jsonl"
    result = generate(
        "--count", str(N), "--rate", "max", "--seed", "2024", "--start-time", str(START),
        "--latency-spike-prob", str(SPIKE), "--error-rate-prob", str(RESET), "--data-exfil-prob", str(EXFIL),
        "--malformed-prob", str(MALFORMED), "--drop-prob", str(DROP),
        "--output", str(path),
    )
    lines = 0
    truncated = 0
    malformed = 0
    drawn = 0  # parseable records that are not port-scan probes (probes get no per-record draws)
    spike = reset = exfil = both = 0
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
                anomalies = record["anomalies"]
                seq = record["seq"]
                assert seq > last_seq
                last_seq, last_seq_line = seq, lines
                if "malformed" in anomalies:
                    malformed += 1
                if "port_scan" in anomalies:
                    continue
                drawn += 1
                s = "latency_spike" in anomalies
                r = "connection_reset" in anomalies
                spike += s
                reset += r
                both += s and r
                exfil += "exfiltration" in anomalies
    finally:
        path.unlink(missing_ok=True)

    assert lines == N
    assert result.summary["total"] == N
    assert result.output("shares.jsonl")["records"] == N
    assert truncated < malformed

    assert_share("latency_spike", spike, drawn, SPIKE)
    assert_share("connection_reset", reset, drawn, RESET)
    assert_share("exfiltration", exfil, drawn, EXFIL)
    assert_share("malformed", malformed, N, MALFORMED)
    # Independence: spike and reset together as often as the product says.
    assert_share("latency_spike & connection_reset", both, drawn, SPIKE * RESET)

    # Drops: the gaps in seq over the slots up to the last record.
    slots = last_seq + 1
    gaps = slots - last_seq_line
    assert_share("drop", gaps, slots, DROP)
    if last_seq_line == N:
        assert result.summary["dropped"] == gaps
    assert result.summary["labels"]["malformed"] == malformed
