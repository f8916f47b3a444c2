"""Scenario timelines (docs/chaos.md: Scenarios): the example file's incidents appear at the times it says
and only there, each family has the shape of the real thing when read back as a detection engineer
would, and the background is the same with and without the scenario."""

from __future__ import annotations

import json
import math
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from conftest import generate, run_netchaos

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "scenario-day.yaml"
START_MS = 1795478400000  # 2026-11-24T00:00:00Z
COMMON = ["--rate", "max", "--seed", "3", "--start-time", "2026-11-24T00:00:00Z", "--end-time", "+24h", "--time-rate", "1",
          "--malformed-prob", "0", "--drop-prob", "0"]
MIN, HOUR = 60_000, 3_600_000
SEQ = re.compile(rb',"seq":\d+')
DAY_DIRECTORY: list[Path] = []  # where the day fixture wrote its files


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    """A simulated day of the example scenario on a quiet network (no chaos knobs: every labelled
    record is the scenario's), its records and its incident table."""
    out = tmp_path_factory.mktemp("day")
    generate(*COMMON, "--no-chaos", "--scenario", str(EXAMPLE), "--output", str(out / "day.jsonl"), "--incidents", str(out / "incidents.jsonl"))
    records = [json.loads(line) for line in (out / "day.jsonl").read_bytes().splitlines()]
    table = [json.loads(line) for line in (out / "incidents.jsonl").read_bytes().splitlines()]
    by_incident = defaultdict(list)
    for r in records:
        if r["label"] != "normal":
            by_incident[r["incident_id"]].append(r)
    DAY_DIRECTORY.append(out)
    return records, table, by_incident


