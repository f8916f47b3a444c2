"""`netchaos up`: the whole pipeline in one process. Flows through the in-process queue to the
sink and into a directory, switch metrics to the ingester, and one port with the live page
(rendered in headless Chromium), /metrics and the ingester API. With KAFKA_BROKERS and REDIS_URL
the same topology uses them."""
from __future__ import annotations

import gzip
import json
import socket
import subprocess
from pathlib import Path

from ingest_support import Process, RedisProcess, get, wait_until
from kafka_support import DevCluster
from live_page_support import render_page, screenshot
from sink_support import Moto, records_in, stored_objects
from test_metrics import Scrape, promtool_check

ANOMALY_KINDS = {"latency_spike", "connection_reset", "exfiltration", "port_scan", "beaconing", "brute_force", "ddos", "lateral_movement",
                 "malformed"}


def live(base: str) -> dict:
    status, _, body = get(base + "/api/live")
    assert status == 200, body
    return json.loads(body)


def stored(root: Path) -> tuple[list[dict], list[dict], list[Path]]:
    """Valid records and dead letters in the store, and the object files."""
    files = sorted(p for p in root.rglob("*.json.gz"))
    records, letters = [], []
    for path in files:
        lines = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
        (letters if path.relative_to(root).parts[0] == "dlq" else records).extend(lines)
    return records, letters, files


def between(value: float, a: float, b: float) -> bool:
    return min(a, b) <= value <= max(a, b)


def summaries(process: Process) -> dict[str, dict]:
    return {e["logger"]: e for e in process.read() if e.get("msg") == "final summary"}


def test_up_runs_the_pipeline_and_its_live_page_shows_it(tmp_path):
    store = tmp_path / "data"
    up = Process(["up", "--port", "0", "--host", "127.0.0.1", "--rate", "3000", "--seed", "21", "--store", f"file:{store}",
                  "--flush-interval", "1s", "--batch-size", "1000", "--snapshot-interval", "1s", "--switches", "30",
                  "--log-interval", "0"], env={"LOAD_CURVE": "off"})
    try:
        listening = up.wait_for("up listening")
        base = f"http://127.0.0.1:{listening['http.port']}"
        assert listening["up.queue"] == "in-process, 4 partitions" and listening["ingest.store"] == "memory"

        def ready():
            state = live(base)
            # The simulation's startup comes first; records due meanwhile are written at once after
            # it: wait for that to be over too (a flat curve: 3000/s from then on).
            enough = (state["sink"]["batches"] >= 3 and state["switches"]["reports"] and len(state["latest_anomalies"]) == 20
                      and len(state["anomalies_over_time"]) >= 3 and 0 < state["generator"]["events_per_second"] <= 4500)
            return state if enough else None
        wait_until(ready, 120, "batches, switch reports, anomalies, three seconds of chart and the pace of the rate")

        before = live(base)
        page = render_page(base + "/", budget_ms=5000)
        after = live(base)
        assert page.text("status") == "live" and int(page.body.get("data-updates")) >= 2

        def number(element: str) -> float:
            return float(page.attr(element, "data-value"))
        assert between(number("events-total"), before["generator"]["events_total"], after["generator"]["events_total"])
        assert 1500 <= number("events-per-second") <= 4500
        assert page.text("target-rate") == "3,000"
        assert between(number("records-stored"), before["sink"]["records_valid"], after["sink"]["records_valid"])
        assert between(number("batches-total"), before["sink"]["batches"], after["sink"]["batches"])
        assert between(number("bytes-stored"), before["sink"]["bytes_stored"], after["sink"]["bytes_stored"])
        assert between(number("dead-letters"), before["sink"]["dead_lettered"], after["sink"]["dead_lettered"])
        assert number("sink-lag") >= 0
        switch_rows = page.rows("switches")
        assert between(len(switch_rows), len(before["switches"]["reports"]), len(after["switches"]["reports"]))
        assert switch_rows[0][0] == "sw1"
        anomalies = page.row_nodes("latest-anomalies")
        assert len(anomalies) == 20 and {row.get("data-label") for row in anomalies} <= ANOMALY_KINDS
        kinds = {node.get("data-kind") for node in page.find_all("path", class_="series")}
        assert kinds == ANOMALY_KINDS
        batches = page.row_nodes("batches")
        assert 1 <= len(batches) <= 10
        assert all(row.get("data-key").startswith("ingest/topic=network-telemetry/dt=") for row in batches)

        png = tmp_path / "live.png"
        screenshot(base + "/", png, budget_ms=4000)
        assert png.stat().st_size > 20_000

        # One port: /metrics of every piece, and the ingester's API.
        s = Scrape(get(base + "/metrics")[2].decode())
        promtool_check(s.text)
        assert s.value("netchaos_generator_events_total") > 0 and s.value("netchaos_sink_records_consumed_total") > 0
        assert s.value("netchaos_ingest_requests_total", route="/telemetry", method="POST", status="200") >= 1
        assert s.value("netchaos_ingest_switches") > 0
        status, _, body = get(base + "/telemetry/GetMetric?switch_id=sw1&metric=latency_ms")
        assert status == 200 and float(body) >= 0
        status, _, body = get(base + "/telemetry/switches/sw1")
        assert status == 200 and json.loads(body)["label"] in {"normal", "link_flap", "congestion_spike", "error_burst", "stale"}
    finally:
        code = up.stop()
        assert code == 0, up.text.decode(errors="replace")[-3000:]

    # SIGTERM: the generator stops, and everything it made is stored before the process exits.
    final = summaries(up)
    total = final["netchaos.generate"]["total"]
    assert final["netchaos.sink"]["consumed"] == total
    records, letters, files = stored(store)
    assert len(records) + len(letters) == total
    assert len({(r["generator_id"], r["seq"]) for r in records}) == len(records)
    assert letters and all(letter["reason"] and letter["topic"] == "network-telemetry" for letter in letters)
    assert all("/partition=" in str(path) for path in files)


