"""Prometheus metrics of every role, scraped from the real processes: `promtool check metrics`
passes on each role's text, the values agree with what the role did (its logs, its stored
objects), and together the roles export every family the dashboards rely on
(deploy/metric-families.txt)."""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ingest_support import Ingester, Process, get, post, wait_until
from kafka_support import DevCluster

ROOT = Path(__file__).resolve().parents[2]
FAMILIES_FILE = ROOT / "deploy" / "metric-families.txt"
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
FLOW_LABELS = {"normal", "latency_spike", "connection_reset", "exfiltration", "port_scan", "beaconing", "brute_force", "ddos",
               "lateral_movement", "malformed"}


class Scrape:
    """One /metrics text, parsed: families with their TYPE and HELP, samples by name and labels."""

    def __init__(self, text: str):
        self.text = text
        self.types: dict[str, str] = {}
        self.help: dict[str, str] = {}
        self.samples: list[tuple[str, dict[str, str], float]] = []
        for line in text.splitlines():
            if line.startswith("# TYPE "):
                _, _, name, kind = line.split(" ", 3)
                self.types[name] = kind
            elif line.startswith("# HELP "):
                _, _, name, text_ = line.split(" ", 3)
                self.help[name] = text_
            elif line and not line.startswith("#"):
                match = SAMPLE.match(line)
                assert match, f"not a sample line: {line!r}"
                labels = dict(LABEL.findall(match.group(3) or ""))
                self.samples.append((match.group(1), labels, float(match.group(4))))

    def value(self, name: str, **labels: str) -> float:
        found = [v for n, l, v in self.samples if n == name and all(l.get(k) == want for k, want in labels.items())]
        assert found, f"no sample {name} {labels} in:\n{self.text}"
        return sum(found)

    def series(self, name: str) -> list[tuple[dict[str, str], float]]:
        return [(l, v) for n, l, v in self.samples if n == name]


def scrape(url: str) -> Scrape:
    status, headers, body = get(url)
    assert status == 200, body
    assert headers.get("Content-Type", "").startswith("text/plain; version=0.0.4"), headers
    return Scrape(body.decode())


def promtool_check(text: str) -> None:
    promtool = shutil.which("promtool")
    assert promtool, "promtool is not installed (make test installs Debian's prometheus package)"
    result = subprocess.run([promtool, "check", "metrics"], input=text.encode(), capture_output=True)
    assert result.returncode == 0, f"promtool check metrics: {result.stdout.decode()} {result.stderr.decode()}"


def contract() -> dict[str, str]:
    families = {}
    for line in FAMILIES_FILE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, kind = line.split()[:2]
            families[name] = kind
    return families


EXPORTED: dict[str, str] = {}


def remember(s: Scrape) -> None:
    for name, kind in s.types.items():
        if name.startswith("netchaos_"):
            assert s.help.get(name), f"{name} has no help text"
            EXPORTED[name] = kind


@pytest.fixture(scope="module")
def cluster():
    dev = DevCluster(["metrics-flow:6", "metrics-sink:4"])
    yield dev
    dev.stop()


def test_ingest_metrics_count_requests_by_route_and_status():
    ingester = Ingester()
    try:
        body = json.dumps([{"timestamp": 1_700_000_000, "switch_id": f"sw{n}", "bandwidth_mbps": 10.5 * n, "latency_ms": 1.5,
                            "packet_errors": n % 3} for n in range(1, 101)]).encode()
        assert post(ingester.url + "/telemetry", body)[0] == 200
        assert post(ingester.url + "/telemetry", b"[{]")[0] == 400
        for _ in range(3):
            assert get(ingester.url + "/telemetry/GetMetric?switch_id=sw5&metric=latency_ms")[0] == 200
        assert get(ingester.url + "/telemetry/GetMetric?switch_id=nope&metric=latency_ms")[0] == 404
        assert get(ingester.url + "/telemetry/switches/sw7")[0] == 200
        assert get(ingester.url + "/no/such/path/12345")[0] == 404
        s = scrape(ingester.url + "/metrics")
        promtool_check(s.text)
        remember(s)
        assert s.types["netchaos_ingest_requests_total"] == "counter"
        assert s.value("netchaos_ingest_requests_total", route="/telemetry", method="POST", status="200") == 1
        assert s.value("netchaos_ingest_requests_total", route="/telemetry", method="POST", status="400") == 1
        assert s.value("netchaos_ingest_requests_total", route="/telemetry/GetMetric", method="GET", status="200") == 3
        assert s.value("netchaos_ingest_requests_total", route="/telemetry/GetMetric", method="GET", status="404") == 1
        assert s.value("netchaos_ingest_requests_total", route="/telemetry/switches/{id}", status="200") == 1
        # An unknown path is one bounded label value, not the path itself.
        assert s.value("netchaos_ingest_requests_total", route="unmatched", status="404") == 1
        assert not any("12345" in line for line in s.text.splitlines() if not line.startswith("#"))
        assert s.value("netchaos_ingest_request_duration_seconds_count", route="/telemetry/GetMetric") == 4
        assert s.value("netchaos_ingest_request_duration_seconds_bucket", route="/telemetry/GetMetric", le="+Inf") == 4
        assert s.value("netchaos_ingest_reports_stored_total") == 100
        assert s.value("netchaos_ingest_switches") == 100
        assert s.value("netchaos_ingest_store_errors_total", store="memory") == 0
        # The scrape before this one is counted too.
        assert scrape(ingester.url + "/metrics").value("netchaos_ingest_requests_total", route="/metrics", status="200") >= 1
    finally:
        assert ingester.stop() == 0


