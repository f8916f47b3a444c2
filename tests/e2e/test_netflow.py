"""NetFlow v9 and IPFIX export over UDP (`--output netflow://HOST:PORT`), read by independent
collectors: nfcapd and nfdump (Debian's nfdump) must store exactly the flows of the run's JSON
records, one per direction that carried packets, with their addresses, ports, protocol, packets,
bytes and first/last times to the millisecond; tshark must decode every export packet without a
warning, with templates refreshed as asked and contiguous sequence numbers. The labels sidecar
holds the ground truth of every exported flow."""
from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from conftest import START_ISO, generate, parse_jsonl, run_netchaos
from netflow_support import Nfcapd, UDPCapture, nfdump_ms, write_pcap

PROTOCOLS = {"TCP": 6, "UDP": 17, "ICMP": 1}


def expected_flows(records: list[dict]) -> Counter:
    """The flows a record makes: client to server, then server to client, each when it carried packets."""
    flows = Counter()
    for r in records:
        proto = PROTOCOLS[r["protocol"]]
        # ICMP records have no ports (the exporter puts type and code where the ports go; collectors
        # read them differently, so ICMP is compared without them).
        forward_ports = (r.get("src_port", 0), r.get("dst_port", 0))
        reverse_ports = (r.get("dst_port", 0), r.get("src_port", 0))
        if r["packets_sent"] > 0:
            flows[(r["src_ip"], r["dst_ip"], *forward_ports, proto, r["packets_sent"], r["bytes_sent"], r["start_ms"], r["end_ms"])] += 1
        if r["packets_received"] > 0:
            flows[(r["dst_ip"], r["src_ip"], *reverse_ports, proto, r["packets_received"], r["bytes_received"], r["start_ms"], r["end_ms"])] += 1
    return flows


@pytest.mark.parametrize("version", ["9", "10"])
def test_nfdump_stores_exactly_the_generated_flows(tmp_path: Path, version: str):
    collector = Nfcapd(tmp_path / "nfcapd")
    labels = tmp_path / "labels.jsonl"
    jsonl = tmp_path / "flows.jsonl"
    try:
        result = generate(
            "--count", "4000", "--seed", "11", "--start-time", START_ISO, "--malformed-prob", "0", "--rate", "4000",
            "--output", f"netflow://127.0.0.1:{collector.port}?version={version}&labels={labels}", "--output", str(jsonl),
        )
    finally:
        log = collector.stop()
    assert "Sequence Errors: 0, Bad Packets: 0" in log, log
    records = parse_jsonl(jsonl.read_bytes()).records
    assert len(records) == 4000 and result.summary["dropped"] > 0
    want = expected_flows(records)
    stored = collector.flows()
    got = Counter(
        (f["src4_addr"], f["dst4_addr"], 0 if f["proto"] == 1 else f["src_port"], 0 if f["proto"] == 1 else f["dst_port"], f["proto"],
         f["in_packets"], f["in_bytes"], nfdump_ms(f["first"]), nfdump_ms(f["last"]))
        for f in stored
    )
    assert sum(got.values()) == sum(want.values()) and got == want, (
        f"{sum(got.values())} flows stored, {sum(want.values())} generated; missing {list((want - got).items())[:3]}, extra {list((got - want).items())[:3]}"
    )
    assert {f["export_sysid"] for f in stored} == {1}
    # TCP flags as nfdump reads them: a record's two directions together show the flags of the
    # record (its JSON `flags`: what the client saw, both ways).
    letters = {"U": "URG", "A": "ACK", "P": "PSH", "R": "RST", "S": "SYN", "F": "FIN"}
    seen: dict[tuple, set] = {}
    client_ports = {(r["src_ip"], r["dst_ip"], r.get("src_port"), r.get("dst_port"), r["start_ms"]) for r in records}
    for f in stored:
        if f["proto"] != 6:
            continue
        key = (f["src4_addr"], f["dst4_addr"], f["src_port"], f["dst_port"], nfdump_ms(f["first"]))
        if key not in client_ports:
            key = (f["dst4_addr"], f["src4_addr"], f["dst_port"], f["src_port"], nfdump_ms(f["first"]))
        seen.setdefault(key, set()).update(letters[c] for c in f["tcp_flags"] if c in letters)
    tcp = [r for r in records if r["protocol"] == "TCP"]
    assert tcp and all(seen[(r["src_ip"], r["dst_ip"], r["src_port"], r["dst_port"], r["start_ms"])] == set(r["flags"]) for r in tcp)

    # The labels sidecar: one line per exported flow, keyed by its 5-tuple and start, with the
    # record's ground truth.
    sidecar = [json.loads(line) for line in labels.read_text().splitlines()]
    assert len(sidecar) == sum(want.values())
    by_record = {(r["src_ip"], r["dst_ip"], r.get("src_port", 0), r.get("dst_port", 0), r["start_ms"]): r for r in records}
    keys = Counter((s["src_ip"], s["dst_ip"], s["protocol"], s["start_ms"]) for s in sidecar)
    assert keys == Counter((k[0], k[1], k[4], k[7]) for k in want.elements())
    for s in sidecar:
        r = by_record[(s["src_ip"], s["dst_ip"], s["src_port"], s["dst_port"], s["start_ms"])] if s["direction"] == "forward" else \
            by_record[(s["dst_ip"], s["src_ip"], s["dst_port"], s["src_port"], s["start_ms"])]
        assert (s["label"], s["anomalies"], s["seq"]) == (r["label"], r["anomalies"], r["seq"])
        assert s["incident_id"] == r.get("incident_id") and s["technique"] == r.get("technique")
    assert Counter(s["label"] for s in sidecar)["normal"] < len(sidecar), "the run has anomalies to label"


