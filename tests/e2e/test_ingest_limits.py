"""`netchaos ingest`'s validation and limits, end to end against the binary with real clients
(urllib, a raw RESP client on a real redis-server): timestamps too far ahead of the clock are
refused and a future `last_update_time` left in Redis is repaired at start; a POST costs what its
body costs; strict JSON and CSV (duplicate keys, unknown fields) unless lenient; 503 bodies without
internal detail; a Redis that refuses the password stops the start."""
from __future__ import annotations

import json
import re
import socket
import time
import urllib.request

import pytest

from conftest import run_netchaos
from ingest_support import Ingester, RedisProcess, free_port, get, list_metrics, post

FUTURE = 99_999_999_999


class RawRedis:
    """A minimal RESP2 client over a socket: independent of the ingester's own client."""

    def __init__(self, port: int, password: str | None = None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buffer = b""
        if password:
            assert self.command("AUTH", password) == "OK"

    def close(self):
        self.sock.close()

    def command(self, *args: str | int):
        parts = [str(a).encode() for a in args]
        self.sock.sendall(b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts))
        return self._reply()

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            assert chunk, "redis closed the connection"
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def _reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise AssertionError(f"redis error: {rest.decode()}")
        if kind == b":":
            return int(rest)
        if kind == b"$":
            length = int(rest)
            if length < 0:
                return None
            while len(self.buffer) < length + 2:
                self.buffer += self.sock.recv(65536)
            value, self.buffer = self.buffer[:length], self.buffer[length + 2:]
            return value.decode()
        if kind == b"*":
            return [self._reply() for _ in range(int(rest))]
        raise AssertionError(f"not RESP: {line!r}")

    def scan(self, pattern: str) -> set[str]:
        cursor, keys = "0", set()
        while True:
            cursor, batch = self.command("SCAN", cursor, "MATCH", pattern, "COUNT", 1000)
            keys.update(batch)
            if cursor == "0":
                return keys


def record(n: int, timestamp: int, **extra) -> dict:
    return {"timestamp": timestamp, "switch_id": f"sw{n}", "bandwidth_mbps": n + 0.5, "latency_ms": 1.25, "packet_errors": n % 7, **extra}


def body(records: list[dict]) -> bytes:
    return json.dumps(records).encode()


def post_large(url: str, data: bytes) -> tuple[int, bytes]:
    """A POST that may take long on a debug build: the timeout only keeps a hung test from hanging."""
    request = urllib.request.Request(url + "/telemetry", data=data, headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=900) as response:
        return response.status, response.read()


def error_of(answer: tuple[int, bytes]) -> tuple[int, str]:
    status, text = answer
    document = json.loads(text)
    assert document["status"] == status, document
    return status, document["error"]


@pytest.fixture(params=["memory", "redis"])
def store(request):
    """(ingester, raw Redis client or None) on each store."""
    redis = RedisProcess() if request.param == "redis" else None
    ingest = Ingester(*(["--redis", redis.url] if redis else []))
    raw = RawRedis(redis.port) if redis else None
    yield ingest, raw
    if raw:
        raw.close()
    assert ingest.stop() == 0
    if redis:
        redis.stop()


# --- 1. timestamps ahead of the clock ------------------------------------------------------------


