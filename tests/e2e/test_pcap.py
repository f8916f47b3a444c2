"""Packets (`--output flows.pcap`, `--format pcap`): the sessions rendered as a classic PCAP capture,
read back by independent tools. softflowd (Debian) turns the capture back into NetFlow, collected
by nfcapd: every direction of every 5-tuple has exactly the packets and bytes of the run's flow
records (the packet view and the flow view agree). tshark reads every packet without an error or
a sequence warning, in strict time order, finds every checksum good in a whole-packet capture,
and reads DNS queries for the records' names. Same seed, same capture; rotated files are the
same capture cut into files that each start with the header."""
from __future__ import annotations

import hashlib
import subprocess
from collections import Counter
from pathlib import Path

from conftest import START_ISO, generate, parse_jsonl, run_netchaos
from netflow_support import Nfcapd

PROTOCOLS = {"TCP": 6, "UDP": 17, "ICMP": 1}


def directions(records: list[dict]) -> tuple[Counter, Counter]:
    """Packets and bytes per direction of each 5-tuple (ICMP without ports), summed over records."""
    packets, octets = Counter(), Counter()
    for r in records:
        proto = PROTOCOLS[r["protocol"]]
        ports = (0, 0) if proto == 1 else (r["src_port"], r["dst_port"])
        if r["packets_sent"]:
            key = (r["src_ip"], r["dst_ip"], proto, *ports)
            packets[key] += r["packets_sent"]
            octets[key] += r["bytes_sent"]
        if r["packets_received"]:
            key = (r["dst_ip"], r["src_ip"], proto, ports[1], ports[0])
            packets[key] += r["packets_received"]
            octets[key] += r["bytes_received"]
    return packets, octets


def tshark(*args: str) -> list[str]:
    return subprocess.run(["tshark", *args], capture_output=True, text=True, check=True).stdout.splitlines()


def test_softflowd_reads_back_the_flows_of_the_records(tmp_path: Path):
    pcap, jsonl = tmp_path / "flows.pcap", tmp_path / "flows.jsonl"
    generate("--count", "150", "--seed", "33", "--start-time", START_ISO, "--malformed-prob", "0", "--rate", "max",
             "--output", str(pcap), "--output", str(jsonl))
    records = parse_jsonl(jsonl.read_bytes()).records
    assert len(records) == 150 and {r["protocol"] for r in records} == {"TCP", "UDP", "ICMP"}
    collector = Nfcapd(tmp_path / "nfcapd")
    try:
        softflowd = subprocess.run(["softflowd", "-r", str(pcap), "-n", f"127.0.0.1:{collector.port}", "-v", "9", "-d"],
                                   capture_output=True, text=True, timeout=300)
        assert softflowd.returncode == 0, softflowd.stderr
    finally:
        log = collector.stop()
    assert "Bad Packets: 0" in log, log
    want_packets, want_octets = directions(records)
    got_packets, got_octets = Counter(), Counter()
    for f in collector.flows():
        key = (f["src4_addr"], f["dst4_addr"], f["proto"], *((0, 0) if f["proto"] == 1 else (f["src_port"], f["dst_port"])))
        got_packets[key] += f["in_packets"]
        got_octets[key] += f["in_bytes"]
    assert set(got_packets) == set(want_packets), (set(got_packets) ^ set(want_packets))
    assert got_packets == want_packets
    assert got_octets == want_octets

    # tshark: every packet decodes; the only warnings are the resets the sessions really had.
    problems = tshark("-r", str(pcap), "-Y", "_ws.malformed || _ws.expert.severity >= warning", "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message")
    kinds = Counter(message for line in problems for message in line.split("\t")[1].split(","))
    assert set(kinds) <= {"Connection reset (RST)"}, kinds
    resets = sum(1 for r in records if "RST" in (r.get("flags") or []))
    assert kinds["Connection reset (RST)"] <= resets
    times = [float(t) for t in tshark("-r", str(pcap), "-T", "fields", "-e", "frame.time_epoch")]
    assert len(times) == sum(want_packets.values()) and times == sorted(times)
    assert round(times[0] * 1000) == min(r["start_ms"] for r in records) and round(times[-1] * 1000) == max(r["end_ms"] for r in records)
    # Handshakes: one client SYN (or its retransmissions) per record that opened a session.
    syns = tshark("-r", str(pcap), "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0", "-T", "fields", "-e", "ip.src", "-e", "tcp.srcport")
    opened = {(r["src_ip"], str(r["src_port"])) for r in records if "SYN" in (r.get("flags") or [])}
    assert {tuple(line.split("\t")) for line in syns} == opened