def test_generator_metrics_follow_the_run(cluster, tmp_path):
    out = tmp_path / "flows.jsonl"
    # A flat load curve: with the daily one, --rate is the mean and the rate of the hour the run starts in varies.
    gen = Process(["generate", "--rate", "2000", "--seed", "5", "--load-curve", "off", "--metrics-port", "0", "--metrics-host", "127.0.0.1",
                   "--output", str(out), "--output", f"kafka://{cluster.bootstrap}/metrics-flow", "--log-interval", "0"])
    try:
        port = gen.wait_for("metrics listening")["metrics.port"]
        url = f"http://127.0.0.1:{port}/metrics"

        def enough():
            s = scrape(url)
            return s if s.value("netchaos_generator_kafka_delivered_total") >= 3000 else None
        s = wait_until(enough, 60, "3000 records delivered to Kafka")
        # One more second, so the rate gauge covers a whole interval of the run.
        first = s.value("netchaos_generator_events_total")
        s = wait_until(lambda: (lambda t: t if t.value("netchaos_generator_events_total") >= first + 2000 else None)(scrape(url)), 30,
                       "2000 more records")
        promtool_check(s.text)
        remember(s)
        series = s.series("netchaos_generator_events_total")
        assert {l["label"] for l, _ in series} == FLOW_LABELS and {l["dataset"] for l, _ in series} == {"flow"}
        events = s.value("netchaos_generator_events_total")
        assert s.value("netchaos_generator_events_total", label="normal") > 0.8 * events
        assert s.value("netchaos_generator_target_rate_events_per_second") == 2000
        # One scrape interval can follow a stall of a busy machine and its catch-up, so the gauge is only
        # checked to move; the whole run's schedule bound below is one load cannot break.
        assert s.value("netchaos_generator_rate_events_per_second") > 0
        assert s.value("netchaos_generator_kafka_failed_total") == 0
        assert s.value("netchaos_generator_kafka_delivered_total") <= events
        assert s.value("netchaos_generator_kafka_queued_messages") >= 0
        assert s.value("netchaos_generator_output_errors_total", output="file") == 0
        file_bytes = s.value("netchaos_generator_bytes_total", output="file")
    finally:
        assert gen.stop() == 0
    summary = next(e for e in gen.read() if e.get("msg") == "final summary")
    assert summary["total"] >= events
    # The pacer never runs ahead of its schedule: 2000 normal records a second, about 1% of attacks on top.
    assert summary["total"] <= 2000 * 1.05 * summary["elapsed_sec"] + 2000
    assert 0 < file_bytes <= out.stat().st_size