def test_a_future_record_is_refused_naming_it_and_the_switches_stay_visible(store):
    ingest, raw = store
    now = int(time.time())
    assert post(ingest.url + "/telemetry", body([record(n, now) for n in range(1, 101)]))[0] == 200
    bad = [record(1, now), record(2, now), record(3, now), record(999, FUTURE)]
    status, message = error_of(post(ingest.url + "/telemetry", body(bad)))
    assert status == 400
    assert re.fullmatch(r"record 3: timestamp 99999999999 is \d+ years ahead of the server's clock \(at most 5m ahead\)", message), message
    # Nothing of the request was stored, and the latest snapshot did not move.
    assert get(ingest.url + "/telemetry/switches/sw999")[0] == 404
    assert len(list_metrics(ingest.url)) == 100
    assert get(ingest.url + "/telemetry/GetMetric?switch_id=sw5&metric=latency_ms")[::2] == (200, b"1.25")
    if raw:
        assert raw.command("GET", "last_update_time") == str(now)
        assert raw.scan(f"{FUTURE}/*") == set()
    # The past is kept in the history but never moves the latest snapshot back.
    assert post(ingest.url + "/telemetry", body([record(5, now - 3600)]))[0] == 200
    assert len(list_metrics(ingest.url)) == 100
    points = json.loads(get(ingest.url + "/telemetry/switches/sw5/history?metric=latency_ms")[2])["points"]
    assert [p["timestamp"] for p in points] == [now, now - 3600]


def test_max_future_skew_is_a_knob():
    now = int(time.time())
    ingest = Ingester("--max-future-skew", "1h")
    try:
        assert post(ingest.url + "/telemetry", body([record(1, now + 1800)]))[0] == 200
        status, message = error_of(post(ingest.url + "/telemetry", body([record(2, now + 3 * 3600)])))
        assert status == 400 and re.fullmatch(r"record 0: timestamp \d+ is 2 hours ahead of the server's clock \(at most 1h ahead\)", message), message
        csv = f"timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors\n{now},sw3,1,1,1\n{now + 3 * 3600},sw4,1,1,1\n"
        status, message = error_of(post(ingest.url + "/telemetry", csv.encode(), "text/csv"))
        assert status == 400 and message.startswith("line 3: timestamp"), message
    finally:
        assert ingest.stop() == 0
    ingest = Ingester(env={"INGEST_MAX_FUTURE_SKEW": "10s"})
    try:
        status, message = error_of(post(ingest.url + "/telemetry", body([record(1, now + 600)])))
        assert status == 400 and message.endswith("(at most 10s ahead)"), message
    finally:
        assert ingest.stop() == 0
    bad = run_netchaos("ingest", "--port", "0", "--max-future-skew", "soon", timeout=60)
    assert bad.returncode == 2 and "ingest.max_future_skew (INGEST_MAX_FUTURE_SKEW, --max-future-skew)" in bad.stderr, bad.stderr


def test_a_future_last_update_time_in_redis_is_repaired_at_start():
    redis = RedisProcess()
    raw = RawRedis(redis.port)
    now = int(time.time())
    metrics = '{"bandwidth_mbps":42.5,"latency_ms":3,"packet_errors":0}'
    try:
        # What a program that did not check left behind: snapshots, one of them in the future.
        for timestamp, switch in [(now - 30, "sw1"), (now - 20, "sw1"), (now - 20, "sw2"), (FUTURE, "sw1"), (now + 7200, "sw3")]:
            raw.command("SET", f"{timestamp}/{switch}", metrics, "EX", 3600)
        raw.command("SET", "last_update_time", FUTURE)
        ingest = Ingester("--redis", redis.url)
        try:
            repaired = ingest.wait_for("repaired last_update_time: it was in the future")
            assert repaired["level"] == "warning"
            assert (repaired["ingest.last_update_time.old"], repaired["ingest.last_update_time.new"]) == (str(FUTURE), str(now - 20))
            assert raw.command("GET", "last_update_time") == str(now - 20)
            assert sorted(next(iter(m)) for m in list_metrics(ingest.url)) == ["sw1", "sw2"]
        finally:
            assert ingest.stop() == 0
        # No snapshot within the window: the key goes.
        raw.command("FLUSHALL")
        raw.command("SET", f"{FUTURE}/sw1", metrics)
        raw.command("SET", "last_update_time", FUTURE)
        ingest = Ingester("--redis", redis.url)
        try:
            repaired = ingest.wait_for("repaired last_update_time: it was in the future")
            assert repaired["ingest.last_update_time.new"] == "deleted"
            assert raw.command("GET", "last_update_time") is None
            assert list_metrics(ingest.url) == []
            assert post(ingest.url + "/telemetry", body([record(7, now)]))[0] == 200
            assert raw.command("GET", "last_update_time") == str(now)
            assert list_metrics(ingest.url) == [{"sw7": {"bandwidth_mbps": 7.5, "latency_ms": 1.25, "packet_errors": 0}}]
        finally:
            assert ingest.stop() == 0
        # A sound value is left alone, and nothing is logged about it.
        ingest = Ingester("--redis", redis.url)
        try:
            assert raw.command("GET", "last_update_time") == str(now)
            assert not any(e.get("msg", "").startswith("repaired") for e in ingest.read())
        finally:
            assert ingest.stop() == 0
    finally:
        raw.close()
        redis.stop()


