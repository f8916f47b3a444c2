"""Fuzz and property tests of `netchaos ingest`'s HTTP API (docs/ingest-openapi.yaml), bounded by
example count and reproducible (derandomized Hypothesis, a fixed schemathesis seed):

* schemathesis sends every documented operation valid and invalid requests: never a 5xx, and every
  status code, content type, header and body is the one the spec documents;
* a state machine posts valid batches drawn from the spec's own request schema (JSON and CSV) and
  batches with one bad record, and checks that whatever was accepted is what GetMetric,
  ListMetrics and /telemetry/switches/{id} serve, and that a refused batch stored nothing;
* raw requests over a socket (request lines, header fields, chunked bodies, JSON syntax) never get
  a 5xx and never stop the process.

`REPRODUCTIONS` at the end sends the smallest request that showed each defect the fuzzing found
(each fixed since), so that none comes back.
"""
from __future__ import annotations

import csv
import io
import json
import re
import socket
import string
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, assume, event, given, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from schemathesis import GenerationMode

from ingest_support import Ingester

SPEC = Path(__file__).resolve().parents[2] / "docs" / "ingest-openapi.yaml"
# Examples per operation in schemathesis's fuzzing phase (its coverage phase adds a fixed set of
# boundary cases the schema defines, whatever this is).
FUZZ_EXAMPLES = 80
SEED = 20261205

