"""Firewall logs: CEF events in RFC 5424 syslog messages (`--output fw.cef`, `syslog://HOST:PORT`
over UDP or TCP), read by independent parsers (syslog-rfc5424-parser for the framing, pycef for
the CEF event) and checked against the run's JSON records: one message per record, the security
group's decision (deny for a session it refused, allow otherwise), addresses, ports, bytes and
packets, and the ground truth in cs1-cs3 only."""
from __future__ import annotations

import socket
import threading
from pathlib import Path

import pycef
from syslog_rfc5424_parser import SyslogMessage

from conftest import START_ISO, generate, parse_jsonl, run_netchaos
from netflow_support import UDPCapture


def check_messages(messages: list[str], records: list[dict]) -> None:
    by_seq = {r["seq"]: r for r in records}
    assert len(messages) == len(records)
    denied = 0
    for text in messages:
        message = SyslogMessage.parse(text)
        assert message.appname == "netchaos" and message.msgid == "flow" and message.hostname == "netchaos-fw"
        data = message.sd["netchaos@32473"]
        r = by_seq[int(data["seq"])]
        assert data["generator_id"] == r["generator_id"]
        event = pycef.parse(message.msg)
        assert event["DeviceVendor"] == "NetChaos" and event["CEFVersion"] == "0"
        assert (event["src"], event["dst"]) == (r["src_ip"], r["dst_ip"])
        if r["protocol"] != "ICMP":
            assert (int(event["spt"]), int(event["dpt"])) == (r["src_port"], r["dst_port"])
        assert event["proto"] == r["protocol"]
        assert (int(event["out"]), int(event["in"]), int(event["packets_out"]), int(event["packets_in"])) == \
            (r["bytes_sent"], r["bytes_received"], r["packets_sent"], r["packets_received"])
        assert (int(event["start"]), int(event["end"])) == (r["start_ms"], r["end_ms"])
        assert event["label"] == r["label"] and event.get("incident_id") == r.get("incident_id") and event.get("technique") == r.get("technique")
        if event["act"] == "deny":
            denied += 1
            # Refused by the security group: the SYN was dropped, nothing came back.
            assert message.severity.name == "warning" and event["DeviceEventClassID"] == "200"
            assert r["packets_received"] == 0 and "SYN" in r["flags"]
        else:
            assert event["act"] == "allow" and message.severity.name == "info" and event["DeviceEventClassID"] == "100"
        # The header and severity say the decision, never the label.
        assert event["Severity"] == ("5" if event["act"] == "deny" else "3")
    assert 0 < denied < len(messages)


def test_cef_file_one_syslog_message_per_record(tmp_path: Path):
    cef, jsonl = tmp_path / "fw.cef", tmp_path / "flows.jsonl"
    generate("--count", "20000", "--seed", "13", "--start-time", START_ISO, "--malformed-prob", "0", "--rate", "max", "--output", str(cef), "--output", str(jsonl))
    check_messages(cef.read_text().splitlines(), parse_jsonl(jsonl.read_bytes()).records)


def test_syslog_over_udp_one_datagram_per_message(tmp_path: Path):
    capture = UDPCapture()
    jsonl = tmp_path / "flows.jsonl"
    try:
        generate("--count", "3000", "--seed", "14", "--start-time", START_ISO, "--malformed-prob", "0", "--rate", "3000",
                 "--output", f"syslog://127.0.0.1:{capture.port}", "--output", str(jsonl))
    finally:
        datagrams = capture.stop()
    check_messages([d.decode() for d in datagrams], parse_jsonl(jsonl.read_bytes()).records)


def test_syslog_over_tcp_octet_counted(tmp_path: Path):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    received = bytearray()

    def accept() -> None:
        connection, _ = server.accept()
        with connection:
            while chunk := connection.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    jsonl = tmp_path / "flows.jsonl"
    generate("--count", "5000", "--seed", "15", "--start-time", START_ISO, "--malformed-prob", "0", "--rate", "max",
             "--output", f"syslog://127.0.0.1:{server.getsockname()[1]}?transport=tcp", "--output", str(jsonl))
    thread.join(timeout=60)
    server.close()
    # RFC 6587 octet counting: "LEN SP MSG", back to back.
    messages, at, data = [], 0, bytes(received)
    while at < len(data):
        space = data.index(b" ", at)
        length = int(data[at:space])
        messages.append(data[space + 1:space + 1 + length].decode())
        at = space + 1 + length
    check_messages(messages, parse_jsonl(jsonl.read_bytes()).records)


def test_no_syslog_receiver_is_an_error():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = run_netchaos("generate", "--count", "100", "--log-interval", "0", "--output", f"syslog://127.0.0.1:{port}?transport=tcp")
    assert result.returncode != 0 and f"syslog://127.0.0.1:{port}" in result.stderr and "connect" in result.stderr, result.stderr[-1500:]
    bad = run_netchaos("generate", "--count", "1", "--output", "syslog://127.0.0.1:514?transport=sctp")
    assert bad.returncode == 2 and "transport=udp or transport=tcp" in bad.stderr
