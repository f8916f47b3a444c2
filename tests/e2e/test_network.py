"""The simulated network, read back by an independent reader (the issue's tests): hosts keep their
identity, sessions span records, hourly counts follow the load curve, records obey physics, a few
hosts dominate, shards add up to the whole run, and every format is deterministic."""

from __future__ import annotations

import collections
import csv
import gzip
import hashlib
import io
import ipaddress
import json
import math
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import START, generate, parse_jsonl, run_netchaos

# 2026-11-24T14:00:00Z, a Tuesday afternoon.
TUESDAY = 1795528800  # 2026-11-24T14:00:00Z

# The built-in network's links, by the address ranges of its roles (bits per second); outside
# hosts are bounded by the slower end of a record anyway.
LINKS = [
    (ipaddress.ip_network("10.1.0.0/16"), 1e9),  # workstations
    (ipaddress.ip_network("10.0.5.0/24"), 1e9),  # monitor, scanner
    (ipaddress.ip_network("10.0.3.0/24"), 25e9),  # db
    (ipaddress.ip_network("10.0.4.0/24"), 25e9),  # cache
    (ipaddress.ip_network("10.2.3.0/24"), 25e9),  # db-stg
    (ipaddress.ip_network("10.0.0.0/8"), 10e9),  # other servers
    # Outside services: 10 Gbit/s (a server talking to them can go above an internet user's 1).
    (ipaddress.ip_network("52.216.0.0/15"), 10e9),  # s3.amazonaws.com
    (ipaddress.ip_network("140.82.112.0/20"), 10e9),  # api.github.com
    (ipaddress.ip_network("151.101.0.0/16"), 10e9),  # cdn.fastly.net
    (ipaddress.ip_network("8.8.8.0/24"), 10e9),  # dns.google
    (ipaddress.ip_network("8.8.4.0/24"), 10e9),
    (ipaddress.ip_network("1.1.1.1/32"), 10e9),  # one.one.one.one
]


def link_of(address: str) -> float:
    ip = ipaddress.ip_address(address)
    for network, speed in LINKS:
        if ip in network:
            return speed
    return 1e9  # internet users: at most 1 Gbit/s


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """Twenty simulated minutes of the built-in network, as JSON lines and VPC flow logs v5."""
    directory = tmp_path_factory.mktemp("network")
    result = generate(
        "--rate", "max", "--time-rate", "150", "--end-time", "+20m", "--seed", "11", "--start-time", str(TUESDAY),
        "--output", str(directory / "flows.jsonl"), "--output", str(directory / "flows.vpc"), "--vpc-version", "5",
        "--malformed-prob", "0", "--drop-prob", "0",
    )
    records = parse_jsonl((directory / "flows.jsonl").read_bytes()).parseable
    assert len(records) > 150_000, len(records)
    vpc = (directory / "flows.vpc").read_text().splitlines()
    return records, vpc, result


def test_every_host_keeps_one_identity(sample):
    records, vpc, _ = sample
    identity: dict[str, set] = collections.defaultdict(set)
    for r in records:
        # The tags are the observing interface's: the client's when it is inside, else the server's.
        observer = r["src_ip"] if ipaddress.ip_address(r["src_ip"]).is_private else r["dst_ip"]
        t = r["tags"]
        identity[observer].add((t["env"], t["region"], t["vpc_id"], t["account_id"], t["security_group"]))
    assert len(identity) > 1_000
    assert all(len(values) == 1 for values in identity.values()), [a for a, v in identity.items() if len(v) > 1][:5]
    # In the VPC flow logs, an interface keeps its account, VPC, subnet, instance and region, and an
    # address keeps its interface.
    header = vpc[0].split()
    assert header[:3] == ["version", "account-id", "interface-id"] and "flow-direction" in header
    column = {name: i for i, name in enumerate(header)}
    interfaces: dict[str, set] = collections.defaultdict(set)
    owners: dict[str, set] = collections.defaultdict(set)
    for line in vpc[1:]:
        f = line.split()
        if len(f) != len(header) or f[column["log-status"]] != "OK":
            continue
        eni = f[column["interface-id"]]
        interfaces[eni].add((f[column["account-id"]], f[column["vpc-id"]], f[column["subnet-id"]], f[column["instance-id"]], f[column["region"]]))
        local = f[column["srcaddr"]] if f[column["flow-direction"]] == "egress" else f[column["dstaddr"]]
        owners[local].add(eni)
    assert len(interfaces) > 1_000
    assert all(len(v) == 1 for v in interfaces.values())
    assert all(len(v) == 1 for v in owners.values())


