"""Exactly once at every crash point: the sink is made to kill itself (SIGKILL, as kill -9) at each
fail point in turn (NETCHAOS_FAILPOINTS), restarted, and `netchaos verify` proves from the store
alone, with the generator's manifest, that every slot is present, dead-lettered or a planned drop,
and nothing is stored twice. Also: verify catches the records a producer killed mid-run lost."""
from __future__ import annotations

import gzip
import json
import signal
import subprocess

import pytest

from conftest import BIN, START_ISO, clean_env, run_netchaos, verify_json
from kafka_support import DevCluster
from sink_support import Moto, finish, start_sink, wait_until

COUNT, SEED = 12_000, 23
STORE_POINTS = [
    "sink.after_upload_before_commit",
    "sink.between_records_and_dead_letters",
    "sink.after_commit",
    "store.before_rename",
    "store.after_rename_before_cleanup",
]


@pytest.fixture(scope="module")
def cluster():
    dev = DevCluster(["points:6", "points-s3:1", "producer-crash:3"])
    yield dev
    dev.stop()


@pytest.fixture(scope="module")
def manifest(cluster, tmp_path_factory):
    """12,000 records with the default chaos (drops, malformed records) in topic `points`, and the
    run's manifest."""
    path = tmp_path_factory.mktemp("points") / "run.manifest.json"
    run_netchaos("generate", "--rate", "max", "--count", str(COUNT), "--seed", str(SEED), "--start-time", START_ISO,
                 "--output", f"kafka://{cluster.bootstrap}/points", "--manifest", str(path),
                 "--log-interval", "0", "--progress", "off").check()
    document = json.loads(path.read_text())
    assert document["records"] == COUNT
    assert document["dropped"] and document["malformed"], "the default chaos plans drops and malformed records"
    return path


def assert_accounted(report: dict, manifest_path) -> None:
    document = json.loads(manifest_path.read_text())
    assert report["ok"], report["problems"]
    [generator] = report["generators"]
    assert generator["generator_id"] == document["generator_id"]
    assert generator["expected_slots"] == document["slots"]
    planned_drops = sum(last - first + 1 for first, last in document["dropped"])
    assert generator["planned_drops"] == planned_drops
    unnamed = sum(report["dead_letters_unattributed"].values())
    # Every slot exactly once: present, dead-lettered with its slot, a planned drop, or one of the
    # dead letters whose record no longer names its slot (cut short); nothing twice.
    assert generator["present"] + generator["dead_lettered"] + planned_drops + unnamed == document["slots"]
    assert generator["duplicated"] == 0 and report["dead_letters_duplicated"] == 0
    assert generator["missing"] == generator["missing_refusable"] == unnamed
    malformed = sum(len(seqs) for seqs in document["malformed"].values())
    assert generator["dead_lettered"] + unnamed == malformed


@pytest.mark.parametrize("point", STORE_POINTS)
def test_a_sink_killed_at_each_point_and_restarted_stores_every_record_once(cluster, manifest, tmp_path, point):
    store = tmp_path / "store"
    args = ["--kafka-brokers", cluster.bootstrap, "--kafka-topic", "points", "--group", f"g-{point}",
            "--store", f"file:{store}", "--batch-size", "1000", "--flush-interval", "200ms", "--log-interval", "0"]
    # Crash the third time the point is reached: some batches are stored and committed before.
    code, _, err = finish(start_sink(*args, env={"NETCHAOS_FAILPOINTS": f"{point}=crash@3"}))
    assert code == -9, f"the sink should have killed itself at {point}:\n{err[-2000:]}"
    assert f"fail point {point} reached (hit 3): crash" in err
    partial_code, partial = verify_json("--store", f"file:{store}", "--manifest", str(manifest))
    assert partial_code == 1 and partial["generators"][0]["missing"] > 0, "the crash left the store short"
    assert partial["generators"][0]["duplicated"] == 0

    code, _, err = finish(start_sink(*args, "--stop-at-end"))
    assert code == 0, err[-3000:]
    code, report = verify_json("--store", f"file:{store}", "--manifest", str(manifest))
    assert code == 0, report["problems"]
    assert_accounted(report, manifest)


