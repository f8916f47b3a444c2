"""7. Several outputs at once, and 8. size rotation."""

from __future__ import annotations

import csv
import io
import re

import pyarrow.parquet as pq
import pytest

from conftest import CSV_HEADER, generate, parse_jsonl, read_gzip

START = 1795960800  # 2026-11-29T14:00:00Z
N = 50_000
COLUMNS = len(CSV_HEADER.split(","))
SEQ = CSV_HEADER.split(",").index("seq")
EXTRAS = CSV_HEADER.split(",").index("packets_received")  # packets_received ... seq: never broken
VPC_HEADER = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
              "action log-status")


def csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith(CSV_HEADER + "\n"), text[:300]
    return list(csv.reader(io.StringIO(text[len(CSV_HEADER) + 1:])))


def csv_view(record: dict) -> list[str]:
    """The CSV row a well-formed JSON record must have."""
    app, tags = record["app_layer"], record["tags"]
    return [
        str(record["timestamp"]), record["event_id"], record["src_ip"], record["dst_ip"], str(record["src_port"]),
        str(record["dst_port"]), record["protocol"], str(record["bytes_sent"]), str(record["bytes_received"]),
        str(record["latency_ms"]), str(record["packets_sent"]), ",".join(record["flags"]), app["protocol"],
        app["method"], app["host"], str(app["status_code"]), tags["env"], tags["region"], tags["security_group"],
        tags["vpc_id"], tags["account_id"], *extras(record),
    ]


def extras(record: dict) -> list[str]:
    """The columns after the original fields, which a malformed record keeps whole."""
    return [
        str(record["packets_received"]), str(record["start_ms"]), str(record["end_ms"]), str(record["session_id"]),
        record["label"], ",".join(record["anomalies"]), record.get("malformed_kind", ""), record.get("incident_id", ""),
        record.get("technique") or "", record.get("stage", ""), record["generator_id"], str(record["seq"]),
    ]


def test_every_output_gets_every_record(tmp_path):
    jsonl, csv_path, gz = tmp_path / "all.jsonl", tmp_path / "sub" / "all.csv", tmp_path / "all.json.gz"
    parquet, vpc = tmp_path / "all.parquet", tmp_path / "all.vpc"
    result = generate(
        "--count", str(N), "--rate", "max", "--seed", "8", "--start-time", str(START), "--malformed-prob", "0.01",
        "--output", "-", "--output", str(jsonl), "--output", str(csv_path), "--output", str(gz),
        "--output", str(parquet), "--output", str(vpc),
    )
    stdout = result.stdout
    file_jsonl = jsonl.read_bytes()
    gz_jsonl = read_gzip(gz)
    csv_bytes = csv_path.read_bytes()
    # Same records everywhere: the JSON outputs are byte-identical.
    assert file_jsonl == stdout
    assert gz_jsonl == stdout
    parsed = parse_jsonl(stdout)
    assert len(parsed.lines) == N
    seqs = [r["seq"] for r in parsed.parseable]
    assert len(seqs) > N * 0.99 and seqs == sorted(set(seqs))

    # CSV: one row per JSON record, with the same content.
    rows = csv_rows(csv_bytes)
    assert len(rows) == N
    compared = 0
    for record, row in zip(parsed.records, rows):
        if record is None:
            assert len(row) < COLUMNS, row  # truncated in CSV as well
            continue
        if "malformed" in record["anomalies"]:
            assert len(row) == COLUMNS and row[EXTRAS:] == extras(record), (row, record)
            assert record["label"] == "malformed"
            continue
        assert row == csv_view(record), (row, record)
        compared += 1
    assert compared > N * 0.98
    assert [int(r[SEQ]) for r in rows if len(r) == COLUMNS] == seqs

    # Parquet: a row per record, in the same order.
    # (a truncated JSON line is a whole row in Parquet, so its seq is there too).
    parquet_seqs = pq.read_table(parquet, columns=["seq"]).column("seq").to_pylist()
    assert len(parquet_seqs) == N and parquet_seqs == sorted(set(parquet_seqs)) and set(seqs) <= set(parquet_seqs)
    # VPC flow logs: the header, then the lines the interfaces log for every record (one per
    # interface and direction, so more lines than records).
    vpc_lines = vpc.read_text().splitlines()
    assert vpc_lines[0] == VPC_HEADER
    assert len(vpc_lines) - 1 > N

    # The summary's per-output numbers match what is on disk.
    summary = result.summary
    assert summary["total"] == N
    assert len(summary["outputs"]) == 6
    for o in summary["outputs"]:
        assert o["records"] == N, o
    assert result.output("stdout")["bytes"] == len(stdout)
    assert result.output("stdout")["files"] == []
    for path in (jsonl, csv_path, gz, parquet, vpc):
        entry = result.output(path.name)
        assert entry["bytes"] == path.stat().st_size, entry
        assert entry["files"] == [str(path)], entry
    assert summary["errors"] == []


def test_csv_quoting_of_lists():
    result = generate("--count", "2000", "--rate", "max", "--seed", "4", "--start-time", str(START),
                      "--format", "csv", "--error-rate-prob", "0.5", "--latency-spike-prob", "0.5",
                      "--malformed-prob", "0")
    text = result.stdout.decode()
    assert text.startswith(CSV_HEADER + "\n")
    assert ',"RST,ACK,PSH",' in text and ',"SYN,RST,ACK",' in text  # in the order SYN FIN RST ACK PSH URG
    # Two anomalies in one record (a degraded server that also fails, while one incident ends and
    # the next begins) are rare in 2,000 records; the CSV encoder's own tests quote such lists.
    rows = list(csv.reader(io.StringIO(text)))
    assert all(len(r) == COLUMNS for r in rows)


