"""2. The shape of every chaos kind, read back from the records, with the probabilities raised.

Anomalies happen to sessions of the simulated network (docs/chaos.md), so the checks are made
per session and against the normal traffic of the same service:

- a latency spike is a session of a degraded service: for a window of minutes one server answers
  every session several times slower than it does otherwise, on every record of the session;
- a connection reset is a TCP session of a failing service that was not served: an HTTP 5xx
  answer, the connection reset part way (only the last record carries RST and the label), or the
  SYN refused; meanwhile the same server still serves some of its sessions;
- exfiltration comes from internal hosts to the exfiltration targets over TCP 443 or UDP 53, for
  minutes (many records per session), never faster than the declared link;
- a port scan is a run of sequential ports from one scan source to one server, a probe every
  --scan-spacing-ms, each answered as a network answers;
- malformed records come in five kinds, evenly, each breaking exactly one of the 14 original fields;
- normal traffic that looks like each of them exists, labelled normal.
"""

from __future__ import annotations

import ipaddress
import math
import re
import statistics
from collections import Counter, defaultdict

import pytest
import yaml

from conftest import (
    COUNTER_FIELDS, DEFAULT_LABELS, INT_FIELDS, LABELS, MALFORMED_KINDS, ORIGINAL_FIELDS, PORT_FIELDS, expected_label, extra_fields,
    generate, is_int_text, parse_jsonl, problems,
)

# 2026-11-29T14:00:00Z (a Sunday afternoon): a fixed start, so the load curves are predictable.
START = 1795960800  # 2026-11-29T14:00:00Z, a Sunday afternoon
P_SPIKE, P_RESET, P_EXFIL, P_MALFORMED, P_DROP = 0.1, 0.05, 0.05, 0.02, 0.01
HTTP = ("HTTP/1.1", "HTTP/2")
EXFIL_TARGETS = [ipaddress.ip_network("203.0.113.0/24"), ipaddress.ip_network("198.51.100.0/24")]
SCAN_SOURCES = [ipaddress.ip_network("192.168.1.99/32"), ipaddress.ip_network("45.33.32.0/24")]
STORAGE = ipaddress.ip_network("52.216.0.0/15")  # s3.amazonaws.com in the built-in network


@pytest.fixture(scope="module")
def run():
    """Twenty simulated minutes of the built-in network at 100 records/s, every anomaly raised."""
    result = generate(
        "--rate", "max", "--time-rate", "100", "--end-time", "+20m", "--seed", "77", "--start-time", str(START),
        "--latency-spike-prob", str(P_SPIKE), "--error-rate-prob", str(P_RESET), "--data-exfil-prob", str(P_EXFIL),
        "--malformed-prob", str(P_MALFORMED), "--drop-prob", str(P_DROP),
        "--scan-interval", "0.2", "--scan-ports", "25", "--scan-spacing-ms", "4",
    )
    parsed = parse_jsonl(result.stdout)
    assert len(parsed.lines) > 90_000, len(parsed.lines)
    return result, parsed


def well_formed(parsed) -> list[dict]:
    return [r for r in parsed.parseable if "malformed" not in r["anomalies"]]


def sessions_of(records) -> dict[int, list[dict]]:
    """Records by session_id, each session's records in report order."""
    sessions: dict[int, list[dict]] = defaultdict(list)
    for r in records:
        if "session_id" in r:
            sessions[r["session_id"]].append(r)
    return sessions


def service(r: dict) -> tuple[int, str]:
    return r["dst_port"], r["app_layer"]["protocol"]


def in_any(address: str, networks) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in n for n in networks)


def within(count: int, n: int, p: float, k: float = 5) -> bool:
    return abs(count - n * p) <= k * math.sqrt(n * p * (1 - p))


# --- labels ----------------------------------------------------------------------------------


def test_summary_matches_records(run):
    result, parsed = run
    labels = Counter("malformed" if r is None else r["label"] for r in parsed.records)
    assert {k: labels.get(k, 0) for k in LABELS} == result.summary["labels"]
    assert result.summary["total"] == len(parsed.lines)
    for label in DEFAULT_LABELS:
        assert labels[label] > 0, f"no {label} records: {labels}"