def test_a_sink_killed_in_the_middle_of_a_multipart_upload_stores_every_record_once(cluster, manifest, tmp_path):
    """Objects above the multipart threshold (1 MB here: 20,000 records, about 2 MB, one part; the
    dev cluster keeps about 5 MiB a partition, too little for several 5 MiB parts) go in parts; a crash after the parts and before
    the completion leaves no object, and the restarted sink stores the batch whole."""
    moto = Moto()
    try:
        count = 30_000
        local_manifest = tmp_path / "s3.manifest.json"
        run_netchaos("generate", "--rate", "max", "--count", str(count), "--seed", str(SEED + 1), "--start-time", START_ISO,
                     "--output", f"kafka://{cluster.bootstrap}/points-s3", "--manifest", str(local_manifest),
                     "--log-interval", "0", "--progress", "off").check()
        env = {**moto.env(), "MINIO_BUCKET": "points"}
        args = ["--kafka-brokers", cluster.bootstrap, "--kafka-topic", "points-s3", "--group", "g-multipart",
                "--batch-size", "20000", "--batch-bytes", "64MB", "--flush-interval", "60s", "--log-interval", "0",
                "--kafka-property", "fetch.wait.max.ms=50"]
        env_small_parts = {**env, "S3_MULTIPART_THRESHOLD": "1MB", "S3_PART_SIZE": "5MB"}
        code, _, err = finish(start_sink(*args, env={**env_small_parts, "NETCHAOS_FAILPOINTS": "sink.mid_multipart=crash"}))
        assert code == -9, err[-2000:]
        assert "fail point sink.mid_multipart reached (hit 1): crash" in err
        s3 = moto.client()
        uploads = s3.list_multipart_uploads(Bucket="points").get("Uploads", [])
        assert uploads, "the crash should leave the multipart upload open"
        assert not s3.list_objects_v2(Bucket="points", Prefix="ingest/").get("Contents"), "no object before completion"

        code, logs, err = finish(start_sink(*args, "--stop-at-end", env=env_small_parts))
        assert code == 0, err[-3000:]
        code, report = verify_json("--store", "s3://points", "--manifest", str(local_manifest), env=env)
        assert code == 0, report["problems"]
        assert_accounted(report, local_manifest)
    finally:
        moto.stop()