def test_whole_packets_have_good_checksums_and_dns_asks_for_the_records_names(tmp_path: Path):
    pcap, jsonl = tmp_path / "full.pcap", tmp_path / "flows.jsonl"
    generate("--count", "60", "--seed", "7", "--start-time", START_ISO, "--malformed-prob", "0", "--rate", "max",
             "--pcap-snaplen", "262144", "--output", str(pcap), "--output", str(jsonl))
    checks = ["-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"]
    rows = tshark("-r", str(pcap), *checks, "-T", "fields", "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "udp.checksum.status", "-e", "icmp.checksum.status")
    statuses = Counter(value for row in rows for value in row.split("\t") if value)
    # 1 is "Good" (2 would be "Bad", 0 "Unverified").
    assert set(statuses) == {"1"} and statuses["1"] >= 2 * len(rows), statuses
    records = parse_jsonl(jsonl.read_bytes()).records
    dns = [r for r in records if r["app_layer"]["protocol"] == "DNS" and r["protocol"] == "UDP"]
    assert dns, "the run has no DNS records"
    asked = Counter(tshark("-r", str(pcap), "-Y", "dns.flags.response == 0 && udp", "-T", "fields", "-e", "dns.qry.name"))
    hosts = {r["app_layer"]["host"] for r in dns}

    def named(name: str) -> str | None:
        """The record's name a query asks for: itself, or (when a message had a few bytes to spare)
        after a filler label of x's or with one x added to its first label, or (when it had too
        few) its last labels."""
        labels = name.split(".")
        if len(labels) > 1 and set(labels[0]) == {"x"}:
            labels = labels[1:]
        for candidate in (".".join(labels), labels[0][:-1] + "." + ".".join(labels[1:]) if labels[0].endswith("x") else None):
            if candidate in hosts:
                return candidate
        return next((h for h in hosts if h.endswith("." + name)), None)

    assert all(named(name) for name in asked), [name for name in asked if not named(name)]
    assert {named(name) for name in asked} == hosts
    # Most messages have room for the name as it is.
    assert sum(count for name, count in asked.items() if name in hosts) >= 0.75 * sum(asked.values()), asked
    answers = tshark("-r", str(pcap), "-Y", "dns.flags.response == 1 && dns.count.answers > 0", "-T", "fields", "-e", "dns.a")
    assert answers and all(a.startswith("10.") for line in answers for a in line.split(","))


def test_same_seed_same_capture_and_rotation_cuts_it_into_whole_files(tmp_path: Path):
    args = ("--count", "40", "--seed", "5", "--start-time", START_ISO, "--rate", "max")
    one, again = tmp_path / "one.pcap", tmp_path / "again.pcap"
    generate(*args, "--output", str(one))
    generate(*args, "--output", str(again), "--rotate-size", "1MB")
    files = sorted(tmp_path.glob("again-*.pcap"))
    assert len(files) > 2
    whole = one.read_bytes()
    header = whole[:24]
    assert all(f.read_bytes()[:24] == header for f in files)
    assert b"".join(f.read_bytes()[24:] for f in files) == whole[24:]
    counts = [int(tshark("-r", str(f), "-T", "fields", "-e", "frame.number")[-1]) for f in files]
    assert sum(counts) == len(tshark("-r", str(one), "-T", "fields", "-e", "frame.number"))
    # stdout with --format pcap is the same capture.
    piped = run_netchaos("generate", "--log-interval", "0", "--progress", "off", *args, "--format", "pcap")
    assert piped.returncode == 0 and hashlib.sha256(piped.stdout).digest() == hashlib.sha256(whole).digest()


def test_pcap_is_for_flows_and_snaplen_is_checked():
    result = run_netchaos("generate", "--count", "1", "--dataset", "switch", "--output", "x.pcap")
    assert result.returncode == 2 and "pcap" in result.stderr and "flows" in result.stderr, result.stderr
    result = run_netchaos("generate", "--count", "1", "--pcap-snaplen", "20", "--output", "x.pcap")
    assert result.returncode == 2 and "--pcap-snaplen" in result.stderr and "64" in result.stderr, result.stderr