# --- 2. a POST costs what its body costs -----------------------------------------------------------


def test_one_post_of_200000_switches_stores_them_and_keeps_the_newest_100000():
    ingest = Ingester("--max-body", "64MB")
    try:
        now = int(time.time())
        status, answer = post_large(ingest.url, body([record(n, now) for n in range(1, 200_001)]))
        assert status == 200, answer
        assert json.loads(answer) == {"stored": 200_000, "switches": 200_000, "latest_timestamp": now}
        assert len(list_metrics(ingest.url)) == 200_000
        # The history keeps the 100,000 switches written last.
        assert get(ingest.url + "/telemetry/switches/sw100000")[0] == 404
        newest = json.loads(get(ingest.url + "/telemetry/switches/sw100001")[2])
        assert (newest["switch_id"], newest["bandwidth_mbps"]) == ("sw100001", 100001.5)
        assert get(ingest.url + "/telemetry/switches/sw200000")[0] == 200
    finally:
        assert ingest.stop() == 0


def test_one_post_of_20000_switches_reaches_redis_whole():
    redis = RedisProcess()
    raw = RawRedis(redis.port)
    ingest = Ingester("--redis", redis.url, "--max-body", "64MB")
    try:
        now = int(time.time())
        # Several pipelines (4,096 reports each), then last_update_time.
        status, answer = post_large(ingest.url, body([record(n, now) for n in range(1, 20_001)]))
        assert status == 200 and json.loads(answer)["stored"] == 20_000, answer
        assert len(raw.scan(f"{now}/*")) == 20_000
        assert raw.command("GET", "last_update_time") == str(now)
        assert raw.command("GET", f"{now}/sw19999") == '{"bandwidth_mbps":19999.5,"latency_ms":1.25,"packet_errors":0}'
        # The history: one hash of whole reports for the snapshot, and the snapshot in the index.
        assert raw.command("HLEN", f"netchaos:reports:{now}") == 20_000
        assert json.loads(raw.command("HGET", f"netchaos:reports:{now}", "sw20000"))["bandwidth_mbps"] == 20000.5
        assert raw.command("ZRANGE", "netchaos:snapshots", "0", "-1") == [str(now)]
        metrics = {k: v for m in list_metrics(ingest.url) for k, v in m.items()}
        assert len(metrics) == 20_000 and metrics["sw12345"] == {"bandwidth_mbps": 12345.5, "latency_ms": 1.25, "packet_errors": 4}
    finally:
        assert ingest.stop() == 0
        raw.close()
        redis.stop()


# --- 3. strict JSON and CSV ----------------------------------------------------------------------