def test_labels_follow_precedence(run):
    _, parsed = run
    combos = Counter()
    for record in parsed.parseable:
        anomalies = record["anomalies"]
        assert len(set(anomalies)) == len(anomalies), record
        assert record["label"] == expected_label(anomalies), record
        combos[frozenset(anomalies)] += 1
    # Any record can be broken on the wire: the precedence is exercised.
    assert combos[frozenset({"latency_spike", "malformed"})] + combos[frozenset({"connection_reset", "malformed"})] > 0, combos
    assert sum(n for combo, n in combos.items() if "malformed" in combo and len(combo) > 1) > 0, combos


def test_non_malformed_records_are_well_formed(run):
    _, parsed = run
    for r in well_formed(parsed):
        assert problems(r) == [], (problems(r), r)
        assert list(r) == ORIGINAL_FIELDS + extra_fields(r), list(r)


# --- latency spikes ----------------------------------------------------------------------------


def server(r: dict) -> tuple[str, int]:
    return r["dst_ip"], r["dst_port"]


def first_records(records) -> list[dict]:
    """The first record of each session that started during the run and was answered normally
    (not refused, not unanswered: those end before a server is involved)."""
    out = []
    for rs in sessions_of(records).values():
        first = rs[0]
        if first["start_ms"] < START * 1000 or first["packets_received"] == 0:
            continue
        if first["protocol"] == "TCP" and "SYN" not in first["flags"]:
            continue
        if first["flags"] == ["SYN", "RST", "ACK"] and first["packets_sent"] == 1:
            continue
        out.append(first)
    return out


def incident_windows(starts: dict[tuple, list[tuple[int, bool]]]) -> list[tuple[int, int, int]]:
    """For each server with at least ten hit sessions (start time, hit): the span from its first hit
    to its last, how many of its sessions started within it, and how many of those were hit."""
    windows = []
    for items in starts.values():
        hits = sorted(t for t, hit in items if hit)
        if len(hits) < 10:
            continue
        inside = [hit for t, hit in items if hits[0] <= t <= hits[-1]]
        windows.append((hits[-1] - hits[0], len(inside), sum(inside)))
    return windows


