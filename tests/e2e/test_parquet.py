"""`--format parquet`: files that pyarrow and duckdb read, equal record by record to the JSON lines
of the same seed, for every codec, with row-group statistics engines can use."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import generate, run_netchaos
from parquet_check import compare_with_jsonl, parquet_rows

START = 1795960800  # 2026-11-29T14:00:00Z
COMMON = ["--rate", "max", "--seed", "11", "--start-time", str(START), "--malformed-prob", "0.02"]


def write_both(tmp_path: Path, count: int, *extra: str) -> tuple[Path, Path]:
    parquet, jsonl = tmp_path / "flows.parquet", tmp_path / "flows.jsonl"
    generate(*COMMON, "--count", str(count), "--output", str(parquet), "--output", str(jsonl), *extra)
    return parquet, jsonl


@pytest.mark.parametrize("codec,thrift_name", [
    ("none", "UNCOMPRESSED"), ("snappy", "SNAPPY"), ("gzip", "GZIP"), ("zstd", "ZSTD"), ("lz4", "LZ4_RAW"),
])  # the codec's name in the footer, as duckdb prints it
def test_every_codec_reads_back_equal_to_jsonl(tmp_path: Path, codec: str, thrift_name: str) -> None:
    # 60,000 rows in groups of 25,000: three row groups, the first two with two pages each.
    parquet, jsonl = write_both(tmp_path, 60_000, "--parquet-compression", codec, "--row-group-size", "25000")
    kinds = compare_with_jsonl(parquet, jsonl)
    assert set(kinds) == {"none", "truncated", "wrong_type", "missing_field", "out_of_range", "bad_ip"}, kinds

    metadata = pq.ParquetFile(parquet).metadata
    assert metadata.num_rows == 60_000
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [25_000, 25_000, 10_000]
    con = duckdb.connect()
    compressions = con.execute(f"SELECT DISTINCT compression FROM parquet_metadata('{parquet}')").fetchall()
    assert compressions == [(thrift_name,)]

    counts = con.execute(
        "SELECT count(*), count(DISTINCT seq), min(seq), max(seq), count(*) FILTER (WHERE label = 'latency_spike') "
        f"FROM read_parquet('{parquet}')"
    ).fetchone()
    records = [json.loads(line) for line in jsonl.read_bytes().splitlines() if b'"seq":' in line and line.endswith(b"}")]
    assert counts[0] == 60_000 and counts[1] == 60_000
    assert counts[4] == sum(1 for r in records if r.get("label") == "latency_spike")


def test_statistics_and_encodings_in_the_footer(tmp_path: Path) -> None:
    parquet, _ = write_both(tmp_path, 30_000, "--row-group-size", "10000")
    rows = parquet_rows(parquet)
    con = duckdb.connect()
    meta = con.execute(
        "SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count, encodings "
        f"FROM parquet_metadata('{parquet}')"
    ).fetchall()
    by_column: dict[tuple[int, str], tuple] = {(r[0], r[1]): r[2:] for r in meta}
    for group in range(3):
        part = rows[group * 10_000:(group + 1) * 10_000]
        seq_min, seq_max, seq_nulls, _ = by_column[(group, "seq")]
        assert (int(seq_min), int(seq_max), seq_nulls) == (min(r["seq"] for r in part), max(r["seq"] for r in part), 0)
        latencies = [r["latency_ms"] for r in part if r["latency_ms"] is not None]
        lat_min, lat_max, lat_nulls, _ = by_column[(group, "latency_ms")]
        assert (int(lat_min), int(lat_max)) == (min(latencies), max(latencies))
        assert lat_nulls == sum(1 for r in part if r["latency_ms"] is None)
        ips = [r["src_ip"] for r in part if r["src_ip"] is not None]
        ip_min, ip_max, _, ip_encodings = by_column[(group, "src_ip")]
        assert (ip_min, ip_max) == (min(ips, key=str.encode), max(ips, key=str.encode))
        assert "RLE_DICTIONARY" in ip_encodings
        assert "RLE_DICTIONARY" not in by_column[(group, "event_id")][3]
        assert "RLE_DICTIONARY" in by_column[(group, "label")][3]
    # Engines skip row groups by these statistics: a query on the last group's seq range reads one group.
    first_seq = rows[20_000]["seq"]
    assert con.execute(f"SELECT count(*) FROM read_parquet('{parquet}') WHERE seq >= {first_seq}").fetchone()[0] == 10_000

    # Key-value metadata: the seed and the generator's settings.
    kv = pq.ParquetFile(parquet).schema_arrow.metadata
    assert kv[b"netchaos.seed"] == b"11"
    assert kv[b"netchaos.dataset"] == b"flow"
    assert json.loads(kv[b"netchaos.chaos"])["malformed_prob"] == 0.02


def test_schema_and_millisecond_timestamps(tmp_path: Path) -> None:
    """The JSON record's shape: `timestamp` is the record's end in milliseconds (TIMESTAMP(MILLIS, UTC),
    equal to end_ms; JSON has its seconds), then the session's course and the ground truth."""
    parquet, jsonl = write_both(tmp_path, 20_000)
    compare_with_jsonl(parquet, jsonl)
    schema = pq.ParquetFile(parquet).schema_arrow
    types = {f.name: (f.type, f.nullable) for f in schema}
    assert schema.names == [
        "timestamp", "event_id", "src_ip", "dst_ip", "src_port", "dst_port", "protocol", "bytes_sent", "bytes_received",
        "latency_ms", "packets_sent", "flags", "app_layer", "tags", "packets_received", "start_ms", "end_ms", "session_id",
        "label", "anomalies", "malformed_kind", "incident_id", "technique", "stage", "generator_id", "seq",
    ]
    assert types["timestamp"] == (pa.timestamp("ms", tz="UTC"), True)
    assert types["packets_received"] == (pa.int32(), False)
    for name in ("start_ms", "end_ms", "session_id", "seq"):
        assert types[name] == (pa.int64(), False), name
    tags = schema.field("tags").type
    assert [f.name for f in tags] == ["env", "region", "security_group", "vpc_id", "account_id"]
    assert all(tags.field(n).type == pa.string() and tags.field(n).nullable for n in ("vpc_id", "account_id"))

    table = pq.read_table(parquet)
    millis = table.column("timestamp").cast(pa.int64()).to_pylist()
    ends, starts = table.column("end_ms").to_pylist(), table.column("start_ms").to_pylist()
    assert all(m == e for m, e in zip(millis, ends) if m is not None)
    assert sum(m is None for m in millis) < 200  # only malformed records lose their timestamp
    assert ends == sorted(ends) and all(s <= e for s, e in zip(starts, ends))
    assert START * 1000 <= ends[0] and ends[-1] < (START + 3600) * 1000
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM read_parquet('{parquet}') WHERE epoch_ms(timestamp) <> end_ms").fetchone() == (0,)
    vpcs = con.execute(f"SELECT count(DISTINCT tags.vpc_id), count(DISTINCT tags.account_id) FROM read_parquet('{parquet}')").fetchone()
    assert vpcs == (4, 2), vpcs  # the built-in network: four VPCs in two accounts


