"""Zeek conn.log (`--output conn.log`, `--format zeek` / `zeek-json`): one line per connection,
every record of a session folded into it, read back by a Zeek log reader (zat, from PyPI) and
checked against the run's JSON records: one connection per session, packets and bytes per
direction, duration from the first packet to the last, and `conn_state`/`history` as the
session's course says (S0 unanswered, REJ refused, SF closed, RSTO/RSTR reset, S1 still open at
the end, OTH picked up mid-stream)."""
from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import defaultdict
from pathlib import Path

from zat.log_to_dataframe import LogToDataFrame

from conftest import START_ISO, generate, parse_jsonl, popen_netchaos, run_netchaos

PROTOCOLS = {"TCP": "tcp", "UDP": "udp", "ICMP": "icmp"}


def sessions(records: list[dict]) -> dict[int, dict]:
    out: dict[int, dict] = defaultdict(lambda: {"packets_sent": 0, "packets_received": 0, "bytes_sent": 0, "bytes_received": 0,
                                                "start_ms": None, "end_ms": None, "flags": set(), "labels": set()})
    for r in records:
        s = out[r["session_id"]]
        for key in ("packets_sent", "packets_received", "bytes_sent", "bytes_received"):
            s[key] += r[key]
        s["start_ms"] = r["start_ms"] if s["start_ms"] is None else min(s["start_ms"], r["start_ms"])
        s["end_ms"] = r["end_ms"] if s["end_ms"] is None else max(s["end_ms"], r["end_ms"])
        s["flags"] |= set(r.get("flags") or [])
        s["labels"].add(r["label"])
        s["first"] = s.get("first") or r
    return out


def test_conn_log_has_one_line_per_session_with_its_course(tmp_path: Path):
    tsv, jsonl, zeek_json = tmp_path / "conn.log", tmp_path / "flows.jsonl", tmp_path / "conn-json.txt"
    generate("--count", "20000", "--seed", "21", "--start-time", START_ISO, "--malformed-prob", "0", "--rate", "max",
             "--output", str(tsv), "--output", str(jsonl), "--format", "zeek-json", "--output", str(zeek_json))
    header = tsv.read_text().splitlines()[:8]
    assert header[0] == "#separator \\x09" and header[4] == "#path\tconn" and header[5].startswith("#open\t2026-11-22-08-00-00")
    assert tsv.read_text().splitlines()[-1].startswith("#close\t2026-11-22-08-")

    frame = LogToDataFrame().create_dataframe(str(tsv))
    # zat typed the columns from #types: times, intervals, counts.
    assert str(frame.index.dtype).startswith("datetime64") and str(frame["duration"].dtype).startswith("timedelta64")
    assert str(frame["orig_pkts"].dtype) in ("UInt64", "uint64", "int64", "Int64")
    records = parse_jsonl(jsonl.read_bytes()).records
    by_session = sessions(records)
    assert len(frame) == len(by_session)

    json_lines = [json.loads(line) for line in zeek_json.read_text().splitlines()]
    assert [j["uid"] for j in json_lines] == list(frame["uid"])
    assert [j["conn_state"] for j in json_lines] == list(frame["conn_state"])

    # Match each connection to its session by the addresses, the originator's port and the first packet.
    # (Zeek puts an ICMP message's type, echo request 8, where the originator's port goes.)
    key_of = {(s["first"]["src_ip"], 8 if s["first"]["protocol"] == "ICMP" else s["first"]["src_port"], s["first"]["dst_ip"], s["start_ms"]): sid
              for sid, s in by_session.items()}
    assert len(key_of) == len(by_session)
    states = defaultdict(int)
    for ts, row in frame.iterrows():
        start_ms = round(ts.timestamp() * 1000)
        sid = key_of[(row["id.orig_h"], int(row["id.orig_p"]), row["id.resp_h"], start_ms)]
        s = by_session[sid]
        first = s["first"]
        assert row["proto"] == PROTOCOLS[first["protocol"]] and row["id.resp_h"] == first["dst_ip"]
        assert (row["orig_pkts"], row["orig_ip_bytes"], row["resp_pkts"], row["resp_ip_bytes"]) == \
            (s["packets_sent"], s["bytes_sent"], s["packets_received"], s["bytes_received"])
        assert round(row["duration"].total_seconds() * 1000) == s["end_ms"] - s["start_ms"]
        state, flags = row["conn_state"], s["flags"]
        states[state] += 1
        if row["proto"] != "tcp":
            assert state == ("SF" if s["packets_received"] else "S0")
        elif "SYN" not in flags:
            assert state == "OTH"
        elif s["packets_received"] == 0:
            assert state == "S0" and row["history"] == "S"
        elif "RST" in flags:
            assert state in ("REJ", "RSTO", "RSTR"), (state, flags)
        elif "FIN" in flags:
            assert state == "SF" and row["history"].startswith("Sh") and row["history"].endswith("Ff")
        else:
            assert state == "S1"
        if len(s["labels"]) == 1:
            assert row["label"] == next(iter(s["labels"]))
    for expected in ("SF", "S0", "S1", "REJ", "OTH"):
        assert states[expected] > 0, f"no {expected} connection in {dict(states)}"
    assert states["RSTO"] + states["RSTR"] > 0


def test_a_run_stopped_by_a_signal_logs_each_session_of_its_records_once(tmp_path: Path):
    """The connections are folded ahead of what is written; a run stopped at any record still logs
    exactly the sessions of the records written, with their packets and bytes, and no more."""
    conn, jsonl = tmp_path / "conn.log", tmp_path / "flows.jsonl"
    proc = popen_netchaos("generate", "--rate", "max", "--seed", "23", "--start-time", START_ISO, "--malformed-prob", "0",
                          "--log-interval", "0", "--progress", "off", "--output", str(conn), "--output", str(jsonl),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while not (jsonl.exists() and jsonl.stat().st_size > 5_000_000):
            assert proc.poll() is None and time.monotonic() < deadline, "the run did not get going"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    records = parse_jsonl(jsonl.read_bytes()).records
    by_session = sessions(records)
    lines = [line.split("\t") for line in conn.read_text().splitlines() if not line.startswith("#")]
    assert conn.read_text().splitlines()[-1].startswith("#close\t")
    assert len(lines) == len(by_session) > 1_000
    totals = defaultdict(int)
    for cells in lines:
        for name, column in (("orig_pkts", 16), ("orig_ip_bytes", 17), ("resp_pkts", 18), ("resp_ip_bytes", 19)):
            totals[name] += int(cells[column])
    assert totals == {"orig_pkts": sum(s["packets_sent"] for s in by_session.values()),
                      "orig_ip_bytes": sum(s["bytes_sent"] for s in by_session.values()),
                      "resp_pkts": sum(s["packets_received"] for s in by_session.values()),
                      "resp_ip_bytes": sum(s["bytes_received"] for s in by_session.values())}
    # The last connections logged are those still open, as of the last record written.
    last_end = max(r["end_ms"] for r in records)
    assert all(float(cells[0]) * 1000 <= last_end for cells in lines)


def test_zeek_formats_are_for_flows_only():
    result = run_netchaos("generate", "--count", "1", "--dataset", "switch", "--output", "/tmp/netchaos-switch-conn.log")
    assert result.returncode == 2 and "zeek" in result.stderr, result.stderr
