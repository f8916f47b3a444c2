"""`netchaos generate --output kafka`, `netchaos kafka consume` and `dev-cluster`, checked with kcat."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

from conftest import BIN, START, clean_env, generate, popen_netchaos, run_netchaos
from kafka_support import DevCluster, kcat_consume, kcat_produce

CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]


@pytest.fixture(scope="module")
def cluster():
    topics = [f"codec-{c}:6" for c in CODECS] + ["keyed:12", "from-kcat:6", "commits:3", "stopped:6", "event-key:4", "sigterm:3"]
    dev = DevCluster(topics)
    yield dev
    dev.stop()


def reference(seed: int, count: int) -> list[str]:
    """The same records written to stdout, as JSON lines."""
    result = generate("--seed", str(seed), "--start-time", str(START), "--count", str(count), "--rate", "max")
    return result.stdout.decode().splitlines()


def seq_of(line: str) -> int | None:
    """`seq` of a record, also of most malformed ones (the field is written last); None when truncated away."""
    if '"seq":' not in line:
        return None
    tail = line[line.rindex('"seq":') + 6:]
    return int(tail.rstrip("}").strip())


@pytest.mark.parametrize("codec", CODECS)
def test_every_codec_reaches_kcat_unchanged(cluster, codec):
    count = 20_000
    topic = f"codec-{codec}"
    result = generate(
        "--seed", "21", "--start-time", str(START), "--count", str(count), "--rate", "max", "--output", "kafka",
        "--kafka-brokers", cluster.bootstrap, "--kafka-topic", topic, "--kafka-compression", codec,
    )
    kafka = result.output("kafka://")
    assert kafka["records"] == count
    assert kafka["kafka"]["delivered"] == count and kafka["kafka"]["failed"] == {} and kafka["kafka"]["in_flight"] == 0
    rows = kcat_consume(cluster.bootstrap, topic, count)
    assert len(rows) == count
    expected = reference(21, count)
    values = [value for _, value, _, _ in rows]
    # The same records, byte for byte, each once.
    assert sorted(values) == sorted(expected)
    seqs = [seq for seq in map(seq_of, values) if seq is not None]
    assert len(seqs) == len(set(seqs)) >= count - 100


def test_keys_are_source_addresses_and_each_key_stays_in_order(cluster):
    count = 30_000
    generate(
        "--seed", "5", "--start-time", str(START), "--count", str(count), "--rate", "max", "--scan-interval", "1", "--output",
        f"kafka://{cluster.bootstrap}/keyed",
    )
    rows = kcat_consume(cluster.bootstrap, "keyed", count)
    assert len(rows) == count
    partitions_of_key: dict[str, set[int]] = {}
    last_seq: dict[str, int] = {}
    scans = 0
    for key, value, partition, _ in rows:
        partitions_of_key.setdefault(key, set()).add(partition)
        seq = seq_of(value)
        if seq is not None:
            assert seq > last_seq.get(key, -1), f"key {key}: seq {seq} after {last_seq.get(key)}"
            last_seq[key] = seq
        try:
            event = json.loads(value)
        except ValueError:
            continue  # truncated on purpose
        if isinstance(event.get("src_ip"), str) and event.get("malformed_kind") is None:
            assert key == event["src_ip"]
        scans += event.get("label") == "port_scan"
    assert all(len(p) == 1 for p in partitions_of_key.values()), "a key spread over several partitions"
    assert len({p for ps in partitions_of_key.values() for p in ps}) > 6, "keys should use most of 12 partitions"
    assert scans >= 100, "a port scan burst should be in this run"


def test_event_id_key(cluster):
    generate("--seed", "8", "--start-time", str(START), "--count", "2000", "--rate", "max", "--output", "kafka",
             "--kafka-brokers", cluster.bootstrap, "--kafka-topic", "event-key", "--kafka-key", "event_id")
    rows = kcat_consume(cluster.bootstrap, "event-key", 2000)
    assert len(rows) == 2000
    checked = 0
    for key, value, _, _ in rows:
        try:
            event = json.loads(value)
        except ValueError:
            continue
        if isinstance(event.get("event_id"), str) and event.get("malformed_kind") is None:
            assert key == event["event_id"]
            checked += 1
    assert checked > 1900


def test_our_consumer_reads_exactly_what_kcat_produced(cluster):
    lines = [f"key-{i % 37}\t" + json.dumps({"n": i, "text": "héllo, wörld" if i % 7 == 0 else "x" * (i % 90)}) for i in range(5_000)]
    kcat_produce(cluster.bootstrap, "from-kcat", lines)
    result = run_netchaos(
        "kafka", "consume", "--kafka-brokers", cluster.bootstrap, "--kafka-topic", "from-kcat", "--count", "5000",
        "--print", "envelope", "--timeout", "60",
    )
    assert result.returncode == 0, result.stderr
    envelopes = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(envelopes) == 5000
    assert sorted((e["key"], e["value"]) for e in envelopes) == sorted(tuple(line.split("\t", 1)) for line in lines)
    # Offsets of each partition are contiguous from 0: nothing skipped, nothing repeated.
    by_partition: dict[int, list[int]] = {}
    for e in envelopes:
        assert e["topic"] == "from-kcat"
        by_partition.setdefault(e["partition"], []).append(e["offset"])
    for offsets in by_partition.values():
        assert offsets == list(range(len(offsets)))
    # Per key, the order kcat produced in.
    last: dict[str, int] = {}
    for e in envelopes:
        n = json.loads(e["value"])["n"]
        assert n > last.get(e["key"], -1)
        last[e["key"]] = n


def test_a_group_resumes_where_its_commits_left_it(cluster):
    kcat_produce(cluster.bootstrap, "commits", [f"k{i % 5}\tv{i}" for i in range(300)])
    group = f"g-{os.getpid()}"
    common = ["kafka", "consume", "--kafka-brokers", cluster.bootstrap, "--kafka-topic", "commits", "--group", group,
              "--timeout", "60"]
    first = run_netchaos(*common, "--count", "120")
    assert first.returncode == 0, first.stderr
    second = run_netchaos(*common, "--count", "180")
    assert second.returncode == 0, second.stderr
    a = first.stdout.decode().split()
    b = second.stdout.decode().split()
    assert len(a) == 120 and len(b) == 180
    assert sorted(a + b) == sorted(f"v{i}" for i in range(300))
    # Nothing is left for the group; asking for more times out with a clear error.
    third = run_netchaos(*common[:-1], "3", "--count", "1")
    assert third.returncode == 1
    assert "consumed 0 of 1 records from commits before the timeout" in third.stderr


def records_under_way(proc) -> tuple[bytes, int]:
    """Reads `generate`'s log until a throughput line shows records (the simulation's startup comes
    first: its lines count 0); returns the log read so far and that count."""
    seen, produced = b"", 0
    deadline = time.monotonic() + 120
    while produced == 0 and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        seen += line
        if b'"msg":"throughput"' in line:
            produced = json.loads(line)["total"]
    assert produced > 0, seen.decode()[-2000:]
    return seen, produced


def test_sigint_mid_run_delivers_everything_generated(cluster):
    proc = popen_netchaos(
        "generate", "--seed", "4", "--rate", "20000", "--output", "kafka", "--kafka-brokers", cluster.bootstrap,
        "--kafka-topic", "stopped", "--log-interval", "0.5", "--progress", "off",
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    # Once records are under way, interrupt.
    seen, produced = records_under_way(proc)
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, rest.decode()
    summary = [json.loads(line) for line in (seen + rest).decode().splitlines() if '"final summary"' in line][-1]
    kafka = summary["outputs"][0]
    assert kafka["records"] == summary["total"] >= produced
    assert kafka["kafka"]["delivered"] == summary["total"] and kafka["kafka"]["in_flight"] == 0
    rows = kcat_consume(cluster.bootstrap, "stopped", summary["total"])
    assert len(rows) == summary["total"]
    # Each record once: seq unique, below the records generated plus the dropped ones.
    seqs = [seq for seq in (seq_of(value) for _, value, _, _ in rows) if seq is not None]
    assert len(seqs) == len(set(seqs)) >= summary["total"] - summary["labels"]["malformed"]
    assert max(seqs) < summary["total"] + summary["dropped"]


def test_sigterm_while_the_queue_is_full_stops_cleanly_and_counts_only_what_was_delivered(cluster):
    """A stop that comes while the output waits for room in a full queue (a queue of 300 messages at
    max rate is full nearly all the time) exits 0; the records it never handed over are reported
    as not delivered, never in `total` or the label counts, and the topic holds exactly `total`.
    Tried until a stop lands on a full queue (each try checks the same)."""
    offset, stopped_short = 0, 0
    for attempt in range(5):
        proc = popen_netchaos(
            "generate", "--seed", str(40 + attempt), "--rate", "max", "--output", "kafka", "--kafka-brokers", cluster.bootstrap,
            "--kafka-topic", "sigterm", "--kafka-property", "queue.buffering.max.messages=300", "--log-interval", "0.5",
            "--progress", "off", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        seen, produced = records_under_way(proc)
        proc.send_signal(signal.SIGTERM)
        rest = proc.stderr.read()
        assert proc.wait(timeout=60) == 0, rest.decode()[-2000:]
        summary = [json.loads(line) for line in (seen + rest).decode().splitlines() if '"final summary"' in line][-1]
        kafka = summary["outputs"][0]
        assert summary["errors"] == [] and "error" not in kafka, summary
        assert kafka["records"] == kafka["kafka"]["delivered"] == summary["total"] and kafka["kafka"]["in_flight"] == 0
        assert sum(summary["labels"].values()) == summary["total"]
        rows = kcat_consume(cluster.bootstrap, "sigterm", offset + summary["total"])
        assert len(rows) == offset + summary["total"]
        offset += summary["total"]
        stopped_short = summary.get("not_delivered", 0)
        if stopped_short > 0:
            break
    assert stopped_short > 0, "no stop landed on a full queue in five tries"


def test_a_second_signal_while_stopping_stops_at_once():
    """The first SIGTERM waits for deliveries (up to the flush timeout, here two minutes: the
    brokers are gone); a second one stops at once and says so."""
    dev = DevCluster(["gone:1"], brokers=1)
    proc = popen_netchaos(
        "generate", "--seed", "6", "--rate", "2000", "--output", "kafka", "--kafka-brokers", dev.bootstrap, "--kafka-topic", "gone",
        "--kafka-flush-timeout", "120s", "--log-interval", "0.5", "--progress", "off", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        records_under_way(proc)
    finally:
        dev.stop()
    proc.send_signal(signal.SIGTERM)
    # Still stopping: what was produced waits for brokers that are gone.
    with pytest.raises(subprocess.TimeoutExpired):
        proc.wait(timeout=3)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=30)
    rest = proc.stderr.read().decode()
    assert code == 128 + signal.SIGTERM, rest[-2000:]
    assert "netchaos: SIGTERM again while stopping: stopping at once, without flushing or committing what is in flight" in rest


def test_unreachable_broker_fails_fast_with_a_clear_error():
    started = time.monotonic()
    result = run_netchaos(
        "generate", "--count", "10", "--output", "kafka", "--kafka-brokers", "127.0.0.1:1", "--kafka-connect-timeout", "2s",
        "--log-interval", "0", timeout=60,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert elapsed < 20
    assert "cannot start kafka://127.0.0.1:1/network-telemetry: cannot reach Kafka at 127.0.0.1:1 within 2s" in result.stderr
    assert result.stdout == b""


@pytest.mark.parametrize("args, env, key, value", [
    (["--kafka-compression", "brotli"], {}, "kafka.compression", "brotli"),
    (["--kafka-acks", "2"], {}, "kafka.acks", "2"),
    (["--kafka-key", "dst_ip"], {}, "kafka.key", "dst_ip"),
    ([], {"KAFKA_BROKERS": "localhost"}, "kafka.brokers", "localhost"),
    # Empty is an error, not the default broker.
    (["--kafka-brokers", ""], {}, "kafka.brokers", ""),
    ([], {"KAFKA_BROKERS": " , "}, "kafka.brokers", " , "),
    ([], {"KAFKA_TOPIC": "no spaces"}, "kafka.topic", "no spaces"),
    (["--kafka-property", "no.such.property=1"], {}, "kafka.properties.no.such.property", "1"),
    ([], {"KAFKA_PROPERTY_SOCKET_TIMEOUT_MS": "soon"}, "kafka.properties.socket.timeout.ms", "soon"),
    # The flag wins over the environment.
    (["--kafka-property", "socket.timeout.ms=later"], {"KAFKA_PROPERTY_SOCKET_TIMEOUT_MS": "5000"}, "kafka.properties.socket.timeout.ms", "later"),
])
def test_bad_kafka_settings_exit_2_naming_the_key(args, env, key, value):
    result = run_netchaos("generate", "--count", "1", "--output", "kafka", *args, env=env, timeout=30)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"netchaos: error: invalid value '{value}' for {key}"), result.stderr


def test_yaml_properties_map_reaches_librdkafka(tmp_path):
    config = tmp_path / "kafka.yaml"
    config.write_text('kafka:\n  topic: flows\n  properties:\n    socket.timeout.ms: "never"\n')
    result = run_netchaos("generate", "--count", "1", "--output", "kafka", "--config", str(config), timeout=30)
    assert result.returncode == 2
    assert "invalid value 'never' for kafka.properties.socket.timeout.ms" in result.stderr
    # The environment overrides the file, so a good value there makes it start (and fail later on the
    # unreachable default brokers, which shows configuration passed).
    result = run_netchaos(
        "generate", "--count", "1", "--output", "kafka", "--config", str(config), "--kafka-connect-timeout", "1s",
        env={"KAFKA_PROPERTY_SOCKET_TIMEOUT_MS": "5000", "KAFKA_BROKERS": "127.0.0.1:1"}, timeout=30,
    )
    assert result.returncode == 1, result.stderr
    assert "cannot reach Kafka at 127.0.0.1:1" in result.stderr


def test_dev_cluster_serves_kcat_and_stops_on_sigterm():
    dev = DevCluster(["ping:2"], brokers=2)
    try:
        kcat_produce(dev.bootstrap, "ping", ["a\tone", "b\ttwo"])
        rows = kcat_consume(dev.bootstrap, "ping", 2)
        assert sorted((k, v) for k, v, _, _ in rows) == [("a", "one"), ("b", "two")]
        metadata = subprocess.run(["kcat", "-b", dev.bootstrap, "-L", "-t", "ping"], capture_output=True, timeout=30)
        assert b"2 brokers" in metadata.stdout and b"2 partitions" in metadata.stdout
    finally:
        dev.stop()


@pytest.mark.parametrize("output", ["kafka://localhost/flows", "kafka://localhost:9092/bad topic", "kafka://:9092/flows"])
def test_bad_kafka_output_url_exits_2(output):
    result = run_netchaos("generate", "--count", "1", "--output", output, timeout=30)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"netchaos: error: invalid value '{output}' for outputs"), result.stderr
    assert "kafka://HOST:PORT" in result.stderr


def test_consume_from_unreachable_broker_fails_fast():
    started = time.monotonic()
    result = run_netchaos("kafka", "consume", "--kafka-brokers", "127.0.0.1:1", "--kafka-connect-timeout", "2s", "--count", "1",
                          timeout=60)
    assert result.returncode == 1, result.stderr
    assert time.monotonic() - started < 20
    assert "netchaos: error: cannot reach Kafka at 127.0.0.1:1 within 2s" in result.stderr
    assert result.stdout == b""