STRICT_CASES = [
    ('[{"timestamp":1700000000,"switch_id":"sw1","bandwidth_mbps":1,"latency_ms":1,"latency_ms":2,"packet_errors":0}]',
     "application/json", "record 0: duplicate key latency_ms"),
    (json.dumps([record(1, 1_700_000_000), record(2, 1_700_000_000), record(3, 1_700_000_000, bandwith_mbps=5)]),
     "application/json", "record 2: unknown field bandwith_mbps"),
    ("[1]", "application/json", "record 0: expected an object, found a number"),
    ('[{"timestamp":1700000000,"switch_id":"sw1","bandwidth_mbps":"fast","latency_ms":1,"packet_errors":0}]',
     "application/json", "record 0: bandwidth_mbps: expected a number, found a string"),
    ('[{"timestamp":1700000000,"switch_id":"sw1","bandwidth_mbps":1,"latency_ms":null,"packet_errors":0}]',
     "application/json", "record 0: latency_ms: expected a number, found null"),
    ('{"timestamp":1700000000,"switch_id":"sw1"}', "application/json", "record 0: bandwidth_mbps is missing; record 0: latency_ms is missing; record 0: packet_errors is missing"),
    ('[{"timestamp":1700000000,]', "application/json", "record 0: not valid JSON (expected a key in double quotes, found ']' at byte 25)"),
    ("timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors,bandwith_mbps\n1700000000,sw1,1,1,0,5\n", "text/csv",
     "line 1: unknown column bandwith_mbps"),
    ("timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors,latency_ms\n1700000000,sw1,1,1,0,5\n", "text/csv",
     "line 1: duplicate column latency_ms"),
]


@pytest.mark.parametrize("text,content_type,expected", STRICT_CASES)
def test_strict_bodies_are_refused_in_the_apis_words(text, content_type, expected):
    ingest = Ingester()
    try:
        assert error_of(post(ingest.url + "/telemetry", text.encode(), content_type)) == (400, expected)
        assert list_metrics(ingest.url) == []
    finally:
        assert ingest.stop() == 0


def lenient_metrics(url: str) -> dict[str, float]:
    text = get(url + "/metrics")[2].decode()
    found = dict(re.findall(r'^netchaos_ingest_lenient_fields_total\{kind="(\w+)"\} (\S+)$', text, re.M))
    assert "# TYPE netchaos_ingest_lenient_fields_total counter" in text
    return {kind: float(value) for kind, value in found.items()}


@pytest.mark.parametrize("how", ["flag", "env"])
def test_lenient_accepts_and_counts_what_it_ignores(how):
    ingest = Ingester("--lenient") if how == "flag" else Ingester(env={"INGEST_LENIENT": "true"})
    try:
        assert lenient_metrics(ingest.url) == {"duplicate": 0, "unknown": 0}
        text = ('[{"timestamp":1700000000,"switch_id":"sw1","bandwidth_mbps":1,"latency_ms":1,"latency_ms":2,"packet_errors":0,'
                '"bandwith_mbps":5,"note":{"a":[1]}},{"timestamp":1700000000,"switch_id":"sw2","bandwidth_mbps":3,"latency_ms":4,"packet_errors":0}]')
        status, answer = post(ingest.url + "/telemetry", text.encode())
        assert status == 200 and json.loads(answer) == {
            "stored": 2, "switches": 2, "latest_timestamp": 1_700_000_000, "ignored": {"duplicate_keys": 1, "unknown_fields": 2}}
        assert get(ingest.url + "/telemetry/GetMetric?switch_id=sw1&metric=latency_ms")[2] == b"2.0", "the last value wins"
        csv = "timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors,note\n1700000010,sw1,1,1,0,x\n1700000010,sw2,1,1,0,y\n"
        status, answer = post(ingest.url + "/telemetry", csv.encode(), "text/csv")
        assert status == 200 and json.loads(answer)["ignored"] == {"duplicate_keys": 0, "unknown_fields": 2}
        assert lenient_metrics(ingest.url) == {"duplicate": 1, "unknown": 4}
        # Still refused: a CSV column named twice, a wrong type.
        assert error_of(post(ingest.url + "/telemetry", STRICT_CASES[8][0].encode(), "text/csv")) == (400, "line 1: duplicate column latency_ms")
        assert error_of(post(ingest.url + "/telemetry", STRICT_CASES[3][0].encode()))[0] == 400
        assert lenient_metrics(ingest.url) == {"duplicate": 1, "unknown": 4}
    finally:
        assert ingest.stop() == 0