def test_up_with_a_duration_stops_by_itself_with_everything_stored(tmp_path):
    store = tmp_path / "data"
    # The duration is wall-clock time and the simulation's startup is part of it: 5 s leaves
    # records to store after a slow startup too.
    result = subprocess.run(
        [*Process.command(), "up", "--port", "0", "--host", "127.0.0.1", "--duration", "5s", "--rate", "5000", "--seed", "4",
         "--store", f"file:{store}", "--log-interval", "0"],
        capture_output=True, timeout=120, env=Process.environment({"LOAD_CURVE": "off"}))
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    logs = [json.loads(line) for line in result.stderr.decode().splitlines() if line.startswith("{")]
    final = {e["logger"]: e for e in logs if e.get("msg") == "final summary"}
    total = final["netchaos.generate"]["total"]
    # No record before its time: at most about 5 s at 5000/s (a flat curve), fewer after a slow startup.
    assert 0 < total <= 5000 * final["netchaos.generate"]["elapsed_sec"] * 1.03, final["netchaos.generate"]
    records, letters, _ = stored(store)
    assert len(records) + len(letters) == total == final["netchaos.sink"]["consumed"]
    assert len({(r["generator_id"], r["seq"]) for r in records}) == len(records)
    # A second run into the same store (2000 records, NETCHAOS_COUNT, then it stops by itself) adds
    # objects of its own: no name is reused.
    again = subprocess.run(
        [*Process.command(), "up", "--port", "0", "--host", "127.0.0.1", "--rate", "5000", "--seed", "4",
         "--store", f"file:{store}", "--log-interval", "0"],
        capture_output=True, timeout=120, env=Process.environment({"NETCHAOS_COUNT": "2000"}))
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    second = {e["logger"]: e for e in (json.loads(line) for line in again.stderr.decode().splitlines() if line.startswith("{"))
              if e.get("msg") == "final summary"}
    assert second["netchaos.generate"]["total"] == 2000 == second["netchaos.sink"]["consumed"]
    records2, letters2, _ = stored(store)
    assert len(records2) + len(letters2) == total + 2000


