"""4. With chaos off every record is normal and well-formed and seq has no gaps."""

from __future__ import annotations

import pytest

from conftest import START, generate, parse_jsonl, problems

N = 50_000
# Raised probabilities that must all be ignored when chaos is off.
LOUD = [
    "--latency-spike-prob", "0.5", "--error-rate-prob", "0.5", "--data-exfil-prob", "0.5",
    "--malformed-prob", "0.5", "--drop-prob", "0.5", "--scan-interval", "1",
]


@pytest.mark.parametrize(
    "how",
    ["env CHAOS_MODE=false", "env CHAOS_MODE=false, probabilities raised", "flag --no-chaos, probabilities raised"],
)
def test_chaos_off(how):
    env = {"CHAOS_MODE": "false"} if how.startswith("env") else None
    args = ["--count", str(N), "--rate", "max", "--seed", "5", "--start-time", str(START)]
    if "raised" in how:
        args += LOUD
    if how.startswith("flag"):
        args.append("--no-chaos")
    result = generate(*args, env=env)
    parsed = parse_jsonl(result.stdout)
    assert len(parsed.lines) == N
    assert not parsed.unparseable, parsed.unparseable[:3]
    for i, record in enumerate(parsed.records):
        assert record["seq"] == i, record
        assert record["label"] == "normal", record
        assert record["anomalies"] == [], record
        assert "malformed_kind" not in record, record
        assert problems(record) == [], record
        assert record["latency_ms"] < 2000
        assert record["app_layer"]["status_code"] != 503
        assert record["flags"] != ["SYN"]
    summary = result.summary
    assert summary["total"] == N
    assert summary["dropped"] == 0
    assert summary["labels"]["normal"] == N
    assert sum(summary["labels"].values()) == N


def test_chaos_on_is_the_default():
    """Guard for the test above: the same run with chaos on does produce anomalies."""
    result = generate("--count", str(N), "--rate", "max", "--seed", "5", "--start-time", str(START), *LOUD)
    parsed = parse_jsonl(result.stdout)
    assert sum(r is None or r["label"] != "normal" for r in parsed.records) > N / 2
    assert result.summary["dropped"] > 0