@pytest.mark.parametrize("version", ["9", "10"])
def test_tshark_decodes_every_packet_with_template_refresh_and_contiguous_sequence(tmp_path: Path, version: str):
    capture = UDPCapture()
    try:
        generate(
            "--count", "3000", "--seed", "5", "--start-time", START_ISO, "--rate", "3000",
            "--output", f"netflow://127.0.0.1:{capture.port}?version={version}&template_packets=5&mtu=1200",
        )
    finally:
        packets = capture.stop()
    assert len(packets) > 20
    assert max(len(p) for p in packets) <= 1200, "an export packet exceeds the MTU asked for"
    pcap = tmp_path / "export.pcap"
    write_pcap(pcap, packets, dst_port=2055)
    decode = ["tshark", "-r", str(pcap), "-d", "udp.port==2055,cflow"]
    problems = subprocess.run([*decode, "-Y", "_ws.malformed || _ws.expert.severity >= warning"], capture_output=True, text=True, check=True).stdout
    assert problems.strip() == "", f"tshark warns about export packets:\n{problems[:2000]}"
    fields = subprocess.run(
        [*decode, "-T", "fields", "-e", "cflow.version", "-e", "cflow.sequence", "-e", "cflow.flowset_id", "-e", "cflow.srcaddr"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert len(fields) == len(packets)
    template_set = "0" if version == "9" else "2"
    expected_sequence = 0
    for n, line in enumerate(fields):
        ver, sequence, sets, addresses = (line.split("\t") + [""] * 4)[:4]
        assert ver == version
        set_ids = sets.split(",")
        # Templates open the first packet and every fifth after it (template_packets=5).
        assert (template_set in set_ids) == (n % 5 == 0), f"packet {n}: sets {set_ids}"
        assert int(sequence) == expected_sequence, f"packet {n}: sequence {sequence}, expected {expected_sequence}"
        flows = len(addresses.split(",")) if addresses else 0
        # v9 counts packets; IPFIX counts data records (no options record without sampling).
        expected_sequence += 1 if version == "9" else flows


def test_bad_collector_urls_and_datasets_are_refused():
    for url, why in [
        ("netflow://127.0.0.1", "HOST:PORT"), ("netflow://127.0.0.1:2055?version=5", "version takes 9"),
        ("netflow://127.0.0.1:2055?mtu=100", "mtu takes"), ("netflow://127.0.0.1:2055?colour=red", "unknown option 'colour'"),
    ]:
        result = run_netchaos("generate", "--count", "1", "--output", url)
        assert result.returncode == 2 and why in result.stderr and "outputs" in result.stderr, (url, result.stderr)
    result = run_netchaos("generate", "--count", "1", "--dataset", "switch", "--output", "netflow://127.0.0.1:2055")
    assert result.returncode == 2 and "flow dataset" in result.stderr, result.stderr


def test_no_collector_listening_is_an_error_that_counts_the_refused_packets():
    port = UDPCapture()
    dead = port.port
    port.stop()
    result = run_netchaos("generate", "--count", "3000", "--rate", "3000", "--log-interval", "0", "--output", f"netflow://127.0.0.1:{dead}")
    assert result.returncode == 1, result.stderr[-2000:]
    errors = result.summary["errors"]
    assert len(errors) == 1 and "packets refused: no collector listening at 127.0.0.1" in errors[0], errors