def test_latency_spikes_are_degraded_services(run):
    """A spiked session is one of a degraded server: the same server answers its other sessions at
    its usual speed, the spiked ones several times slower."""
    _, parsed = run
    by_server: dict[tuple, dict[bool, list[int]]] = defaultdict(lambda: {True: [], False: []})
    for r in well_formed(parsed):
        if r["latency_ms"] > 0 and r["label"] in ("normal", "latency_spike"):
            by_server[server(r)][r["label"] == "latency_spike"].append(r["latency_ms"])
    ratios = sorted(
        statistics.median(d[True]) / statistics.median(d[False])
        for d in by_server.values() if len(d[True]) >= 20 and len(d[False]) >= 20
    )
    assert len(ratios) >= 10, len(ratios)
    median_ratio = ratios[len(ratios) // 2]
    assert 2.5 <= median_ratio <= 20, f"median slowdown of a degraded server {median_ratio:.1f}"
    assert ratios[len(ratios) // 10] >= 1.2, f"a tenth of the degraded servers are less than {ratios[len(ratios) // 10]:.2f}x slower"
    services = {(port, r["app_layer"]["protocol"]) for r in well_formed(parsed) if r["label"] == "latency_spike" for port in [r["dst_port"]]}
    assert len(services) >= 6, services  # every kind of service degrades: HTTP, databases, DNS, ...


def test_a_degraded_server_slows_every_session_of_its_window(run):
    """From the first spiked session of a server to its last (one incident, or two close ones),
    the server's sessions are spiked; and a server's spikes are minutes long, not scattered."""
    _, parsed = run
    starts: dict[tuple, list[tuple[int, bool]]] = defaultdict(list)
    for first in first_records(well_formed(parsed)):
        if first["label"] in ("normal", "latency_spike"):
            starts[server(first)].append((first["start_ms"], first["label"] == "latency_spike"))
    windows = incident_windows(starts)
    for span, _, _ in windows:
        assert span >= 60_000, span
    servers, inside, spiked_inside = len(windows), sum(w[1] for w in windows), sum(w[2] for w in windows)
    assert servers >= 10 and inside > 1_000, (servers, inside)
    assert spiked_inside >= 0.85 * inside, f"{spiked_inside} of {inside} sessions spiked within their servers' windows"


def test_latency_spike_sessions_last_longer(run):
    """A degraded server's sessions last longer than its normal ones."""
    _, parsed = run
    durations: dict[tuple, dict[bool, list[int]]] = defaultdict(lambda: {True: [], False: []})
    for rs in sessions_of(well_formed(parsed)).values():
        if len(rs) != 1 or rs[0]["label"] not in ("normal", "latency_spike") or rs[0]["packets_received"] == 0:
            continue
        r = rs[0]
        durations[server(r)][r["label"] == "latency_spike"].append(r["end_ms"] - r["start_ms"])
    longer = compared = 0
    for d in durations.values():
        if len(d[True]) >= 20 and len(d[False]) >= 20:
            compared += 1
            longer += statistics.median(d[True]) > statistics.median(d[False])
    assert compared >= 10 and longer >= 0.8 * compared, (longer, compared)


def test_latency_spike_on_every_record_of_its_session(run):
    _, parsed = run
    sessions = sessions_of(parsed.parseable)
    partial_plain, partial_reset, spiked_multi = [], [], 0
    for sid, rs in sessions.items():
        marks = ["latency_spike" in r["anomalies"] for r in rs]
        if not any(marks):
            continue
        spiked_multi += len(rs) > 1
        if not all(marks):
            partial_plain.append((sid, [(r["end_ms"], r["anomalies"]) for r in rs]))
    assert spiked_multi > 100, spiked_multi
    assert not partial_plain, f"spiked sessions with unlabelled records: {partial_plain[:3]}"


# --- connection resets -------------------------------------------------------------------------


def failure(r: dict) -> str | None:
    """How a record shows a failed session: refused, an HTTP error answer, or reset part way."""
    if r["protocol"] != "TCP":
        return None
    if r["flags"] == ["SYN", "RST", "ACK"] and r["packets_sent"] == 1 and r["bytes_received"] == 40:
        return "refused"
    if r["app_layer"]["status_code"] >= 500 and "FIN" in r["flags"] and "RST" not in r["flags"]:
        return "error answer"
    if "RST" in r["flags"] and "FIN" not in r["flags"] and r["packets_received"] > 0:
        return "reset"
    return None


def test_connection_resets_are_sessions_a_failing_server_did_not_serve(run):
    _, parsed = run
    kinds = Counter()
    statuses = Counter()
    multi_record = 0
    for rs in sessions_of(parsed.parseable).values():
        labelled = [r for r in rs if "connection_reset" in r["anomalies"]]
        if not labelled:
            continue
        # Only the record that shows the failure carries the label: the session's last.
        assert labelled == [rs[-1]], rs
        last = rs[-1]
        for r in rs[:-1]:
            if "malformed" not in r["anomalies"]:
                assert "RST" not in r["flags"] and "FIN" not in r["flags"], (r, last)
        multi_record += len(rs) > 1
        if "malformed" in last["anomalies"]:
            continue
        kind = failure(last)
        assert kind is not None, last
        kinds[kind] += 1
        if kind == "error answer":
            statuses[last["app_layer"]["status_code"]] += 1
            assert last["app_layer"]["protocol"] in HTTP, last
        if kind == "reset" and last["app_layer"]["protocol"] not in HTTP:
            assert last["app_layer"]["status_code"] == 0, last
    assert all(kinds[k] > 100 for k in ("refused", "error answer", "reset")), kinds
    assert multi_record > 20, "no long session ends in a reset"
    assert set(statuses) == {500, 502, 503, 504}, statuses


def test_a_failing_server_still_serves_some_of_its_sessions(run):
    """Within a failing server's window, part of its sessions fail and the rest are served."""
    _, parsed = run
    starts: dict[tuple, list[tuple[int, bool]]] = defaultdict(list)
    for rs in sessions_of(well_formed(parsed)).values():
        first = rs[0]
        if first["start_ms"] < START * 1000 or first["protocol"] != "TCP" or "SYN" not in first["flags"]:
            continue
        if first["label"] not in ("normal", "connection_reset"):
            continue
        starts[server(first)].append((first["start_ms"], any("connection_reset" in r["anomalies"] for r in rs)))
    windows = incident_windows(starts)
    servers, inside, failed_inside = len(windows), sum(w[1] for w in windows), sum(w[2] for w in windows)
    assert servers >= 10, servers
    assert 0.25 * inside <= failed_inside <= 0.95 * inside, f"{failed_inside} of {inside} sessions failed within their servers' windows"


def test_no_reset_outside_tcp(run):
    _, parsed = run
    for r in well_formed(parsed):
        if "connection_reset" in r["anomalies"]:
            assert r["protocol"] == "TCP", r


# --- exfiltration ------------------------------------------------------------------------------

LINK = "20Mbps"
LINK_BYTES_PER_MS = 20e6 / 8 / 1000
EXFIL_KINDS = {"workstation", "web", "api", "db"}


@pytest.fixture(scope="module")
def exfil_run(tmp_path_factory):
    """The built-in network with the links of every possible exfiltration source declared at 20 Mbit/s."""
    directory = tmp_path_factory.mktemp("exfil")
    network = yaml.safe_load(generate("--print-network", "--seed", "31").stdout)
    sources = []
    for role in network["network"]["roles"]:
        if role.get("kind") in EXFIL_KINDS and role.get("vpc"):
            role["link"] = LINK
            sources.extend(ipaddress.ip_network(s, strict=False) for s in role["subnets"])
    config = directory / "network.yaml"
    config.write_text(yaml.safe_dump(network, sort_keys=False))
    result = generate(
        "--config", str(config), "--rate", "max", "--time-rate", "100", "--end-time", "+20m", "--seed", "31",
        "--start-time", str(START), "--data-exfil-prob", "0.1", "--malformed-prob", "0", "--drop-prob", "0",
    )
    records = parse_jsonl(result.stdout).parseable
    assert len(records) > 90_000, len(records)
    return records, sources


def test_exfiltration_goes_from_internal_hosts_to_the_targets(exfil_run):
    records, sources = exfil_run
    exfil = [r for r in records if "exfiltration" in r["anomalies"]]
    assert len(exfil) > 5_000, len(exfil)
    kinds = Counter()
    for r in exfil:
        assert in_any(r["src_ip"], sources), f"exfiltration from {r['src_ip']}, not a workstation/web/api/db host: {r}"
        # To the targets; a DNS tunnel through the network's resolver, its queries naming a target.
        assert in_any(r["dst_ip"], EXFIL_TARGETS) if r["protocol"] == "TCP" else r["dst_ip"] in ("10.0.0.2", "10.0.0.3"), r
        assert (r["protocol"], r["dst_port"]) in {("TCP", 443), ("UDP", 53)}, r
        kinds[r["protocol"]] += 1
    assert kinds["TCP"] > 0 and kinds["UDP"] > 0, kinds
    # The targets are rarely seen: nothing normal goes there.
    assert not [r for r in records if r["label"] == "normal" and in_any(r["dst_ip"], EXFIL_TARGETS)]


def test_exfiltration_sessions_last_minutes(exfil_run):
    records, _ = exfil_run
    sessions = sessions_of(r for r in records if "exfiltration" in r["anomalies"])
    counts = [len(rs) for rs in sessions.values()]
    assert len(sessions) > 500, len(sessions)
    assert sum(counts) / len(counts) >= 3, f"{sum(counts) / len(counts):.2f} records per exfiltration session"
    assert sum(c for c in counts if c >= 3) >= 0.8 * sum(counts), Counter(counts)
    # A session keeps its 5-tuple and its records follow each other.
    for rs in sessions.values():
        assert len({(r["src_ip"], r["src_port"], r["dst_ip"], r["dst_port"], r["protocol"]) for r in rs}) == 1, rs[:2]
        assert all(a["end_ms"] <= b["start_ms"] for a, b in zip(rs, rs[1:])), rs[:3]
    # Whole HTTPS uploads (SYN to FIN inside the run) last minutes, at hundreds of KB/s to MB/s, and upload.
    complete = [rs for rs in sessions.values() if rs[0]["protocol"] == "TCP" and "SYN" in rs[0]["flags"] and "FIN" in rs[-1]["flags"]]
    assert len(complete) > 100, len(complete)
    durations = [rs[-1]["end_ms"] - rs[0]["start_ms"] for rs in complete]
    assert min(durations) >= 30_000, min(durations)
    assert statistics.median(durations) >= 60_000, statistics.median(durations)
    rates = [sum(r["bytes_sent"] for r in rs) / (rs[-1]["end_ms"] - rs[0]["start_ms"]) * 1000 for rs in complete]
    assert 100e3 <= statistics.median(rates) <= 5e6, f"median upload {statistics.median(rates):.0f} B/s"
    for rs in complete:
        assert sum(r["bytes_sent"] for r in rs) > 3 * sum(r["bytes_received"] for r in rs), rs[:2]
    # One session in five is a DNS tunnel.
    tunnels = sum(rs[0]["protocol"] == "UDP" for rs in sessions.values()) / len(sessions)
    assert 0.1 <= tunnels <= 0.3, tunnels


def test_exfiltration_stays_within_the_link(exfil_run):
    records, _ = exfil_run
    exfil = [r for r in records if "exfiltration" in r["anomalies"]]
    heavy = 0
    for r in exfil:
        duration = max(r["end_ms"] - r["start_ms"], 1)
        for direction in ("bytes_sent", "bytes_received"):
            assert r[direction] <= LINK_BYTES_PER_MS * duration, (
                f"{direction} {r[direction]} in {duration} ms is more than a {LINK} link moves: {r}"
            )
        heavy += r["bytes_sent"] > 0.5 * LINK_BYTES_PER_MS * duration
    # The bound is reached, not just respected from afar.
    assert heavy > 0


def test_exfiltration_over_https_uploads(exfil_run):
    records, _ = exfil_run
    https = [r for r in records if "exfiltration" in r["anomalies"] and r["protocol"] == "TCP"]
    assert https
    for r in https:
        assert r["app_layer"]["protocol"] in HTTP, r
    methods = Counter(r["app_layer"]["method"] for r in https)
    assert set(methods) <= {"PUT", "POST"}, (
        f"docs/chaos.md: HTTPS exfiltration uploads with PUT/POST, but its records carry the methods {dict(methods)}"
    )


def test_exfiltration_through_a_dns_tunnel(exfil_run):
    records, _ = exfil_run
    tunnel = [r for r in records if "exfiltration" in r["anomalies"] and r["protocol"] == "UDP"]
    assert len(tunnel) > 200, len(tunnel)
    # A steady stream: at least a query a second over a session, answered one for one.
    for rs in sessions_of(tunnel).values():
        duration = max(rs[-1]["end_ms"] - rs[0]["start_ms"], 1)
        if duration >= 60_000:
            assert sum(r["packets_sent"] for r in rs) >= duration / 1000, rs[:2]
    off_size = []
    for rs in sessions_of(tunnel).values():
        # Through the network's resolver, every query of a session to one domain, in base32 labels.
        assert {r["dst_ip"] for r in rs} <= {"10.0.0.2", "10.0.0.3"}, rs[0]
        domains = {".".join(r["app_layer"]["host"].split(".")[-2:]) for r in rs}
        assert len(domains) == 1, domains
        assert all(re.fullmatch(r"[a-z2-7.]+", r["app_layer"]["host"].rsplit(".", 3)[0]) for r in rs), rs[0]["app_layer"]["host"]
    for r in tunnel:
        assert r["dst_port"] == 53 and r["flags"] == [], r
        assert (r["app_layer"]["protocol"], r["app_layer"]["method"]) == ("DNS", "TXT"), r
        assert r["packets_received"] == r["packets_sent"], r
        query = r["bytes_sent"] / r["packets_sent"]
        # 110-250 bytes of query (250 + the 28 bytes of UDP/IP headers at most on the wire).
        if not 110 <= query <= 278:
            off_size.append({k: r[k] for k in ("bytes_sent", "packets_sent", "bytes_received", "packets_received", "start_ms", "end_ms")})
    assert not off_size, (
        f"docs/chaos.md: a DNS tunnel is a stream of 110-250-byte TXT queries, but {len(off_size)} of {len(tunnel)} "
        f"tunnel records average other query sizes, e.g. {off_size[:2]}"
    )


# --- port scans --------------------------------------------------------------------------------

SCAN_PORTS, SCAN_SPACING_MS = 500, 3


def served_ports(network: dict) -> list[tuple[ipaddress.IPv4Network, set[int]]]:
    out = []
    for role in network["network"]["roles"]:
        ports = {int(e.split("/")[1]) for e in role.get("serves") or [] if e.startswith("tcp/")}
        out.extend((ipaddress.ip_network(s, strict=False), ports) for s in role["subnets"])
    return out


def scans_of(probes: list[dict], spacing: int) -> list[list[dict]]:
    """Splits probes into scans: one source, one target, each probe the next port `spacing` ms later."""
    by_pair: dict[tuple, list[dict]] = defaultdict(list)
    for r in probes:
        by_pair[(r["src_ip"], r["dst_ip"])].append(r)
    scans = []
    for rs in by_pair.values():
        rs.sort(key=lambda r: (r["start_ms"], r["dst_port"]))
        current = [rs[0]]
        for r in rs[1:]:
            if r["dst_port"] == current[-1]["dst_port"] + 1 and r["start_ms"] - current[-1]["start_ms"] == spacing:
                current.append(r)
            else:
                scans.append(current)
                current = [r]
        scans.append(current)
    return scans


def test_port_scan_probes():
    network = yaml.safe_load(generate("--print-network", "--seed", "9").stdout)
    end = START + 600
    result = generate(
        "--rate", "max", "--time-rate", "100", "--end-time", str(end), "--seed", "9", "--start-time", str(START),
        "--scan-interval", "1", "--scan-ports", str(SCAN_PORTS), "--scan-spacing-ms", str(SCAN_SPACING_MS),
        "--malformed-prob", "0", "--drop-prob", "0",
    )
    records = parse_jsonl(result.stdout).parseable
    probes = [r for r in records if "port_scan" in r["anomalies"]]
    assert all(r["anomalies"] == ["port_scan"] and r["label"] == "port_scan" for r in probes)
    # Each probe is a session of its own.
    assert len({r["session_id"] for r in probes}) == len(probes)

    scans = scans_of(probes, SCAN_SPACING_MS)
    # At 100 records/s one scan per 50 s (an interval of 1 s at 5000 records/s): about 12 in ten minutes.
    assert 4 <= len(scans) <= 30, [len(s) for s in scans]
    # Scans that had time to finish before --end-time (the last probes may wait a second for nothing).
    last_start = end * 1000 - SCAN_PORTS * SCAN_SPACING_MS - 2_000
    for scan in scans:
        if scan[0]["start_ms"] <= last_start:
            assert len(scan) == SCAN_PORTS, [(p["dst_port"], p["start_ms"]) for p in scan[:5]]

    services = served_ports(network)
    syn_scans = connect_scans = answered = 0
    for scan in scans:
        assert in_any(scan[0]["src_ip"], SCAN_SOURCES), scan[0]
        target_ports = next((ports for net, ports in services if ipaddress.ip_address(scan[0]["dst_ip"]) in net), None)
        assert target_ports, f"scan target {scan[0]['dst_ip']} is not a server of the network"
        syn_sizes = set()
        for p in scan:
            assert p["protocol"] == "TCP", p
            if p["flags"] == ["SYN"]:
                # Silence: a security group dropped it.
                assert p["packets_received"] == 0 and p["bytes_received"] == 0 and p["latency_ms"] == 0, p
                syn_sizes.add(p["bytes_sent"] // p["packets_sent"])
            else:
                # RST from a closed port, or SYN-ACK then RST from an open one.
                assert p["flags"] == ["SYN", "RST", "ACK"], p
                assert p["packets_received"] == 1 and p["latency_ms"] > 0, p
                if p["bytes_received"] != 40:  # a SYN-ACK (44 or 60 bytes), not a bare RST: the port is open
                    assert p["dst_port"] in target_ports, (target_ports, p)
                answered += 1
        assert len(syn_sizes) <= 1, syn_sizes
        src_ports = {p["src_port"] for p in scan}
        if syn_sizes == {44}:
            syn_scans += 1
            assert len(src_ports) == 1, "a SYN scan sends from one port"
        elif syn_sizes == {60}:
            connect_scans += 1
            assert len(src_ports) == len(scan), "a connect scan uses a new source port for each probe"
        else:
            pytest.fail(f"probes of {syn_sizes} bytes")
    assert syn_scans > 0 and connect_scans > 0, (syn_scans, connect_scans)
    assert answered > 0, "no probe reached a listening port"
    assert 0 < answered < len(probes) / 10  # most probes are dropped by the security groups


def test_port_scans_in_the_chaos_run(run):
    """With drops and malformed records among them, probes still line up by port and time."""
    _, parsed = run
    probes = [r for r in well_formed(parsed) if "port_scan" in r["anomalies"]]
    assert len(probes) > 1_000, len(probes)
    scans = scans_of(probes, 4)
    for scan in scans:
        assert len(scan) <= 25, len(scan)
    # Most probes sit in runs of sequential ports (gaps come from dropped and malformed probes).
    assert sum(len(s) for s in scans if len(s) >= 5) > 0.6 * len(probes)
    assert all("port_scan" not in r["anomalies"] for r in parsed.parseable if r["label"] not in ("port_scan", "malformed"))


# --- normal traffic that looks like trouble ----------------------------------------------------


def test_normal_traffic_overlaps_every_anomaly(run):
    _, parsed = run
    records = well_formed(parsed)
    normal = [r for r in records if r["label"] == "normal"]
    assert len(normal) > 50_000
    for r in normal:
        assert r["anomalies"] == [] and "malformed_kind" not in r, r

    found = Counter()
    for r in normal:
        flags = r["flags"]
        if "RST" in flags and "PSH" in flags:
            found["reset after data"] += 1
        if flags == ["SYN", "RST", "ACK"]:
            found["refused (SYN, RST+ACK)"] += 1
        if flags == ["SYN"] and r["packets_received"] == 0:
            found["SYN never answered"] += 1
            outside_in = not ipaddress.ip_address(r["src_ip"]).is_private and ipaddress.ip_address(r["dst_ip"]).is_private
            if outside_in and r["dst_port"] not in (80, 443, 8443):  # not a port the public servers serve
                found["internet noise"] += 1
        if r["app_layer"]["protocol"] in HTTP and r["app_layer"]["status_code"] in (502, 503, 504):
            found["HTTP 502/503/504"] += 1
        if in_any(r["dst_ip"], [STORAGE]) and r["bytes_sent"] >= 5_000_000:
            found["large upload to storage"] += 1
        if r["dst_port"] == 53 and r["app_layer"]["method"] == "TXT":
            found["DNS TXT"] += 1
    for kind in ("reset after data", "refused (SYN, RST+ACK)", "SYN never answered", "internet noise",
                 "HTTP 502/503/504", "large upload to storage", "DNS TXT"):
        assert found[kind] > 0, f"no normal {kind}: {found}"

    # Slow normal answers: some normal records are slower than a tenth of the spiked ones of
    # their service, so latency alone does not tell a spike.
    spiked: dict[tuple, list[int]] = defaultdict(list)
    for r in records:
        if "latency_spike" in r["anomalies"]:
            spiked[service(r)].append(r["latency_ms"])
    tenth = {key: sorted(values)[len(values) // 10] for key, values in spiked.items() if len(values) >= 50}
    slow = sum(1 for r in normal if service(r) in tenth and r["latency_ms"] > tenth[service(r)])
    assert slow > 20, slow


# --- malformed records -------------------------------------------------------------------------


def test_malformed_kinds(run):
    _, parsed = run
    kinds = Counter()
    by_kind = defaultdict(list)
    for line, r in zip(parsed.lines, parsed.records):
        if r is None:
            kinds["truncated"] += 1
            by_kind["truncated"].append(line)
            continue
        if "malformed" not in r["anomalies"]:
            continue
        assert r["label"] == "malformed", r
        kind = r.get("malformed_kind")
        assert kind in MALFORMED_KINDS and kind != "truncated", r
        kinds[kind] += 1
        by_kind[kind].append(r)

    n = len(parsed.lines)
    total_malformed = sum(kinds.values())
    assert within(total_malformed, n, P_MALFORMED), f"{total_malformed} malformed of {n}"
    for kind in MALFORMED_KINDS:
        assert kinds[kind] > 0, f"no {kind} records: {kinds}"
        assert within(kinds[kind], total_malformed, 1 / len(MALFORMED_KINDS)), kinds

    # truncated: one line that does not parse, a prefix of a record.
    for line in by_kind["truncated"]:
        assert line.startswith(b'{"'), line[:100]
        kind_text = re.search(rb'"malformed_kind":"([a-z_]+)"', line)
        assert kind_text is None or kind_text.group(1) == b"truncated", line

    # Each other kind breaks exactly one field, in its own way, and nothing else.
    for kind in ("wrong_type", "missing_field", "out_of_range", "bad_ip"):
        fields = Counter()
        for r in by_kind[kind]:
            found = problems(r)
            assert len(found) == 1 and found[0][0] == kind, (kind, found, r)
            fields[found[0][1]] += 1
            present = [k for k in r if k in ORIGINAL_FIELDS]
            assert present == [k for k in ORIGINAL_FIELDS if k in r], f"field order {list(r)}"
            # The fields after the original ones are intact.
            assert [k for k in r if k not in ORIGINAL_FIELDS] == extra_fields(r, malformed=True), list(r)
        assert len(fields) >= 2, f"{kind} always hits the same field: {fields}"

    for r in by_kind["wrong_type"]:
        (_, name), = problems(r)
        value = r[name]
        if name in INT_FIELDS:
            assert is_int_text(value), (name, value)  # a number written as a string
        elif name == "protocol":
            assert isinstance(value, int), value
        elif name == "flags":
            assert isinstance(value, str), value
        else:
            pytest.fail(f"unexpected wrong_type field {name}: {r}")
    for r in by_kind["missing_field"]:
        assert len([k for k in ORIGINAL_FIELDS if k in r]) == 13, r
    for r in by_kind["out_of_range"]:
        (_, name), = problems(r)
        assert (name in PORT_FIELDS and r[name] > 65535) or (name in COUNTER_FIELDS and r[name] < 0), r
    for r in by_kind["bad_ip"]:
        (_, name), = problems(r)
        assert name in ("src_ip", "dst_ip"), r


def test_drops_are_gaps_in_seq(run):
    result, parsed = run
    seqs = [r["seq"] for r in parsed.parseable]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    # The gaps in seq up to the last line that parses.
    last = max(i for i, r in enumerate(parsed.records) if r is not None)
    slots = parsed.records[last]["seq"] + 1
    gaps = slots - (last + 1)
    assert within(gaps, slots, P_DROP), f"{gaps} gaps in {slots} slots"
    assert result.summary["dropped"] >= gaps