# --- 4. 503 bodies --------------------------------------------------------------------------------


def test_503_says_what_is_unavailable_and_the_log_says_where_and_why():
    redis = RedisProcess()
    ingest = Ingester("--redis", redis.url)
    try:
        assert post(ingest.url + "/telemetry", body([record(1, int(time.time()))]))[0] == 200
        redis.stop()
        for answer in [get(ingest.url + "/telemetry/ListMetrics")[::2], get(ingest.url + "/telemetry/switches/sw1")[::2],
                       post(ingest.url + "/telemetry", body([record(2, int(time.time()))]))]:
            assert error_of(answer) == (503, "metrics store (Redis) is unavailable; retry later")
            assert str(redis.port).encode() not in answer[1] and b"127.0.0.1" not in answer[1]
        logged = ingest.wait_for("metrics store failed a request")
        assert f"127.0.0.1:{redis.port}" in logged["error"] and logged["level"] == "warning", logged
    finally:
        assert ingest.stop() == 0
        redis.stop()


# --- 5. Redis refusing the password or database -------------------------------------------------


def test_redis_refusing_the_password_stops_the_start_and_unreachable_redis_does_not():
    redis = RedisProcess(password="s3cret")
    try:
        wrong = run_netchaos("ingest", "--port", "0", "--host", "127.0.0.1", "--redis", f"redis://:nope@127.0.0.1:{redis.port}", timeout=60)
        assert wrong.returncode == 1, wrong.stderr
        assert "netchaos: error: redis.url (REDIS_URL, --redis): Redis refused the password: WRONGPASS invalid username-password pair" in wrong.stderr, wrong.stderr
        assert "nope" not in wrong.stderr and "ingest listening" not in wrong.stderr
        missing = run_netchaos("ingest", "--port", "0", "--host", "127.0.0.1", env={"REDIS_URL": f"redis://127.0.0.1:{redis.port}"}, timeout=60)
        assert missing.returncode == 1 and "redis.url (REDIS_URL, --redis): Redis requires a password: NOAUTH" in missing.stderr, missing.stderr
        database = run_netchaos("ingest", "--port", "0", "--host", "127.0.0.1", "--redis", f"redis://:s3cret@127.0.0.1:{redis.port}/99", timeout=60)
        assert database.returncode == 1 and "redis.url (REDIS_URL, --redis): Redis refused database 99: ERR" in database.stderr, database.stderr
        right = Ingester("--redis", f"redis://:s3cret@127.0.0.1:{redis.port}")
        try:
            assert post(right.url + "/telemetry", body([record(1, int(time.time()))]))[0] == 200
            assert len(list_metrics(right.url)) == 1
        finally:
            assert right.stop() == 0
    finally:
        redis.stop()
    # Nothing listening: today's behaviour, a warning and 503 until Redis answers.
    away = Ingester("--redis", f"redis://127.0.0.1:{free_port()}")
    try:
        assert any(e.get("msg") == "redis unavailable at start; requests get 503 until it answers" for e in away.read())
        assert error_of(get(away.url + "/telemetry/ListMetrics")[::2]) == (503, "metrics store (Redis) is unavailable; retry later")
    finally:
        assert away.stop() == 0


def test_up_stops_at_start_when_redis_refuses_the_password(tmp_path):
    redis = RedisProcess(password="s3cret")
    try:
        wrong = run_netchaos("up", "--port", "0", "--host", "127.0.0.1", "--store", f"file:{tmp_path / 'data'}", "--log-interval", "0",
                             "--max-future-skew", "1m", env={"REDIS_URL": f"redis://:nope@127.0.0.1:{redis.port}"}, timeout=120)
        assert wrong.returncode == 1, wrong.stderr
        assert "redis.url (REDIS_URL, --redis): Redis refused the password: WRONGPASS" in wrong.stderr, wrong.stderr
        assert "up listening" not in wrong.stderr
    finally:
        redis.stop()
