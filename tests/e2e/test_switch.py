"""`--dataset switch`: seed 002's switch metrics with interface counters and labelled chaos, in
JSON lines, CSV and Parquet, equal record by record; the original's fields and ranges."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import START, START_ISO, generate, run_netchaos

ORIGINAL_COLUMNS = ["timestamp", "switch_id", "bandwidth_mbps", "latency_ms", "packet_errors"]


def run(tmp_path: Path, count: int, *extra: str) -> dict[str, Path]:
    paths = {f: tmp_path / f"sw.{f}" for f in ("jsonl", "csv", "parquet")}
    generate("--dataset", "switch", "--rate", "max", "--count", str(count), "--seed", "8", "--start-time", START_ISO,
             *[a for p in paths.values() for a in ("--output", str(p))], *extra)
    return paths


def test_the_originals_fields_and_ranges_and_labelled_chaos(tmp_path: Path) -> None:
    paths = run(tmp_path, 50_000, "--switches", "100")
    records = [json.loads(line) for line in paths["jsonl"].read_text().splitlines()]
    assert len(records) == 50_000
    assert list(records[0])[:5] == ORIGINAL_COLUMNS
    snapshots = {}
    for r in records:
        assert r["switch_id"] == f"sw{r['seq'] % 100 + 1}"
        assert r["timestamp"] == START + (r["seq"] // 100) * 10 or "stale" in r["anomalies"]
        assert 0 <= r["bandwidth_mbps"] <= 10_000 and 0 <= r["latency_ms"] <= 5_000
        assert isinstance(r["packet_errors"], int) and isinstance(r["bandwidth_mbps"], float)
        assert r["oper_status"] in ("up", "down")
        assert r["bandwidth_mbps"] <= r["link_speed_mbps"]
        if r["label"] == "normal":
            assert 0 <= r["packet_errors"] <= 99 and r["oper_status"] == "up"
        snapshots.setdefault(r["timestamp"], set()).add(r["switch_id"])
    labels = {r["label"] for r in records}
    assert {"normal", "link_flap", "congestion_spike", "error_burst", "stale"} <= labels
    for r in records:
        if "link_flap" in r["anomalies"]:
            assert r["oper_status"] == "down" and r["bandwidth_mbps"] == 0
        if r["label"] == "error_burst":
            assert r["packet_errors"] >= 100
    # Missing switches are gaps in seq.
    seqs = [r["seq"] for r in records]
    assert seqs == sorted(seqs) and seqs[-1] + 1 > len(seqs)


def test_jsonl_csv_and_parquet_hold_the_same_records(tmp_path: Path) -> None:
    paths = run(tmp_path, 30_000, "--row-group-size", "10000", "--parquet-compression", "snappy")
    records = [json.loads(line) for line in paths["jsonl"].read_text().splitlines()]
    with paths["csv"].open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:5] == ORIGINAL_COLUMNS
    for record, row in zip(records, rows, strict=True):
        assert row["switch_id"] == record["switch_id"] and int(row["seq"]) == record["seq"]
        assert float(row["bandwidth_mbps"]) == record["bandwidth_mbps"] and float(row["latency_ms"]) == record["latency_ms"]
        assert row["oper_status"] == record["oper_status"] and row["label"] == record["label"]
        assert (row["anomalies"].split(",") if row["anomalies"] else []) == record["anomalies"]
    table = pq.read_table(paths["parquet"])
    assert str(table.schema.field("bandwidth_mbps").type) == "double" and str(table.schema.field("oper_up").type) == "bool"
    for record, row in zip(records, table.to_pylist(), strict=True):
        assert int(row.pop("timestamp").timestamp()) == record["timestamp"]
        assert ("up" if row.pop("oper_up") else "down") == record["oper_status"]
        assert row == {k: v for k, v in record.items() if k not in ("timestamp", "oper_status")}
    con = duckdb.connect()
    assert con.execute(f"SELECT DISTINCT compression FROM parquet_metadata('{paths['parquet']}')").fetchall() == [("SNAPPY",)]
    stats = con.execute(
        "SELECT row_group_id, stats_min_value, stats_max_value FROM parquet_metadata('{}') WHERE path_in_schema = 'bandwidth_mbps'"
        .format(paths["parquet"])).fetchall()
    for group, low, high in stats:
        part = records[group * 10_000:(group + 1) * 10_000]
        assert (float(low), float(high)) == (min(r["bandwidth_mbps"] for r in part), max(r["bandwidth_mbps"] for r in part))


def test_same_seed_same_bytes_for_any_worker_count(tmp_path: Path) -> None:
    outs = []
    for workers in ("1", "3"):
        out = tmp_path / f"w{workers}.jsonl"
        generate("--dataset", "switch", "--rate", "max", "--count", "20000", "--seed", "3", "--start-time", str(START),
                 "--workers", workers, "--output", str(out))
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_default_rate_is_real_time_and_switches_and_interval_are_knobs(tmp_path: Path) -> None:
    out = tmp_path / "rt.jsonl"
    result = generate("--dataset", "switch", "--count", "6", "--switches", "3", "--snapshot-interval", "500ms",
                      "--start-time", START_ISO, "--no-chaos", "--output", str(out))
    started = next(e for e in result.logs if e.get("msg") == "generation started")
    assert started["rate"] == 6.0, "3 switches every 0.5 s"
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["switch_id"] for r in records] == ["sw1", "sw2", "sw3"] * 2
    assert [r["timestamp"] for r in records] == [START, START, START, START, START, START]  # 0.5 s apart, rounded down
    assert result.summary["time_sec"] >= 0.8


@pytest.mark.parametrize("args, key", [
    (["--switches", "0"], "generator.switches"),
    (["--snapshot-interval", "0s"], "generator.snapshot_interval"),
    (["--missing-prob", "0.9"], "chaos.missing_prob"),
    (["--format", "vpc"], "output.format"),
])
def test_bad_switch_settings_exit_2(args: list[str], key: str) -> None:
    result = run_netchaos("generate", "--dataset", "switch", "--count", "5", *args)
    assert result.returncode == 2, result.stderr[-1000:]
    assert key in result.stderr