LIMIT = 256 * 1024


def rotated(directory, stem: str, ext: str) -> list:
    files = sorted(directory.glob(f"{stem}-*{ext}"))
    names = [f.name for f in files]
    assert names == [f"{stem}-{i:06d}{ext}" for i in range(1, len(files) + 1)], names
    return files


def test_rotation(tmp_path):
    count = 20_000
    common = ["--count", str(count), "--rate", "max", "--seed", "12", "--start-time", str(START)]
    rot, flat = tmp_path / "rot", tmp_path / "flat"
    result = generate(*common, "--rotate-size", "256KB", "--output", str(rot / "r.jsonl"),
                      "--output", str(rot / "r.csv"), "--output", str(rot / "r.json.gz"), "--output", str(rot / "r.vpc"))
    generate(*common, "--output", str(flat / "r.jsonl"), "--output", str(flat / "r.csv"),
             "--output", str(flat / "r.json.gz"), "--output", str(flat / "r.vpc"))

    whole_jsonl = (flat / "r.jsonl").read_bytes()
    whole_csv = (flat / "r.csv").read_bytes()
    assert not (rot / "r.jsonl").exists() and not (rot / "r.csv").exists()

    # JSONL: several files, none over the limit by more than its last record, concatenation intact.
    files = rotated(rot, "r", ".jsonl")
    assert len(files) >= 5
    parts = []
    for f in files:
        data = f.read_bytes()
        assert data.endswith(b"\n"), f  # records are never split across files
        last = data[:-1].rsplit(b"\n", 1)[-1] + b"\n"
        assert len(data) - len(last) < LIMIT, (f.name, len(data))
        assert len(data) <= LIMIT + len(last)
        parts.append(data)
    assert b"".join(parts) == whole_jsonl
    assert result.output("r.jsonl")["files"] == [str(f) for f in files]

    # CSV: every file starts with the header; without the repeated headers it is the whole file.
    files = rotated(rot, "r", ".csv")
    assert len(files) >= 3
    header = (CSV_HEADER + "\n").encode()
    body = []
    for f in files:
        data = f.read_bytes()
        assert data.startswith(header), f
        assert data.endswith(b"\n")
        last = data[:-1].rsplit(b"\n", 1)[-1] + b"\n"
        assert len(data) - len(last) < LIMIT, (f.name, len(data))
        assert data.count(b"\n") > 1, f"{f.name} holds no record"
        body.append(data[len(header):])
    assert header + b"".join(body) == whole_csv
    assert result.output("r.csv")["files"] == [str(f) for f in files]

    # json.gz: several complete gzip files that decompress to the whole output.
    files = rotated(rot, "r", ".json.gz")
    assert len(files) >= 2
    assert b"".join(read_gzip(f) for f in files) == whole_jsonl
    assert result.output("r.json.gz")["files"] == [str(f) for f in files]

    # VPC flow logs: every file starts with the header, as AWS delivers them; without the repeated
    # headers it is the whole file. A record's lines are a few hundred bytes.
    files = rotated(rot, "r", ".vpc")
    assert len(files) >= 5
    header = (VPC_HEADER + "\n").encode()
    body = []
    for i, f in enumerate(files):
        data = f.read_bytes()
        assert data.startswith(header) and data.endswith(b"\n"), f
        assert len(data) < LIMIT + 4096, (f.name, len(data))
        assert i == len(files) - 1 or len(data) >= LIMIT - 4096, (f.name, len(data))
        assert data.count(b"\n") > 1, f"{f.name} holds no record"
        body.append(data[len(header):])
    assert header + b"".join(body) == (flat / "r.vpc").read_bytes()
    assert result.output("r.vpc")["files"] == [str(f) for f in files]
    for o in result.summary["outputs"]:
        assert o["records"] == count


@pytest.mark.parametrize("size", ["64KB", "65536"])
def test_rotation_at_minimum_size(tmp_path, size):
    result = generate("--count", "3000", "--rate", "max", "--seed", "1", "--start-time", str(START),
                      "--rotate-size", size, "--output", str(tmp_path / "m.jsonl"))
    files = rotated(tmp_path, "m", ".jsonl")
    assert len(files) >= 10
    assert sum(f.read_bytes().count(b"\n") for f in files) == 3000
    for f in files:
        data = f.read_bytes()
        last = data[:-1].rsplit(b"\n", 1)[-1] + b"\n"
        assert len(data) - len(last) < 65536, (f.name, len(data))
    assert result.summary["total"] == 3000


def test_format_applies_to_stdout_and_files_without_a_known_extension(tmp_path):
    """--format is for stdout and extension-less files; a .jsonl file stays JSON lines."""
    plain, named = tmp_path / "flows.out", tmp_path / "flows.jsonl"
    result = generate("--count", "100", "--rate", "max", "--seed", "2", "--start-time", str(START), "--format", "csv",
                      "--output", "-", "--output", str(plain), "--output", str(named))
    assert result.stdout.decode().startswith(CSV_HEADER + "\n")
    assert plain.read_bytes() == result.stdout
    data = named.read_bytes()
    assert data.startswith(b'{"timestamp":'), f"{named.name} does not hold JSON lines: {data[:120]!r}"
    assert len(parse_jsonl(data).lines) == 100
    assert "(jsonl)" in result.output("flows.jsonl")["name"]
