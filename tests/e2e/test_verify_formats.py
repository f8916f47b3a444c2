"""`netchaos verify` reads Parquet and CSV records, not only JSON lines: the generator's own Parquet and
CSV files with their manifest are accounted for slot by slot; the same files rewritten by pyarrow or
Python's csv module without some rows, or with rows twice, name exactly the missing ranges and the
duplicates; files pyarrow and pandas write themselves (their own writer settings: snappy,
dictionaries, data pages v1 and v2, gzip) are read; the sink's Parquet objects too; and a Parquet
object verify cannot read is an error naming it."""
from __future__ import annotations

import csv
import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from conftest import START_ISO, generate, run_netchaos, verify_json
from ingest_support import Process, wait_until

COUNT, SEED = 12_000, 17


def ranges(seqs) -> list[str]:
    """Sorted slots as verify names them: `40-44`, `299`."""
    out: list[list[int]] = []
    for seq in sorted(seqs):
        if out and out[-1][1] + 1 == seq:
            out[-1][1] = seq
        else:
            out.append([seq, seq])
    return [f"{a}-{b}" if a != b else f"{a}" for a, b in out]


def expand(names: list[str]) -> set[int]:
    slots: set[int] = set()
    for name in names:
        first, _, last = name.partition("-")
        slots.update(range(int(first), int(last or first) + 1))
    return slots


def generated(tmp_path: Path, fmt: str, *extra: str) -> tuple[Path, dict]:
    """A directory holding the generator's `flows.<fmt>` and `run.manifest.json`."""
    store = tmp_path / f"store-{fmt}"
    store.mkdir()
    generate("--rate", "max", "--count", str(COUNT), "--seed", str(SEED), "--start-time", START_ISO, "--format", fmt,
             "--output", str(store / f"flows.{fmt}"), "--manifest", str(store / "run.manifest.json"), *extra)
    manifest = json.loads((store / "run.manifest.json").read_text())
    assert manifest["records"] == COUNT and manifest["dropped"] and manifest["malformed"]
    return store, manifest


def planned_drops(manifest: dict) -> set[int]:
    return {seq for first, last in manifest["dropped"] for seq in range(first, last + 1)}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_generators_parquet_and_csv_are_accounted_for(tmp_path, fmt):
    extra = ("--row-group-size", "5000", "--labels", "sidecar") if fmt == "parquet" else ()
    store, manifest = generated(tmp_path, fmt, *extra)
    code, report = verify_json("--store", str(store))
    assert code == 0, report["problems"]
    assert report["ok"] and report["records"] == COUNT
    assert report["objects_read"] == 2  # the records and the manifest
    # The label sidecar is not records.
    assert report["objects_skipped"] == (["flows.labels.jsonl"] if fmt == "parquet" else [])
    [g] = report["generators"]
    assert g["generator_id"] == manifest["generator_id"] and g["manifest"] is True
    assert g["expected_slots"] == manifest["slots"] and g["planned_drops"] == len(planned_drops(manifest))
    assert g["duplicated"] == 0 and g["lost"] == 0
    truncated = set(manifest["malformed"].get("truncated", []))
    assert truncated, "the default chaos cuts records short"
    if fmt == "parquet":
        # A typed file keeps a record cut short whole: every record names its slot.
        assert report["records_without_slot"] == 0 and g["missing"] == 0
        assert g["present"] == COUNT
    else:
        # A CSV row cut short stops before its slot's cells: exactly the truncated records.
        assert report["records_without_slot"] == len(truncated)
        assert expand(g["missing_ranges"]) == truncated and g["missing_refusable"] == len(truncated)
        assert g["present"] == COUNT - len(truncated)
    assert g["present"] + g["planned_drops"] + report["records_without_slot"] == manifest["slots"]


def test_parquet_rewritten_by_pyarrow_without_rows_or_with_rows_twice(tmp_path):
    store, manifest = generated(tmp_path, "parquet", "--row-group-size", "5000")
    path = store / "flows.parquet"
    table = pq.read_table(path)
    assert table.num_rows == COUNT
    drops = planned_drops(manifest)
    seqs = table.column("seq").to_pylist()
    # Rows left out: a range, single slots, the first and the last slot.
    leave_out = set(range(100, 150)) | {5000, 7777, 7778, 7779, seqs[0], max(seqs)}
    kept = table.filter(pc.invert(pc.is_in(table["seq"], value_set=pa.array(sorted(leave_out), pa.int64()))))
    pq.write_table(kept, path)  # pyarrow's defaults: snappy, dictionaries, data pages v1
    assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "SNAPPY"
    code, report = verify_json("--store", str(store))
    assert code == 1 and not report["ok"]
    [g] = report["generators"]
    missing = sorted(leave_out - drops)
    assert g["missing_ranges"] == ranges(missing)
    assert g["missing"] == len(missing) and g["lost"] == len(missing) and g["duplicated"] == 0
    assert any(f"{len(missing)} slots lost" in p for p in report["problems"]), report["problems"]

    # The whole table again, with four rows twice, as data pages v2 in zstd.
    again = pa.concat_tables([table, table.slice(10, 1), table.take([200, 201, 202])])
    pq.write_table(again, path, compression="zstd", data_page_version="2.0", row_group_size=4000)
    code, report = verify_json("--store", str(store))
    assert code == 1
    [g] = report["generators"]
    twice = [seqs[10], seqs[200], seqs[201], seqs[202]]
    assert g["duplicated"] == 4 and g["duplicate_sample"] == twice
    assert g["missing"] == 0 and g["present"] == COUNT
    assert any("4 duplicates" in p for p in report["problems"]), report["problems"]


