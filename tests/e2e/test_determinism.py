"""5. Same seed and start time: byte-identical output across runs and worker counts, in every format."""

from __future__ import annotations

import hashlib

import pytest

from conftest import generate, parse_jsonl, read_gzip

START = 1795960800  # 2026-11-29T14:00:00Z
START_ISO = "2026-11-29T14:00:00Z"
N = 60_000  # not a multiple of the 4096-record chunk
# 200 records per simulated second: five minutes of event time, so VPC capture windows end (NODATA,
# SKIPDATA) and the AWS layout has files of two five-minute periods; scans, malformed and dropped records.
ARGS = ["--count", str(N), "--rate", "max", "--seed", "31337", "--time-rate", "200", "--scan-interval", "1",
        "--malformed-prob", "0.01", "--drop-prob", "0.01", "--vpc-skipdata-prob", "0.01", "--vpc-version", "5",
        "--row-group-size", "25000"]


def digests(directory, *extra: str) -> dict:
    directory.mkdir()
    result = generate(
        *ARGS,
        "--output", str(directory / "out.jsonl"), "--output", str(directory / "out.csv"),
        "--output", str(directory / "out.json.gz"), "--output", str(directory / "out.parquet"),
        "--output", str(directory / "out.vpc"), "--output", f"{directory / 'aws'}/", *extra,
    )
    assert result.summary["total"] == N
    out = {
        "jsonl": (directory / "out.jsonl").read_bytes(),
        "csv": (directory / "out.csv").read_bytes(),
        "json.gz": read_gzip(directory / "out.json.gz"),
        "parquet": (directory / "out.parquet").read_bytes(),
        "vpc": (directory / "out.vpc").read_bytes(),
    }
    for data in out.values():
        assert len(data) > 1_000_000
    aws = sorted(p for p in (directory / "aws").rglob("*") if p.is_file())
    assert len(aws) >= 4, aws
    layout = hashlib.sha256()
    for path in aws:
        layout.update(path.relative_to(directory / "aws").as_posix().encode() + b"\0" + read_gzip(path) + b"\0")
    return ({k: hashlib.sha256(v).hexdigest() for k, v in out.items()}
            | {"aws": layout.hexdigest(), "_jsonl": out["jsonl"], "_vpc": out["vpc"]})


FORMATS = ("jsonl", "csv", "json.gz", "parquet", "vpc", "aws")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return digests(tmp_path_factory.mktemp("det") / "ref", "--workers", "2", "--start-time", str(START))


def test_reference_output_has_every_kind_of_record(reference):
    parsed = parse_jsonl(reference["_jsonl"])
    labels = {r["label"] for r in parsed.parseable}
    assert labels == {"normal", "latency_spike", "connection_reset", "exfiltration", "port_scan", "malformed"}
    assert parsed.unparseable  # truncated records are part of what must be reproduced
    seqs = [r["seq"] for r in parsed.parseable]
    assert seqs[-1] - seqs[0] + 1 > len(parsed.lines), "dropped records leave gaps in seq"
    assert reference["json.gz"] == reference["jsonl"]
    fields = [line.split(b" ") for line in reference["_vpc"].splitlines()[1:]]
    statuses = {f[13] for f in fields if len(f) == 29}  # (a truncated line is shorter)
    assert statuses == {b"OK", b"NODATA", b"SKIPDATA"}, statuses


@pytest.mark.parametrize("workers", ["1", "2", "4"])
def test_identical_across_workers_and_runs(tmp_path, reference, workers):
    got = digests(tmp_path / "run", "--workers", workers, "--start-time", str(START))
    for fmt in FORMATS:
        assert got[fmt] == reference[fmt], f"{fmt} differs with --workers {workers}"


def test_iso_start_time_is_the_same_instant(tmp_path, reference):
    got = digests(tmp_path / "iso", "--workers", "3", "--start-time", START_ISO)
    for fmt in FORMATS:
        assert got[fmt] == reference[fmt], fmt


def test_another_seed_differs(tmp_path, reference):
    got = digests(tmp_path / "seed", "--workers", "2", "--start-time", str(START), "--seed", "31338")
    for fmt in FORMATS:
        assert got[fmt] != reference[fmt], fmt