def test_up_uses_kafka_and_redis_when_they_are_configured(tmp_path):
    cluster = DevCluster(["network-telemetry:6"])
    redis = RedisProcess()
    store = tmp_path / "data"
    try:
        # 8 s of wall-clock time, the simulation's startup included: records to store after a slow startup too.
        up = Process(["up", "--port", "0", "--host", "127.0.0.1", "--duration", "8s", "--rate", "2000", "--seed", "8",
                      "--store", f"file:{store}", "--snapshot-interval", "1s", "--log-interval", "0"],
                     env={"KAFKA_BROKERS": cluster.bootstrap, "REDIS_URL": redis.url, "KAFKA_GROUP_ID": "up-test"})
        listening = up.wait_for("up listening")
        assert listening["up.queue"] == "kafka" and listening["ingest.store"] == "redis"
        base = f"http://127.0.0.1:{listening['http.port']}"
        wait_until(lambda: get(base + "/telemetry/GetMetric?switch_id=sw1&metric=latency_ms")[0] == 200, 30,
                   "sw1 served from Redis")
        keys = subprocess.run(["redis-cli", "-p", str(redis.port), "--scan", "--pattern", "*/sw1"], capture_output=True, text=True).stdout.split()
        assert keys, "the switch reports are in Redis, in the original's layout"
        assert up.proc.wait(timeout=120) == 0, up.read() and up.text[-2000:]
        final = summaries(up)
        total = final["netchaos.generate"]["total"]
        records, letters, files = stored(store)
        assert len(records) + len(letters) == total == final["netchaos.sink"]["consumed"] > 0
        assert len({(r["generator_id"], r["seq"]) for r in records}) == len(records)
        # Kafka's own offsets name the objects (from 0), not the in-process queue's.
        assert any(path.name.endswith("+00000000000000000000.json.gz") for path in files)
    finally:
        redis.stop()
        cluster.stop()


def test_up_stores_in_s3_when_it_is_configured():
    moto = Moto()
    try:
        # 3000 records (NETCHAOS_COUNT), then it stops by itself, however long the startup takes.
        result = subprocess.run(
            [*Process.command(), "up", "--port", "0", "--host", "127.0.0.1", "--rate", "3000", "--seed", "12",
             "--log-interval", "0"],
            capture_output=True, timeout=120,
            env=Process.environment({**moto.env(), "MINIO_BUCKET": "up-bucket", "NETCHAOS_COUNT": "3000"}))
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        logs = [json.loads(line) for line in result.stderr.decode().splitlines() if line.startswith("{")]
        listening = next(e for e in logs if e.get("msg") == "up listening")
        assert listening["sink.store"].startswith("s3://up-bucket")
        final = {e["logger"]: e for e in logs if e.get("msg") == "final summary"}
        objects = stored_objects(moto.client(), "up-bucket", "")
        records = records_in({k: v for k, v in objects.items() if k.startswith("ingest/")})
        letters = records_in({k: v for k, v in objects.items() if k.startswith("dlq/")})
        assert len(records) + len(letters) == final["netchaos.generate"]["total"] == 3000
    finally:
        moto.stop()


def test_up_refuses_bad_settings_naming_them(tmp_path):
    result = subprocess.run([*Process.command(), "up", "--port", "70000"], capture_output=True, timeout=60, env=Process.environment())
    assert result.returncode == 2
    assert "up.port" in result.stderr.decode() and "70000" in result.stderr.decode()
    result = subprocess.run([*Process.command(), "up", "--partitions", "0"], capture_output=True, timeout=60, env=Process.environment())
    assert result.returncode == 2 and "up.partitions" in result.stderr.decode()


