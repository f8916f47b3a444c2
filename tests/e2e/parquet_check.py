"""Reads Parquet files written by netchaos with the reference readers (pyarrow, duckdb) and
compares them with the JSON lines of the same seed, record by record."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

INCIDENT_FIELDS = ("incident_id", "technique", "stage")

# Malformed kinds whose JSON line still parses, and what Parquet holds for them.
WRONG_TYPE_FIELDS = {"timestamp", "src_port", "dst_port", "bytes_sent", "latency_ms", "protocol", "flags"}


def parquet_rows(path: Path) -> list[dict]:
    """Every row as a dict, timestamps back to Unix seconds as in the JSON lines."""
    rows = pq.read_table(path).to_pylist()
    for row in rows:
        if row["timestamp"] is not None:
            row["timestamp"] = int(row["timestamp"].timestamp())
    return rows


def canonical_json(row: dict) -> str:
    """The row as netchaos writes a JSON line (compact, in the JSON order, no null malformed_kind, the
    incident's fields only for a record an incident produced)."""
    record = {k: v for k, v in row.items() if not (k == "malformed_kind" and v is None) and k not in INCIDENT_FIELDS}
    if row.get("incident_id") is not None:
        tail = {k: record.pop(k) for k in ("generator_id", "seq")}
        record.update({k: row[k] for k in INCIDENT_FIELDS})
        record.update(tail)
    return json.dumps(record, separators=(",", ":"))


def expected_from_json(record: dict) -> dict:
    """What the Parquet row of a parseable JSON record holds: wrong-typed and missing fields are null."""
    expected = dict(record)
    expected.setdefault("malformed_kind", None)
    for name in INCIDENT_FIELDS:
        expected.setdefault(name, None)
    kind = record.get("malformed_kind")
    for name in ["timestamp", "event_id", "src_ip", "dst_ip", "src_port", "dst_port", "protocol",
                 "bytes_sent", "bytes_received", "latency_ms", "packets_sent", "flags", "app_layer", "tags"]:
        if name not in record:
            expected[name] = None
    if kind == "wrong_type":
        for name in WRONG_TYPE_FIELDS:
            value = record.get(name)
            wrong = (
                (name == "protocol" and not isinstance(value, str))
                or (name == "flags" and not isinstance(value, list))
                or (name not in ("protocol", "flags") and not isinstance(value, int))
            )
            if name in record and wrong:
                expected[name] = None
    return expected


def compare_with_jsonl(parquet_path: Path, jsonl_path: Path) -> dict[str, int]:
    """Asserts row i of the Parquet file is JSON line i; returns counts by malformed kind."""
    rows = parquet_rows(parquet_path)
    lines = jsonl_path.read_bytes().splitlines()
    assert len(rows) == len(lines), (len(rows), len(lines))
    kinds: dict[str, int] = {}
    for i, (row, line) in enumerate(zip(rows, lines)):
        kind = row["malformed_kind"]
        kinds[kind or "none"] = kinds.get(kind or "none", 0) + 1
        text = line.decode()
        if kind is None:
            assert canonical_json(row) == text, f"row {i}: {row} != {text}"
        elif kind == "truncated":
            # The line is a cut of the whole record, which Parquet keeps.
            assert canonical_json(row).startswith(text), f"row {i}: {text!r} is not a prefix of {canonical_json(row)!r}"
        else:
            assert row == expected_from_json(json.loads(text)), f"row {i} ({kind}): {row} vs {text}"
    return kinds
