"""`netchaos ingest` as a process: the original ingester's integration cases, push and pull end
to end, Redis and memory stores, Redis restarted mid-run, tokens and bad settings."""
from __future__ import annotations

import json

import pytest

from conftest import START_ISO, run_netchaos
from ingest_support import Ingester, Process, RedisProcess, get, list_metrics, post, wait_until


def push(url: str, count: int = 300, *extra: str, env: dict[str, str] | None = None):
    return run_netchaos("generate", "--dataset", "switch", "--rate", "max", "--count", str(count), "--seed", "4",
                        "--start-time", START_ISO, "--output", url, "--log-interval", "0", "--progress", "off", *extra, env=env)


@pytest.fixture(params=["memory", "redis"])
def ingester(request):
    redis = RedisProcess() if request.param == "redis" else None
    ingest = Ingester(*(["--redis", redis.url] if redis else []))
    yield ingest
    assert ingest.stop() == 0
    if redis:
        redis.stop()


def test_the_originals_integration_cases_after_a_push(ingester):
    result = push(ingester.url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.summary["outputs"][0]["records"] == 300
    status, _, body = get(ingester.url + "/health")
    assert (status, body) == (200, b"OK")
    metrics = list_metrics(ingester.url)
    assert len(metrics) == 100 and all(len(m) == 1 for m in metrics)
    sw5 = next(m["sw5"] for m in metrics if "sw5" in m)
    assert isinstance(sw5["bandwidth_mbps"], float) and isinstance(sw5["latency_ms"], float) and isinstance(sw5["packet_errors"], int)
    assert sw5["bandwidth_mbps"] >= 0 and sw5["latency_ms"] >= 0 and sw5["packet_errors"] >= 0
    for metric, kind in [("latency_ms", float), ("bandwidth_mbps", float), ("packet_errors", int)]:
        status, headers, body = get(ingester.url + f"/telemetry/GetMetric?switch_id=sw5&metric={metric}")
        assert status == 200 and headers["Content-Type"] == "application/json"
        assert isinstance(json.loads(body), kind) and json.loads(body) == sw5[metric]
    assert get(ingester.url + "/telemetry/GetMetric?switch_id=unknown_sw&metric=bandwidth_mbps")[::2] == (404, b"switch_id does not exist\n")
    assert get(ingester.url + "/telemetry/GetMetric?switch_id=sw5&metric=nope")[::2] == (404, b"metric does not exist\n")
    assert get(ingester.url + "/telemetry/GetMetric?metric=latency_ms")[::2] == (400, b"Missing switch_id parameter\n")
    assert get(ingester.url + "/telemetry/GetMetric?switch_id=sw5")[::2] == (400, b"Missing metric parameter\n")


def test_pushed_values_equal_the_generated_records(ingester, tmp_path):
    out = tmp_path / "sw.jsonl"
    result = push(ingester.url, 300, "--output", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    records = [json.loads(line) for line in out.read_text().splitlines()]
    last = max(r["timestamp"] for r in records)
    latest = {r["switch_id"]: r for r in records if r["timestamp"] == last}
    metrics = {k: v for m in list_metrics(ingester.url) for k, v in m.items()}
    assert metrics.keys() == latest.keys()
    for switch, values in metrics.items():
        assert values == {k: latest[switch][k] for k in ("bandwidth_mbps", "latency_ms", "packet_errors")}
    status, _, body = get(ingester.url + "/telemetry/switches/sw9/history?metric=latency_ms")
    points = json.loads(body)["points"]
    expected = sorted((r for r in records if r["switch_id"] == "sw9"), key=lambda r: -r["timestamp"])
    assert [p["timestamp"] for p in points] == sorted({r["timestamp"] for r in expected}, reverse=True)


def test_pull_mode_the_ingester_polls_the_generators_counters():
    generator = Process(["generate", "--dataset", "switch", "--rate", "1000", "--seed", "4", "--output", "serve://127.0.0.1:0",
                         "--log-interval", "0", "--progress", "off"])
    try:
        port = generator.wait_for("serving /counters")["http.port"]
        base = f"http://127.0.0.1:{port}"
        status, headers, body = wait_until(lambda: (r := get(base + "/counters"))[0] == 200 and r, 20, "a first snapshot")
        lines = body.decode().splitlines()
        assert lines[0] == "timestamp,switch_id,bandwidth_mbps,latency_ms,packet_errors" and len(lines) == 101
        etag = headers["ETag"]
        assert get(base + "/counters", {"If-None-Match": etag})[0] in (304, 200)
        assert get(base + "/health")[::2] == (200, b"OK")
        ingest = Ingester("--generator-url", base, "--pull-interval", "200ms")
        try:
            wait_until(lambda: len(list_metrics(ingest.url)) == 100, 20, "the ingester to pull a whole snapshot")
            value = json.loads(get(ingest.url + "/telemetry/GetMetric?switch_id=sw42&metric=latency_ms")[2])
            assert isinstance(value, float)
        finally:
            assert ingest.stop() == 0
    finally:
        assert generator.stop() == 0


def test_an_unchanged_snapshot_answers_304():
    generator = Process(["generate", "--dataset", "switch", "--count", "200", "--rate", "max", "--seed", "4",
                         "--output", "serve://127.0.0.1:0", "--log-interval", "0", "--progress", "off"])
    try:
        port = generator.wait_for("serving /counters")["http.port"]
        base = f"http://127.0.0.1:{port}"
        status, headers, body = wait_until(lambda: (r := get(base + "/counters"))[0] == 200 and r, 20, "a snapshot")
        # The count is reached: the snapshot no longer changes, and the server keeps serving it.
        generator.wait_for("final summary")
        status, headers, body = get(base + "/counters")
        assert status == 200
        assert get(base + "/counters", {"If-None-Match": headers["ETag"]})[0] == 304
        assert get(base + "/counters", {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert get(base + "/counters", {"If-None-Match": '"0"'})[0] == 200
    finally:
        assert generator.stop() == 0


def test_redis_restarted_mid_run_503_then_recovery():
    redis = RedisProcess()
    ingest = Ingester("--redis", redis.url)
    try:
        assert push(ingest.url, 100).returncode == 0
        redis.stop()
        status, headers, body = get(ingest.url + "/telemetry/ListMetrics")
        assert status == 503 and headers["Content-Type"] == "application/json" and json.loads(body) == {"error": "metrics store (Redis) is unavailable; retry later", "status": 503}
        assert post(ingest.url + "/telemetry", b'[{"timestamp":1,"switch_id":"sw1","bandwidth_mbps":1,"latency_ms":1,"packet_errors":0}]')[0] == 503
        assert get(ingest.url + "/health")[0] == 200
        redis.start()
        wait_until(lambda: post(ingest.url + "/telemetry", b'[{"timestamp":2,"switch_id":"sw1","bandwidth_mbps":1.5,"latency_ms":1,"packet_errors":0}]')[0] == 200,
                   20, "the ingester to resume once Redis is back")
        assert json.loads(get(ingest.url + "/telemetry/GetMetric?switch_id=sw1&metric=bandwidth_mbps")[2]) == 1.5
    finally:
        ingest.stop()
        redis.stop()


def test_push_waits_for_an_ingester_that_comes_back(tmp_path):
    ingest = Ingester()
    url = ingest.url
    out = tmp_path / "sw.jsonl"
    generator = Process(["generate", "--dataset", "switch", "--rate", "500", "--count", "3000", "--seed", "4",
                         "--output", url, "--output", str(out), "--log-interval", "0", "--progress", "off"])
    wait_until(lambda: len(list_metrics(url)) > 0, 20, "first snapshots")
    assert ingest.stop() == 0
    # The generator notices (and waits, retrying) before the ingester comes back on the same port.
    generator.wait_for("ingester unavailable, retrying")
    port = url.rsplit(":", 1)[1]
    second = Process(["ingest", "--port", port, "--host", "127.0.0.1"])
    try:
        second.wait_for("ingest listening")
        assert generator.proc.wait(timeout=60) == 0, generator.read() and generator.text[-2000:]
        logs = generator.read()
        summary = next(e for e in logs if e.get("msg") == "final summary")
        assert summary["outputs"][0]["records"] == 3000 and summary["errors"] == []
        finished = next(e for e in logs if e.get("msg") == "http output finished")
        assert int(finished["http.retries"]) > 0
        # The last snapshot, whole, reached the ingester that came back.
        records = [json.loads(line) for line in out.read_text().splitlines()]
        last = max(r["timestamp"] for r in records)
        expected = {r["switch_id"]: r["latency_ms"] for r in records if r["timestamp"] == last}
        stored = {k: v["latency_ms"] for m in list_metrics(f"http://127.0.0.1:{port}") for k, v in m.items()}
        assert stored == expected
    finally:
        second.stop()


def test_token_and_refusals():
    ingest = Ingester(env={"INGEST_TOKEN": "s3cret"})
    try:
        refused = push(ingest.url, 100)
        assert refused.returncode == 1 and "401" in refused.stderr and "INGEST_TOKEN" in refused.stderr
        assert push(ingest.url, 100, env={"INGEST_TOKEN": "s3cret"}).returncode == 0
        assert len(list_metrics(ingest.url)) == 100
    finally:
        ingest.stop()


def test_push_to_nothing_fails_fast():
    result = push("http://127.0.0.1:1", 10)
    assert result.returncode == 1 and "http://127.0.0.1:1" in result.stderr


@pytest.mark.parametrize("args, key", [
    (["--redis", "redis://host:99999"], "redis.url"),
    (["--port", "http"], "ingest.port"),
    (["--generator-url", "ftp://x"], "ingest.generator_url"),
])
def test_bad_ingest_settings_exit_2(args, key):
    result = run_netchaos("ingest", *args)
    assert result.returncode == 2 and key in result.stderr


def test_http_outputs_need_the_switch_dataset():
    result = run_netchaos("generate", "--count", "5", "--output", "http://127.0.0.1:1")
    assert result.returncode == 2 and "switch dataset" in result.stderr
