"""Scores a detector against the incident table of `netchaos generate --incidents`.

    netchaos generate --scenario examples/scenario-day.yaml --start-time 2026-11-24T00:00:00Z --end-time +24h \
        --rate max --time-rate 5 --labels sidecar --output flows.jsonl --incidents incidents.jsonl
    python3 examples/score_detector.py flows.jsonl incidents.jsonl

The detector here is a toy: an alert for every source that reaches 50 or more distinct (host, port)
pairs within a minute (fan-out). Put yours in `detect`: it gets the records (no labels with
`--labels sidecar`) and returns alerts, each a time (Unix ms) and an address.

An alert detects an incident when its address is one of the incident's sources or targets and its
time falls between the incident's start and five minutes after its end. Per family: recall (share
of incidents detected), median time to detect (first detecting alert minus start); overall: alerts
that detect nothing, per hour of data (false positives).
"""
from __future__ import annotations

import json
import sys

import pandas as pd

GRACE_MS = 5 * 60_000


def detect(flows: pd.DataFrame) -> pd.DataFrame:
    """Alerts (time_ms, address): sources fanning out to 50+ (host, port) pairs in a minute."""
    flows = flows.assign(minute=flows["start_ms"] // 60_000, pair=flows["dst_ip"] + ":" + flows["dst_port"].astype(str))
    fan = flows.groupby(["src_ip", "minute"]).agg(pairs=("pair", "nunique"), time_ms=("end_ms", "max")).reset_index()
    hits = fan[fan["pairs"] >= 50]
    return pd.DataFrame({"time_ms": hits["time_ms"], "address": hits["src_ip"]})


def score(alerts: pd.DataFrame, incidents: list[dict], hours: float) -> dict:
    detected_by: dict[str, int] = {}
    useful = 0
    for alert in alerts.itertuples():
        hit = False
        for inc in incidents:
            if inc["start_ms"] <= alert.time_ms <= inc["end_ms"] + GRACE_MS and alert.address in inc["sources"] + inc["targets"]:
                hit = True
                detected_by[inc["incident_id"]] = min(detected_by.get(inc["incident_id"], alert.time_ms), alert.time_ms)
        useful += hit
    families: dict[str, dict] = {}
    for inc in incidents:
        f = families.setdefault(inc["family"], {"incidents": 0, "detected": 0, "delays_s": []})
        f["incidents"] += 1
        if inc["incident_id"] in detected_by:
            f["detected"] += 1
            f["delays_s"].append((detected_by[inc["incident_id"]] - inc["start_ms"]) / 1000)
    return {
        "families": {name: {"recall": f["detected"] / f["incidents"], "incidents": f["incidents"],
                            "median_time_to_detect_s": float(pd.Series(f["delays_s"]).median()) if f["delays_s"] else None}
                     for name, f in sorted(families.items())},
        "false_positives_per_hour": (len(alerts) - useful) / hours,
        "alerts": len(alerts),
    }


def read_flows(path: str) -> pd.DataFrame:
    """The records, broken ones (the generator's wire chaos) left out as a collector would."""
    keys = ("src_ip", "dst_ip", "dst_port", "start_ms", "end_ms")
    rows = []
    for line in open(path, "rb"):
        try:
            r = json.loads(line)
            rows.append({k: r[k] for k in keys})
        except (ValueError, KeyError, TypeError):
            continue
    flows = pd.DataFrame(rows)
    return flows[flows["dst_port"].map(lambda v: isinstance(v, int)) & flows["src_ip"].map(lambda v: isinstance(v, str))]


def main(flows_path: str, incidents_path: str) -> None:
    flows = read_flows(flows_path)
    incidents = [json.loads(line) for line in open(incidents_path)]
    hours = (flows["end_ms"].max() - flows["start_ms"].min()) / 3_600_000
    print(json.dumps(score(detect(flows), incidents, hours), indent=2))


if __name__ == "__main__":
    main(*sys.argv[1:3])
