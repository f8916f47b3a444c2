"""VPC flow logs (`--format vpc`, `PATH.vpc`, a directory, `s3://`): every line against the JSON
record of the same run, as the interfaces of the simulated network log them.

The expected lines are rebuilt here from the JSON records and the network `--print-network`
prints (roles, VPCs, security groups), independently of the encoder: one line per interface
(host inside a VPC) and direction, REJECT at the receiving interface for what a security group
refuses, AWS's field lists of versions 2 to 5, NODATA and SKIPDATA lines per capture window,
malformed records breaking their first line, and AWS's S3 layout.
"""

from __future__ import annotations

import functools
import gzip
import ipaddress
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from conftest import generate, run_netchaos

START = 1795960800  # 2026-11-29T14:00:00Z, a Sunday afternoon

# AWS's field order (VPC Flow Logs documentation, "Available fields"), typed here independently.
V2 = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
      "action log-status").split()
V3 = V2 + "vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr".split()
V4 = V3 + "region az-id sublocation-type sublocation-id".split()
V5 = V4 + "pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path".split()
FIELDS = {2: V2, 3: V3, 4: V4, 5: V5}
IANA = {"TCP": 6, "UDP": 17, "ICMP": 1}
# Where each field sits in a line of any version (a version's line is a prefix of a v5 line).
AT = {name: i for i, name in enumerate(V5)}
FLAGS_AT = AT["tcp-flags"]
MASK = "<tcp-flags>"  # tcp-flags are compared on their own (test_tcp_flags_per_direction)

ID_RES = {
    "account-id": r"\d{12}", "interface-id": r"eni-[0-9a-f]{17}", "vpc-id": r"vpc-[0-9a-f]{17}",
    "subnet-id": r"subnet-[0-9a-f]{17}", "instance-id": r"i-[0-9a-f]{17}", "az-id": r"[a-z]{2,4}\d-az\d",
}
KEY_RE = re.compile(
    r"^AWSLogs/(?P<account>\d{12})/vpcflowlogs/(?P<region>[a-z]{2}-[a-z]+-\d)/(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/"
    r"(?P=account)_vpcflowlogs_(?P=region)_fl-[0-9a-f]{8,17}_(?P<stamp>\d{8}T\d{4}Z)_[0-9a-f]{8}\.log\.gz$"
)


# --- the network -----------------------------------------------------------------------------


def duration_ms(text: str) -> int:
    match = re.fullmatch(r"(\d+)(ms|s|m|h)", str(text))
    assert match, text
    return int(match.group(1)) * {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}[match.group(2)]


class Network:
    """The network `--print-network` prints: who is inside which VPC, and what the security groups let in."""

    ANY = "*"

    def __init__(self, spec: dict):
        self.window_ms = duration_ms(spec["window"])
        self.vpcs = {v["name"]: dict(v, net=ipaddress.ip_network(v["cidr"])) for v in spec["vpcs"]}
        self.roles = {r["name"]: dict(r, nets=[ipaddress.ip_network(s, strict=False) for s in r["subnets"]])
                      for r in spec["roles"]}
        self.edges: set[tuple[str, str, str]] = set()

        def add(source: str, target: str, endpoints: list[str]) -> None:
            outside = self.roles[source].get("vpc") is None
            for endpoint in endpoints:
                self.edges.add((self.ANY if outside else source, target, endpoint))

        for name, role in self.roles.items():
            for client in role.get("clients") or {}:
                add(client, name, role.get("serves") or [])
        for entry in spec.get("traffic") or []:
            add(entry["from"], entry["to"], entry.get("ports") or self.roles[entry["to"]].get("serves") or [])

    @functools.lru_cache(maxsize=None)
    def role(self, address: str) -> str | None:
        ip = ipaddress.ip_address(address)
        found = [name for name, role in self.roles.items() if any(ip in net for net in role["nets"])]
        assert len(found) <= 1, (address, found)
        return found[0] if found else None

    @functools.lru_cache(maxsize=None)
    def vpc(self, address: str) -> dict | None:
        ip = ipaddress.ip_address(address)
        return next((v for v in self.vpcs.values() if ip in v["net"]), None)

    def inside(self, address: str) -> bool:
        return self.vpc(address) is not None

    def aws_service(self, address: str) -> str:
        role = self.role(address)
        if role is None or self.roles[role].get("vpc") is not None or not role.endswith("amazonaws.com"):
            return "-"
        return "S3" if role.startswith("s3") else "AMAZON"

    def allowed(self, record: dict) -> bool:
        """Whether the security group of the server lets the session in."""
        source, target = self.role(record["src_ip"]), self.role(record["dst_ip"])
        if source is not None and self.roles[source]["kind"] == "scanner":
            return True
        protocol = record["protocol"]
        endpoint = "icmp" if protocol == "ICMP" else f"{protocol.lower()}/{record['dst_port']}"
        if (self.ANY, target, endpoint) in self.edges:
            return True
        return self.inside(record["src_ip"]) and source is not None and (source, target, endpoint) in self.edges

    def interface_count(self) -> int:
        """Hosts inside VPCs: a role's `hosts`, or every address of its subnets."""
        total = 0
        for role in self.roles.values():
            if role.get("vpc") is not None:
                total += role.get("hosts") or sum(net.num_addresses for net in role["nets"])
        return total