def test_sessions_span_records_with_one_five_tuple(sample):
    records, _, _ = sample
    sessions = collections.defaultdict(list)
    for r in records:
        sessions[r["session_id"]].append(r)
    normal = [r for r in records if r["label"] == "normal"]
    in_multi = sum(1 for r in normal if len(sessions[r["session_id"]]) >= 2)
    assert in_multi / len(normal) >= 0.30, in_multi / len(normal)
    for rs in sessions.values():
        tuples = {(r["src_ip"], r["dst_ip"], r["src_port"], r["dst_port"], r["protocol"]) for r in rs}
        assert len(tuples) == 1, rs[:2]
        for a, b in zip(rs, rs[1:]):
            assert a["start_ms"] <= a["end_ms"] <= b["start_ms"] <= b["end_ms"]
        for r in rs:
            assert r["timestamp"] == r["end_ms"] // 1000


def test_records_obey_physics(sample):
    records, _, _ = sample
    flags_seen = collections.Counter()
    for r in records:
        flags = set(r["flags"])
        if r["protocol"] in ("UDP", "ICMP"):
            assert not flags and r["app_layer"]["status_code"] == 0, r
        if r["app_layer"]["protocol"] not in ("HTTP/1.1", "HTTP/2"):
            assert r["app_layer"]["status_code"] == 0, r
        for sent, packets in ((r["bytes_sent"], r["packets_sent"]), (r["bytes_received"], r["packets_received"])):
            if packets:
                assert 28 <= sent / packets <= 1500, r
            else:
                assert sent == 0, r
        duration = max(r["end_ms"] - r["start_ms"], 1) / 1000
        link = min(link_of(r["src_ip"]), link_of(r["dst_ip"]))
        assert max(r["bytes_sent"], r["bytes_received"]) * 8 <= link * duration, r
        if r["protocol"] == "TCP":
            assert flags <= {"SYN", "ACK", "PSH", "FIN", "RST"}, r
            # Each of SYN, FIN and RST is a packet of its own; PSH carries payload; no answer, no ACK.
            assert r["packets_sent"] + r["packets_received"] >= len(flags & {"SYN", "FIN", "RST"}), r
            if "PSH" in flags:
                assert r["bytes_sent"] > 52 * r["packets_sent"] or r["bytes_received"] > 52 * r["packets_received"], r
            if r["packets_received"] == 0:
                assert flags == {"SYN"}, r
            if "ACK" in flags:
                assert r["packets_received"] > 0, r
            flags_seen[tuple(sorted(flags))] += 1
    # Handshakes, data, closes, resets and refusals all occur.
    assert {("ACK", "PSH", "SYN"), ("ACK", "FIN", "PSH"), ("ACK", "PSH"), ("ACK", "RST", "SYN"), ("SYN",)} <= set(flags_seen), flags_seen


