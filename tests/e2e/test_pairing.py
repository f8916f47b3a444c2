"""Paired runs: the same seed and start with and without the attacks give the same normal records,
byte for byte but `seq`, the attacks' records added (docs/chaos.md, Paired runs)."""

from __future__ import annotations

import json
import re

from conftest import generate

START = "2026-11-24T14:00:00Z"
START_MS = 1795528800000
MINUTES = 10
COMMON = ["--seed", "4242", "--start-time", START, "--end-time", f"+{MINUTES}m", "--rate", "max", "--time-rate", "100"]
SEQ = re.compile(rb',"seq":\d+')


def normal_lines(stdout: bytes) -> dict[str, tuple[bytes, dict]]:
    """Normal records by event id: the line without its `seq`, and the record."""
    out = {}
    for line in stdout.splitlines():
        record = json.loads(line)
        if record["label"] == "normal":
            out[record["event_id"]] = (SEQ.sub(b"", line), record)
    return out


def test_the_background_is_the_same_with_and_without_the_attacks():
    quiet = generate(*COMMON, "--no-chaos").stdout
    # Broken and dropped records are chaos on the wire, not attacks: off, so every record is compared.
    loud = generate(*COMMON, "--data-exfil-prob", "0.05", "--scan-interval", "1", "--malformed-prob", "0", "--drop-prob", "0").stdout
    base, paired = normal_lines(quiet), normal_lines(loud)
    loud_records = [json.loads(line) for line in loud.splitlines()]
    attacked = [r for r in loud_records if r["label"] != "normal"]
    # The sessions a spike or a reset changed are not normal any more; a reset shows on a session's
    # last record only, so TCP sessions still open at the end (no FIN, no RST) and sessions at the
    # run's edges (which a spike or a reset moves in or out of it) are left out of the comparison.
    touched = {r["session_id"] for r in attacked}
    closed = set()
    for line, r in base.values():
        if r["protocol"] != "TCP" or "FIN" in r["flags"] or "RST" in r["flags"] or r["flags"] == ["SYN"]:
            closed.add(r["session_id"])
    end_ms = START_MS + MINUTES * 60_000
    for r in [r for _, r in base.values()] + loud_records:
        if r["session_id"] not in closed or r["start_ms"] < START_MS or r["end_ms"] > end_ms - 30_000:
            touched.add(r["session_id"])
    compared = {k: v for k, v in base.items() if v[1]["session_id"] not in touched}
    assert len(compared) > 30_000, len(compared)
    missing = [k for k in compared if k not in paired]
    changed = [k for k in compared if k in paired and paired[k][0] != compared[k][0]]
    added = [k for k, v in paired.items() if v[1]["session_id"] not in touched and k not in base]
    assert not missing and not changed and not added, (len(missing), len(changed), len(added), [compared[k][0] for k in changed[:2]])
    # The attacks are added: exfiltration at about its share of all records; scans about one an
    # interval at 5,000 records/s, so 12 of 100 probes expected in 10 minutes at 100/s.
    labels = {}
    for r in attacked:
        labels[r["label"]] = labels.get(r["label"], 0) + 1
    assert 0.02 < labels.get("exfiltration", 0) / len(loud_records) < 0.1, labels
    assert labels.get("port_scan", 0) >= 300, labels
