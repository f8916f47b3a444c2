"""4. With chaos off every record is labelled normal, none is malformed or dropped (seq has no
gaps), and the normal traffic is still all there: the same sessions, with the lookalikes the
docs/chaos.md promises (resets after data, refused and unanswered connections, internet noise, DNS TXT
queries, large uploads, HTTP errors)."""

from __future__ import annotations

import ipaddress
from collections import Counter

import pytest

from conftest import generate, parse_jsonl, problems

# 2026-11-29T14:00:00Z (a Sunday afternoon): a fixed start, so the load curves are predictable.
START = 1795960800  # 2026-11-29T14:00:00Z, a Sunday afternoon
# Ten simulated minutes at 100 records per second.
RUN = ["--rate", "max", "--time-rate", "100", "--end-time", "+10m", "--seed", "5", "--start-time", str(START)]
# Raised probabilities that must all be ignored when chaos is off.
LOUD = [
    "--latency-spike-prob", "0.5", "--error-rate-prob", "0.5", "--data-exfil-prob", "0.5",
    "--malformed-prob", "0.5", "--drop-prob", "0.5", "--scan-interval", "1",
]
HTTP = ("HTTP/1.1", "HTTP/2")


def lookalikes(records: list[dict]) -> Counter:
    """Normal traffic that looks like an anomaly, by kind."""
    found = Counter()
    for r in records:
        flags = r["flags"]
        src_private = ipaddress.ip_address(r["src_ip"]).is_private
        dst_private = ipaddress.ip_address(r["dst_ip"]).is_private
        if "RST" in flags and "PSH" in flags:
            found["reset after data"] += 1
        if flags == ["SYN", "RST", "ACK"]:
            found["refused"] += 1
        if flags == ["SYN"] and r["packets_received"] == 0:
            found["unanswered SYN"] += 1
            if not src_private and dst_private and r["dst_port"] not in (80, 443, 8443):
                found["internet noise"] += 1
        if r["dst_port"] == 53 and r["app_layer"]["method"] == "TXT":
            found["DNS TXT"] += 1
        if r["app_layer"]["protocol"] in HTTP and r["app_layer"]["status_code"] in (502, 503, 504):
            found["HTTP 5xx"] += 1
        if src_private and not dst_private and r["bytes_sent"] >= 5_000_000:
            found["large upload"] += 1
    return found


@pytest.fixture(scope="module")
def chaos_on():
    result = generate(*RUN)
    return result, parse_jsonl(result.stdout)


@pytest.mark.parametrize(
    "how",
    ["env CHAOS_MODE=false", "env CHAOS_MODE=false, probabilities raised", "flag --no-chaos, probabilities raised"],
)
def test_chaos_off(how):
    env = {"CHAOS_MODE": "false"} if how.startswith("env") else None
    args = list(RUN)
    if "raised" in how:
        args += LOUD
    if how.startswith("flag"):
        args.append("--no-chaos")
    result = generate(*args, env=env)
    parsed = parse_jsonl(result.stdout)
    n = len(parsed.lines)
    assert n > 40_000, n
    assert not parsed.unparseable, parsed.unparseable[:3]
    for i, record in enumerate(parsed.records):
        assert record["seq"] == i, record
        assert record["label"] == "normal", record
        assert record["anomalies"] == [], record
        assert "malformed_kind" not in record, record
        assert problems(record) == [], record
    summary = result.summary
    assert summary["total"] == n
    assert summary["dropped"] == 0
    assert summary["labels"]["normal"] == n
    assert sum(summary["labels"].values()) == n

    # The normal traffic that looks like trouble is still there.
    found = lookalikes(parsed.records)
    for kind in ("reset after data", "refused", "unanswered SYN", "internet noise", "DNS TXT", "HTTP 5xx", "large upload"):
        assert found[kind] > 0, f"no {kind} with chaos off: {found}"


def test_chaos_off_keeps_the_normal_traffic(chaos_on):
    """The sessions that chaos leaves alone are the same with chaos off: same hosts, ports and content."""
    _, on = chaos_on
    off = parse_jsonl(generate(*RUN, "--no-chaos").stdout).records

    def key(r: dict) -> tuple:
        return (r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"], r["protocol"], tuple(r["flags"]),
                r["app_layer"]["protocol"], r["app_layer"]["host"])

    touched = {r["session_id"] for r in on.parseable if r["anomalies"]}
    untouched = Counter(key(r) for r in on.parseable if r["session_id"] not in touched)
    kept = untouched & Counter(key(r) for r in off)
    assert sum(kept.values()) >= 0.8 * sum(untouched.values()), (sum(kept.values()), sum(untouched.values()))
    # And the lookalikes come in about the same numbers.
    normal_on = lookalikes([r for r in on.parseable if r["label"] == "normal"])
    normal_off = lookalikes(off)
    for kind in ("reset after data", "refused", "unanswered SYN", "DNS TXT"):
        assert normal_off[kind] == pytest.approx(normal_on[kind], rel=0.5), (kind, normal_on, normal_off)


def test_chaos_on_is_the_default(chaos_on):
    """Guard for the tests above: the same run with chaos on and loud probabilities does produce anomalies."""
    result, parsed = chaos_on
    assert sum(r is None or r["label"] != "normal" for r in parsed.records) > 0.03 * len(parsed.records)
    loud = generate(*RUN, *LOUD)
    parsed = parse_jsonl(loud.stdout)
    assert sum(r is None or r["label"] != "normal" for r in parsed.records) > len(parsed.records) / 2
    assert loud.summary["dropped"] > 0