def test_sink_metrics_agree_with_what_it_stored(cluster, tmp_path):
    produced = Process(["generate", "--count", "6000", "--rate", "max", "--seed", "9", "--malformed-prob", "0.02",
                        "--output", f"kafka://{cluster.bootstrap}/metrics-sink", "--log-interval", "0"])
    assert produced.proc.wait(timeout=120) == 0
    store = tmp_path / "store"
    sink = Process(["sink", "--kafka-brokers", cluster.bootstrap, "--kafka-topic", "metrics-sink", "--group", "metrics-group",
                    "--store", f"file:{store}", "--batch-size", "1000", "--flush-interval", "1s", "--metrics-port", "0",
                    "--metrics-host", "127.0.0.1", "--log-interval", "0"])
    try:
        port = sink.wait_for("metrics listening")["metrics.port"]
        url = f"http://127.0.0.1:{port}/metrics"

        def settled():
            s = scrape(url)
            lag = s.series("netchaos_sink_lag_records")
            committed = s.series("netchaos_sink_committed_offset")
            done = (s.value("netchaos_sink_records_consumed_total") == 6000 and len(lag) == 4 and all(v == 0 for _, v in lag)
                    and sum(v for _, v in committed) == 6000)
            return s if done else None
        s = wait_until(settled, 90, "6000 records consumed, stored and committed with no lag")
        promtool_check(s.text)
        remember(s)
    finally:
        assert sink.stop() == 0
    objects = [p for p in store.rglob("*") if p.is_file()]
    records = [p for p in objects if "/dlq/" not in str(p) and not p.relative_to(store).parts[0] == "dlq"]
    letters = [p for p in objects if p not in records]
    stored = sum(len(gzip.decompress(p.read_bytes()).splitlines()) for p in records)
    dead = [json.loads(line) for p in letters for line in gzip.decompress(p.read_bytes()).splitlines()]
    assert s.value("netchaos_sink_records_valid_total") == stored
    assert s.value("netchaos_sink_records_invalid_total") == len(dead) > 0
    by_reason: dict[str, int] = {}
    for letter in dead:
        by_reason[letter["reason"]] = by_reason.get(letter["reason"], 0) + 1
    for reason, count in by_reason.items():
        assert s.value("netchaos_sink_records_invalid_total", reason=reason) == count
    assert len(s.series("netchaos_sink_records_invalid_total")) > len(by_reason), "every reason is exported, at 0 when unseen"
    assert s.value("netchaos_sink_records_dead_lettered_total", destination="store") == len(dead)
    assert s.value("netchaos_sink_batches_stored_total", kind="records") == len(records)
    assert s.value("netchaos_sink_batches_stored_total", kind="dead_letters") == len(letters)
    assert s.value("netchaos_sink_bytes_stored_total") == sum(p.stat().st_size for p in objects)
    assert s.value("netchaos_sink_upload_duration_seconds_count") == len(objects)
    assert s.value("netchaos_sink_commit_failures_total") == 0
    assert {l["partition"] for l, _ in s.series("netchaos_sink_lag_records")} == {"0", "1", "2", "3"}


def test_up_exports_its_reconciliation(tmp_path):
    up = Process(["up", "--port", "0", "--host", "127.0.0.1", "--rate", "2000", "--seed", "19", "--store", f"file:{tmp_path / 'data'}",
                  "--flush-interval", "300ms", "--reconcile-interval", "300ms", "--switches", "3", "--log-interval", "0"],
                 env={"LOAD_CURVE": "off"})
    try:
        port = up.wait_for("up listening", timeout=120)["http.port"]
        url = f"http://127.0.0.1:{port}/metrics"

        def reconciled():
            s = scrape(url)
            return s if s.value("netchaos_up_slots", state="present") >= 1000 else None
        s = wait_until(reconciled, 120, "1000 stored records accounted for")
        promtool_check(s.text)
        remember(s)
        assert s.value("netchaos_up_slots", state="written") >= s.value("netchaos_up_slots", state="present")
        assert s.value("netchaos_up_slots", state="lost") == 0 and s.value("netchaos_up_duplicates") == 0
        assert s.value("netchaos_up_reconciliation_ok") == 1 and s.value("netchaos_up_reconciliation_objects_total") >= 1
    finally:
        assert up.stop() == 0, up.text.decode(errors="replace")[-2000:]


def test_the_roles_export_every_family_the_dashboards_use():
    """Runs last in this module: the scrapes above, together, hold every family of the contract."""
    assert EXPORTED, "the scrapes above did not run"
    families = contract()
    missing = {name: kind for name, kind in families.items() if name not in EXPORTED}
    assert not missing, f"families the dashboards use that no role exported: {missing}"
    wrong = {name: (kind, EXPORTED[name]) for name, kind in families.items() if EXPORTED[name] != kind}
    assert not wrong, wrong
    extra = set(EXPORTED) - set(families)
    assert not extra, f"families exported but missing from {FAMILIES_FILE.name}: {extra}"