def test_the_readme_scoring_example_scores_a_toy_detector(day):
    """examples/score_detector.py: a fan-out detector finds the four fast scans within their first
    second, misses the slow and narrow ones and every other family, and alerts on the authorised
    scanner's nightly run (normal traffic: a false positive)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("score_detector", ROOT / "examples" / "score_detector.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    directory = DAY_DIRECTORY[-1]
    flows = module.read_flows(str(directory / "day.jsonl"))
    incidents = [json.loads(line) for line in (directory / "incidents.jsonl").read_text().splitlines()]
    result = module.score(module.detect(flows), incidents, hours=24)
    scans = result["families"]["port_scan"]
    assert scans["incidents"] == 9 and scans["recall"] == 4 / 9, scans
    assert scans["median_time_to_detect_s"] <= 60
    assert all(f["recall"] == 0 for name, f in result["families"].items() if name != "port_scan"), result
    assert 0 < result["false_positives_per_hour"] < 1, result


def incidents_of(table, family):
    return [row for row in table if row["family"] == family]


def test_incidents_appear_when_the_file_says_and_only_then(day):
    records, table, by_incident = day
    # (family, start offset, duration) of each entry at fixed times; recon repeats every 6 h.
    fixed = [("port_scan", 20 * MIN + k * 6 * HOUR, 10 * MIN) for k in range(4)] + [
        ("port_scan", 1 * HOUR, 5 * MIN), ("port_scan", 90 * MIN, 2 * MIN), ("brute_force", 2 * HOUR, 20 * MIN),
        ("beaconing", 3 * HOUR, 6 * HOUR), ("lateral_movement", 9 * HOUR, 15 * MIN), ("dns_tunnel", 10 * HOUR, 30 * MIN),
        ("exfiltration", 11 * HOUR, 20 * MIN), ("ddos", 18 * HOUR, 10 * MIN),
    ]
    unmatched = list(table)
    for family, offset, duration in fixed:
        start, end = START_MS + offset, START_MS + offset + duration
        found = [row for row in unmatched if row["family"] == family and start <= row["start_ms"] < end]
        assert len(found) == 1, (family, offset, found)
        row = found[0]
        unmatched.remove(row)
        # Every flow of the incident starts inside its window (the last may end a moment after).
        flows = by_incident[row["incident_id"]]
        assert len(flows) == row["records"] > 0
        assert all(start <= r["start_ms"] < end for r in flows), family
        assert row["end_ms"] <= end + 60_000
    # The rest: the slow scans, about four a day at random times, 30 minutes each.
    assert {row["family"] for row in unmatched} == {"port_scan"} and 1 <= len(unmatched) <= 10, unmatched
    assert all(row["end_ms"] - row["start_ms"] == 30 * MIN for row in unmatched)
    # Nothing else is labelled: the labelled records are the table's, one for one.
    assert sum(row["records"] for row in table) == sum(len(v) for v in by_incident.values())
    assert {row["incident_id"] for row in table} == set(by_incident)


def test_scans_look_like_nmap(day):
    _, table, by_incident = day
    scans = [by_incident[row["incident_id"]] for row in incidents_of(table, "port_scan")]
    # Vertical (recon, T4): one source, one host, nmap's top 1,000 ports, 1 ms apart.
    recon = [s for s in scans if len(s) == 1000]
    assert len(recon) == 4
    for flows in recon:
        assert len({r["src_ip"] for r in flows}) == 1 and len({r["dst_ip"] for r in flows}) == 1
        assert len({r["dst_port"] for r in flows}) == 1000 and {22, 80, 443, 3389} <= {r["dst_port"] for r in flows}
        starts = sorted(r["start_ms"] for r in flows)
        assert statistics.median(b - a for a, b in zip(starts, starts[1:])) == 1
    # Horizontal (ssh sweep, T2): many hosts of one role, one port, 400 ms apart.
    sweep = next(s for s in scans if {r["dst_port"] for r in s} == {22} and len({r["dst_ip"] for r in s}) > 1)
    assert len({r["dst_ip"] for r in sweep}) == len(sweep) == 20
    assert all(r["dst_ip"].startswith("10.3.") for r in sweep)
    starts = sorted(r["start_ms"] for r in sweep)
    assert all(b - a == 400 for a, b in zip(starts, starts[1:]))
    # UDP from inside: datagrams, answered only where a service listens and may be reached (the
    # resolvers on 53).
    udp = next(s for s in scans if s[0]["protocol"] == "UDP")
    assert {r["dst_port"] for r in udp} == {53, 69, 123, 161, 500, 1900}
    answered = {r["dst_port"] for r in udp if r["packets_received"] > 0}
    assert answered == {53}, answered
    assert all(r["flags"] == [] for r in udp)
    # Answers as a network gives them: RST from closed ports, SYN-ACK from open ones, silence where a
    # security group drops the probe.
    flags = Counter(tuple(r["flags"]) for s in recon for r in s)
    assert flags[("SYN",)] > 0 and flags[("SYN", "RST", "ACK")] > 0, flags


def test_beacons_keep_their_period_within_the_jitter(day):
    _, table, by_incident = day
    (row,) = incidents_of(table, "beaconing")
    flows = sorted(by_incident[row["incident_id"]], key=lambda r: r["start_ms"])
    # One implant, calling a CDN in front of its server: one name, the CDN's addresses in turn.
    assert len(flows) == 360 and len({r["src_ip"] for r in flows}) == 1 and len({r["dst_ip"] for r in flows}) > 100
    assert {r["app_layer"]["host"] for r in flows} == {"cdn.fastly.net"} and all(r["dst_ip"].startswith("151.101.") for r in flows)
    gaps = [b["start_ms"] - a["start_ms"] for a, b in zip(flows, flows[1:])]
    # 60 s with 20% jitter: each call within 12 s of its slot, so gaps of 48 to 72 s.
    assert all(48_000 <= g <= 72_000 for g in gaps), (min(gaps), max(gaps))
    assert 58_000 <= statistics.mean(gaps) <= 62_000
    # Small and regular: a few hundred bytes each way, now and then a task to download.
    assert statistics.median(r["bytes_sent"] for r in flows) < 2_000
    assert statistics.median(r["bytes_received"] for r in flows) < 2_000
    assert {r["dst_port"] for r in flows} == {443} and len({r["src_port"] for r in flows}) > 300


def test_brute_force_is_many_short_failing_logins(day):
    _, table, by_incident = day
    (row,) = incidents_of(table, "brute_force")
    flows = by_incident[row["incident_id"]]
    assert len(flows) == 3600 and {r["dst_port"] for r in flows} == {22} and len({r["dst_ip"] for r in flows}) == 1
    assert len({r["src_ip"] for r in flows}) == 10
    durations = [r["end_ms"] - r["start_ms"] for r in flows]
    assert statistics.median(durations) < 4_000
    assert statistics.median(r["bytes_received"] for r in flows) < 6_000
    assert all(r["app_layer"]["protocol"] == "SSH" for r in flows)


def test_a_flood_is_syns_from_many_sources_to_one_service(day):
    _, table, by_incident = day
    (row,) = incidents_of(table, "ddos")
    flows = by_incident[row["incident_id"]]
    assert len({r["src_ip"] for r in flows}) == 1000 and len({(r["dst_ip"], r["dst_port"]) for r in flows}) == 1
    assert all(r["flags"] in (["SYN"], ["SYN", "ACK"]) and r["bytes_sent"] == 60 * r["packets_sent"] for r in flows)
    # About the asked 100,000 packets a second over the ten minutes.
    packets = sum(r["packets_sent"] for r in flows)
    assert 0.8 * 100_000 * 600 <= packets <= 1.2 * 100_000 * 600, packets


def test_lateral_movement_fans_out_from_one_host(day):
    _, table, by_incident = day
    (row,) = incidents_of(table, "lateral_movement")
    flows = by_incident[row["incident_id"]]
    assert len({r["src_ip"] for r in flows}) == 1 and len({r["dst_ip"] for r in flows}) >= 15
    assert {r["dst_port"] for r in flows} == {445, 3389, 22, 5985} and all(r["dst_ip"].startswith("10.3.") for r in flows)
    # The security groups drop what they do not allow (SYN, no answer); SSH, allowed from the
    # workstations, gets in.
    outcomes = Counter((r["dst_port"], "in" if r["bytes_received"] > 1_000 else "out") for r in flows)
    assert outcomes[(22, "in")] > 0 and outcomes[(22, "out")] == 0, outcomes
    assert all(r["flags"] == ["SYN"] and r["packets_received"] == 0 for r in flows if r["dst_port"] != 22)


def test_tunnel_and_upload_stay_within_physics(day):
    _, table, by_incident = day
    (tunnel,) = incidents_of(table, "dns_tunnel")
    flows = by_incident[tunnel["incident_id"]]
    # Through the internal resolver, a steady five TXT queries a second.
    assert {(r["dst_port"], r["protocol"], r["app_layer"]["method"]) for r in flows} == {(53, "UDP", "TXT")}
    assert all(r["dst_ip"] in ("10.0.0.2", "10.0.0.3") for r in flows)
    rates = [r["packets_sent"] / ((r["end_ms"] - r["start_ms"]) / 1000) for r in flows if r["end_ms"] - r["start_ms"] >= 30_000]
    assert 3 <= statistics.median(rates) <= 8, rates[:5]
    # Its queries carry the data in high-entropy labels under one domain, as long as the query's
    # size allows (a DNS name is at most 253 characters, a label 63).
    names = [r["app_layer"]["host"] for r in flows]
    assert len({n.split(".", n.count(".") - 1)[-1] for n in names}) == 1, names[:3]
    for r, name in zip(flows, names):
        assert len(name) <= 253 and all(len(label) <= 63 for label in name.split(".")), name
        assert len(name) < r["bytes_sent"] / r["packets_sent"] - 28, (name, r["bytes_sent"], r["packets_sent"])
    tunnel_entropy = statistics.median(leftmost_label_entropy(n) for n in names)
    assert tunnel_entropy > 4.2, tunnel_entropy
    # The network's own queries ask for names of its servers and of well-known services; a few are
    # machine-made (CDN edges, antivirus lookups), but their median label is plain.
    records, _, _ = day
    normal = [r["app_layer"]["host"] for r in records if r["label"] == "normal" and r["app_layer"]["protocol"] == "DNS"]
    assert len(normal) > 1_000 and len(set(normal)) > 100
    assert statistics.median(leftmost_label_entropy(n) for n in normal) < 3.5
    assert any(n.endswith(".internal.prod") for n in normal) and "login.microsoftonline.com" in normal
    machine_made = [n for n in normal if leftmost_label_entropy(n) > 3.5]
    assert 0 < len(machine_made) < 0.2 * len(normal)
    (upload,) = incidents_of(table, "exfiltration")
    flows = by_incident[upload["incident_id"]]
    total = sum(r["bytes_sent"] for r in flows)
    seconds = (upload["end_ms"] - upload["start_ms"]) / 1000
    assert 1.0e6 <= total / seconds <= 3.0e6, total / seconds
    for r in flows:
        # Never more than the slower link (1 Gbit/s for the outside host) carries.
        assert r["bytes_sent"] * 8 / max((r["end_ms"] - r["start_ms"]) / 1000, 0.001) <= 1e9


def leftmost_label_entropy(name: str) -> float:
    """Shannon entropy in bits per character of a name's longest label (bar its last two), as DNS
    tunnel detectors compute it."""
    labels = name.split(".")[:-2] or name.split(".")[:1]
    label = max(labels, key=len)
    counts = Counter(label)
    return -sum(c / len(label) * math.log2(c / len(label)) for c in counts.values())


def test_the_background_is_the_same_with_and_without_the_scenario(tmp_path):
    args = [*COMMON, "--end-time", "+2h"]
    quiet = generate(*args).stdout
    loud = generate(*args, "--scenario", str(EXAMPLE)).stdout

    def normal(stdout):
        return {SEQ.sub(b"", line) for line in stdout.splitlines() if b'"label":"normal"' in line}
    base, paired = normal(quiet), normal(loud)
    assert len(base) > 5_000 and base == paired
    added = [json.loads(line) for line in loud.splitlines() if b'"incident_id"' in line and json.loads(line).get("technique") is not None
             and json.loads(line)["technique"] != "T1048" and json.loads(line)["technique"] != "T1071.004"]
    assert Counter(r["label"] for r in added)["port_scan"] >= 1_000


@pytest.mark.parametrize("body, key", [
    ("scenarios:\n  - {family: port_scan, duration: 5m, timing: T9}\n", "scenarios[0].timing"),
    ("scenarios:\n  - {family: teleport, duration: 5m}\n", "scenarios[0].family"),
    ("scenarios:\n  - {family: ddos, duration: 5m, target: role:nowhere}\n", "scenarios[0].target"),
    ("scenarios:\n  - {family: beaconing, duration: 5m, target: role:web}\n", "scenarios[0].target"),
    ("scenarios:\n  - {family: port_scan}\n", "scenarios[0].duration"),
    ("scenarios:\n  - {family: port_scan, duration: 5m, colour: red}\n", "scenarios[0].colour"),
    ("scenarios:\n  - {family: port_scan, duration: 5m, every: 1h, rate: 2/day}\n", "scenarios[0].rate"),
    ("scenarios:\n  - {family: port_scan, duration: 5m, start: yesterday}\n", "scenarios[0].start"),
    ("scenarios:\n  - {family: lateral_movement, duration: 5m, ports: [0]}\n", "scenarios[0].ports"),
    ("something_else: 1\n", "something_else"),
])
def test_a_bad_scenario_names_what_is_wrong(tmp_path, body, key):
    path = tmp_path / "bad.yaml"
    path.write_text(body)
    result = run_netchaos("generate", "--count", "10", "--scenario", str(path))
    assert result.returncode == 2, result.stderr
    assert key in result.stderr, result.stderr


def test_errors_name_the_file_of_the_entry(tmp_path):
    """The configuration's `scenarios:` and a --scenario file each number their own entries."""
    config = tmp_path / "config.yaml"
    config.write_text("scenarios:\n  - {family: port_scan, duration: 5m, target: role:web}\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenarios:\n  - {family: ddos, duration: 5m, target: role:nowhere}\n")
    result = run_netchaos("generate", "--count", "10", "--config", str(config), "--scenario", str(bad))
    assert result.returncode == 2, result.stderr
    assert f"{bad}: scenarios[0].target" in result.stderr, result.stderr
    config.write_text("scenarios:\n  - {family: ddos, duration: 5m, target: role:nowhere}\n")
    bad.write_text("scenarios:\n  - {family: port_scan, duration: 5m, target: role:web}\n")
    result = run_netchaos("generate", "--count", "10", "--config", str(config), "--scenario", str(bad))
    assert result.returncode == 2 and "scenarios[0].target" in result.stderr and str(bad) not in result.stderr, result.stderr