def test_verify_reports_what_a_producer_killed_mid_run_lost(cluster, tmp_path):
    """The generator hands records to librdkafka in batches; killed right after handing one over,
    what was still in its local queue never reaches the topic. verify, reading the topic, names
    the missing slots."""
    proc = subprocess.run(
        [BIN, "generate", "--rate", "max", "--count", "200000", "--seed", str(SEED), "--start-time", START_ISO, "--no-chaos",
         "--output", f"kafka://{cluster.bootstrap}/producer-crash", "--log-interval", "0", "--progress", "off",
         "--kafka-linger-ms", "200"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env({"NETCHAOS_FAILPOINTS": "producer.after_batch=crash@20"}),
        timeout=300,
    )
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    code, report = verify_json("--kafka-brokers", cluster.bootstrap, "--topic", "producer-crash")
    [generator] = report["generators"]
    assert generator["duplicated"] == 0
    assert generator["present"] < 200_000
    # What reached the topic is present once; whatever the kill lost between slots that arrived
    # is reported as missing ranges, and the verdict follows.
    assert code == (0 if generator["missing"] == 0 else 1)
    assert generator["present"] + generator["missing"] == generator["expected_slots"]


def test_a_broker_down_and_back_in_the_middle_of_a_run_loses_and_repeats_nothing(tmp_path):
    """One broker of three goes down while the generator produces and the sink stores, and comes
    back: the partitions it leads wait (the producer retries, the sink's fetches and commits
    retry), and verify finds every slot once."""
    cluster = DevCluster(["outage-broker:6"], control=True)
    generator = None
    try:
        manifest_path = tmp_path / "outage.manifest.json"
        generator = subprocess.Popen(
            [BIN, "generate", "--rate", "4000", "--time-rate", "5000", "--load-curve", "off",
             "--seed", str(SEED + 2), "--start-time", START_ISO, "--output", f"kafka://{cluster.bootstrap}/outage-broker",
             "--manifest", str(manifest_path), "--log-interval", "0", "--progress", "off"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=clean_env(None),
        )
        # The group's coordinator stays up (the mock cluster would not move it as a real one does).
        assert cluster.command("coordinator g-outage 1") == "ok coordinator g-outage 1"
        store = tmp_path / "store"
        args = ["--kafka-brokers", cluster.bootstrap, "--kafka-topic", "outage-broker", "--group", "g-outage",
                "--store", f"file:{store}", "--batch-size", "500", "--flush-interval", "200ms", "--log-interval", "0"]
        sink = start_sink(*args)
        wait_until(lambda: len(list(store.rglob("*.json.gz"))) >= 6, 120, "the sink to store objects before the outage")
        assert cluster.command("down 2") == "ok down 2"
        before = len(list(store.rglob("*.json.gz")))
        # The outage lasts while the generator goes on producing: until it has produced for a while
        # more (its records for the other brokers' partitions keep being stored).
        wait_until(lambda: len(list(store.rglob("*.json.gz"))) >= before + 6, 120, "objects of the live partitions during the outage")
        assert generator.poll() is None, "the generator should still be producing when the broker comes back"
        assert cluster.command("up 2") == "ok up 2"
        # It runs until stopped (however slow a loaded machine makes the sink): some more after
        # the broker is back, then a clean stop writes the manifest.
        back = len(list(store.rglob("*.json.gz")))
        wait_until(lambda: len(list(store.rglob("*.json.gz"))) >= back + 6, 120, "objects after the broker came back")
        generator.send_signal(signal.SIGTERM)
        assert generator.wait(timeout=300) == 0, generator.stderr.read().decode()[-2000:]
        sink.send_signal(signal.SIGTERM)
        code, _, err = finish(sink)
        assert code == 0, err[-3000:]
        code, _, err = finish(start_sink(*args, "--stop-at-end"))
        assert code == 0, err[-3000:]
        code, report = verify_json("--store", f"file:{store}", "--manifest", str(manifest_path))
        assert code == 0, report["problems"]
        assert_accounted(report, manifest_path)
    finally:
        if generator is not None and generator.poll() is None:
            generator.kill()
            generator.wait()
        cluster.stop()


def test_up_killed_when_its_queue_is_full_leaves_a_store_without_duplicates(tmp_path):
    """`up.queue_full`: the generator outruns the sink, the in-process queue fills, and the process
    dies there. What the queue held is gone with the process (it is memory), but what the store
    holds is whole objects, each record once."""
    store = tmp_path / "store"
    proc = subprocess.run(
        [BIN, "up", "--port", "0", "--host", "127.0.0.1", "--rate", "max", "--seed", "31", "--store", f"file:{store}",
         "--queue-bytes", "1MB", "--flush-interval", "200ms", "--log-interval", "0"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300,
        env=clean_env({"NETCHAOS_FAILPOINTS": "up.queue_full=crash@5"}),
    )
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    assert "fail point up.queue_full reached (hit 5): crash" in proc.stderr.decode()
    code, report = verify_json("--store", f"file:{store}")
    assert all(generator["duplicated"] == 0 for generator in report["generators"]), report["problems"]
    assert report["dead_letters_duplicated"] == 0
    # verify read every record the objects hold (gzip's own count).
    lines = sum(len(gzip.decompress(path.read_bytes()).splitlines()) for path in store.rglob("*.json.gz") if "ingest" in path.parts)
    assert report["records"] == lines