def test_a_taken_port_is_a_clear_error_not_a_hang(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        commands = [
            ["up", "--store", f"file:{tmp_path / 'data'}", "--port", str(port), "--host", "127.0.0.1", "--log-interval", "0"],
            ["ingest", "--port", str(port), "--host", "127.0.0.1"],
            ["generate", "--rate", "10", "--metrics-port", str(port), "--metrics-host", "127.0.0.1", "--output", str(tmp_path / "f.jsonl")],
        ]
        for command in commands:
            result = subprocess.run([*Process.command(), *command], capture_output=True, timeout=60, env=Process.environment())
            assert result.returncode == 1, result.stderr.decode()[-1000:]
            assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in result.stderr.decode()


def test_a_dead_letter_topic_without_kafka_is_said_and_dead_letters_go_to_the_store(tmp_path):
    store = tmp_path / "data"
    result = subprocess.run(
        [*Process.command(), "up", "--port", "0", "--host", "127.0.0.1", "--rate", "3000", "--seed", "6",
         "--store", f"file:{store}", "--log-interval", "0"],
        capture_output=True, timeout=120,
        env=Process.environment({"SINK_DLQ": "kafka", "MALFORMED_PROB": "0.05", "NETCHAOS_COUNT": "3000"}))
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    logs = [json.loads(line) for line in result.stderr.decode().splitlines() if line.startswith("{")]
    notes = [e["note"] for e in logs if e.get("msg") == "setting has no effect"]
    assert any(note.startswith("sink.dlq=kafka") for note in notes), notes
    final = {e["logger"]: e for e in logs if e.get("msg") == "final summary"}
    records, letters, _ = stored(store)
    assert len(letters) == final["netchaos.sink"]["dead_letters_stored"] > 0
    assert len(records) + len(letters) == final["netchaos.generate"]["total"] == 3000
    # The dead letters are in the store, so up still accounts for every record, the refused ones by slot.
    verdict = next(e for e in logs if e.get("msg", "").startswith("reconciliation: every slot is present"))
    assert int(verdict["dead_lettered"]) == len(letters) and int(verdict["lost"]) == 0


def test_incidents_started_at_run_time_reach_the_store_and_the_live_page(tmp_path):
    """POST /api/incidents (with the write token) starts a scenario entry now: its records carry
    its labels into the sink's store, and the live page shows it on its time line, running."""
    from ingest_support import post

    store = tmp_path / "data"
    up = Process(["up", "--port", "0", "--host", "127.0.0.1", "--rate", "2000", "--seed", "23", "--store", f"file:{store}",
                  "--flush-interval", "1s", "--batch-size", "500", "--log-interval", "0"],
                 env={"LOAD_CURVE": "off", "INGEST_TOKEN": "s3cret", "CHAOS_MODE": "false"})
    try:
        base = f"http://127.0.0.1:{up.wait_for('up listening')['http.port']}"
        url = base + "/api/incidents"
        # Incidents go to the running simulation (503 before it runs): wait for its first records.
        wait_until(lambda: live(base)["generator"]["events_total"] > 0, 60, "the flow generator to run")
        scan = json.dumps({"family": "port_scan", "source": "random external host", "target": "role:dev", "ports": [22],
                           "timing": "T3", "duration": "1m"}).encode()
        # Refused, each with its reason: no token, not JSON, a bad entry, a repetition.
        assert post(url, scan)[0] == 401
        assert post(url, b"family=port_scan", content_type="application/x-www-form-urlencoded", token="s3cret")[0] == 415
        status, body = post(url, json.dumps({"family": "port_scan", "duration": "1m", "timing": "T9"}).encode(), token="s3cret")
        assert status == 400 and "timing" in json.loads(body)["error"], body
        status, body = post(url, json.dumps({"family": "ddos", "duration": "1m", "every": "1h"}).encode(), token="s3cret")
        assert status == 400 and "every" in json.loads(body)["error"], body
        status, body = post(url, json.dumps({"family": "beaconing", "duration": "1m", "target": "role:web"}).encode(), token="s3cret")
        assert status == 400 and "target" in json.loads(body)["error"], body
        status, body = post(url, scan, token="s3cret")
        assert status == 201, body
        started = json.loads(body)
        assert started["family"] == "port_scan" and started["technique"] == "T1046" and started["end_ms"] - started["start_ms"] == 60_000

        def shown():
            incidents = live(base).get("incidents", {}).get("recent", [])
            scans = [i for i in incidents if i["family"] == "port_scan" and i["start_ms"] >= started["start_ms"]]
            return scans[0] if scans and scans[0]["records"] == 20 else None
        row = wait_until(shown, 90, "the scan's 20 probes of the developers' hosts on the live page")
        assert row["technique"] == "T1046" and row["targets"] == 20 and row["sources"] == 1
        page = render_page(base + "/", budget_ms=3000)
        nodes = [n for n in page.row_nodes("incidents") if n.get("data-incident") == row["incident_id"]]
        assert len(nodes) == 1 and nodes[0].get("data-family") == "port_scan"

        def in_store():
            records, _, _ = stored(store)
            mine = [r for r in records if r.get("incident_id") == row["incident_id"]]
            return mine if len(mine) == 20 else None
        mine = wait_until(in_store, 60, "the scan's records in the store")
        assert {(r["label"], r["technique"], r["stage"], r["dst_port"]) for r in mine} == {("port_scan", "T1046", "discovery", 22)}
        # With the chaos knobs off, the scan is the only thing labelled.
        records, _, _ = stored(store)
        assert {r["label"] for r in records} == {"normal", "port_scan"}
    finally:
        assert up.stop() == 0