def test_service_incidents_on_a_timeline(tmp_path):
    """A database degraded and a web tier failing at the times the file says: every session the
    database serves meanwhile is slower, the web servers fail most of theirs; the incident table
    names each with its targets."""
    path = tmp_path / "services.yaml"
    path.write_text("scenarios:\n"
                    "  - {family: service_degradation, target: role:db, start: 10m, duration: 10m, intensity: 8}\n"
                    "  - {family: service_failure, target: role:web, start: 25m, duration: 5m, intensity: 0.8}\n")
    out = tmp_path / "flows.jsonl"
    generate(*COMMON, "--time-rate", "20", "--end-time", "+40m", "--no-chaos", "--scenario", str(path), "--output", str(out),
             "--incidents", str(tmp_path / "incidents.jsonl"))
    records = [json.loads(line) for line in out.read_bytes().splitlines()]
    table = [json.loads(line) for line in (tmp_path / "incidents.jsonl").read_bytes().splitlines()]
    assert sorted(r["family"] for r in table) == ["service_degradation", "service_failure"]
    (slow,) = incidents_of(table, "service_degradation")
    (failing,) = incidents_of(table, "service_failure")
    assert slow["technique"] is None and slow["stage"] == "degraded" and slow["label"] == "latency_spike"
    assert all(t.startswith("10.0.3.") for t in slow["targets"]), slow["targets"]
    assert all(t.startswith("10.0.1.") for t in failing["targets"]) and failing["targets_count"] > 1, failing["targets"]
    assert START_MS + 10 * MIN <= slow["start_ms"] and failing["start_ms"] >= START_MS + 25 * MIN - MIN
    # Sessions to the databases that start during the window are slower than the others.
    # (Each session by its first record; those refused or dropped by the network aside.)
    firsts = {}
    for r in records:
        firsts.setdefault(r["session_id"], r)
    db = [r for r in firsts.values() if r["dst_ip"].startswith("10.0.3.") and r["protocol"] == "TCP" and r["packets_received"] > 0
          and "RST" not in r["flags"]]
    during = [r["latency_ms"] for r in db if START_MS + 10 * MIN <= r["start_ms"] < START_MS + 20 * MIN]
    before = [r["latency_ms"] for r in db if r["start_ms"] < START_MS + 9 * MIN]
    assert len(during) > 30 and len(before) > 30
    assert statistics.median(during) >= 3 * statistics.median(before), (statistics.median(during), statistics.median(before))
    assert all(r["label"] == "latency_spike" for r in db if START_MS + 10 * MIN + 5_000 <= r["start_ms"] < START_MS + 20 * MIN)
    # Nothing labelled but the sessions that start in the two windows (their records may go on
    # after it: a slow session stays slow, a failed one shows its reset at its end).
    for r in records:
        if r["label"] == "latency_spike":
            assert START_MS + 10 * MIN <= firsts[r["session_id"]]["start_ms"] < START_MS + 20 * MIN, r
        elif r["label"] == "connection_reset":
            assert r["dst_ip"].startswith("10.0.1.") and START_MS + 25 * MIN <= firsts[r["session_id"]]["start_ms"] < START_MS + 30 * MIN, r
        else:
            assert r["label"] == "normal", r
