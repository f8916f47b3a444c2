"""Seed 003's workflow: the message producer's YAML files run as they are (count and continuous
mode, CSV and Parquet and both, Kafka), its keys and environment names are honoured, and the final
report gives totals, time, throughput, an assessment, per-output counts and bytes, and errors."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import BIN, clean_env, parse_logs, run_netchaos
from kafka_support import DevCluster, kcat_consume

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def grade_of(rate: float, target: float | None) -> str:
    """The assessment's grade, by the thresholds docs/generate.md documents."""
    if target:
        share = rate / target
        return "EXCELLENT" if share >= 0.99 else "GOOD" if share >= 0.95 else "MODERATE" if share >= 0.8 else "LOW"
    return "EXCELLENT" if rate >= 1e6 else "GOOD" if rate >= 3e5 else "MODERATE" if rate >= 3e4 else "LOW"


def test_config_yaml_writes_every_record_to_both_csv_and_parquet(tmp_path: Path) -> None:
    result = run_netchaos("generate", "--config", str(EXAMPLES / "config.yaml"), "--seed", "3", "--progress", "off", cwd=tmp_path).check()
    directory = tmp_path / "netchaos-out" / "transactions"
    csv_path, parquet_path = directory / "transactions.csv", directory / "transactions.parquet"
    with csv_path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = pq.read_table(parquet_path).to_pylist()
    # "both" gives every record to each writer (the original split them between the two).
    assert len(rows) == len(table) == 100_000
    assert [r["id"] for r in rows] == [r["id"] for r in table]
    assert [r["bet_amount"] for r in rows[:1000]] == [str(r["bet_amount"]) for r in table[:1000]]
    assert all(r["id"].startswith("TXN-") for r in rows)
    metadata = pq.ParquetFile(parquet_path).metadata
    assert metadata.num_row_groups == 2, "row_group_size 50000"
    assert metadata.row_group(0).column(0).compression == "SNAPPY"

    summary = result.summary
    assert summary["total"] == 100_000 and summary["errors"] == []
    outputs = {Path(o["files"][0]).name: o for o in summary["outputs"]}
    assert outputs["transactions.csv"]["records"] == outputs["transactions.parquet"]["records"] == 100_000
    assert outputs["transactions.csv"]["bytes"] == csv_path.stat().st_size
    assert outputs["transactions.parquet"]["bytes"] == parquet_path.stat().st_size
    # No rate in the file: as fast as possible, judged against seed 003's figures.
    started = next(e for e in result.logs if e.get("msg") == "generation started")
    assert started["rate"] == "max" and started["dataset"] == "transactions" and started["workers"] == 4
    grade, _, reason = summary["assessment"].partition(": ")
    assert grade == grade_of(summary["average_rate"], None), summary["assessment"]
    assert reason.endswith(("above 1M/s", "above the message producer's best published 300K/s",
                            "above the message producer's 30K/s target", "below the message producer's 30K/s target")), reason


def test_detailed_metrics_count_each_writer_and_a_paced_run_is_judged_by_its_rate(tmp_path: Path) -> None:
    config = tmp_path / "paced.yaml"
    config.write_text((EXAMPLES / "config.yaml").read_text().replace("message_count: 100000", "message_count: 6000"))
    result = run_netchaos("generate", "--config", str(config), "--rate", "3000", "--progress", "off", cwd=tmp_path).check()
    lines = [e for e in result.logs if e.get("msg") == "throughput"]
    assert lines, "metrics.interval 1 gives a line a second"
    for line in lines:
        names = sorted(Path(o["name"].split("(")[0]).name for o in line["outputs"])
        assert names == ["transactions.csv", "transactions.parquet"]
        assert all(o["records"] <= line["total"] for o in line["outputs"])
    summary = result.summary
    grade = summary["assessment"].split(":")[0]
    assert grade == grade_of(summary["average_rate"], 3000), summary["assessment"]
    assert "of 3000/s" in summary["assessment"]


def test_continuous_config_runs_until_stopped_and_leaves_complete_files(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [BIN, "generate", "--config", str(EXAMPLES / "config.continuous.yaml"), "--progress", "off"],
        cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env(None),
    )
    directory = tmp_path / "netchaos-out" / "continuous"

    def written() -> bool:
        # rotate_size numbers the files: transactions-000001.parquet, ... A file holds its 4-byte
        # magic from the start; more than that is a row group written.
        return directory.exists() and any(p.stat().st_size > 4 for p in directory.glob("transactions-*.parquet"))

    deadline = time.monotonic() + 60
    while not written() and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        time.sleep(0.2)
    assert written(), "continuous mode wrote no Parquet data within 60 s"
    assert proc.poll() is None, "continuous mode stopped by itself"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()[-2000:]
    logs = parse_logs(err.decode())
    summary = logs[-1]
    assert summary["msg"] == "final summary" and summary["errors"] == []
    files = [Path(f) for f in summary["outputs"][0]["files"]]
    rows = sum(pq.read_table(tmp_path / f if not f.is_absolute() else f).num_rows for f in files)
    assert rows == summary["total"] > 0
    assert not list(directory.glob("*.csv")), "csv.enabled is false"


