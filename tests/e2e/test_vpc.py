"""`--format vpc`: AWS VPC Flow Logs text, versions 2 to 5, field by field against the JSON lines
of the same seed."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

import pytest

from conftest import START, generate, run_netchaos

# AWS's field order (VPC Flow Logs documentation, "Available fields"), typed here independently.
V2 = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
      "action log-status").split()
V3 = V2 + "vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr".split()
V4 = V3 + "region az-id sublocation-type sublocation-id".split()
V5 = V4 + "pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path".split()
FIELDS = {2: V2, 3: V3, 4: V4, 5: V5}
IANA = {"TCP": 6, "UDP": 17, "ICMP": 1}


RFC1918 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]


def inside(address: str) -> bool:
    """Inside the VPC: RFC 1918 space (documentation ranges count as the internet here)."""
    return any(ipaddress.ip_address(address) in net for net in RFC1918)


def tcp_flags(flags: list[str]) -> int:
    value = (1 if "FIN" in flags else 0) | (2 if "SYN" in flags else 0) | (4 if "RST" in flags else 0)
    return value | (16 if "SYN" in flags and "ACK" in flags else 0)


@pytest.mark.parametrize("version", [2, 3, 4, 5])
def test_every_field_matches_the_json_record(tmp_path: Path, version: int) -> None:
    vpc, jsonl = tmp_path / "flows.vpc", tmp_path / "flows.jsonl"
    generate("--rate", "max", "--count", "30000", "--seed", "5", "--start-time", str(START), "--malformed-prob", "0",
             "--scan-interval", "1", "--vpc-version", str(version), "--output", str(vpc), "--output", str(jsonl))
    lines = vpc.read_text().splitlines()
    assert lines[0].split(" ") == FIELDS[version]
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert len(lines) - 1 == len(records) == 30_000
    interfaces: dict[str, str] = {}
    rejected = 0
    for line, r in zip(lines[1:], records):
        f = dict(zip(FIELDS[version], line.split(" ")))
        assert len(line.split(" ")) == len(FIELDS[version]), line
        icmp = r["protocol"] == "ICMP"
        assert f["version"] == str(version)
        assert re.fullmatch(r"\d{12}", f["account-id"])
        assert re.fullmatch(r"eni-[0-9a-f]{17}", f["interface-id"])
        assert (f["srcaddr"], f["dstaddr"]) == (r["src_ip"], r["dst_ip"])
        assert (int(f["srcport"]), int(f["dstport"])) == ((0, 0) if icmp else (r["src_port"], r["dst_port"]))
        assert int(f["protocol"]) == IANA[r["protocol"]]
        assert (int(f["packets"]), int(f["bytes"])) == (r["packets_sent"], r["bytes_sent"])
        assert int(f["start"]) == r["timestamp"]
        assert int(f["end"]) == r["timestamp"] + max(1, -(-r["latency_ms"] // 1000))
        assert f["action"] == ("REJECT" if "port_scan" in r["anomalies"] else "ACCEPT")
        rejected += f["action"] == "REJECT"
        assert f["log-status"] == "OK"
        egress = inside(r["src_ip"]) or not inside(r["dst_ip"])
        local = r["src_ip"] if egress else r["dst_ip"]
        assert interfaces.setdefault(local, f["interface-id"]) == f["interface-id"], "one interface per host"
        if version >= 3:
            assert re.fullmatch(r"vpc-[0-9a-f]{17}", f["vpc-id"]) and re.fullmatch(r"subnet-[0-9a-f]{17}", f["subnet-id"])
            assert re.fullmatch(r"i-[0-9a-f]{17}", f["instance-id"]) if inside(local) else f["instance-id"] == "-"
            assert int(f["tcp-flags"]) == (tcp_flags(r["flags"]) if r["protocol"] == "TCP" else 0)
            assert f["type"] == "IPv4" and (f["pkt-srcaddr"], f["pkt-dstaddr"]) == (r["src_ip"], r["dst_ip"])
        if version >= 4:
            assert f["region"] == r["tags"]["region"]
            assert re.fullmatch(r"[a-z]{2}[a-z]{1,2}\d-az[1-3]", f["az-id"]), f["az-id"]
            assert (f["sublocation-type"], f["sublocation-id"]) == ("-", "-")
        if version >= 5:
            assert (f["pkt-src-aws-service"], f["pkt-dst-aws-service"]) == ("-", "-")
            assert f["flow-direction"] == ("egress" if egress else "ingress")
            assert f["traffic-path"] == (("1" if inside(r["dst_ip"]) else "8") if egress else "-")
    assert rejected > 0, "the run had port scans"


def test_malformed_lines_are_broken_like_csv(tmp_path: Path) -> None:
    vpc, jsonl = tmp_path / "flows.vpc", tmp_path / "flows.jsonl"
    generate("--rate", "max", "--count", "20000", "--seed", "6", "--start-time", str(START), "--malformed-prob", "0.05",
             "--vpc-version", "3", "--output", str(vpc), "--output", str(jsonl))
    lines = vpc.read_text().splitlines()[1:]
    raw = jsonl.read_bytes().splitlines()
    kinds = {}
    for line, record_line in zip(lines, raw):
        kind = re.search(rb'"malformed_kind":"([a-z_]+)"', record_line)
        if kind is None:
            if b'"seq":' in record_line:
                assert len(line.split(" ")) == len(V3)
            continue
        kind = kind.group(1).decode()
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "wrong_type":
            # Text in a number field: n/a, the protocol's name, or flag names.
            assert "n/a" in line.split(" ") or re.search(r" (TCP|UDP|ICMP) | [A-Z,]+ IPv4 ", line), line
        if kind == "missing_field":
            assert len(line.split(" ")) == len(V3)
        if kind == "out_of_range":
            fields = dict(zip(V3, line.split(" ")))
            record = json.loads(record_line)
            start, end = int(fields["start"]), int(fields["end"])
            assert (int(fields["srcport"]) > 65535 or int(fields["dstport"]) > 65535 or int(fields["packets"]) < 0
                    or int(fields["bytes"]) < 0 or end < start or record["bytes_received"] < 0), line
    assert {"wrong_type", "missing_field", "out_of_range", "bad_ip"} <= set(kinds), kinds


def test_bad_version_is_a_clear_error(tmp_path: Path) -> None:
    result = run_netchaos("generate", "--count", "1", "--format", "vpc", "--vpc-version", "6")
    assert result.returncode == 2
    assert "output.vpc.version" in result.stderr and "'6'" in result.stderr