def test_a_few_hosts_dominate(sample):
    records, _, _ = sample
    sources = collections.Counter(r["src_ip"] for r in records)
    top = sorted(sources.values(), reverse=True)[: max(1, len(sources) // 100)]
    share = sum(top) / len(records)
    assert share >= 10 * 0.01, share


def test_vpc_logs_each_interface_and_direction(sample):
    records, vpc, _ = sample
    header = vpc[0].split()
    column = {name: i for i, name in enumerate(header)}
    statuses = collections.Counter()
    actions = collections.Counter()
    for line in vpc[1:]:
        f = line.split()
        if len(f) != len(header):
            continue
        statuses[f[column["log-status"]]] += 1
        if f[column["log-status"]] == "OK":
            actions[(f[column["action"]], f[column["flow-direction"]])] += 1
    assert statuses["OK"] > len(records)  # two interfaces, two directions
    assert statuses["NODATA"] > 100 and statuses["SKIPDATA"] >= 1, statuses
    # A REJECT is logged where the packets arrived, never on the way out.
    assert actions[("REJECT", "ingress")] > 100 and actions[("REJECT", "egress")] == 0, actions


def curve(hours_since_epoch: float, peak_hour: float, ratio: float, weekend: float, offset_hours: float) -> float:
    """The load curve of docs/data.md (before normalisation): a daily cosine, the weekend factor on Saturday
    and Sunday, blended linearly over the six hours each side of midnight."""
    a = (ratio - 1) / (ratio + 1)
    local = hours_since_epoch + offset_hours
    day = math.floor(local / 24)
    hour = local - day * 24

    def factor(d: int) -> float:
        return weekend if (d % 7 + 7 + 4) % 7 in (0, 6) else 1.0  # 1970-01-01 was a Thursday

    f = factor(day)
    if hour < 6:
        f += (factor(day - 1) - f) * (6 - hour) / 12
    elif hour > 18:
        f += (factor(day + 1) - f) * (hour - 18) / 12
    return (1 + a * math.cos(2 * math.pi * (hour - peak_hour) / 24)) * f


def test_hourly_counts_follow_the_load_curve(tmp_path):
    config = tmp_path / "curve.yaml"
    config.write_text(
        "network:\n"
        "  load: {curve: diurnal, peak_hour: 15, peak_to_trough: 2.5, weekend_factor: 0.6, timezone: \"-05:00\"}\n"
        "  background: {backup_hour: off, vulnerability_scan: {hour: off}, internet_noise: 0}\n"
    )
    # 48 hours from Friday 00:00 UTC: a weekday and a weekend day in New York.
    friday = 1795737600
    generate(
        "--config", str(config), "--rate", "max", "--time-rate", "16", "--end-time", "+48h", "--seed", "5",
        "--start-time", str(friday), "--no-chaos", "--output", str(tmp_path / "f.parquet"),
    )
    ends = pq.read_table(tmp_path / "f.parquet", columns=["end_ms"]).column("end_ms").to_pylist()
    counts = collections.Counter((e // 1000 - friday) // 3600 for e in ends)
    assert sorted(counts) == list(range(48)), sorted(counts)
    expected = []
    for h in range(48):
        minutes = [curve((friday / 3600 + h + (m + 0.5) / 60), 15, 2.5, 0.6, -5) for m in range(60)]
        expected.append(sum(minutes) / 60)
    total, expected_total = sum(counts.values()), sum(expected)
    for h in range(48):
        observed = counts[h] / total
        wanted = expected[h] / expected_total
        assert abs(observed / wanted - 1) <= 0.05, (h, counts[h], observed / wanted)
    # The mean rate is the one asked for: --time-rate 16 a second over a week, the curve's share of it here.
    weekly_mean = (5 + 2 * 0.6) / 7
    assert abs(total / (expected_total * 3600 / weekly_mean * 16) - 1) < 0.03, total


def test_shards_together_are_one_run(tmp_path):
    common = ["--rate", "max", "--time-rate", "300", "--end-time", "+3m", "--seed", "8", "--start-time", str(TUESDAY)]
    generate(*common, "--output", str(tmp_path / "all.jsonl"))
    whole = parse_jsonl((tmp_path / "all.jsonl").read_bytes())

    def key(line: bytes) -> bytes:
        # The record without its generator_id and seq. A truncated record is cut at a share of
        # its length, which the generator_id and seq change: those are only counted.
        try:
            json.loads(line)
        except ValueError:
            return b"truncated"
        return line[:line.rfind(b',"generator_id"')]

    parts = []
    ids = set()
    for i in range(1, 5):
        result = generate(*common, "--shard", f"{i}/4", "--output", str(tmp_path / f"part{i}.jsonl"))
        ids.add(result.summary.get("generator_id") or result.logs[0].get("generator_id"))
        parts += parse_jsonl((tmp_path / f"part{i}.jsonl").read_bytes()).lines
    assert len(ids) == 4
    assert len(parts) == len(whole.lines) > 40_000
    assert collections.Counter(map(key, parts)) == collections.Counter(map(key, whole.lines))


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "vpc"])
def test_same_bytes_at_any_worker_count(tmp_path, fmt):
    digests = set()
    for workers in ("1", "2", "3"):
        path = tmp_path / f"w{workers}.{fmt}"
        generate("--rate", "max", "--count", "60000", "--seed", "21", "--start-time", str(TUESDAY), "--workers", workers,
                 "--malformed-prob", "0.01", "--drop-prob", "0.01", "--output", str(path))
        digests.add(hashlib.sha256(path.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_vpc_logs_in_aws_layout(tmp_path):
    generate("--rate", "max", "--time-rate", "100", "--end-time", "+12m", "--seed", "3", "--start-time", str(TUESDAY),
             "--output", str(tmp_path / "logs") + "/", "--vpc-version", "3")
    files = sorted((tmp_path / "logs").rglob("*.log.gz"))
    assert len(files) >= 6
    accounts = set()
    for path in files:
        parts = path.relative_to(tmp_path / "logs").parts
        assert parts[0] == "AWSLogs" and parts[2] == "vpcflowlogs", parts
        account, region, yyyy, mm, dd, name = parts[1], parts[3], parts[4], parts[5], parts[6], parts[7]
        accounts.add(account)
        assert (yyyy, mm, dd) == ("2026", "11", "24")
        prefix = f"{account}_vpcflowlogs_{region}_fl-"
        assert name.startswith(prefix) and name.endswith(".log.gz"), name
        stamp = name.split("_")[-2]
        window = datetime.strptime(stamp, "%Y%m%dT%H%MZ").replace(tzinfo=timezone.utc).timestamp()
        lines = gzip.decompress(path.read_bytes()).decode().splitlines()
        assert lines[0].startswith("version account-id interface-id")
        for line in lines[1:]:
            f = line.split()
            if len(f) < 14 or not (f[1].isdigit() and f[10].isdigit() and f[11].isdigit()):
                continue  # a malformed line
            assert f[1] == account
            if f[13] == "OK":
                assert window - 120 <= int(f[11]) <= window + 300 + 60, (stamp, line)
    assert accounts == {"318274609153", "642091837465"}


def test_network_yaml_errors_name_the_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("network:\n  vpcs:\n    - {name: prod, cidr: 10.0.0.0/16, account: \"123456789012\", region: us-east-1, env: Production}\n"
                   "  roles:\n    - {name: web, vpc: prod, subnets: [10.0.1.0/24], colour: blue}\n")
    result = run_netchaos("generate", "--config", str(bad), "--count", "1")
    assert result.returncode == 2
    assert "network.roles[web].colour" in result.stderr


def test_print_network_reads_back(tmp_path):
    result = run_netchaos("generate", "--print-network").check()
    example = Path(__file__).resolve().parents[2] / "examples" / "network.yaml"
    assert result.stdout.decode() in example.read_text()
    copy = tmp_path / "network.yaml"
    copy.write_bytes(result.stdout)
    again = run_netchaos("generate", "--config", str(copy), "--print-network").check()
    assert again.stdout == result.stdout