@pytest.mark.parametrize("options", [
    {},  # pyarrow's defaults: snappy, dictionaries, data pages v1
    {"compression": "gzip", "data_page_version": "2.0", "use_dictionary": False},
    {"compression": "zstd", "data_page_version": "2.0", "data_page_size": 4096},
    {"compression": "none", "use_dictionary": ["generator_id"]},
    {"compression": "lz4", "data_page_version": "2.0"},
], ids=["defaults", "gzip-v2-plain", "zstd-v2-small-pages", "uncompressed", "lz4-v2"])
def test_a_file_pyarrow_writes_itself_is_read(tmp_path, options):
    store = tmp_path / "store"
    store.mkdir()
    n = 7_000
    ids = ["gen-py-a" if i % 3 else "gen-py-b" for i in range(n)]
    counters = {"gen-py-a": 0, "gen-py-b": 0}
    seqs: list[int | None] = []
    for gid in ids:
        seqs.append(counters[gid])
        counters[gid] += 1
    unnamed = seqs[17]  # gen-py-a's slot of row 17 loses its seq: a record without a slot
    seqs[17] = None
    table = pa.table({
        "timestamp": pa.array(range(n), pa.int64()),
        "note": [None if i % 4 == 0 else f"row {i}, \"quoted\"" for i in range(n)],
        "generator_id": pa.array(ids, pa.string()),
        "seq": pa.array(seqs, pa.int64()),
        "bytes": [float(i) / 3 for i in range(n)],
    })
    pq.write_table(table, store / "py.parquet", row_group_size=2_000, **options)
    # pyarrow's INT32 seq, alone in a file of its own generator.
    pq.write_table(pa.table({"seq": pa.array(range(50), pa.int32()), "generator_id": ["gen-py-c"] * 50}), store / "py32.parquet")
    # A table without the slot columns: records that name no slot.
    pq.write_table(pa.table({"x": list(range(30))}), store / "other.parquet")
    (store / "a.manifest.json").write_text(json.dumps(
        {"generator_id": "gen-py-a", "slots": counters["gen-py-a"], "records": counters["gen-py-a"], "dropped": [], "malformed": {"wrong_type": [unnamed]}}))
    (store / "b.manifest.json").write_text(json.dumps({"generator_id": "gen-py-b", "slots": counters["gen-py-b"], "dropped": []}))
    code, report = verify_json("--store", str(store))
    assert code == 0, report["problems"]
    assert report["records"] == n + 50 + 30 and report["records_without_slot"] == 1 + 30
    by_id = {g["generator_id"]: g for g in report["generators"]}
    assert by_id["gen-py-a"]["present"] == counters["gen-py-a"] - 1
    assert by_id["gen-py-a"]["missing_ranges"] == [str(unnamed)] and by_id["gen-py-a"]["missing_refusable"] == 1
    assert by_id["gen-py-b"]["present"] == counters["gen-py-b"] and by_id["gen-py-b"]["missing"] == 0
    assert by_id["gen-py-c"]["present"] == 50 and by_id["gen-py-c"]["manifest"] is False


def test_csv_rewritten_by_the_csv_module_without_rows_or_with_rows_twice(tmp_path):
    store, manifest = generated(tmp_path, "csv")
    path = store / "flows.csv"
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    seq_at = header.index("seq")
    truncated = set(manifest["malformed"]["truncated"])
    whole = [r for r in body if len(r) == len(header)]
    assert len(body) - len(whole) == len(truncated), "the rows cut short are the truncated records"
    leave_out = {int(r[seq_at]) for r in whole[300:340]} | {int(whole[-1][seq_at])}
    kept = [r for r in body if len(r) != len(header) or int(r[seq_at]) not in leave_out]
    # The csv module quotes only what needs it and ends lines with \r\n.
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([header, *kept])
    code, report = verify_json("--store", str(store))
    assert code == 1
    [g] = report["generators"]
    assert expand(g["missing_ranges"]) == leave_out | truncated
    assert g["lost"] == len(leave_out) and g["missing_refusable"] == len(truncated) and g["duplicated"] == 0

    twice = [whole[5], whole[6], whole[4000]]
    with gzip.open(store / "flows.csv.gz", "wt", newline="") as f:
        csv.writer(f).writerows([header, *twice])
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([header, *body])
    code, report = verify_json("--store", str(store))
    assert code == 1
    [g] = report["generators"]
    assert report["objects_read"] == 3
    assert g["duplicated"] == 3 and sorted(g["duplicate_sample"]) == sorted(int(r[seq_at]) for r in twice)
    assert expand(g["missing_ranges"]) == truncated and g["lost"] == 0