def network_of(*args: str) -> Network:
    result = run_netchaos("generate", "--print-network", *args).check()
    return Network(yaml.safe_load(result.stdout)["network"])


# --- the runs --------------------------------------------------------------------------------


@dataclass
class Run:
    version: int
    records: list[dict]  # every JSON line, parsed (the runs that use it have no malformed records)
    header: str
    lines: list[list[str]]  # every line after the header, split at single spaces
    net: Network
    cache: dict | None = None

    @property
    def flow_lines(self) -> list[list[str]]:
        return [f for f in self.lines if f[AT["log-status"]] == "OK"]

    @property
    def status_lines(self) -> list[list[str]]:
        return [f for f in self.lines if f[AT["log-status"]] != "OK"]


def run_vpc(tmp_path: Path, version: int, count: int, seed: int, *extra: str) -> Run:
    vpc, jsonl = tmp_path / "flows.vpc", tmp_path / "flows.jsonl"
    args = ["--seed", str(seed), "--start-time", str(START), *extra]
    result = generate("--rate", "max", "--count", str(count), "--vpc-version", str(version), *args,
                      "--output", str(vpc), "--output", str(jsonl))
    assert result.output("flows.vpc")["records"] == count
    text = vpc.read_text()
    assert text.endswith("\n")
    header, *rest = text[:-1].split("\n")
    records = [json.loads(line) for line in jsonl.read_bytes().splitlines()]
    assert len(records) == count
    net = network_of(*args)
    return Run(version, records, header, [line.split(" ") for line in rest], net)


# --- what the interfaces log -------------------------------------------------------------------


@dataclass
class Identity:
    """What the lines tell about one interface (an address inside a VPC)."""

    interface: str
    account: str
    vpc: str | None = None
    subnet: str | None = None
    instance: str | None = None
    region: str | None = None
    az: str | None = None


def identities(run: Run) -> dict[str, Identity]:
    """Address -> its interface's ids, from the OK lines; asserts each address has one interface
    with one set of ids, and no two addresses share an interface."""
    if run.cache is None:
        run.cache = {}
    if "ids" not in run.cache:
        run.cache["ids"] = _identities(run)
    return run.cache["ids"]


def _identities(run: Run) -> dict[str, Identity]:
    assert run.version == 5, "flow-direction tells which end a line's interface is"
    found: dict[str, Identity] = {}
    owner: dict[str, str] = {}
    for f in run.flow_lines:
        local = f[AT["srcaddr"]] if f[AT["flow-direction"]] == "egress" else f[AT["dstaddr"]]
        ident = Identity(
            interface=f[AT["interface-id"]], account=f[AT["account-id"]], vpc=f[AT["vpc-id"]], subnet=f[AT["subnet-id"]],
            instance=f[AT["instance-id"]], region=f[AT["region"]], az=f[AT["az-id"]],
        )
        assert found.setdefault(local, ident) == ident, f"{local} logs with two identities: {found[local]} and {ident}"
        assert owner.setdefault(ident.interface, local) == local, f"{ident.interface} belongs to {owner[ident.interface]} and {local}"
    return found