schemathesis.serializer.alias("text/csv", "text/plain")
CONFIG = schemathesis.Config.from_dict({
    "seed": SEED,
    "generation": {"deterministic": True, "database": "none", "max-examples": FUZZ_EXAMPLES},
    "phases": {"stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_path(SPEC, config=CONFIG)

# Hypothesis settings of every test here: derandomized (the same examples on every run), no example
# database (nothing carried over between runs), no deadline (a busy machine is slow, not wrong), and
# no "explain" phase (slow, and shrinking already gives the smallest failing request).
BOUNDED = dict(derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck), print_blob=True,
               phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink])

# The spec bounds timestamps absolutely (0 to 1e11); the ingester also refuses those more than
# INGEST_MAX_FUTURE_SKEW (5m) ahead of its clock, which a schema cannot say: widened here so that every
# timestamp the spec allows is accepted.
WIDE_SKEW = {"INGEST_MAX_FUTURE_SKEW": "100000000000s"}


@pytest.fixture(scope="module")
def ingester():
    ingest = Ingester(env=WIDE_SKEW)
    yield ingest
    assert ingest.proc.poll() is None, "the ingester died during the fuzz run"
    assert ingest.stop() == 0


@pytest.fixture(scope="module")
def session():
    with requests.Session() as s:
        yield s


# --- schemathesis: every operation against the spec ----------------------------------------------

@schema.exclude(path_regex="^/telemetry/switches/").parametrize()
@settings(max_examples=FUZZ_EXAMPLES, **BOUNDED)
def test_api_conforms_to_the_spec(case, ingester, session):
    # The default checks: not_a_server_error, status_code/content_type/response_headers/
    # response_schema conformance, positive_data_acceptance, negative_data_rejection, unsupported_method...
    case.call_and_validate(base_url=ingester.url, session=session, timeout=10)


@schema.include(path_regex="^/telemetry/switches/").parametrize()
@settings(max_examples=FUZZ_EXAMPLES, **BOUNDED)
def test_switch_routes_conform_to_the_spec(case, ingester, session):
    case.call_and_validate(base_url=ingester.url, session=session, timeout=10)


# --- a state machine: what POST accepts is what the reads serve ---------------------------------

POST = schema["/telemetry"]["POST"]
METRICS = ["bandwidth_mbps", "latency_ms", "packet_errors", "link_speed_mbps", "utilization_pct", "drops", "crc_errors", "oper_status"]
INTEGER_FIELDS = {"timestamp", "packet_errors", "link_speed_mbps", "drops", "crc_errors"}
FIELDS = ["switch_id", "timestamp", *METRICS, "label"]
# A small history, so that its bound is exercised too.
HISTORY = 4


def records_of(media_type: str, body) -> list[dict]:
    """The records a valid POST body holds, as the ingester keeps them (fields it does not keep and nulls dropped)."""
    if media_type == "text/csv":
        rows = [row for row in csv.reader(io.StringIO(body.replace("\r\n", "\n"))) if row]
        header = rows[0]
        raw = [dict(zip(header, row)) for row in rows[1:]]
    else:
        raw = body if isinstance(body, list) else [body]
    records = []
    for item in raw:
        record = {}
        for name in FIELDS:
            value = item.get(name)
            if value is None or value == "":
                continue
            if name in INTEGER_FIELDS:
                value = int(float(value)) if isinstance(value, float) else int(value)
            elif name not in ("switch_id", "oper_status", "label"):
                value = float(value)
            record[name] = value
        records.append(record)
    return records


def switch_number(switch_id: str):
    """What the ingester sorts `sw<number>` by (Swift's Int(): optional sign, digits, no overflow)."""
    if switch_id.startswith("sw") and re.fullmatch(r"[+-]?[0-9]+", switch_id[2:]):
        number = int(switch_id[2:])
        if -2**63 <= number < 2**63:
            return number
    return None


def sorts_before(a: str, b: str) -> bool:
    x, y = switch_number(a), switch_number(b)
    if x is not None and y is not None:
        return x < y
    if x is not None or y is not None:
        return x is not None
    return a < b


def same(served, expected) -> bool:
    if isinstance(expected, float):
        return isinstance(served, (int, float)) and not isinstance(served, bool) and served == expected
    return served == expected and type(served) is type(expected)


def check_report(served: dict, expected: dict):
    assert served.keys() == expected.keys(), (served, expected)
    for name, value in expected.items():
        assert same(served[name], value), (name, served, expected)


def error_of(response) -> str:
    body = response.json()
    assert set(body) == {"error", "status"} and body["status"] == response.status_code, body
    return body["error"]


# A bad value for each field (or None: leave the field out), and how the error names the field.
CORRUPTIONS = [
    ("switch_id", "-starts-with-a-dash"), ("switch_id", "x" * 65), ("switch_id", "sw*"), ("switch_id", 7),
    ("switch_id", None), ("timestamp", -1), ("timestamp", 100_000_000_001), ("timestamp", 1.5), ("timestamp", "1"),
    ("bandwidth_mbps", -0.5), ("bandwidth_mbps", 10_000_000.5), ("bandwidth_mbps", None), ("latency_ms", "1"),
    ("latency_ms", -1), ("packet_errors", -1), ("packet_errors", 9e15), ("packet_errors", 0.5),
    ("link_speed_mbps", 0), ("utilization_pct", 100.5), ("utilization_pct", -0.1), ("drops", -1),
    ("crc_errors", 2.5), ("oper_status", "sideways"), ("oper_status", 1), ("label", "weird"), ("label", ""),
    ("anomalies", "not-a-list"), ("anomalies", [1]), ("generator_id", 3), ("seq", 0.5), ("bandwith_mbps", 1.0),
]


JSON_POST = POST.as_strategy(GenerationMode.POSITIVE).filter(lambda case: case.media_type == "application/json")


class IngestModel(RuleBasedStateMachine):
    """The ingester's model (see MetricStore.swift): per switch a history keyed by timestamp (the
    last write for a timestamp wins, HISTORY newest kept); the latest snapshot is the newest
    timestamp ever stored, and holds the last write of each switch at that timestamp."""

    def __init__(self):
        super().__init__()
        self.ingest = Ingester(env={**WIDE_SKEW, "INGEST_REPORT_TTL": "1h", "INGEST_HISTORY": str(HISTORY)})
        self.http = requests.Session()
        self.history: dict[str, dict[int, dict]] = {}
        self.snapshots: dict[int, dict[str, dict]] = {}
        self.latest: int | None = None

    def teardown(self):
        self.http.close()
        alive = self.ingest.proc.poll() is None
        code = self.ingest.stop()
        assert alive and code == 0, f"the ingester died or exited {code}"

    def get(self, path: str, **params):
        return self.http.get(self.ingest.url + path + (f"?{urlencode(params)}" if params else ""),
                             headers={"Accept": "application/json"}, timeout=10)

    def pick_switch(self, data) -> str:
        """A switch written before: any, one of those with the longest histories, or one in the latest snapshot."""
        longest = sorted(self.history, key=lambda s: (-len(self.history[s]), s))[:3]
        in_latest = sorted(self.snapshots.get(self.latest, {}))
        choices = st.sampled_from(sorted(self.history)) | st.sampled_from(longest)
        if in_latest:
            choices |= st.sampled_from(in_latest)
        return data.draw(choices, label="switch")

    def newest(self, switch_id: str) -> dict | None:
        reports = self.history.get(switch_id)
        return reports[max(reports)] if reports else None

    @rule(case=POST.as_strategy(GenerationMode.POSITIVE))
    def post_valid_batch(self, case):
        response = case.call(base_url=self.ingest.url, session=self.http, timeout=10)
        records = records_of(case.media_type, case.body)
        event(f"valid batch: {case.media_type}, {'no' if not records else 'some'} records")
        self.accepted(response, records, case.body)

    @rule(case=JSON_POST, data=st.data())
    def post_known_switches_again(self, case, data):
        """Valid records for switches already written, at timestamps already written or next to
        the latest: replacements, late reports, new latest snapshots, longer histories."""
        assume(self.history)
        body = [dict(r) for r in (case.body if isinstance(case.body, list) else [case.body])]
        assume(body)
        switch_id = self.pick_switch(data)
        for record in body:
            record["switch_id"] = data.draw(st.just(switch_id) | st.sampled_from(sorted(self.history)), label="switch")
            known = sorted(self.history[record["switch_id"]])
            record["timestamp"] = data.draw(st.sampled_from(
                [*known, self.latest, min(self.latest + 1, 100_000_000_000), max(known[0] - 1, 0)])
                | st.integers(max(known[-1] - 5, 0), min(known[-1] + 5, 100_000_000_000)), label="timestamp")
        event("known switches posted again")
        response = self.http.post(self.ingest.url + "/telemetry", json=body, timeout=10)
        self.accepted(response, records_of("application/json", body), body)

    def accepted(self, response, records: list[dict], body):
        """Checks the answer to a valid batch and applies the batch to the model."""
        assert response.status_code == 200, (body, response.text)
        assert response.json() == {
            "stored": len(records), "switches": len({r["switch_id"] for r in records}),
            "latest_timestamp": max((r["timestamp"] for r in records), default=0),
        }
        for record in records:
            history = self.history.setdefault(record["switch_id"], {})
            history[record["timestamp"]] = record
            for old in sorted(history)[:-HISTORY]:
                del history[old]
            self.snapshots.setdefault(record["timestamp"], {})[record["switch_id"]] = record
        if records and (self.latest is None or max(r["timestamp"] for r in records) > self.latest):
            self.latest = max(r["timestamp"] for r in records)
        # Read after write: a few of the switches just written, at once.
        for switch_id in list(dict.fromkeys(r["switch_id"] for r in records))[:3]:
            self.check_switch(switch_id, limit=None, metric=None)
            for metric in ("latency_ms", METRICS[len(records) % len(METRICS)]):
                self.check_get_metric(switch_id, metric)

    @rule(case=JSON_POST, data=st.data())
    def post_batch_with_one_bad_record(self, case, data):
        records = [dict(r) for r in (case.body if isinstance(case.body, list) else [case.body])]
        assume(records)
        index = data.draw(st.integers(0, len(records) - 1), label="bad record")
        field, value = data.draw(st.sampled_from(CORRUPTIONS), label="corruption")
        if value is None:
            records[index].pop(field, None)
        else:
            records[index][field] = value
        body = records if isinstance(case.body, list) else records[0]
        response = self.http.post(self.ingest.url + "/telemetry", json=body, timeout=10)
        assert response.status_code == 400, (body, response.text)
        message = error_of(response)
        # The message names the record and the field.
        assert f"record {index}" in message and field in message, message
        event(f"bad batch refused: {field}")
        # Nothing of the batch was stored.
        for record in records:
            switch_id = record.get("switch_id")
            if isinstance(switch_id, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}", switch_id) and switch_id not in self.history:
                assert self.get(f"/telemetry/switches/{switch_id}").status_code == 404, record

    @rule(data=st.data())
    def switch_and_its_history(self, data):
        assume(self.history)
        self.check_switch(self.pick_switch(data), limit=data.draw(st.none() | st.integers(1, HISTORY), label="limit"),
                          metric=data.draw(st.none() | st.sampled_from(METRICS), label="metric"))

    @rule(data=st.data(), metric=st.sampled_from(METRICS))
    def get_metric(self, data, metric):
        assume(self.history)
        self.check_get_metric(self.pick_switch(data), metric)

    def check_switch(self, switch_id: str, limit: int | None, metric: str | None):
        """/telemetry/switches/{id} serves the newest report, and its history the newest first."""
        response = self.get(f"/telemetry/switches/{switch_id}")
        event(f"switch read, {len(self.history[switch_id])} reports in its history")
        assert response.status_code == 200, response.text
        check_report(response.json(), self.newest(switch_id))
        expected = [self.history[switch_id][t] for t in sorted(self.history[switch_id], reverse=True)]
        if limit is not None:
            expected = expected[:limit]
        params = {k: v for k, v in {"limit": limit, "metric": metric}.items() if v is not None}
        response = self.get(f"/telemetry/switches/{switch_id}/history", **params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["switch_id"] == switch_id
        if metric is None:
            assert len(body["reports"]) == len(expected), body
            for served, record in zip(body["reports"], expected):
                check_report(served, record)
        else:
            points = [{"timestamp": r["timestamp"], "value": r[metric]} for r in expected if metric in r]
            assert body["metric"] == metric and len(body["points"]) == len(points), (body, points)
            for served, point in zip(body["points"], points):
                assert served["timestamp"] == point["timestamp"] and same(served["value"], point["value"]), (served, point)

    def check_get_metric(self, switch_id: str, metric: str):
        """GetMetric serves the switch's value in the latest snapshot, or says what is missing."""
        response = self.get("/telemetry/GetMetric", switch_id=switch_id, metric=metric)
        snapshot = self.snapshots.get(self.latest, {})
        event(f"GetMetric: {response.status_code}")
        if switch_id not in snapshot:
            assert (response.status_code, error_of(response)) == (404, "switch_id does not exist")
        elif metric not in snapshot[switch_id]:
            assert (response.status_code, error_of(response)) == (404, "metric does not exist")
        else:
            assert response.status_code == 200, response.text
            assert same(response.json(), snapshot[switch_id][metric]), (response.text, snapshot[switch_id])

    @invariant()
    def list_metrics_is_the_latest_snapshot(self):
        response = self.get("/telemetry/ListMetrics")
        assert response.status_code == 200
        served = response.json()
        assert all(len(entry) == 1 for entry in served), served
        ids = [next(iter(entry)) for entry in served]
        snapshot = self.snapshots.get(self.latest, {})
        assert sorted(ids) == sorted(snapshot), (ids, sorted(snapshot))
        for a, b in zip(ids, ids[1:]):
            assert not sorts_before(b, a), f"{b} listed after {a}"
        for entry in served:
            (switch_id, metrics), = entry.items()
            expected = {k: snapshot[switch_id][k] for k in ("bandwidth_mbps", "latency_ms", "packet_errors")}
            check_report(metrics, expected)


def test_what_post_accepts_is_what_the_reads_serve():
    run_state_machine_as_test(IngestModel, settings=settings(max_examples=15, stateful_step_count=15, **BOUNDED))


# --- raw requests over a socket ------------------------------------------------------------------

@pytest.fixture(scope="module")
def raw_ingester():
    ingest = Ingester(env=WIDE_SKEW)
    ingest.port = int(ingest.url.rsplit(":", 1)[1])
    yield ingest
    assert ingest.proc.poll() is None, "the ingester died during the raw requests"
    assert ingest.stop() == 0


def exchange(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Sends `data`, half-closes, and returns everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # it answered (and closed) before reading everything: read what it said
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            except socket.timeout:
                raise AssertionError(f"no answer within {timeout} s to {data[:300]!r}") from None
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


STATUS_LINE = re.compile(rb"HTTP/1\.[01] (\d{3}) ")


def statuses(answer: bytes) -> list[int]:
    return [int(m.group(1)) for m in STATUS_LINE.finditer(answer) if m.start() == 0 or answer[m.start() - 2:m.start()] == b"\r\n"]


def first_response(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, rest = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.decode("latin-1").strip().lower()] = value.decode("latin-1").strip()
    return status, headers, rest[:int(headers.get("content-length", len(rest)))]


def still_serving(ingest):
    assert ingest.proc.poll() is None, f"the ingester exited {ingest.proc.returncode}"
    answer = exchange(ingest.port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert statuses(answer)[:1] == [200] and answer.endswith(b"OK"), answer


RECORD = b'"timestamp":1000,"bandwidth_mbps":1.5,"latency_ms":2,"packet_errors":0'
CSV_HEADER = b"timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors\n"


def post(body: bytes, content_type: bytes = b"application/json") -> bytes:
    return (b"POST /telemetry HTTP/1.1\r\nHost: x\r\nContent-Type: " + content_type + b"\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body) + body)


def chunked(body: bytes) -> bytes:
    return (b"POST /telemetry HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
            b"Connection: close\r\n\r\n" + body)


def no_5xx(answer: bytes, request: bytes):
    assert all(code < 500 for code in statuses(answer)), f"{request[:300]!r} -> {answer[:400]!r}"


TARGETS = [b"/health", b"/telemetry", b"/telemetry/ListMetrics", b"/telemetry/GetMetric?switch_id=sw1&metric=drops",
           b"/telemetry/switches/sw1", b"/telemetry/switches/sw1/history?limit=2", b"/metrics", b"/", b"*",
           b"http://127.0.0.1/health", b"/%", b"/telemetry/switches/%ff%00"]
URL_BYTES = st.binary(max_size=40) | st.text(string.printable + "%\u00e9\u2603", max_size=40).map(lambda t: t.encode())

request_lines = st.builds(
    lambda method, sep1, target, suffix, pad, sep2, version: method + sep1 + target + suffix + b"a" * pad + sep2 + version,
    st.sampled_from([b"GET", b"HEAD", b"POST", b"PUT", b"DELETE", b"OPTIONS", b"PATCH", b"TRACE", b"CONNECT", b"get", b"BREW", b""])
    | st.binary(max_size=10),
    st.sampled_from([b" ", b"  ", b"\t", b""]),
    st.sampled_from(TARGETS),
    URL_BYTES,
    st.sampled_from([0, 0, 0, 200, 9000, 100_000]),
    st.sampled_from([b" ", b"  ", b""]),
    st.sampled_from([b"HTTP/1.1", b"HTTP/1.0", b"HTTP/2.0", b"HTTP/0.9", b"http/1.1", b"HTTP/1.10", b"HTTP/1", b""]),
)


@settings(max_examples=100, **BOUNDED)
@given(line=request_lines)
def test_raw_request_lines_never_answer_5xx_nor_stop_the_server(raw_ingester, line):
    request = line + b"\r\nHost: x\r\nConnection: close\r\n\r\n"
    no_5xx(exchange(raw_ingester.port, request), request)
    still_serving(raw_ingester)


header_names = st.sampled_from([b"Host", b"Content-Length", b"Transfer-Encoding", b"Content-Type", b"Accept", b"Expect",
                                b"Connection", b"Authorization", b"Upgrade", b"X-Forwarded-For", b"content-length"]) \
    | st.binary(min_size=0, max_size=20)
# Not `chunked`: chunked framing has tests of its own below.
header_values = st.sampled_from([b"0", b"2", b"-1", b"99999999999999999999", b"gzip", b"identity", b"100-continue",
                                 b"application/json", b"text/csv", b"close", b"keep-alive", b"h2c", b""]) \
    | st.binary(max_size=60)


@settings(max_examples=100, **BOUNDED)
@given(target=st.sampled_from([b"GET /health", b"POST /telemetry", b"GET /telemetry/switches/sw1"]),
       fields=st.lists(st.tuples(header_names, st.sampled_from([b": ", b":", b" : ", b""]), header_values), max_size=6),
       body=st.sampled_from([b"", b"[]", b'{"switch_id":"sw1","timestamp":1,"bandwidth_mbps":1,"latency_ms":1,"packet_errors":0}']))
def test_raw_header_fields_never_answer_5xx_nor_stop_the_server(raw_ingester, target, fields, body):
    head = target + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    head += b"".join(name + sep + value + b"\r\n" for name, sep, value in fields)
    request = head + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
    no_5xx(exchange(raw_ingester.port, request), request)
    still_serving(raw_ingester)


def chunk(size_text: bytes, data: bytes, extension: bytes) -> bytes:
    return size_text + extension + b"\r\n" + data + b"\r\n"


chunk_sizes = st.one_of(
    st.integers(0, 40).map(lambda n: (b"%x" % n, n)),            # right
    st.integers(0, 40).map(lambda n: (b"%X" % n, n)),            # right, upper case
    st.tuples(st.integers(1, 40), st.integers(0, 40)).map(lambda p: (b"%x" % p[0], p[1])),  # wrong
    st.sampled_from([b"zz", b"-1", b"", b" 5", b"0x5", b"ffffffffffffffffff", b"7fffffffffffffff"]).map(lambda t: (t, 5)),
)
chunked_bodies = st.builds(
    lambda chunks, ending: b"".join(chunk(size, (b'[{"a":' + b"1" * 40)[:n].ljust(n, b" "), ext) for (size, n), ext in chunks) + ending,
    st.lists(st.tuples(chunk_sizes, st.sampled_from([b"", b";x=1", b";"])), max_size=4),
    st.sampled_from([b"0\r\n\r\n", b"0\r\nX-Trailer: 1\r\n\r\n", b"0\r\n", b"", b"5\r\nab"]),
)


@settings(max_examples=80, **BOUNDED)
@given(body=chunked_bodies)
def test_raw_chunked_bodies_never_stop_the_server(raw_ingester, body):
    answer = exchange(raw_ingester.port, chunked(body))
    assert statuses(answer), f"no answer to {body!r}"
    still_serving(raw_ingester)


@settings(max_examples=80, **BOUNDED)
@given(body=chunked_bodies)
def test_raw_chunked_bodies_never_answer_5xx(raw_ingester, body):
    request = chunked(body)
    no_5xx(exchange(raw_ingester.port, request), request)


@settings(max_examples=60, **BOUNDED)
@given(line=request_lines)
def test_refused_raw_requests_answer_the_json_error(raw_ingester, line):
    request = line + b"\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = exchange(raw_ingester.port, request)
    assert answer, f"no answer to {request[:300]!r}"
    status, headers, body = first_response(answer)
    if status >= 400:
        assert headers.get("content-type") == "application/json", (request[:200], answer[:300])
        assert json.loads(body)["status"] == status


# JSON syntax: a valid record written with variations that keep it valid JSON, or break it.
VALID_RECORD = {"switch_id": "js1", "timestamp": 1000, "bandwidth_mbps": 1.5, "latency_ms": 2, "packet_errors": 0, "label": "normal"}


def write_json(pairs, spacing: str, trailing_comma: bool) -> str:
    inner = ("," + spacing).join(f"{key}:{spacing}{value}" for key, value in pairs)
    return "{" + spacing + inner + ("," if trailing_comma else "") + spacing + "}"


# Each: (what it does to the record's pairs, whether the result is still JSON the ingester must take).
def keep(pairs):
    return pairs


def fields_not_kept(pairs):
    return pairs + [('"anomalies"', '["latency_spike","\\u00e9"]'), ('"generator_id"', '"g-1"'), ('"seq"', "-12")]


def null_optional(pairs):
    return pairs + [('"drops"', "null")]


def unknown_field(pairs):
    return pairs + [('"extra"', '{"nested":[1,2.5e3,"x",null,true]}')]


def unicode_escape(pairs):
    return [('"switch_\\u0069d"', v) if k == '"switch_id"' else (k, v) for k, v in pairs]


def duplicate_key(pairs):
    return pairs + [('"latency_ms"', "3")]


def bad_escape(pairs):
    return [(k, '"norm\\x"') if k == '"label"' else (k, v) for k, v in pairs]


def trailing_comma_in_array(pairs):
    return pairs + [('"anomalies"', '["latency_spike",]')]


def leading_zero(pairs):
    return [(k, "01000") if k == '"timestamp"' else (k, v) for k, v in pairs]


def single_quotes(pairs):
    return [("'" + pairs[0][0][1:-1] + "'", pairs[0][1])] + pairs[1:]


def nan_value(pairs):
    return [(k, "NaN") if k == '"latency_ms"' else (k, v) for k, v in pairs]


def comment(pairs):
    return pairs[:1] + [("/* c */" + pairs[1][0], pairs[1][1])] + pairs[2:]


VALID_VARIATIONS = [keep, unicode_escape, fields_not_kept, null_optional]
INVALID_VARIATIONS = [unknown_field, duplicate_key, bad_escape, trailing_comma_in_array, leading_zero, single_quotes, nan_value, comment]


@settings(max_examples=100, **BOUNDED)
@given(order=st.permutations(list(VALID_RECORD)), spacing=st.sampled_from(["", " ", "\n\t"]),
       variations=st.lists(st.sampled_from(VALID_VARIATIONS + INVALID_VARIATIONS), max_size=2, unique=True),
       trailing_comma=st.booleans(), array=st.booleans())
def test_raw_json_syntax_is_strict(raw_ingester, order, spacing, variations, trailing_comma, array):
    pairs = [(json.dumps(key), json.dumps(VALID_RECORD[key])) for key in order]
    for variation in variations:
        pairs = variation(pairs)
    text = write_json(pairs, spacing, trailing_comma)
    if array:
        text = "[" + text + "]"
    valid = not trailing_comma and not any(v in INVALID_VARIATIONS for v in variations)
    body = text.encode()
    status, _, answer = first_response(exchange(raw_ingester.port, post(body)))
    assert status == (200 if valid else 400), f"{text} -> {status} {answer!r}"


# CSV numbers: decimals (leading zeros and exponents too) are read, anything else is refused.
decimal_numbers = st.from_regex(r"\A[0-9]{1,6}(\.[0-9]{1,4})?([eE]-?[01])?\Z")
other_numbers = st.one_of(
    st.integers(0, 4096).map(lambda n: "0x%x" % n), st.integers(0, 4096).map(lambda n: "0X%X" % n),
    st.integers(0, 64).map(lambda n: "0x1p%d" % (n % 20)),
    st.sampled_from(["1_0", " 1", "1 ", "1e", "--1", "0b1", "nan", "inf", "\u0661", "1,5", "one"]),
)


@settings(max_examples=40, **BOUNDED)
@given(text=st.one_of(decimal_numbers, other_numbers), column=st.sampled_from(["bandwidth_mbps", "latency_ms"]))
def test_raw_csv_numbers_are_decimal(raw_ingester, text, column):
    valid = re.fullmatch(r"[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", text) is not None
    values = {"timestamp": "1000", "switch_id": "csv1", "bandwidth_mbps": "1", "latency_ms": "1", "packet_errors": "0", column: text}
    line = ",".join(f'"{v}"' if "," in v else v for v in values.values())
    body = CSV_HEADER + line.encode() + b"\n"
    status, _, answer = first_response(exchange(raw_ingester.port, post(body, b"text/csv")))
    assert status == (200 if valid else 400), f"{column}={text!r} -> {status} {answer!r}"


# --- what the fuzzing found, each reproduced with one request --------------------------------------

# (request, status, what the body contains). Each answered wrongly when the fuzzing first ran.
REPRODUCTIONS = [
    pytest.param(chunked(b"zz\r\n[]\r\n0\r\n\r\n"), 400, b"chunk size", id="bad-chunk-size"),
    pytest.param(chunked(b"10\r\n[]"), 400, b"ended before its body", id="chunk-cut-short"),
    pytest.param(b"POST /telemetry HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n[]", 400,
                 b"ended before its body", id="body-cut-short"),
    pytest.param(b"GET /telemetry/switches/" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, b"request line", id="100KB-url"),
    pytest.param(b"GET /health HTTP/9.9\r\nHost: x\r\n\r\n", 400, b"version", id="bad-http-version"),
    pytest.param(b"GET /health HTTP/1.1\r\nHost: x\r\nX Y: 1\r\n\r\n", 400, b"header", id="bad-header-name"),
    pytest.param(post(b'{"switch_id":"dup1","switch_id":"dup2",' + RECORD + b"}"), 400, b"duplicate key switch_id", id="duplicate-key"),
    pytest.param(post(b'{"switch_id":"tc1",' + RECORD + b",}"), 400, b"not valid JSON", id="trailing-comma"),
    pytest.param(post(b'{"switch_id":"esc1",' + RECORD + b',"label":"\\x"}'), 400, b"not valid JSON", id="bad-escape"),
    pytest.param(post(b'{"switch_id":"uf1",' + RECORD + b',"extra":1}'), 400, b"unknown field extra", id="unknown-field"),
    pytest.param(b"GET /telemetry/switches/sw%31 HTTP/1.1\r\nHost: x\r\n\r\n", 200, b'"switch_id":"sw1"',
                 id="percent-encoded-id"),
    pytest.param(b"GET /telemetry/switches/a%3Ab HTTP/1.1\r\nHost: x\r\n\r\n", 200, b'"switch_id":"a:b"',
                 id="percent-encoded-colon"),
    pytest.param(post(CSV_HEADER + b"1000,hex1,0x10,1,0\n", b"text/csv"), 400, b"bandwidth_mbps", id="csv-hex-number"),
]


@pytest.mark.parametrize("request_bytes, status, contains", REPRODUCTIONS)
def test_reproduction(raw_ingester, request_bytes, status, contains):
    # sw1 and a:b exist, so that the percent-encoded ids have something to serve.
    setup = post(b'[{"switch_id":"sw1",' + RECORD + b'},{"switch_id":"a:b",' + RECORD + b"}]")
    assert statuses(exchange(raw_ingester.port, setup)) == [200]
    answer = exchange(raw_ingester.port, request_bytes)
    got, headers, body = first_response(answer)
    assert got == status, answer[:400]
    assert headers.get("content-type") == "application/json", answer[:400]
    if status >= 400:
        assert json.loads(body)["status"] == status
    assert contains in body, body
    still_serving(raw_ingester)
