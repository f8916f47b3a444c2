"""`--dataset transactions`: seed 003's settled bets with fraud-style chaos, in every format,
checked against the reference data and across formats record by record."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from conftest import START, START_ISO, generate, run_netchaos

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = json.loads((ROOT / "examples/reference/transactions.json").read_text())
MICRO = Decimal("0.000001")
AMOUNTS = ["bet_amount", "win_amount", "win_loss", "exchange_rate", "bet_amount_usd", "win_loss_usd"]


def run(tmp_path: Path, count: int, *extra: str) -> dict[str, Path]:
    paths = {f: tmp_path / f"tx.{f}" for f in ("jsonl", "csv", "parquet")}
    generate("--dataset", "transactions", "--rate", "max", "--count", str(count), "--seed", "21", "--start-time",
             START_ISO, *[a for p in paths.values() for a in ("--output", str(p))], *extra)
    return paths


def test_records_follow_the_reference_data_and_the_chaos_is_labelled(tmp_path: Path) -> None:
    paths = run(tmp_path, 40_000)
    records = [json.loads(line) for line in paths["jsonl"].read_text().splitlines()]
    assert len(records) == 40_000
    vendors = {v["id"]: v for v in REFERENCE["vendors"]}
    categories = {c["id"]: c for c in REFERENCE["game_categories"]}
    currencies = {c["id"]: c for c in REFERENCE["currencies"]}
    code_id = {c["code"]: c["id"] for c in REFERENCE["currencies"]}
    agents = {a["agent_id"]: a for a in REFERENCE["agents"]}
    first_by_bet: dict[str, dict] = {}
    labels: dict[str, int] = {}
    previous_time = None
    for r in records:
        labels[r["label"]] = labels.get(r["label"], 0) + 1
        settled = datetime.strptime(r["settled_at"], "%Y-%m-%dT%H:%M:%S.%f%z")
        assert r["id"] == f"TXN-{settled:%Y%m%d}-{r['seq']:08d}"
        assert previous_time is None or settled >= previous_time or "duplicate_settlement" in r["anomalies"]
        previous_time = settled
        bet_number = int(r["vendor_bet_id"].removeprefix("BET-"))
        assert r["external_transaction_id"] == f"EXT-{r['vendor_code']}-{bet_number:08d}"
        assert r["round_id"] == f"ROUND-{bet_number // 10:08d}"
        vendor = vendors[r["vendor_id"]]
        assert vendor["code"] == r["vendor_code"]
        assert vendor["id"] * 100 < r["vendor_line_id"] <= vendor["id"] * 100 + vendor["lines"]
        assert r["game_category_id"] in vendor["categories"]
        category = categories[r["game_category_id"]]
        assert category["name"] == r["game_category"]
        agent = agents[r["agent_id"]]
        assert (agent["house_id"], agent["master_agent_id"]) == (r["house_id"], r["master_agent_id"])
        assert code_id[agent["currency"]] == r["currency_id"]
        amounts = {k: Decimal(r[k]) for k in AMOUNTS}
        assert all(re.fullmatch(r"-?\d+\.\d{6}", r[k]) for k in AMOUNTS)
        assert amounts["win_loss"] == amounts["win_amount"] - amounts["bet_amount"]
        rate = Decimal(str(currencies[r["currency_id"]]["usd_rate"])).quantize(MICRO)
        assert amounts["exchange_rate"] == rate
        # The rates are used: dollars are the amounts times the rate (to the micro-unit).
        assert abs(amounts["bet_amount_usd"] - amounts["bet_amount"] * rate) <= MICRO
        assert abs(amounts["win_loss_usd"] - amounts["win_loss"] * rate) <= MICRO
        assert amounts["bet_amount"] > 0
        ratio = amounts["win_amount"] / amounts["bet_amount"]
        mismatch = currencies[r["currency_id"]]["code"] != r["currency_code"]
        assert mismatch == ("currency_mismatch" in r["anomalies"])
        if "impossible_win_ratio" in r["anomalies"]:
            assert ratio > Decimal(category["max_multiplier"]) * 9
        elif ratio > 0:
            assert ratio <= Decimal(category["max_multiplier"]) + Decimal("0.01")
        if "duplicate_settlement" in r["anomalies"]:
            original = first_by_bet[r["external_transaction_id"]]
            assert original["id"] != r["id"]
            assert [original[k] for k in ("vendor_bet_id", "round_id", *AMOUNTS)] == [r[k] for k in ("vendor_bet_id", "round_id", *AMOUNTS)]
        else:
            assert r["external_transaction_id"] not in first_by_bet
            first_by_bet[r["external_transaction_id"]] = r
        assert r["label"] == (r["anomalies"][-1] if r["anomalies"] else "normal")
    assert set(labels) == {"normal", "duplicate_settlement", "currency_mismatch", "impossible_win_ratio"}, labels
    assert 0.005 < labels["duplicate_settlement"] / len(records) < 0.02


def as_text(row: dict) -> dict:
    """A Parquet or CSV row in the JSON record's types."""
    out = {}
    for key, value in row.items():
        if isinstance(value, Decimal):
            value = f"{value:.6f}"
        elif isinstance(value, datetime):
            value = value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
        out[key] = value
    return out