def test_kafka_config_streams_every_record_and_writes_no_file(tmp_path: Path) -> None:
    cluster = DevCluster(["transactions:12"])
    try:
        result = run_netchaos("generate", "--config", str(EXAMPLES / "config.kafka.yaml"), "--progress", "off",
                              env={"KAFKA_BROKERS": cluster.bootstrap, "PRODUCER_MESSAGE_COUNT": "20000"}, cwd=tmp_path).check()
        summary = result.summary
        assert summary["total"] == 20_000
        kafka = summary["outputs"][0]["kafka"]
        assert len(summary["outputs"]) == 1 and kafka["delivered"] == 20_000 and kafka["failed"] == {}
        messages = kcat_consume(cluster.bootstrap, "transactions", 20_000)
        ids = [m[1].split('"id":"', 1)[1].split('"', 1)[0] for m in messages]
        assert len(ids) == len(set(ids)) == 20_000
        assert not (tmp_path / "netchaos-out" / "kafka").exists() or not any((tmp_path / "netchaos-out" / "kafka").iterdir())
    finally:
        cluster.stop()


def test_seed003_environment_names_override_the_file_and_flags_override_both(tmp_path: Path) -> None:
    env = {"PRODUCER_MESSAGE_COUNT": "700", "PRODUCER_WORKERS": "1", "OUTPUT_DIRECTORY": str(tmp_path / "env-out")}
    result = run_netchaos("generate", "--config", str(EXAMPLES / "config.yaml"), "--progress", "off", env=env, cwd=tmp_path).check()
    assert result.summary["total"] == 700
    started = next(e for e in result.logs if e.get("msg") == "generation started")
    assert started["workers"] == 1
    assert (tmp_path / "env-out" / "transactions.csv").exists() and (tmp_path / "env-out" / "transactions.parquet").exists()
    flagged = run_netchaos("generate", "--config", str(EXAMPLES / "config.yaml"), "--count", "300", "--workers", "2",
                           "--progress", "off", env=env, cwd=tmp_path).check()
    assert flagged.summary["total"] == 300


def test_the_originals_data_files_are_named_as_not_read(tmp_path: Path) -> None:
    config = tmp_path / "original.yaml"
    config.write_text((EXAMPLES / "config.yaml").read_text().replace("message_count: 100000", "message_count: 100")
                      + "data:\n  agents: ./data/agents.json\n  currencies: ./data/currencies.json\n")
    result = run_netchaos("generate", "--config", str(config), "--progress", "off", cwd=tmp_path).check()
    notes = [e["note"] for e in result.logs if e.get("msg") == "setting has no effect"]
    assert sorted(n.split(" ")[0] for n in notes) == ["data.agents", "data.currencies"]
    assert all("generator.reference_data" in n for n in notes)
    assert result.summary["total"] == 100


@pytest.mark.parametrize("yaml_text, key", [
    ("output:\n  format: both\n", "output.format"),
    ("outputs: [a.csv]\noutput:\n  directory: out\n", "output.directory"),
    ("producer:\n  workers: 0\n", "producer.workers"),
    ("producer:\n  message_count: -5\n", "producer.message_count"),
    ("producer:\n  buffer_size: 0\n", "producer.buffer_size"),
    ("output:\n  directory: out\n  csv:\n    filename: a/b.csv\n", "output.csv.filename"),
    ("output:\n  directory: out\n  format: json\n", "output.format"),
    ("output:\n  directory: out\n  csv:\n    enabled: false\n  parquet:\n    enabled: false\n", "output.format"),
    ("kafka:\n  batch_size: 0\n  enabled: true\n", "kafka.batch_size"),
    ("metrics:\n  interval: -1\n", "metrics.interval"),
])
def test_bad_seed003_values_exit_2_naming_the_key(tmp_path: Path, yaml_text: str, key: str) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text(yaml_text)
    result = run_netchaos("generate", "--config", str(config), "--count", "10", cwd=tmp_path)
    assert result.returncode == 2, result.stderr[-2000:]
    assert key in result.stderr, result.stderr[-2000:]
