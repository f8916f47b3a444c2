"""`netchaos sink` end to end: the librdkafka mock cluster (a `netchaos kafka dev-cluster`
process), moto with SigV4 checks on, and boto3 / gzip / zcat reading back what was stored."""
from __future__ import annotations

import base64
import gzip
import json
import os
import random
import signal
import subprocess
import threading
import time
import uuid
import zlib

import pytest

from conftest import BIN, START_ISO, MALFORMED_KINDS, clean_env, run_netchaos
from kafka_support import DevCluster, kcat_consume
from sink_support import (
    DLQ_RE, KEY_RE, REASON_OF_KIND, Moto, TcpProxy, finish, identity, records_in, reference, start_sink,
    stored_keys, stored_objects, summary_of, wait_until,
)

TOPICS = {
    "full": 12, "local": 6, "timer": 3, "term": 6, "crash": 12, "outage": 6, "scale": 12, "dlqtopic": 3, "bad": 1,
    "pq": 6,
}


@pytest.fixture(scope="module")
def cluster():
    dev = DevCluster([f"{name}:{partitions}" for name, partitions in TOPICS.items()])
    yield dev
    dev.stop()


@pytest.fixture(scope="module")
def moto():
    server = Moto()
    yield server
    server.stop()


def produce(cluster, topic: str, count: int, seed: int, *extra: str) -> None:
    run_netchaos("generate", "--rate", "max", "--count", str(count), "--seed", str(seed), "--start-time", START_ISO,
                 "--output", f"kafka://{cluster.bootstrap}/{topic}", "--log-interval", "0", "--progress", "off",
                 *extra).check()


def sink_args(cluster, topic: str, group: str, *extra: str) -> list[str]:
    return ["--kafka-brokers", cluster.bootstrap, "--kafka-topic", topic, "--group", group, "--log-interval", "1", *extra]


def committed(cluster, topic: str, group: str) -> dict[int, int]:
    """The group's committed offsets by partition (-1001 where none)."""
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": cluster.bootstrap, "group.id": group, "enable.auto.commit": False})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        result = consumer.committed([TopicPartition(topic, p) for p in partitions], timeout=10)
        return {tp.partition: tp.offset for tp in result}
    finally:
        consumer.close()


def ends(cluster, topic: str) -> dict[int, int]:
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": cluster.bootstrap, "group.id": "ends"})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        return {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in partitions}
    finally:
        consumer.close()


def starts(cluster, topic: str) -> dict[int, int]:
    """The partitions' first offsets (above 0 where the dev cluster dropped old records)."""
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": cluster.bootstrap, "group.id": "ends"})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        return {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[0] for p in partitions}
    finally:
        consumer.close()


def assert_exactly_once(stored: list[dict], expected: list[dict]) -> None:
    ids = [identity(r) for r in stored]
    assert len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} records stored twice"
    expected_ids = {identity(r) for r in expected}
    missing = expected_ids - set(ids)
    assert not missing, f"{len(missing)} valid records missing, e.g. {sorted(missing)[:5]}"
    extra = set(ids) - expected_ids
    assert not extra, f"{len(extra)} records stored that were not expected, e.g. {sorted(extra)[:5]}"