def test_jsonl_csv_and_parquet_hold_the_same_records(tmp_path: Path) -> None:
    paths = run(tmp_path, 30_000, "--row-group-size", "8000")
    records = [json.loads(line) for line in paths["jsonl"].read_text().splitlines()]
    with paths["csv"].open(newline="") as f:
        rows = list(csv.DictReader(f))
    ints = {"vendor_id", "vendor_line_id", "game_category_id", "house_id", "master_agent_id", "agent_id", "currency_id", "seq"}
    for record, row in zip(records, rows, strict=True):
        row = {k: (int(v) if k in ints else v.split(",") if k == "anomalies" and v else [] if k == "anomalies" else v)
               for k, v in row.items()}
        assert row == record
    table = pq.read_table(paths["parquet"])
    assert table.schema.field("bet_amount").type.scale == 6
    assert pq.ParquetFile(paths["parquet"]).metadata.num_row_groups == 4
    for record, row in zip(records, table.to_pylist(), strict=True):
        assert as_text(row) == record
    # An engine computes on the decimals: totals equal the JSON's.
    total = duckdb.connect().execute(f"SELECT sum(win_loss_usd), count(*) FILTER (WHERE label = 'currency_mismatch') "
                                     f"FROM read_parquet('{paths['parquet']}')").fetchone()
    assert total[0] == sum(Decimal(r["win_loss_usd"]) for r in records)
    assert total[1] == sum(1 for r in records if r["label"] == "currency_mismatch")


def test_same_seed_same_bytes_for_any_worker_count(tmp_path: Path) -> None:
    outs = []
    for workers in ("1", "3"):
        out = tmp_path / f"w{workers}.jsonl"
        generate("--dataset", "transactions", "--rate", "max", "--count", "20000", "--seed", "3", "--start-time", str(START),
                 "--workers", workers, "--output", str(out))
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_reference_data_can_be_replaced(tmp_path: Path) -> None:
    custom = json.loads(json.dumps(REFERENCE))
    custom["vendors"] = [{"id": 9, "code": "ACME \"GAMES\"", "lines": 1, "categories": [1], "weight": 1}]
    custom["currencies"] = [{"id": 11, "code": "CHF", "usd_rate": 1.13, "weight": 1},
                            {"id": 12, "code": "SEK", "usd_rate": 0.095, "weight": 1}]
    for agent in custom["agents"]:
        agent["currency"] = "CHF"
    path = tmp_path / "reference.json"
    path.write_text(json.dumps(custom))
    out = tmp_path / "tx.jsonl"
    generate("--dataset", "transactions", "--rate", "max", "--count", "2000", "--seed", "4", "--reference-data", str(path),
             "--output", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["vendor_code"] for r in records} == {'ACME "GAMES"'}
    assert {r["currency_id"] for r in records} == {11}
    assert {r["currency_code"] for r in records} <= {"CHF", "SEK"}
    assert all(r["exchange_rate"] == "1.130000" for r in records)


@pytest.mark.parametrize("content,needle", [
    ("{not json", "JSON shaped like"),
    ('{"currencies": [], "vendors": [], "game_categories": [], "agents": []}', "currencies: none"),
    (None, "readable JSON file"),
])
def test_bad_reference_data_is_a_clear_error(tmp_path: Path, content: str | None, needle: str) -> None:
    path = tmp_path / "reference.json"
    if content is not None:
        path.write_text(content)
    result = run_netchaos("generate", "--dataset", "transactions", "--count", "1", "--reference-data", str(path))
    assert result.returncode == 2
    assert "generator.reference_data" in result.stderr and needle in result.stderr, result.stderr[-500:]


def test_vpc_is_for_flows_only() -> None:
    result = run_netchaos("generate", "--dataset", "transactions", "--count", "1", "--format", "vpc")
    assert result.returncode == 2 and "vpc, zeek, zeek-json, cef and pcap are for flows" in result.stderr, result.stderr


@pytest.mark.parametrize("codec,thrift_name", [
    ("none", "UNCOMPRESSED"), ("snappy", "SNAPPY"), ("gzip", "GZIP"), ("zstd", "ZSTD"), ("lz4", "LZ4_RAW"),
])
def test_every_parquet_codec_reads_back_equal_with_statistics(tmp_path: Path, codec: str, thrift_name: str) -> None:
    paths = run(tmp_path, 20_000, "--parquet-compression", codec, "--row-group-size", "8000")
    records = [json.loads(line) for line in paths["jsonl"].read_text().splitlines()]
    rows = pq.read_table(paths["parquet"]).to_pylist()
    assert len(rows) == len(records) == 20_000
    for record, row in zip(records, rows, strict=True):
        assert as_text(row) == record
    con = duckdb.connect()
    assert con.execute(f"SELECT DISTINCT compression FROM parquet_metadata('{paths['parquet']}')").fetchall() == [(thrift_name,)]
    meta = con.execute(
        "SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count "
        f"FROM parquet_metadata('{paths['parquet']}')"
    ).fetchall()
    stats = {(r[0], r[1]): r[2:] for r in meta}
    for group, start in enumerate(range(0, 20_000, 8000)):
        part = records[start:start + 8000]
        seq_min, seq_max, nulls = stats[(group, "seq")]
        assert (int(seq_min), int(seq_max), nulls) == (part[0]["seq"], part[-1]["seq"], 0)
        agent_min, agent_max, _ = stats[(group, "agent_id")]
        assert (int(agent_min), int(agent_max)) == (min(r["agent_id"] for r in part), max(r["agent_id"] for r in part))
        code_min, code_max, _ = stats[(group, "currency_code")]
        assert (code_min, code_max) == (min(r["currency_code"] for r in part), max(r["currency_code"] for r in part))
