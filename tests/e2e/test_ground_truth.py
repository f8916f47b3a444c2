"""Ground truth a detection team can score against (docs/chaos.md: Ground truth): every record an incident
produced names it (`incident_id`, `technique`, `stage`), the incident table (`--incidents`) matches the
labelled records one for one, and `--labels sidecar|none` keep the labels out of the records."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from conftest import generate, run_netchaos

COMMON = ["--rate", "max", "--seed", "3", "--start-time", "2026-11-24T14:00:00Z", "--end-time", "+20m", "--time-rate", "100",
          "--scan-interval", "2"]
FAMILIES = {
    # family: (label, technique, stage)
    "service_degradation": ("latency_spike", None, "degraded"),
    "service_failure": ("connection_reset", None, "failing"),
    "port_scan": ("port_scan", "T1046", "discovery"),
    "exfiltration": ("exfiltration", "T1048", "exfiltration"),
    "dns_tunnel": ("exfiltration", "T1071.004", "exfiltration"),
}
LABEL_KEYS = {"label", "anomalies", "malformed_kind", "incident_id", "technique", "stage"}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def test_the_incident_table_matches_the_labelled_records_one_for_one(tmp_path):
    out, table, table_csv = tmp_path / "flows.jsonl", tmp_path / "incidents.jsonl", tmp_path / "incidents.csv"
    # Broken records are chaos on the wire, not incidents: off, so every record can be read.
    generate(*COMMON, "--malformed-prob", "0", "--output", str(out), "--incidents", str(table))
    generate(*COMMON, "--malformed-prob", "0", "--output", str(tmp_path / "again.jsonl"), "--incidents", str(table_csv))
    records = read_jsonl(out)
    by_incident: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        if r["label"] == "normal":
            assert not LABEL_KEYS - {"label", "anomalies"} & set(r), r
            continue
        # Every labelled record names its incident, whose family gives the label, technique and stage.
        assert r["incident_id"].startswith("inc-") and len(r["incident_id"]) == 20, r
        by_incident[r["incident_id"]].append(r)
    rows = read_jsonl(table)
    assert {row["incident_id"] for row in rows} == set(by_incident)
    families = set()
    for row in rows:
        mine = by_incident[row["incident_id"]]
        label, technique, stage = FAMILIES[row["family"]]
        families.add(row["family"])
        assert (row["label"], row["technique"], row["stage"]) == (label, technique, stage), row
        assert all((r["label"], r.get("technique"), r["stage"]) == (label, technique, stage) for r in mine), row
        assert row["records"] == len(mine)
        assert row["start_ms"] == min(r["start_ms"] for r in mine) and row["end_ms"] == max(r["end_ms"] for r in mine)
        assert row["start"].startswith("2026-11-24T") and row["start"].endswith("Z")
        sources, targets = {r["src_ip"] for r in mine}, {r["dst_ip"] for r in mine}
        assert (row["sources_count"], row["targets_count"]) == (len(sources), len(targets))
        assert set(row["sources"]) <= sources and len(row["sources"]) == min(len(sources), 1000)
        assert set(row["targets"]) == targets
    assert families == set(FAMILIES), families
    # A service incident is one server over minutes, many sessions; a scan one source probing one host.
    degraded = [row for row in rows if row["family"] == "service_degradation"]
    assert all(row["targets_count"] == 1 for row in degraded)
    assert max(row["end_ms"] - row["start_ms"] for row in degraded) > 120_000
    assert max(row["sources_count"] for row in degraded) > 10
    scans = [row for row in rows if row["family"] == "port_scan"]
    assert all(row["sources_count"] == 1 and row["targets_count"] == 1 and row["records"] == 100 for row in scans), scans[:2]
    # The CSV table holds the same rows.
    with table_csv.open() as f:
        csv_rows = list(csv.DictReader(f))
    assert [(r["incident_id"], int(r["records"]), r["technique"] or None) for r in csv_rows] == \
        [(r["incident_id"], r["records"], r["technique"]) for r in rows]
    assert csv_rows[0]["sources"].split(" ") == rows[0]["sources"]


def test_sidecar_labels_join_back_to_the_inline_ones(tmp_path):
    inline = tmp_path / "inline"
    side = tmp_path / "side"
    inline.mkdir()
    side.mkdir()
    outputs = ["flows.jsonl", "flows.csv", "flows.parquet"]
    generate(*COMMON, *[a for name in outputs for a in ("--output", str(inline / name))])
    result = generate(*COMMON, "--labels", "sidecar", *[a for name in outputs for a in ("--output", str(side / name))])
    sidecar = side / "flows.labels.jsonl"
    summary = result.logs[-1]
    assert {"name": f"labels({sidecar})", "records": summary["total"], "bytes": sidecar.stat().st_size, "files": [str(sidecar)]} \
        in summary["outputs"]
    # The records carry no label field, in any format; the rest is the same.
    plain = [line for line in (side / "flows.jsonl").read_bytes().splitlines()]
    labelled = (inline / "flows.jsonl").read_bytes().splitlines()
    assert len(plain) == len(labelled) > 50_000
    with_labels = {}
    for line in labelled:
        try:
            r = json.loads(line)
        except ValueError:
            continue  # a malformed record, cut
        if "malformed_kind" not in r:
            with_labels[r["event_id"]] = r
    for line in plain:
        for key in LABEL_KEYS:
            assert f'"{key}":'.encode() not in line, line
    header = (side / "flows.csv").read_text().split("\n", 1)[0].split(",")
    assert not LABEL_KEYS & set(header) and "seq" in header
    assert not LABEL_KEYS & set(pq.read_schema(side / "flows.parquet").names)
    assert LABEL_KEYS <= set(pq.read_schema(inline / "flows.parquet").names)
    # Joining the sidecar on event_id gives back the inline labels, record for record.
    truth = read_jsonl(sidecar)
    assert len(truth) == len(plain)
    assert [t["seq"] for t in truth] == sorted(t["seq"] for t in truth)
    compared = 0
    for t in truth:
        r = with_labels.get(t["event_id"])
        if r is None:
            continue
        compared += 1
        for key in LABEL_KEYS | {"seq", "session_id", "src_ip", "dst_ip", "src_port", "dst_port", "protocol", "start_ms", "end_ms"}:
            assert t.get(key) == r.get(key), (key, t, r)
    assert compared > 0.99 * len(truth)
    assert sum(1 for t in truth if t["label"] != "normal" and t.get("incident_id")) > 1_000


def test_labels_none_writes_no_ground_truth_anywhere(tmp_path):
    out = tmp_path / "flows.csv"
    generate(*COMMON, "--end-time", "+2m", "--labels", "none", "--output", str(out))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flows.csv"]
    header = out.read_text().split("\n", 1)[0].split(",")
    assert not LABEL_KEYS & set(header)


def test_ground_truth_settings_are_checked(tmp_path):
    cases = [
        (["--labels", "hidden"], "output.labels"),
        (["--labels", "sidecar"], "output.labels_file"),  # stdout only: nowhere to put them beside
        (["--labels-file", str(tmp_path / "l.jsonl")], "output.labels_file"),
        (["--dataset", "switch", "--labels", "none"], "output.labels"),
        (["--dataset", "transactions", "--incidents", str(tmp_path / "i.jsonl")], "output.incidents"),
    ]
    for args, key in cases:
        result = run_netchaos("generate", "--count", "10", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert key in result.stderr, (args, result.stderr)
    result = run_netchaos("generate", "--count", "10", "--incidents", str(tmp_path / "missing" / "i.jsonl"))
    assert result.returncode != 0 and "missing/i.jsonl" in result.stderr, result.stderr


def test_the_incident_table_goes_to_s3_beside_the_objects(tmp_path):
    """`--incidents s3://BUCKET/KEY`: the table uploaded with SigV4 (moto checks every signature)
    into the bucket the VPC flow logs go to, the same table a file gets."""
    from sink_support import Moto, stored_objects

    moto = Moto()
    try:
        env = {"AWS_ENDPOINT_URL_S3": moto.endpoint, "AWS_ACCESS_KEY_ID": moto.access_key, "AWS_SECRET_ACCESS_KEY": moto.secret_key,
               "AWS_REGION": "us-east-1"}
        local = tmp_path / "incidents.jsonl"
        args = [*COMMON, "--end-time", "+5m", "--output", "s3://flow-logs/day-1", "--incidents"]
        result = run_netchaos("generate", "--log-interval", "0", "--progress", "off", *args, "s3://flow-logs/day-1/incidents.jsonl", env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        generate(*COMMON, "--end-time", "+5m", "--output", str(tmp_path / "flows.jsonl"), "--incidents", str(local))
        objects = stored_objects(moto.client(), "flow-logs", "day-1/")
        assert "day-1/incidents.jsonl" in objects and any("/AWSLogs/" in key for key in objects), sorted(objects)[:5]
        assert objects["day-1/incidents.jsonl"] == local.read_bytes() and local.read_bytes().count(b"\n") > 10
    finally:
        moto.stop()
    bad = run_netchaos("generate", "--count", "10", "--incidents", "s3://flow-logs")
    assert bad.returncode == 2 and "output.incidents" in bad.stderr, bad.stderr
