"""1. Record schema: the original sink's pydantic model accepts every well-formed record; fields
come in the order of docs/data.md (the 14 original ones, then packets_received, start_ms, end_ms,
session_id, label, anomalies, [malformed_kind], generator_id, seq) with their types; a record's
timestamp is its end in seconds and records come in the order of their end; `--time-rate R`
makes R records per simulated second on average."""

from __future__ import annotations

import ipaddress
from collections import Counter
from datetime import datetime, timezone

import pytest
from pydantic import ValidationError

from conftest import (
    LABELS, extra_fields, MALFORMED_KINDS, ORIGINAL_FIELDS, TAG_KEYS, UUID4_RE, expected_label, generate, is_int,
    parse_jsonl, problems,
)
from flow_model import FlowEvent

# 2026-11-29T14:00:00Z (a Sunday afternoon): a fixed start, so the load curves are predictable.
START = 1795960800  # 2026-11-29T14:00:00Z, a Sunday afternoon
N = 50_000
SEED = 1234


@pytest.fixture(scope="module")
def run():
    """Fifty thousand records at max rate: ten simulated seconds at the default 5000 records/s."""
    result = generate("--count", str(N), "--seed", str(SEED), "--start-time", str(START), "--rate", "max")
    return result, parse_jsonl(result.stdout)


def test_model_rejects_wrong_types():
    """The model itself must be strict, or the main test proves nothing."""
    good = {
        "timestamp": START, "event_id": "fdc3d7fa-1454-4a5a-8a9c-c93bc13bb813", "src_ip": "10.1.66.227",
        "dst_ip": "1.1.1.1", "src_port": 43834, "dst_port": 53, "protocol": "UDP", "bytes_sent": 69,
        "bytes_received": 124, "latency_ms": 49, "packets_sent": 1, "flags": [],
        "app_layer": {"protocol": "DNS", "method": "QUERY", "host": "one.one.one.one", "status_code": 0},
        "tags": {"env": "Production", "region": "us-east-1", "security_group": "sg-224366"},
    }
    import json

    FlowEvent.model_validate_json(json.dumps(good))
    for key, bad in [("src_port", "43834"), ("protocol", 17), ("flags", "SYN,ACK"), ("bytes_sent", 1.5)]:
        with pytest.raises(ValidationError):
            FlowEvent.model_validate_json(json.dumps({**good, key: bad}))
    with pytest.raises(ValidationError):
        FlowEvent.model_validate_json(json.dumps({k: v for k, v in good.items() if k != "tags"}))


def test_every_wellformed_record_validates(run):
    result, parsed = run
    assert len(parsed.lines) == N
    malformed = 0
    failures = []
    for line, record in zip(parsed.lines, parsed.records):
        if record is None or "malformed" in record.get("anomalies", []):
            malformed += 1
            continue
        try:
            event = FlowEvent.model_validate_json(line)
        except ValidationError as error:
            failures.append((line[:300], str(error)[:500]))
            continue
        assert event.timestamp == datetime.fromtimestamp(record["timestamp"], tz=timezone.utc)
    assert not failures, f"{len(failures)} well-formed records fail the sink model, e.g. {failures[:3]}"
    # Default chaos: about 0.1% malformed, so nearly everything was validated.
    assert malformed < N * 0.01
    assert N - malformed > N * 0.99