# A network whose clients are 300,000 internet hosts, all equally busy: far more distinct source
# addresses in a row group than a dictionary may hold.
MANY_CLIENTS = """\
network:
  vpcs:
    - {name: prod, cidr: 10.0.0.0/16, account: "123456789012", region: us-east-1, env: Production}
  roles:
    - {name: web, kind: web, vpc: prod, subnets: [10.0.1.0/24], hosts: 40, serves: [tcp/443], clients: {users: 1}, weight: 1}
    - {name: users, kind: internet, subnets: [24.0.0.0/8, 73.0.0.0/8], hosts: 300000, activity: 0}
"""


def test_large_dictionaries_fall_back_to_plain(tmp_path: Path) -> None:
    config = tmp_path / "many.yaml"
    config.write_text(MANY_CLIENTS)
    parquet, jsonl = write_both(tmp_path, 100_000, "--config", str(config), "--row-group-size", "100000")
    compare_with_jsonl(parquet, jsonl)
    metadata = pq.ParquetFile(parquet).metadata
    assert metadata.num_row_groups == 1
    group = metadata.row_group(0)
    column = {group.column(c).path_in_schema: c for c in range(metadata.num_columns)}
    assert len(set(pq.read_table(parquet, columns=["src_ip"]).column("src_ip").to_pylist())) > 65_536
    chunk = group.column(column["src_ip"])
    assert "RLE_DICTIONARY" not in chunk.encodings and chunk.statistics.has_min_max
    assert "RLE_DICTIONARY" in group.column(column["dst_ip"]).encodings


def test_rotation_closes_each_file_with_a_footer(tmp_path: Path) -> None:
    out = tmp_path / "flows.parquet"
    generate(*COMMON, "--count", "40000", "--output", str(out), "--row-group-size", "5000", "--rotate-size", "64KB")
    files = sorted(tmp_path.glob("flows-*.parquet"))
    assert len(files) > 1
    seqs = [row["seq"] for f in files for row in parquet_rows(f)]
    assert len(seqs) == 40_000 and len(set(seqs)) == 40_000


def test_bad_codec_is_a_clear_error(tmp_path: Path) -> None:
    result = run_netchaos("generate", "--count", "10", "--output", str(tmp_path / "f.parquet"), "--parquet-compression", "brotli")
    assert result.returncode != 0
    assert "output.parquet.compression" in result.stderr and "brotli" in result.stderr
    assert not (tmp_path / "f.parquet").exists()
