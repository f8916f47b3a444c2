"""2. The shape of every chaos kind, with the probabilities raised."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

import pytest

from conftest import (
    COUNTER_FIELDS, INT_FIELDS, LABELS, MALFORMED_KINDS, ORIGINAL_FIELDS, PORT_FIELDS, START, expected_label,
    generate, is_int_text, parse_jsonl, problems,
)

N = 100_000
P = 0.2


@pytest.fixture(scope="module")
def run():
    result = generate(
        "--count", str(N), "--seed", "77", "--start-time", str(START), "--rate", "max",
        "--latency-spike-prob", str(P), "--error-rate-prob", str(P), "--data-exfil-prob", str(P),
        "--malformed-prob", str(P), "--drop-prob", "0.05", "--scan-interval", "1",
    )
    return result, parse_jsonl(result.stdout)


def within(count: int, n: int, p: float, k: float = 5) -> bool:
    return abs(count - n * p) <= k * math.sqrt(n * p * (1 - p))


def test_summary_matches_records(run):
    result, parsed = run
    assert len(parsed.lines) == N
    labels = Counter("malformed" if r is None else r["label"] for r in parsed.records)
    assert {k: labels.get(k, 0) for k in LABELS} == result.summary["labels"]
    assert result.summary["total"] == N
    # Every label appears.
    for label in LABELS:
        assert labels[label] > 0, f"no {label} records: {labels}"


def test_labels_follow_precedence(run):
    _, parsed = run
    combos = Counter()
    for record in parsed.parseable:
        assert record["label"] == expected_label(record["anomalies"]), record
        combos[frozenset(record["anomalies"])] += 1
    # Independent draws: combinations show up (0.2 * 0.2 * N = 2000 expected for each pair).
    assert combos[frozenset({"latency_spike", "connection_reset"})] > 1000
    assert combos[frozenset({"latency_spike", "connection_reset", "exfiltration"})] > 200


def test_latency_spike_shape(run):
    _, parsed = run
    spikes = [r for r in parsed.parseable if "latency_spike" in r["anomalies"] and "malformed" not in r["anomalies"]]
    assert len(spikes) > 10_000
    for r in spikes:
        assert 2000 <= r["latency_ms"] <= 6999, r


def test_connection_reset_shape(run):
    _, parsed = run
    resets = [r for r in parsed.parseable if "connection_reset" in r["anomalies"] and "malformed" not in r["anomalies"]]
    assert len(resets) > 10_000
    tcp = 0
    for r in resets:
        assert r["app_layer"]["status_code"] == 503, r
        if r["protocol"] == "TCP":
            tcp += 1
            assert r["flags"] == ["RST", "ACK"], r
        else:
            assert r["flags"] == [], r
    assert tcp > len(resets) / 4


def test_exfiltration_shape(run):
    _, parsed = run
    exfil = [r for r in parsed.parseable if "exfiltration" in r["anomalies"] and "malformed" not in r["anomalies"]]
    assert len(exfil) > 10_000
    for r in exfil:
        assert r["protocol"] == "UDP", r
        assert r["dst_port"] == 53, r
        assert r["flags"] == [], r
        assert r["bytes_sent"] >= 10_000_000, r
        assert r["bytes_received"] < 500, r
        assert r["app_layer"]["protocol"] == "DNS", r


def test_port_scan_shape(run):
    _, parsed = run
    probes = [r for r in parsed.parseable if "port_scan" in r["anomalies"] and "malformed" not in r["anomalies"]]
    # 100k records at 5000 events/s of event time = 20 s; one burst of 100 probes per second.
    assert len(probes) > 1000
    for r in probes:
        assert r["anomalies"] == ["port_scan"], r
        assert r["protocol"] == "TCP", r
        assert r["flags"] == ["SYN"], r
        assert r["bytes_sent"] == 64, r
        assert r["packets_sent"] == 1, r


def test_normal_records_are_not_broken(run):
    _, parsed = run
    normal = [r for r in parsed.parseable if r["label"] == "normal"]
    assert len(normal) > 20_000
    for r in normal:
        assert r["anomalies"] == [] and "malformed_kind" not in r, r
        assert problems(r) == [], (problems(r), r)
        assert list(r)[:14] == ORIGINAL_FIELDS, list(r)
        # Nothing in a normal record looks like an anomaly.
        assert r["latency_ms"] < 2000, r
        assert r["app_layer"]["status_code"] != 503, r
        assert "RST" not in r["flags"], r
        assert not (r["dst_port"] == 53 and r["bytes_sent"] >= 10_000_000), r
        assert r["flags"] != ["SYN"] or r["bytes_sent"] != 64, r
        if r["protocol"] == "TCP":
            assert r["packets_sent"] >= 3, r
            assert 40 <= r["bytes_sent"] / r["packets_sent"] <= 1500, r


def test_non_malformed_records_are_well_formed(run):
    _, parsed = run
    for r in parsed.parseable:
        if "malformed" not in r["anomalies"]:
            assert problems(r) == [], (problems(r), r)
            assert "malformed_kind" not in r


def test_malformed_kinds(run):
    _, parsed = run
    kinds = Counter()
    by_kind = defaultdict(list)
    for line, r in zip(parsed.lines, parsed.records):
        if r is None:
            kinds["truncated"] += 1
            by_kind["truncated"].append(line)
            continue
        if "malformed" not in r["anomalies"]:
            continue
        assert r["label"] == "malformed", r
        kind = r.get("malformed_kind")
        assert kind in MALFORMED_KINDS and kind != "truncated", r
        kinds[kind] += 1
        by_kind[kind].append(r)

    total_malformed = sum(kinds.values())
    assert within(total_malformed, N, P), f"{total_malformed} malformed of {N}"
    for kind in MALFORMED_KINDS:
        assert kinds[kind] > 0, f"no {kind} records: {kinds}"
        assert within(kinds[kind], total_malformed, 1 / len(MALFORMED_KINDS)), kinds

    # truncated: one line that does not parse, a prefix of a record.
    for line in by_kind["truncated"]:
        assert line.startswith(b'{"'), line[:100]
        kind_text = re.search(rb'"malformed_kind":"([a-z_]+)"', line)
        assert kind_text is None or kind_text.group(1) == b"truncated", line

    # Each other kind breaks exactly one field, in its own way, and nothing else.
    for kind in ("wrong_type", "missing_field", "out_of_range", "bad_ip"):
        fields = Counter()
        for r in by_kind[kind]:
            found = problems(r)
            assert len(found) == 1 and found[0][0] == kind, (kind, found, r)
            fields[found[0][1]] += 1
            present = [k for k in r if k in ORIGINAL_FIELDS]
            assert present == [k for k in ORIGINAL_FIELDS if k in r], f"field order {list(r)}"
        assert len(fields) >= 2, f"{kind} always hits the same field: {fields}"

    for r in by_kind["wrong_type"]:
        (_, name), = problems(r)
        value = r[name]
        if name in INT_FIELDS:
            assert is_int_text(value), (name, value)  # a number written as a string
        elif name == "protocol":
            assert isinstance(value, int), value
        elif name == "flags":
            assert isinstance(value, str), value
        else:
            pytest.fail(f"unexpected wrong_type field {name}: {r}")
    for r in by_kind["missing_field"]:
        assert len([k for k in ORIGINAL_FIELDS if k in r]) == 13, r
    for r in by_kind["out_of_range"]:
        (_, name), = problems(r)
        assert (name in PORT_FIELDS and r[name] > 65535) or (name in COUNTER_FIELDS and r[name] < 0), r
    for r in by_kind["bad_ip"]:
        (_, name), = problems(r)
        assert name in ("src_ip", "dst_ip"), r


def test_port_scan_bursts():
    """Bursts of --scan-ports sequential ports from one source to one target, --scan-spacing-ms apart."""
    ports, spacing_ms, rate = 50, 4, 5000
    stride = spacing_ms * rate // 1000  # slots between probes
    result = generate(
        "--count", "60000", "--seed", "9", "--start-time", str(START), "--rate", "max",
        "--scan-interval", "1", "--scan-ports", str(ports), "--scan-spacing-ms", str(spacing_ms),
        "--malformed-prob", "0", "--drop-prob", "0",
    )
    parsed = parse_jsonl(result.stdout)
    records = parsed.records
    assert all(r is not None for r in records)
    probes = [r for r in records if r["label"] == "port_scan"]
    bursts: list[list[dict]] = []
    for r in probes:
        if bursts and (bursts[-1][-1]["src_ip"], bursts[-1][-1]["dst_ip"]) == (r["src_ip"], r["dst_ip"]) \
                and r["seq"] - bursts[-1][-1]["seq"] == stride:
            bursts[-1].append(r)
        else:
            bursts.append([r])
    # 60000 slots at 5000/s = 12 s of event time, one burst per second.
    assert 10 <= len(bursts) <= 13, [len(b) for b in bursts]
    last_seq = records[-1]["seq"]
    for burst in bursts:
        if burst[0]["seq"] + (ports - 1) * stride > last_seq:
            continue  # cut off by --count
        assert len(burst) == ports, [(p["seq"], p["dst_port"]) for p in burst]
        first = burst[0]["dst_port"]
        assert [p["dst_port"] for p in burst] == list(range(first, first + ports))
        assert len({(p["src_ip"], p["src_port"], p["dst_ip"]) for p in burst}) == 1
        assert [p["seq"] for p in burst] == list(range(burst[0]["seq"], burst[0]["seq"] + ports * stride, stride))
    # Nothing but probes carries the port_scan anomaly, and probes carry nothing else.
    assert all(r["anomalies"] == ["port_scan"] for r in probes)
    assert all("port_scan" not in r["anomalies"] for r in records if r["label"] != "port_scan")