def test_a_csv_pandas_writes_is_read(tmp_path):
    store = tmp_path / "store"
    store.mkdir()
    n = 3_000
    frame = pd.DataFrame({
        "note": [f"line {i}\nwith \"quotes\", commas" if i % 5 == 0 else f"plain {i}" for i in range(n)],
        "generator_id": ["gen-pd, \"quoted\""] * n,
        "seq": range(n),
        "amount": [i * 0.5 for i in range(n)],
    })
    frame.iloc[: n // 2].to_csv(store / "first.csv", index=False)
    frame.iloc[n // 2:].to_csv(store / "second.csv.gz", index=False, compression="gzip")
    (store / "run.manifest.json").write_text(json.dumps({"generator_id": "gen-pd, \"quoted\"", "slots": n, "dropped": []}))
    code, report = verify_json("--store", str(store))
    assert code == 0, report["problems"]
    [g] = report["generators"]
    assert g["generator_id"] == "gen-pd, \"quoted\"" and g["present"] == n and report["records_without_slot"] == 0


def test_an_unreadable_parquet_object_is_an_error_naming_it(tmp_path):
    store, _ = generated(tmp_path, "parquet")
    path = store / "flows.parquet"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = run_netchaos("verify", "--store", str(store))
    assert result.returncode == 2
    assert "flows.parquet: not a readable Parquet file: the file does not end with PAR1" in result.stderr
    # Garbage over the pages of the seq column, the footer intact.
    path.write_bytes(data)
    meta = pq.ParquetFile(path).metadata.row_group(0)
    [chunk] = [meta.column(i) for i in range(meta.num_columns) if meta.column(i).path_in_schema == "seq"]
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    damaged = bytearray(data)
    damaged[start:start + chunk.total_compressed_size] = bytes(i * 7 % 256 for i in range(chunk.total_compressed_size))
    path.write_bytes(bytes(damaged))
    result = run_netchaos("verify", "--store", str(store))
    assert result.returncode == 2
    assert "flows.parquet: not a readable Parquet file: column seq, row group 0" in result.stderr, result.stderr


def test_parquet_and_csv_under_the_dead_letter_prefix_are_skipped(tmp_path):
    store, manifest = generated(tmp_path, "parquet")
    (store / "dlq").mkdir()
    shutil.copy(store / "flows.parquet", store / "dlq" / "copy.parquet")
    (store / "dlq" / "copy.csv").write_text("generator_id,seq\nx,1\n")
    code, report = verify_json("--store", str(store))
    assert code == 0, report["problems"]
    assert sorted(report["objects_skipped"]) == ["dlq/copy.csv", "dlq/copy.parquet"]
    assert report["records"] == COUNT and report["dead_letters"] == 0


def test_the_sinks_parquet_objects_are_read_by_up_and_by_verify(tmp_path):
    """`up` with SINK_FORMAT=parquet: the sink stores Parquet objects (every top-level field
    optional); up's own reconciliation and verify read them slot by slot."""
    store = tmp_path / "data"
    up = Process(["up", "--port", "0", "--host", "127.0.0.1", "--rate", "3000", "--seed", "31", "--store", f"file:{store}",
                  "--flush-interval", "300ms", "--batch-size", "500", "--reconcile-interval", "300ms", "--switches", "5",
                  "--log-interval", "0"], env={"LOAD_CURVE": "off", "SINK_FORMAT": "parquet", "DROP_PROB": "0.01", "MALFORMED_PROB": "0.01"})
    try:
        up.wait_for("up listening", timeout=120)
        wait_until(lambda: store.exists() and len(list(store.rglob("*.parquet"))) >= 6, 120, "six Parquet objects")
    finally:
        code = up.stop()
    assert code == 0, up.text.decode(errors="replace")[-3000:]
    verdict = next(e for e in up.read() if e.get("msg", "").startswith("reconciliation: every slot is present"))
    assert int(verdict["present"]) > 0 and int(verdict["lost"]) == 0 and int(verdict["duplicates"]) == 0
    objects = list(store.rglob("*.parquet"))
    rows = sum(pq.ParquetFile(p).metadata.num_rows for p in objects if "ingest" in p.parts)
    assert pq.ParquetFile(objects[0]).schema_arrow.field("seq").nullable
    result = subprocess.run([*Process.command(), "verify", "--json", "--store", f"file:{store}"], capture_output=True, timeout=120,
                            env=Process.environment())
    assert result.returncode == 0, result.stdout.decode()[-2000:] + result.stderr.decode()[-2000:]
    report = json.loads(result.stdout)
    [g] = report["generators"]
    assert report["records"] == rows and g["present"] == int(verdict["present"]) == rows - report["records_without_slot"]
    assert g["lost"] == 0 and g["duplicated"] == 0