def expected_lines(record: dict, run: Run, ids: dict[str, Identity], unknown: bool = False) -> list[list[str]]:
    """The lines a well-formed record gives, tcp-flags masked: (client egress, client ingress) at the
    client's interface when it is inside a VPC, (server ingress, server egress) at the server's;
    a refused session only its ingress at the server, as REJECT. With `unknown`, an interface no
    line shows gets placeholder ids (`?` and its address)."""
    net = run.net
    client, server = record["src_ip"], record["dst_ip"]
    icmp = record["protocol"] == "ICMP"
    cport, sport = ("0", "0") if icmp else (str(record["src_port"]), str(record["dst_port"]))
    start = str(record["start_ms"] // 1000)
    end = str(-(-record["end_ms"] // 1000))  # ceil
    refused = net.inside(server) and not net.allowed(record)
    answered = record["packets_received"] > 0

    def line(at: str, egress: bool, forward: bool, action: str = "ACCEPT") -> list[str]:
        ident = ids.get(at)
        if ident is None and unknown:
            ident = Identity(*(["?" + at] * 7))
        assert ident is not None, f"{at} never logs, yet it is inside a VPC: {record}"
        src, dst = (client, server) if forward else (server, client)
        ports = (cport, sport) if forward else (sport, cport)
        packets, octets = ((record["packets_sent"], record["bytes_sent"]) if forward
                           else (record["packets_received"], record["bytes_received"]))
        peer = server if at == client else client
        if not egress:
            path = "-"
        elif not net.inside(peer):
            path = "7" if net.aws_service(peer) != "-" else "8"
        elif net.vpc(peer)["name"] == net.vpc(at)["name"]:
            path = "1"
        else:
            path = "4" if net.vpc(peer)["region"] == net.vpc(at)["region"] else "5"
        fields = [
            str(run.version), ident.account, ident.interface, src, dst, *ports, str(IANA[record["protocol"]]),
            str(packets), str(octets), start, end, action, "OK",
            ident.vpc, ident.subnet, ident.instance, MASK, "IPv4", src, dst,
            ident.region, ident.az, "-", "-",
            net.aws_service(src), net.aws_service(dst), "egress" if egress else "ingress", path,
        ]
        return fields[:len(FIELDS[run.version])]

    out = []
    if net.inside(client):
        out.append(line(client, egress=True, forward=True))
        if answered:
            out.append(line(client, egress=False, forward=False))
    if net.inside(server):
        out.append(line(server, egress=False, forward=True, action="REJECT" if refused else "ACCEPT"))
        if answered and not refused:
            out.append(line(server, egress=True, forward=False))
    return out


def masked(f: list[str]) -> list[str]:
    return f[:FLAGS_AT] + [MASK] + f[FLAGS_AT + 1:] if len(f) > FLAGS_AT else f


def groups(run: Run, lines: list[list[str]] | None = None) -> list[tuple[dict, list[list[str]], list[list[str]]]]:
    """(record, its expected lines, its actual lines) for every record: the lines are written in record
    order, so each record's lines are the next as many as it should have."""
    lines = run.flow_lines if lines is None else lines
    ids = identities(run)
    out, i = [], 0
    for record in run.records:
        expected = expected_lines(record, run, ids)
        actual = lines[i:i + len(expected)]
        i += len(expected)
        out.append((record, expected, actual))
    assert i == len(lines), f"{len(lines)} flow lines, the records give {i}"
    return out


# --- versions and fields ---------------------------------------------------------------------

V5_ARGS = ["--malformed-prob", "0", "--scan-interval", "1", "--vpc-skipdata-prob", "0"]
V5_COUNT = 20_000


@pytest.fixture(scope="module")
def v5_run(tmp_path_factory) -> Run:
    """A run with many scans (SYN and connect scans, REJECTs), nothing malformed, nothing skipped."""
    return run_vpc(tmp_path_factory.mktemp("vpc5"), 5, V5_COUNT, 5, *V5_ARGS)


def test_every_line_matches_the_json_records(v5_run: Run) -> None:
    """Version 5 has every field: each record's lines are exactly the ones its interfaces log."""
    run = v5_run
    assert run.header == " ".join(V5)
    for f in run.lines:
        assert len(f) == len(V5), " ".join(f)
        for name, pattern in ID_RES.items():
            assert re.fullmatch(pattern, f[AT[name]]), (name, " ".join(f))
    assert not run.status_lines, "nothing is skipped and no capture window is over in a few seconds of event time"
    assert [r["end_ms"] for r in run.records] == sorted(r["end_ms"] for r in run.records), "records are in end order"
    for record, expected, actual in groups(run):
        assert record["timestamp"] == record["end_ms"] // 1000, record
        assert sorted(map(masked, actual)) == sorted(expected), (
            f"record seq {record['seq']}:\n{json.dumps(record)}\nexpected:\n"
            + "\n".join(" ".join(e) for e in expected) + "\nwritten:\n" + "\n".join(" ".join(a) for a in actual)
        )
    lines = run.flow_lines
    assert len(lines) > 1.5 * len(run.records), "sessions between VPCs are logged by both interfaces, each direction on a line"
    assert {f[AT["action"]] for f in lines} == {"ACCEPT", "REJECT"}
    assert {f[AT["protocol"]] for f in lines} == {"1", "6", "17"}
    assert {f[AT["flow-direction"]] for f in lines} == {"egress", "ingress"}
    assert {f[AT["traffic-path"]] for f in lines} == {"-", "1", "4", "5", "7", "8"}
    assert {f[AT["pkt-src-aws-service"]] for f in lines} == {"-", "S3"}


def test_ids_are_the_hosts_own_and_the_json_tags_name_the_observer(v5_run: Run) -> None:
    """Per VPC of the network one vpc-id, its account and region; the JSON tags are the observing
    interface's (the client's when it is inside a VPC, else the server's)."""
    run = v5_run
    ids = identities(run)
    net = run.net
    vpc_ids: dict[str, set[str]] = defaultdict(set)
    for address, ident in ids.items():
        vpc = net.vpc(address)
        assert vpc is not None and address.startswith("10."), f"{address} logs but is not inside a VPC"
        assert (ident.account, ident.region) == (vpc["account"], vpc["region"]), (address, ident, vpc)
        assert ident.az.startswith({"us-east-1": "use1-", "us-west-2": "usw2-", "eu-west-1": "euw1-"}[ident.region]), ident
        vpc_ids[vpc["name"]].add(ident.vpc)
    assert all(len(v) == 1 for v in vpc_ids.values()), vpc_ids
    assert len({next(iter(v)) for v in vpc_ids.values()}) == len(vpc_ids) == len(net.vpcs), "one vpc-id per VPC"
    groups_of_role: dict[str, set[str]] = defaultdict(set)
    for record in run.records:
        observer = record["src_ip"] if net.inside(record["src_ip"]) else record["dst_ip"]
        assert net.inside(observer), f"neither end of the record is inside a VPC: {record}"
        tags, ident, vpc = record["tags"], ids[observer], net.vpc(observer)
        assert (tags["account_id"], tags["vpc_id"], tags["region"], tags["env"]) == (
            ident.account, ident.vpc, vpc["region"], vpc["env"]), record
        groups_of_role[net.role(observer)].add(tags["security_group"])
    assert all(len(g) == 1 for g in groups_of_role.values()), f"one security group per role: {groups_of_role}"
    assert len({next(iter(g)) for g in groups_of_role.values()}) == len(groups_of_role)


@pytest.mark.parametrize("version", [2, 3, 4])
def test_each_version_has_its_fields_of_the_same_lines(tmp_path: Path, version: int, v5_run: Run) -> None:
    """Versions 2 to 4 are the same lines with their own fields: a prefix of version 5's."""
    run = run_vpc(tmp_path, version, V5_COUNT, 5, *V5_ARGS)
    assert run.header == " ".join(FIELDS[version])
    assert run.records == v5_run.records
    assert len(run.lines) == len(v5_run.lines)
    width = len(FIELDS[version])
    for f, g in zip(run.lines, v5_run.lines):
        assert f == [str(version)] + g[1:width], f"{' '.join(f)}\nversion 5: {' '.join(g)}"


def test_reject_only_at_the_receiving_interface(v5_run: Run) -> None:
    """What a security group refuses is one REJECT line, at the server's interface, inbound; nothing
    comes back. Everything else is ACCEPT."""
    net = v5_run.net
    rejected = Counter()
    for record, _, actual in groups(v5_run):
        refused = net.inside(record["dst_ip"]) and not net.allowed(record)
        rejects = [f for f in actual if f[AT["action"]] == "REJECT"]
        if not refused:
            assert not rejects, (record, rejects)
            continue
        rejected[record["label"]] += 1
        assert record["packets_received"] == 0 and record["bytes_received"] == 0 and record["latency_ms"] == 0, record
        assert len(rejects) == 1, (record, actual)
        f = rejects[0]
        assert (f[AT["srcaddr"]], f[AT["dstaddr"]], f[AT["flow-direction"]]) == (record["src_ip"], record["dst_ip"], "ingress")
        assert f[AT["interface-id"]] == identities(v5_run)[record["dst_ip"]].interface
        others = [g for g in actual if g is not f]
        # The client, when it is inside a VPC, sent it: one ACCEPT egress line; there is no way back.
        assert [(g[AT["srcaddr"]], g[AT["flow-direction"]], g[AT["action"]]) for g in others] == (
            [(record["src_ip"], "egress", "ACCEPT")] if net.inside(record["src_ip"]) else []), (record, actual)
    # Refused: most probes of the port scans and the internet's background noise.
    assert rejected["port_scan"] >= 100 and rejected["normal"] > 10, rejected


# --- tcp-flags -------------------------------------------------------------------------------


def expected_flags(record: dict) -> tuple[set[int], set[int] | None]:
    """The tcp-flags AWS reports for the client->server and server->client directions of a record
    (None: no line that way), each as the set of values allowed: FIN 1, SYN 2, RST 4, SYN-ACK 18,
    OR-ed over the direction's packets. The JSON flags are both directions together; who sent a
    RST is not in the record unless the session is a refusal or a probe, so either side may hold it."""
    if record["protocol"] != "TCP":
        return {0}, ({0} if record["packets_received"] > 0 else None)
    flags = set(record["flags"])
    syn, fin, rst = "SYN" in flags, "FIN" in flags, "RST" in flags
    if record["packets_received"] == 0:  # unanswered or refused by a security group: the client's SYNs
        assert flags == {"SYN"}, record
        return {2}, None
    if syn and rst and record["packets_sent"] == 1 and record["packets_received"] == 1 and record["bytes_received"] == 40:
        return {2}, {4}  # SYN, then RST-ACK: a closed port
    client = (2 if syn else 0) | (1 if fin else 0)
    server = (18 if syn else 0) | (1 if fin else 0)  # the server's SYN is a SYN-ACK
    if not rst:
        return {client}, {server}
    if "port_scan" in record["anomalies"] or record["label"] == "port_scan":
        return {client | 4}, {server}  # SYN-ACK from an open port, the scanner resets
    if "connection_reset" in record["anomalies"]:
        return {client}, {server | 4}  # the server aborts
    return {client | 4, client}, {server, server | 4}


def test_tcp_flags_per_direction(v5_run: Run) -> None:
    """Each direction reports its own packets' flags as AWS does: the client's SYN is 2, only the
    server's answer is a SYN-ACK (18); FIN 1 and RST 4 where they were sent; 0 for UDP and ICMP."""
    wrong: list[str] = []
    seen = Counter()
    for record, _, actual in groups(v5_run):
        forward_allowed, backward_allowed = expected_flags(record)
        forward = {f[AT["tcp-flags"]] for f in actual if f[AT["srcaddr"]] == record["src_ip"]}
        backward = {f[AT["tcp-flags"]] for f in actual if f[AT["srcaddr"]] == record["dst_ip"]}
        assert len(forward) == 1 and len(backward) <= 1, f"both interfaces report a direction alike: {record} {actual}"
        assert (backward_allowed is None) == (not backward), (record, actual)
        got = (int(next(iter(forward))), int(next(iter(backward))) if backward else None)
        seen[got] += 1
        ok = got[0] in forward_allowed and (got[1] is None or got[1] in backward_allowed)
        if ok and record["protocol"] == "TCP" and "RST" in record["flags"] and got[1] is not None:
            ok = (got[0] & 4) != (got[1] & 4)  # one side resets
        if not ok:
            wrong.append(f"{record['seq']} flags {','.join(record['flags'])} ({record['label']}): "
                         f"client->server {got[0]}, expected {'/'.join(map(str, sorted(forward_allowed)))}; "
                         f"server->client {got[1]}, expected {'/'.join(map(str, sorted(backward_allowed or [])))}")
    kinds = Counter(w.split(" ", 1)[1] for w in wrong)
    assert not wrong, f"{len(wrong)} of {len(v5_run.records)} records with wrong tcp-flags; by kind:\n" + "\n".join(
        f"{n} x {k}" for k, n in kinds.most_common(8))
    # Every kind of TCP course is in the run: handshakes, closes, resets, refusals, unanswered SYNs, probes.
    assert {(2, 18), (3, 19), (1, 1), (0, 0), (2, None), (2, 4), (6, 18)} <= set(seen), seen


# --- NODATA and SKIPDATA ------------------------------------------------------------------------

# Five and a half minutes of event time: a few capture windows (the aggregation window, 60 s) end.
SLOW = ["--time-rate", "100", "--malformed-prob", "0", "--drop-prob", "0"]


def window_of(seconds: str, net: Network) -> int:
    return int(seconds) * 1000 // net.window_ms


def test_nodata_and_skipdata_lines(tmp_path: Path) -> None:
    """An interface that logged nothing in a capture window gets a NODATA line for it; a skipped
    window loses the interface's lines and gets a SKIPDATA line instead. The lines carry the
    interface's ids and the window's start and end, and `-` in every field of a flow."""
    run = run_vpc(tmp_path / "a", 5, 30_000, 9, *SLOW, "--vpc-skipdata-prob", "0.02")
    net = run.net
    ids = identities(run)
    by_interface = {ident.interface: ident for ident in ids.values()}
    address_of = {ident.interface: address for address, ident in ids.items()}
    status: dict[tuple[str, int], str] = {}
    status_ids: dict[str, tuple] = {}
    for f in run.status_lines:
        assert len(f) == len(V5) and f[0] == "5", f
        for name, pattern in ID_RES.items():
            assert re.fullmatch(pattern, f[AT[name]]), (name, " ".join(f))
        w = window_of(f[AT["start"]], net)
        assert (int(f[AT["start"]]), int(f[AT["end"]])) == (w * net.window_ms // 1000, (w + 1) * net.window_ms // 1000), f
        assert f[AT["srcaddr"]:AT["start"]] == ["-"] * 7 and f[AT["action"]] == "-", f
        assert [f[AT[k]] for k in ("tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr")] == ["-"] * 4, f
        assert f[AT["sublocation-type"]:] == ["-"] * 6, f
        own = (f[AT["account-id"]], f[AT["vpc-id"]], f[AT["subnet-id"]], f[AT["instance-id"]], f[AT["region"]], f[AT["az-id"]])
        assert status_ids.setdefault(f[AT["interface-id"]], own) == own, f
        ident = by_interface.get(f[AT["interface-id"]])
        if ident is not None:
            assert own == (ident.account, ident.vpc, ident.subnet, ident.instance, ident.region, ident.az), (f, ident)
        assert status.setdefault((f[AT["interface-id"]], w), f[AT["log-status"]]) == f[AT["log-status"]], "one status line per window"
    assert Counter(f[AT["log-status"]] for f in run.status_lines).keys() == {"NODATA", "SKIPDATA"}
    assert len(run.status_lines) == len(status), "one status line per interface and window"

    # The windows reported: whole windows after the first record's, settled as the run goes.
    windows = sorted({w for _, w in status})
    first_end = run.records[0]["end_ms"] // net.window_ms
    last_end = run.records[-1]["end_ms"] // net.window_ms
    assert len(windows) >= 2 and windows == list(range(windows[0], windows[-1] + 1)), windows
    assert first_end < windows[0] and windows[-1] <= last_end, (first_end, windows, last_end)

    # Which interfaces had traffic in each window (a record spans the windows from its start to its end).
    active: dict[int, set[str]] = defaultdict(set)
    for record in run.records:
        for w in range(record["start_ms"] // net.window_ms, record["end_ms"] // net.window_ms + 1):
            active[w] |= {a for a in (record["src_ip"], record["dst_ip"]) if net.inside(a)}
    interfaces = net.interface_count()
    for w in windows:
        nodata = {i for (i, v), kind in status.items() if v == w and kind == "NODATA"}
        skipped = {i for (i, v), kind in status.items() if v == w and kind == "SKIPDATA"}
        assert not {address_of.get(i) for i in nodata} & active[w], f"NODATA for an interface with traffic in window {w}"
        assert {address_of[i] for i in skipped if i in address_of} <= active[w], f"SKIPDATA for an idle interface in window {w}"
        assert len(nodata) + len(active[w]) == interfaces, (w, len(nodata), len(active[w]), interfaces)
        assert nodata and len(nodata) < interfaces
    assert len(status_ids) <= interfaces

    # SKIPDATA: the interface's lines of the window (by their start) are left out, and only those.
    expected = Counter(tuple(e) for record in run.records for e in expected_lines(record, run, ids, unknown=True))
    written = Counter(tuple(masked(f)) for f in run.flow_lines)
    assert not written - expected, f"lines no record gives: {list((written - expected).elements())[:5]}"
    missing = expected - written
    for line in missing.elements():
        w = window_of(line[AT["start"]], net)
        if not windows[0] <= w <= windows[-1]:
            continue  # a window not reported (yet)
        if line[AT["interface-id"]].startswith("?"):  # all its lines are skipped: one of the interfaces no line shows
            assert any(kind == "SKIPDATA" and v == w and i not in by_interface for (i, v), kind in status.items()), line
        else:
            assert status.get((line[AT["interface-id"]], w)) == "SKIPDATA", f"a line is missing: {' '.join(line)}"
    skipped_pairs = {key for key, kind in status.items() if kind == "SKIPDATA"}
    for f in run.flow_lines:
        assert (f[AT["interface-id"]], window_of(f[AT["start"]], net)) not in skipped_pairs, f"a skipped window logs: {f}"
    assert sum(windows[0] <= window_of(line[AT["start"]], net) <= windows[-1] for line in missing.elements()) > 0

    # --no-vpc-nodata: the same lines without the NODATA ones.
    quiet = run_vpc(tmp_path / "b", 5, 30_000, 9, *SLOW, "--vpc-skipdata-prob", "0.02", "--no-vpc-nodata")
    assert quiet.lines == [f for f in run.lines if f[AT["log-status"]] != "NODATA"]
    # --vpc-skipdata-prob 0: nothing left out, and (without NODATA) no status line at all.
    whole = run_vpc(tmp_path / "c", 5, 30_000, 9, *SLOW, "--vpc-skipdata-prob", "0", "--no-vpc-nodata")
    assert not whole.status_lines and whole.records == run.records
    assert Counter(tuple(masked(f)) for f in whole.flow_lines) == Counter(
        tuple(e) for record in whole.records for e in expected_lines(record, whole, identities(whole)))


# --- malformed records ------------------------------------------------------------------------

# Where each JSON field shows in a flow's first line (the client->server direction).
POSITIONS = {
    "timestamp": ["start", "end"], "latency_ms": ["end"], "src_ip": ["srcaddr", "pkt-srcaddr"],
    "dst_ip": ["dstaddr", "pkt-dstaddr"], "src_port": ["srcport"], "dst_port": ["dstport"], "protocol": ["protocol"],
    "packets_sent": ["packets"], "bytes_sent": ["bytes"], "flags": ["tcp-flags"],
    "tags": ["account-id", "vpc-id", "region", "az-id"], "event_id": [], "bytes_received": [], "app_layer": [],
}


def is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def test_malformed_records_break_their_first_line(tmp_path: Path) -> None:
    """A malformed record breaks its first line as in CSV (`-` for a missing field, text in a number
    field, out-of-range numbers, bad addresses, a cut line); its other lines are whole. The same run
    without malformed records gives the true lines."""
    common = ["--drop-prob", "0", "--vpc-skipdata-prob", "0", "--scan-interval", "5"]
    clean = run_vpc(tmp_path / "clean", 5, 15_000, 6, "--malformed-prob", "0", *common)
    vpc, jsonl = tmp_path / "broken.vpc", tmp_path / "broken.jsonl"
    generate("--rate", "max", "--count", "15000", "--vpc-version", "5", "--seed", "6", "--start-time", str(START),
             "--malformed-prob", "0.05", *common, "--output", str(vpc), "--output", str(jsonl))
    broken_lines = vpc.read_text()[:-1].split("\n")[1:]
    raw = jsonl.read_bytes().splitlines()
    assert len(raw) == len(clean.records) and len(broken_lines) == len(clean.lines)
    i = 0
    kinds = Counter()
    for (record, expected, _), line in zip(groups(clean), raw):
        n = len(expected)
        truth, got = [" ".join(f) for f in clean.lines[i:i + n]], broken_lines[i:i + n]
        i += n
        kind = re.search(rb'"malformed_kind":"([a-z_]+)"', line)
        if kind is not None:
            kind = kind.group(1).decode()
        else:
            try:
                value = json.loads(line)
            except ValueError:
                kind = "truncated"  # cut before its malformed_kind
            else:
                assert value == record, "the runs differ beyond the malformed records"
                assert got == truth, (record, got, truth)
                continue
        assert got[1:] == truth[1:], f"{kind}: only the first line is broken:\n{got}\n{truth}"
        first, true_first = got[0], truth[0]
        if kind == "truncated":
            assert len(first) < len(true_first) and true_first.startswith(first), (first, true_first)
            kinds[kind] += 1
            continue
        value = json.loads(line)
        assert value["seq"] == record["seq"] and value.get("event_id", record["event_id"]) == record["event_id"]
        changed = [k for k in POSITIONS if k not in value or type(value[k]) is not type(record[k]) or value[k] != record[k]]
        assert len(changed) == 1, (kind, changed, value, record)
        name = changed[0]
        f, t = first.split(" "), true_first.split(" ")
        assert len(f) == len(t) == len(V5), first
        diff = [V5[j] for j in range(len(V5)) if f[j] != t[j]]
        assert diff == sorted(POSITIONS[name], key=V5.index), f"{kind} {name}: {diff}\n{first}\n{true_first}"
        if diff:
            kinds[kind] += 1
        tokens = [f[AT[d]] for d in diff]
        if kind == "missing_field":
            assert name not in value and set(tokens) <= {"-"}, (name, first)
        elif kind == "wrong_type":
            if name == "protocol":
                assert tokens == [record["protocol"]], first
            elif name == "flags":
                assert tokens[0] == "n/a" or set(tokens[0].split(",")) <= set(record["flags"]), first
            else:
                assert set(tokens) == {"n/a"}, first
        elif kind == "out_of_range":
            if name in ("src_port", "dst_port"):
                assert tokens == [str(value[name])] and value[name] > 65535, first
            elif name in ("packets_sent", "bytes_sent"):
                assert tokens == [str(value[name])] and value[name] < 0, first
            elif name == "latency_ms":
                assert value[name] < 0 and int(f[AT["end"]]) < int(f[AT["start"]]), first
        elif kind == "bad_ip":
            assert set(tokens) == {value[name]} and not is_ipv4(value[name]), first
    assert i == len(broken_lines)
    assert set(kinds) == {"truncated", "wrong_type", "missing_field", "out_of_range", "bad_ip"}, kinds


# --- AWS's layout: a directory, S3 ----------------------------------------------------------------


def delivered(files: dict[str, bytes], net: Network, version: int) -> list[list[str]]:
    """Checks AWS's layout of `files` (key -> gzip body) and returns every line in them."""
    fields = FIELDS[version]
    lines, places = [], set()
    for key, body in files.items():
        match = KEY_RE.match(key)
        assert match, key
        account, region, stamp = match["account"], match["region"], match["stamp"]
        assert (match["y"], match["m"], match["d"]) == (stamp[:4], stamp[4:6], stamp[6:8]) and int(stamp[-3:-1]) % 5 == 0, key
        begin = int(datetime.strptime(stamp, "%Y%m%dT%H%MZ").replace(tzinfo=timezone.utc).timestamp())
        places.add((account, region))
        text = gzip.decompress(body).decode()
        header, *rest = text[:-1].split("\n")
        assert header == " ".join(fields) and rest, key
        for line in rest:
            f = line.split(" ")
            assert len(f) == len(fields) and f[AT["account-id"]] == account, (key, line)
            if version >= 4:
                assert f[AT["region"]] == region, (key, line)
            assert int(f[AT["end"]]) <= begin + 300, (key, line)  # five minutes a file
            if f[AT["log-status"]] == "OK":
                assert int(f[AT["end"]]) >= begin, (key, line)
            lines.append(f)
    assert places == {(v["account"], v["region"]) for v in net.vpcs.values()}, places
    return lines


def test_directory_output_is_aws_s3_layout(tmp_path: Path) -> None:
    out, flat = tmp_path / "logs", tmp_path / "flows.vpc"
    args = ["--seed", "10", "--start-time", str(START), *SLOW]
    result = generate("--rate", "max", "--count", "30000", "--vpc-version", "5", *args,
                      "--output", f"{out}/", "--output", str(flat))
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert len({KEY_RE.match(k)["stamp"] for k in files if KEY_RE.match(k)}) >= 2, sorted(files)
    lines = delivered(files, network_of(*args), 5)
    # The same lines as the single file of the same run, each in its account's and region's file.
    assert Counter(map(tuple, lines)) == Counter(tuple(line.split(" ")) for line in flat.read_text().splitlines()[1:])
    entry = result.output("logs")
    assert entry["records"] == 30_000 and entry["bytes"] == sum(len(b) for b in files.values()), entry
    assert sorted(Path(f).as_posix().split("AWSLogs/", 1)[1] for f in entry["files"]) == sorted(
        k.split("AWSLogs/", 1)[1] for k in files), entry["files"]


@pytest.fixture(scope="module")
def moto():
    """scripts/moto_server.py: S3 on a free port that checks every SigV4 signature."""
    from sink_support import Moto

    server = Moto()
    yield server
    server.stop()


def s3_env(moto, secret: str | None = None) -> dict[str, str]:
    # SWIFT_BACKTRACE: a crash prints its message without a backtrace that takes seconds.
    return {"AWS_ENDPOINT_URL_S3": moto.endpoint, "AWS_ACCESS_KEY_ID": moto.access_key,
            "AWS_SECRET_ACCESS_KEY": secret or moto.secret_key, "AWS_REGION": "us-east-1", "SWIFT_BACKTRACE": "enable=no"}


def tail(stderr: str) -> str:
    return "\n".join(line for line in stderr.splitlines() if "error" in line.lower())[-1500:] or stderr[-1500:]


def test_s3_output_is_the_aws_layout_uploaded_with_signatures(tmp_path: Path, moto) -> None:
    """s3://BUCKET/PREFIX: the same objects as a directory output of the same run, uploaded with
    SigV4 (moto checks every signature) into a bucket the generator creates."""
    from sink_support import stored_objects

    out = tmp_path / "logs"
    args = ["--seed", "12", "--start-time", str(START), *SLOW]
    result = run_netchaos("generate", "--log-interval", "0", "--progress", "off", "--rate", "max", "--count", "20000",
                          *args, "--output", "s3://flow-logs/prod", "--output", f"{out}/", env=s3_env(moto))
    objects = stored_objects(moto.client(), "flow-logs", "")
    assert objects and all(k.startswith("prod/AWSLogs/") for k in objects), sorted(objects)
    stored = {k[len("prod/"):]: body for k, body in objects.items()}
    local = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert sorted(stored) == sorted(local)
    for key in stored:
        assert gzip.decompress(stored[key]) == gzip.decompress(local[key]), key
    lines = delivered(stored, network_of(*args), 2)
    assert lines and all(f[0] == "2" for f in lines)
    assert result.summary["errors"] == [] and result.output("s3://flow-logs/prod")["records"] == 20_000
    # Last, so that the checks above show what was stored whatever the exit.
    assert result.returncode == 0, f"exit status {result.returncode} after a successful run:\n{tail(result.stderr)}"


def test_s3_output_with_a_wrong_secret_fails_with_the_servers_reason(moto) -> None:
    from sink_support import stored_objects

    result = run_netchaos("generate", "--log-interval", "0", "--progress", "off", "--rate", "max", "--count", "2000",
                          "--seed", "12", "--start-time", str(START), "--output", "s3://flow-logs/wrong",
                          env=s3_env(moto, secret="wrong" + moto.secret_key[5:]))
    assert not stored_objects(moto.client(), "flow-logs", "wrong/")
    assert result.returncode == 1, f"exit status {result.returncode}:\n{tail(result.stderr)}"
    assert "SignatureDoesNotMatch" in result.stderr or "InvalidAccessKeyId" in result.stderr, result.stderr[-1500:]


def test_bad_version_is_a_clear_error() -> None:
    result = run_netchaos("generate", "--count", "1", "--format", "vpc", "--vpc-version", "6")
    assert result.returncode == 2
    assert "output.vpc.version" in result.stderr and "'6'" in result.stderr