class StderrTail:
    """Collects a running process's JSON log lines on a thread."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.logs: list[dict] = []
        self.text: list[str] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace")
            self.text.append(line)
            if line.startswith("{"):
                try:
                    self.logs.append(json.loads(line))
                except ValueError:
                    pass

    def wait(self, timeout: float = 180) -> int:
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("sink did not finish:\n" + "".join(self.text[-40:]))
        self.thread.join(timeout=10)
        return code

    def latest(self, message: str) -> dict | None:
        found = [entry for entry in self.logs if entry.get("msg") == message]
        return found[-1] if found else None


# MARK: - Content


def test_sink_stores_every_valid_record_once_and_dead_letters_every_malformed_one(cluster, moto):
    count, seed, topic = 30_000, 11, "full"
    produce(cluster, topic, count, seed, "--malformed-prob", "0.01")
    valid, malformed = reference(seed, count, ["--malformed-prob", "0.01"])
    bucket = "full-" + uuid.uuid4().hex[:8]
    env = {**moto.env(), "MINIO_BUCKET_NAME": bucket, "BATCH_SIZE": "2000"}
    code, logs, err = finish(start_sink(*sink_args(cluster, topic, "g-full", "--stop-at-end"), env=env))
    assert code == 0, err[-3000:]
    summary = summary_of(logs)
    assert summary["consumed"] == len(valid) + len(malformed)
    assert summary["valid"] == len(valid)
    assert sum(summary["invalid"].values()) == len(malformed)

    s3 = moto.client()
    objects = stored_objects(s3, bucket, "ingest/")
    assert objects and all(KEY_RE.match(key) for key in objects), sorted(objects)[:3]
    stored = records_in(objects)
    assert_exactly_once(stored, valid)
    by_id = {identity(r): r for r in valid}
    assert all(record == by_id[identity(record)] for record in stored), "a stored record differs from the generated one"
    sizes = [len(gzip.decompress(body).splitlines()) for body in objects.values()]
    assert max(sizes) <= 2000
    key = sorted(objects)[0]
    head = s3.head_object(Bucket=bucket, Key=key)
    assert head["ContentType"] == "application/gzip"
    # Each PUT carried the CRC32 of its body (x-amz-checksum-crc32), which the store kept; boto3
    # checks it against the body it reads back.
    for name, body in list(objects.items())[:5]:
        got = s3.get_object(Bucket=bucket, Key=name, ChecksumMode="ENABLED")
        assert got["Body"].read() == body
        assert got["ChecksumCRC32"] == base64.b64encode(zlib.crc32(body).to_bytes(4, "big")).decode()

    # zcat reads an object as it is.
    path = f"/tmp/netchaos-{uuid.uuid4().hex}.json.gz"
    with open(path, "wb") as handle:
        handle.write(objects[key])
    try:
        text = subprocess.run(["zcat", path], capture_output=True, check=True).stdout.decode()
    finally:
        os.unlink(path)
    assert [json.loads(line) for line in text.splitlines()] == [json.loads(line) for line in gzip.decompress(objects[key]).decode().splitlines()]

    # Every malformed record is a dead letter with the right reason, partition and offset.
    letters = stored_objects(s3, bucket, "dlq/")
    assert letters and all(DLQ_RE.match(key) for key in letters), sorted(letters)[:3]
    dead = records_in(letters)
    assert len(dead) == len(malformed)
    assert sorted(d["record"] for d in dead) == sorted(malformed)
    kinds_seen = set()
    for letter in dead:
        assert letter["topic"] == topic and 0 <= letter["partition"] < 12 and letter["offset"] >= 0
        assert letter["detail"]
        try:
            kind = json.loads(letter["record"])["malformed_kind"]
        except ValueError:
            kind = "truncated"
        kinds_seen.add(kind)
        assert letter["reason"] == REASON_OF_KIND[kind], letter
    assert kinds_seen == set(MALFORMED_KINDS)
    assert summary["invalid"] == {REASON_OF_KIND[k]: sum(1 for d in dead if d["reason"] == REASON_OF_KIND[k]) for k in kinds_seen}

    # Every offset is committed: the group's offsets are the partitions' ends.
    assert committed(cluster, topic, "g-full") == ends(cluster, topic)


def test_local_directory_store_with_zstd(cluster, tmp_path):
    import zstandard
    count, seed, topic = 8_000, 12, "local"
    produce(cluster, topic, count, seed)
    valid, malformed = reference(seed, count)
    root = tmp_path / "data"
    code, logs, err = finish(start_sink(*sink_args(cluster, topic, "g-local", "--stop-at-end", "--store", f"file:{root}",
                                                   "--format", "json.zst", "--batch-size", "1000")))
    assert code == 0, err[-3000:]
    files = sorted(p for p in root.rglob("*") if p.is_file())
    assert files and all(p.name.endswith(".json.zst") for p in files), files[:3]
    records = []
    for path in files:
        if path.relative_to(root).parts[0] == "ingest":
            text = zstandard.ZstdDecompressor().decompressobj().decompress(path.read_bytes()).decode()
            records += [json.loads(line) for line in text.splitlines()]
    assert_exactly_once(records, valid)
    assert summary_of(logs)["records_stored"] == len(valid)


def test_a_directory_store_after_kill_9_reads_each_record_once_through_a_glob(cluster, tmp_path):
    """A sink killed with -9 while writing to a directory store may leave a temporary file; no glob
    of the data reads one (DuckDB's `**/*.json.gz`), and the next sink removes it at start-up."""
    import duckdb
    count, seed, topic = 20_000, 17, "local-kill"
    produce(cluster, topic, count, seed)
    valid, _ = reference(seed, count)
    root = tmp_path / "store"
    args = sink_args(cluster, topic, "g-local-kill", "--store", f"file:{root}", "--batch-size", "500", "--flush-interval", "200ms")
    proc = start_sink(*args)
    wait_until(lambda: len([p for p in root.rglob("*.json.gz")]) >= 3, 120, "three objects in the store")
    time.sleep(random.Random(seed).uniform(0, 0.5))
    proc.kill()
    proc.communicate()
    # What a kill between writing an object and renaming it into place leaves: the whole object
    # under its temporary name (a process long gone).
    stored = sorted(p for p in root.rglob("*.json.gz") if "ingest" in p.parts)
    leftover = stored[0].parent / f".netchaos-tmp.999999999.k9.{stored[0].name}.partial"
    leftover.write_bytes(stored[0].read_bytes())

    def glob_count() -> int:
        return duckdb.connect().execute(
            f"SELECT count(*) FROM read_json_auto('{root}/ingest/**/*.json.gz', format='newline_delimited')").fetchone()[0]
    in_objects = sum(len(gzip.decompress(p.read_bytes()).splitlines()) for p in root.rglob("*.json.gz") if "ingest" in p.parts)
    assert glob_count() == in_objects
    code, logs, err = finish(start_sink(*args, "--stop-at-end"))
    assert code == 0, err[-3000:]
    assert not leftover.exists() and not [p for p in root.rglob(".netchaos-tmp.*")]
    records = []
    for path in root.rglob("*.json.gz"):
        if "ingest" in path.parts:
            records += [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    assert_exactly_once(records, valid)
    assert glob_count() == len(valid)


def test_parquet_objects_hold_every_valid_record_and_dead_letters_stay_json(cluster, moto, tmp_path):
    import io

    import duckdb
    import pyarrow.parquet as pq
    count, seed, topic, bucket = 6_000, 14, "pq", "pq-" + uuid.uuid4().hex[:8]
    produce(cluster, topic, count, seed, "--malformed-prob", "0.02")
    valid, malformed = reference(seed, count, ["--malformed-prob", "0.02"])
    env = {**moto.env(), "MINIO_BUCKET": bucket}
    code, logs, err = finish(start_sink(*sink_args(cluster, topic, "g-pq", "--stop-at-end", "--format", "parquet",
                                                   "--batch-size", "1000"), env=env))
    assert code == 0, err[-3000:]
    s3 = moto.client()
    objects = stored_objects(s3, bucket, "ingest/")
    assert objects and all(k.endswith(".parquet") for k in objects), list(objects)[:3]
    heads = {s3.head_object(Bucket=bucket, Key=k)["ContentType"] for k in objects}
    assert heads == {"application/vnd.apache.parquet"}
    records = []
    for key, body in objects.items():
        table = pq.read_table(io.BytesIO(body))
        path = tmp_path / key.rsplit("/", 1)[1]
        path.write_bytes(body)
        assert duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0] == table.num_rows
        for row in table.to_pylist():
            row["timestamp"] = int(row["timestamp"].timestamp())
            if row["malformed_kind"] is None:
                del row["malformed_kind"]
            # Only records an incident produced name it (technique null for a service incident).
            if row["incident_id"] is None:
                assert row["technique"] is None and row["stage"] is None
                del row["incident_id"], row["technique"], row["stage"]
            records.append(row)
    assert_exactly_once(records, valid)
    assert sum(1 for r in records if "incident_id" in r) > 0
    # Value for value: the stored rows are the generator's records.
    by_identity = {identity(r): r for r in valid}
    for row in records:
        assert row == by_identity[identity(row)]
    dead = stored_objects(s3, bucket, "dlq/")
    assert dead and all(k.endswith(".json.gz") for k in dead)
    letters = [json.loads(line) for body in dead.values() for line in gzip.decompress(body).splitlines()]
    assert len(letters) == len(malformed)


# MARK: - Timing and shutdown


def test_flush_timer_stores_a_small_batch_without_new_records_and_sigterm_exits_0(cluster, moto):
    topic, bucket = "timer", "timer-" + uuid.uuid4().hex[:8]
    produce(cluster, topic, 7, 13, "--no-chaos")
    env = {**moto.env(), "MINIO_BUCKET": bucket, "FLUSH_INTERVAL": "1"}
    proc = start_sink(*sink_args(cluster, topic, "g-timer"), env=env)
    s3 = moto.client()
    try:
        # The 7 records sit in up to 3 partitions, each stored by its own timer: wait for all.
        def stored_records():
            objects = stored_objects(s3, bucket, "ingest/") if _bucket_exists(s3, bucket) else {}
            return sum(len(gzip.decompress(b).splitlines()) for b in objects.values())
        wait_until(lambda: stored_records() >= 7, 30, "the flush timers to store the 7 records")
        assert stored_records() == 7
        wait_until(lambda: sum(o for o in committed(cluster, topic, "g-timer").values() if o > 0) == 7, 15, "the commit")
    finally:
        proc.send_signal(signal.SIGTERM)
    code, logs, err = finish(proc, timeout=60)
    assert code == 0, err[-3000:]
    assert summary_of(logs)["records_stored"] == 7


def _bucket_exists(s3, bucket):
    try:
        s3.head_bucket(Bucket=bucket)
        return True
    except Exception:
        return False


def test_sigterm_stores_and_commits_what_is_held_then_exits_0(cluster, moto):
    count, seed, topic = 20_000, 14, "term"
    produce(cluster, topic, count, seed)
    valid, _ = reference(seed, count)
    bucket = "term-" + uuid.uuid4().hex[:8]
    env = {**moto.env(), "MINIO_BUCKET": bucket}
    # Batches far larger than the data and a long timer: nothing is stored before the signal.
    proc = start_sink(*sink_args(cluster, topic, "g-term", "--batch-size", "1000000", "--flush-interval", "10m"), env=env)
    tail = StderrTail(proc)
    wait_until(lambda: (tail.latest("sink progress") or {}).get("consumed") == count, 90, "the sink to read every record")
    assert (tail.latest("sink progress") or {}).get("objects") == 0
    proc.send_signal(signal.SIGTERM)
    assert tail.wait(60) == 0, "".join(tail.text[-30:])
    assert_exactly_once(records_in(stored_objects(moto.client(), bucket, "ingest/")), valid)
    assert committed(cluster, topic, "g-term") == ends(cluster, topic)


# MARK: - Faults


# The dev cluster (librdkafka's mock brokers) keeps at most 5 MB of batches per partition and
# drops the oldest beyond that; a sink that restarts behind the dropped part would lose or repeat
# records for that reason alone. The tests that restart sinks keep every partition well below it:
# a flat load curve, and keys spread evenly (by event_id: source addresses are as skewed as a
# network's, a few hosts make most of the records).
EVEN = ["--load-curve", "off", "--kafka-key", "event_id"]


def test_kill_9_at_random_moments_loses_and_duplicates_nothing(cluster, moto):
    count, seed, topic = 150_000, 15, "crash"
    bucket, group = "crash-" + uuid.uuid4().hex[:8], "g-crash"
    env = {**moto.env(), "MINIO_BUCKET": bucket, "KAFKA_SESSION_TIMEOUT": "6s"}
    # Records keep arriving for about 57 s (after the simulation's startup) while the sink is
    # killed and restarted.
    generator = subprocess.Popen(
        [BIN, "generate", "--rate", "2600", "--time-rate", "5000", *EVEN, "--count", str(count), "--seed", str(seed),
         "--start-time", START_ISO, "--output", f"kafka://{cluster.bootstrap}/{topic}", "--log-interval", "0", "--progress", "off"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env(None),
    )
    rng = random.Random(seed)
    s3 = moto.client()
    seen: set[str] = set()
    instances = []
    for _ in range(4):
        proc = start_sink(*sink_args(cluster, topic, group, "--flush-interval", "500ms"), env=env)
        # Once this run has stored an object of its own, kill it at a random moment of the next seconds.
        before = set(seen)
        wait_until(lambda: stored_keys(s3, bucket, "ingest/") - before, 60, "the sink to store a new object")
        time.sleep(rng.uniform(0.0, 2.5))
        proc.kill()
        _, err = proc.communicate()
        instances += [json.loads(line)["kafka.group_instance_id"] for line in err.decode().splitlines()
                      if '"msg":"static group membership"' in line]
        seen = stored_keys(s3, bucket, "ingest/")
    # Each restarted sink joined with its killed predecessor's static id (the kernel dropped the
    # dead process's slot lock), so it took the partitions back without waiting for a session timeout.
    assert len(instances) == 4 and len(set(instances)) == 1 and instances[0].endswith("-0"), instances
    assert generator.poll() is None, "the records should still be arriving after the last kill"
    assert generator.wait(timeout=120) == 0, generator.stderr.read().decode()[-2000:]
    code, logs, err = finish(start_sink(*sink_args(cluster, topic, group, "--stop-at-end"), env=env))
    assert code == 0, err[-3000:]
    assert all(start == 0 for start in starts(cluster, topic).values()), "the dev cluster dropped records"
    valid, _ = reference(seed, count, ["--load-curve", "off"])
    assert_exactly_once(records_in(stored_objects(s3, bucket, "ingest/")), valid)
    assert committed(cluster, topic, group) == ends(cluster, topic)


def test_s3_outage_retries_and_never_commits_ahead_of_stored_data(cluster, moto):
    count, seed, topic = 60_000, 16, "outage"
    bucket, group = "outage-" + uuid.uuid4().hex[:8], "g-outage"
    proxy = TcpProxy(moto.port)
    env = {**moto.env(proxy.endpoint), "MINIO_BUCKET": bucket, "S3_REQUEST_TIMEOUT": "2s", "SINK_RETRY_MAX": "1s"}
    generator = subprocess.Popen(
        [BIN, "generate", "--rate", "3000", "--time-rate", "5000", *EVEN, "--count", str(count), "--seed", str(seed),
         "--start-time", START_ISO, "--output", f"kafka://{cluster.bootstrap}/{topic}", "--log-interval", "0", "--progress", "off"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env(None),
    )
    proc = start_sink(*sink_args(cluster, topic, group, "--flush-interval", "500ms", "--batch-size", "1000"), env=env)
    tail = StderrTail(proc)
    s3 = moto.client()
    wait_until(lambda: stored_keys(s3, bucket, "ingest/"), 120, "a first object")
    proxy.down()
    try:
        # Ten seconds without S3 while records keep arriving; what is committed meanwhile must
        # be stored already.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            offsets = committed(cluster, topic, group)
            stored_ids = {identity(r) for r in records_in(stored_objects(s3, bucket, "ingest/"))}
            _assert_committed_is_stored(cluster, topic, offsets, stored_ids)
            time.sleep(1)
    finally:
        proxy.up()
    assert generator.wait(timeout=120) == 0
    wait_until(lambda: committed(cluster, topic, group) == ends(cluster, topic), 120, "the sink to catch up after the outage")
    proc.send_signal(signal.SIGTERM)
    assert tail.wait(60) == 0, "".join(tail.text[-30:])
    summary = tail.latest("final summary")
    assert sum(summary["upload_retries"].values()) > 0, summary
    assert all(start == 0 for start in starts(cluster, topic).values()), "the dev cluster dropped records"
    valid, _ = reference(seed, count, ["--load-curve", "off"])
    assert_exactly_once(records_in(stored_objects(s3, bucket, "ingest/")), valid)
    proxy.down()


_offset_maps: dict[str, dict[tuple[int, int], tuple[str, int] | None]] = {}


def _assert_committed_is_stored(cluster, topic, offsets, stored_ids):
    rows = kcat_consume(cluster.bootstrap, topic, 0, timeout=30)
    index = {}
    for _, value, partition, offset in rows:
        try:
            record = json.loads(value)
            index[(partition, offset)] = identity(record) if "malformed_kind" not in record else None
        except ValueError:
            index[(partition, offset)] = None
    for (partition, offset), ident in index.items():
        if ident is not None and offset < offsets.get(partition, -1):
            assert ident in stored_ids, f"offset {offset} of partition {partition} is committed but its record is not stored"


def test_two_sinks_share_the_partitions_and_one_takes_over_when_the_other_dies(cluster, moto):
    count, seed, topic = 80_000, 17, "scale"
    bucket, group = "scale-" + uuid.uuid4().hex[:8], "g-scale"
    env = {**moto.env(), "MINIO_BUCKET": bucket, "KAFKA_SESSION_TIMEOUT": "6s"}
    generator = subprocess.Popen(
        [BIN, "generate", "--rate", "5000", *EVEN, "--count", str(count), "--seed", str(seed), "--start-time", START_ISO,
         "--output", f"kafka://{cluster.bootstrap}/{topic}", "--log-interval", "0", "--progress", "off"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env(None),
    )
    first = StderrTail(start_sink(*sink_args(cluster, topic, group, "--flush-interval", "500ms"), env=env))
    second = StderrTail(start_sink(*sink_args(cluster, topic, group, "--flush-interval", "500ms"), env=env))

    def assigned(tail):
        latest = [e for e in tail.logs if e.get("msg") in ("kafka partitions assigned", "kafka partitions revoked")]
        return latest and latest[-1]["msg"] == "kafka partitions assigned" and latest[-1]["kafka.partitions"]

    wait_until(lambda: assigned(first) and assigned(second), 90, "both sinks to own partitions")
    wait_until(lambda: all((t.latest("sink progress") or {}).get("records_stored", 0) > 0 for t in (first, second)), 60,
               "both sinks to store records")
    owned = [set(assigned(t).split(",")) for t in (first, second)]
    assert owned[0] and owned[1] and not owned[0] & owned[1], owned
    first.proc.kill()
    first.wait(30)
    assert generator.wait(timeout=120) == 0
    wait_until(lambda: committed(cluster, topic, group) == ends(cluster, topic), 120, "the survivor to take over every partition")
    assert len(assigned(second).split(",")) == 12
    second.proc.send_signal(signal.SIGTERM)
    assert second.wait(60) == 0
    assert all(start == 0 for start in starts(cluster, topic).values()), "the dev cluster dropped records"
    valid, _ = reference(seed, count, ["--load-curve", "off"])
    assert_exactly_once(records_in(stored_objects(moto.client(), bucket, "ingest/")), valid)


def test_dead_letter_topic(cluster, moto):
    count, seed, topic = 6_000, 18, "dlqtopic"
    produce(cluster, topic, count, seed, "--malformed-prob", "0.02")
    _, malformed = reference(seed, count, ["--malformed-prob", "0.02"])
    bucket = "dlqt-" + uuid.uuid4().hex[:8]
    env = {**moto.env(), "MINIO_BUCKET": bucket}
    code, logs, err = finish(start_sink(*sink_args(cluster, topic, "g-dlqt", "--stop-at-end", "--dlq", "kafka"), env=env))
    assert code == 0, err[-3000:]
    rows = kcat_consume(cluster.bootstrap, f"{topic}.dlq", len(malformed))
    letters = [json.loads(value) for _, value, _, _ in rows]
    assert sorted(l["record"] for l in letters) == sorted(malformed)
    assert not stored_objects(moto.client(), bucket, "dlq/")
    assert summary_of(logs)["dead_letters_produced"] == len(malformed)


# MARK: - Errors


S3_KEYS = {"MINIO_ENDPOINT": "127.0.0.1:9", "MINIO_ACCESS_KEY": "a", "MINIO_SECRET_KEY": "b"}


@pytest.mark.parametrize("args,env,key", [
    (["--batch-size", "0"], {}, "sink.batch_size"),
    (["--store", "ftp://somewhere"], {}, "sink.store"),
    (["--format", "xml"], {}, "sink.format"),
    (["--dlq", "nowhere"], {}, "sink.dlq"),
    (["--flush-interval", "-1"], {}, "sink.flush_interval"),
    (["--batch-bytes", "3GB"], {}, "sink.batch_bytes"),
    (["--batch-bytes", "0"], {}, "sink.batch_bytes"),
    (["--memory", "lots"], {}, "sink.memory_bytes"),
    (["--bucket", "A_B"], S3_KEYS, "s3.bucket"),
    (["--store", "s3://x"], S3_KEYS, "sink.store"),
    ([], {**S3_KEYS, "MINIO_SECURE": "maybe"}, "s3.secure"),
])
def test_bad_settings_exit_2_naming_the_key(args, env, key, tmp_path):
    result = run_netchaos("sink", *args, env=env, timeout=60, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert key in result.stderr, result.stderr


def test_s3_without_credentials_exits_2_naming_the_keys():
    result = run_netchaos("sink", "--store", "s3://bucket", "--s3-endpoint", "http://127.0.0.1:9", timeout=60)
    assert result.returncode == 2, result.stderr
    assert "AWS_ACCESS_KEY_ID" in result.stderr and "MINIO_ACCESS_KEY" in result.stderr, result.stderr


def test_wrong_secret_fails_fast_with_the_servers_reason(cluster, moto):
    env = {**moto.env(), "MINIO_SECRET_KEY": "wrong" + moto.secret_key[5:], "MINIO_BUCKET": "never"}
    start = time.monotonic()
    result = run_netchaos("sink", *sink_args(cluster, "bad", "g-bad"), env=env, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "SignatureDoesNotMatch" in result.stderr or "InvalidAccessKeyId" in result.stderr, result.stderr
    assert time.monotonic() - start < 30


def test_unreachable_store_fails_fast(cluster):
    env = {"MINIO_ENDPOINT": "127.0.0.1:9", "MINIO_ACCESS_KEY": "a", "MINIO_SECRET_KEY": "b", "S3_REQUEST_TIMEOUT": "2s"}
    start = time.monotonic()
    result = run_netchaos("sink", *sink_args(cluster, "bad", "g-bad2"), env=env, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "127.0.0.1:9" in result.stderr, result.stderr
    assert time.monotonic() - start < 30