def test_field_order_types_and_values(run):
    result, parsed = run
    generator_ids = set()
    labels = Counter()
    for record in parsed.records:
        if record is None:
            labels["malformed"] += 1
            continue
        labels[record["label"]] += 1
        generator_ids.add(record["generator_id"])
        keys = list(record)
        if "malformed" in record["anomalies"]:
            # A malformed record breaks one original field; the order of the others holds.
            assert [k for k in keys if k not in ORIGINAL_FIELDS] == extra_fields(record, malformed=True), keys
            continue
        expected_keys = ORIGINAL_FIELDS + extra_fields(record)
        assert keys == expected_keys, f"field order {keys}"
        assert problems(record) == [], (problems(record), record)
        assert UUID4_RE.match(record["event_id"]), record["event_id"]
        ipaddress.IPv4Address(record["src_ip"])
        ipaddress.IPv4Address(record["dst_ip"])
        assert 0 <= record["src_port"] <= 65535 and 0 <= record["dst_port"] <= 65535
        assert record["protocol"] in ("TCP", "UDP", "ICMP")
        if record["protocol"] != "TCP":
            assert record["flags"] == [], record
        if record["protocol"] == "ICMP":
            assert record["src_port"] == 0 and record["dst_port"] == 0, record
        assert list(record["tags"]) == TAG_KEYS, record["tags"]
        for name in ("packets_received", "start_ms", "end_ms", "session_id", "seq"):
            assert is_int(record[name]) and record[name] >= 0, (name, record)
        assert record["session_id"] < 2**53, record
        assert record["start_ms"] <= record["end_ms"], record
        # The record's end, in seconds, is its timestamp.
        assert record["timestamp"] == record["end_ms"] // 1000, record
    assert len(generator_ids) == 1, generator_ids
    assert sum(labels.values()) == N
    assert dict(labels) == {k: v for k, v in result.summary["labels"].items() if v}, (labels, result.summary)


def test_records_come_in_the_order_of_their_end(run):
    _, parsed = run
    ends = [r["end_ms"] for r in parsed.parseable]
    out_of_order = [(a, b) for a, b in zip(ends, ends[1:]) if b < a]
    assert not out_of_order, out_of_order[:5]
    # Event time starts at --start-time: the first records end right after it.
    assert START * 1000 <= ends[0] < START * 1000 + 1_000, ends[0]
    # Sessions already running at the start are there from the first moment (records that began earlier).
    assert any(r["start_ms"] < START * 1000 for r in parsed.parseable[:1000])


def test_labels_anomalies_and_seq(run):
    result, parsed = run
    last_seq = -1
    event_ids = set()
    for record in parsed.parseable:
        anomalies = record["anomalies"]
        assert isinstance(anomalies, list) and len(set(anomalies)) == len(anomalies), anomalies
        assert set(anomalies) <= set(LABELS) - {"normal"}, anomalies
        assert record["label"] in LABELS
        assert record["label"] == expected_label(anomalies), record
        if "malformed" in anomalies:
            assert record["malformed_kind"] in MALFORMED_KINDS, record
        else:
            assert "malformed_kind" not in record, record
        seq = record["seq"]
        assert isinstance(seq, int) and seq > last_seq, f"seq {seq} after {last_seq}"
        last_seq = seq
        event_ids.add(record.get("event_id"))
    assert len(event_ids) >= len(parsed.parseable) - 10, "event_id values repeat"
    # seq starts at 0 or a little later (drops), and the gaps are the summary's dropped events.
    summary = result.summary
    assert summary["total"] == N
    assert last_seq + 1 == N + summary["dropped"] or parsed.records[-1] is None


@pytest.mark.parametrize("time_rate", [None, "2", "7.5", "100"])
def test_time_rate_is_records_per_simulated_second(time_rate):
    """With flat load curves, N records span about N / R seconds of event time (default: 5000 at max rate)."""
    count = 50_000 if time_rate is None else 3_000
    rate = 5000.0 if time_rate is None else float(time_rate)
    args = ["--count", str(count), "--rate", "max", "--seed", "1", "--start-time", str(START), "--load-curve", "off"]
    if time_rate is not None:
        args += ["--time-rate", time_rate]
    parsed = parse_jsonl(generate(*args).stdout)
    assert len(parsed.lines) == count
    records = parsed.parseable
    span = (records[-1]["end_ms"] - START * 1000) / 1000
    assert span == pytest.approx(count / rate, rel=0.1), f"{count} records at {rate}/s span {span:.1f} s of event time"
    for r in records:
        if "malformed" not in r["anomalies"]:
            assert r["timestamp"] == r["end_ms"] // 1000, r
