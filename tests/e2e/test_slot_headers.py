"""Every Kafka message the generator produces names its record's slot in headers (`generator_id`,
`seq`), read back here by confluent-kafka; the sink copies them into each dead letter, so verify
attributes every refused record, a truncated one included, to its slot: present + dead-lettered +
planned drops = every slot, with nothing counted by number alone (`--kafka-slot-headers true`).
Without the headers (the default) cut records are counted, not named."""
from __future__ import annotations

import gzip
import json

import pytest
from confluent_kafka import Consumer, TopicPartition

from conftest import START_ISO, run_netchaos, verify_json
from kafka_support import DevCluster
from sink_support import finish, start_sink

COUNT = 6_000


@pytest.fixture(scope="module")
def cluster():
    dev = DevCluster(["slots:3", "bare:3"], brokers=1)
    yield dev
    dev.stop()


def generate(cluster, topic: str, manifest, *extra: str) -> dict:
    run_netchaos("generate", "--rate", "max", "--count", str(COUNT), "--seed", "41", "--start-time", START_ISO,
                 "--output", f"kafka://{cluster.bootstrap}/{topic}", "--manifest", str(manifest), "--malformed-prob", "0.05",
                 "--drop-prob", "0.01", "--log-interval", "0", "--progress", "off", *extra).check()
    return json.loads(manifest.read_text())


def read_topic(bootstrap: str, topic: str) -> list:
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"slots-{topic}", "enable.auto.commit": False})
    try:
        ends = {}
        for p in consumer.list_topics(topic, timeout=30).topics[topic].partitions:
            ends[p] = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=30)[1]
        consumer.assign([TopicPartition(topic, p, 0) for p in ends])
        messages = []
        while len(messages) < sum(ends.values()):
            message = consumer.poll(5)
            if message is not None and not message.error():
                messages.append(message)
        return messages
    finally:
        consumer.close()


def sink_dead_letters(cluster, topic: str, store) -> list[dict]:
    """Sinks `topic` into `store` to its end; the dead letters stored."""
    sink = start_sink("--kafka-brokers", cluster.bootstrap, "--kafka-topic", topic, "--store", f"file:{store}", "--stop-at-end",
                      "--flush-interval", "500ms", env={"KAFKA_GROUP_ID": f"{topic}-sink"})
    code, _, err = finish(sink)
    assert code == 0, err[-3000:]
    return [json.loads(line) for path in (store / "dlq").rglob("*.json.gz") for line in gzip.decompress(path.read_bytes()).splitlines()]


def planned(document: dict) -> tuple[set[int], set[int]]:
    drops = {seq for first, last in document["dropped"] for seq in range(first, last + 1)}
    malformed = {seq for seqs in document["malformed"].values() for seq in seqs}
    return drops, malformed


def test_each_message_names_its_slot_and_each_dead_letter_keeps_it(cluster, tmp_path):
    document = generate(cluster, "slots", tmp_path / "run.manifest.json", "--kafka-slot-headers", "true")
    drops, malformed = planned(document)
    assert document["records"] == COUNT and drops and document["malformed"].get("truncated")

    messages = read_topic(cluster.bootstrap, "slots")
    seqs = []
    for message in messages:
        headers = dict(message.headers() or [])
        assert headers["generator_id"].decode() == document["generator_id"]
        seq = int(headers["seq"])
        seqs.append(seq)
        if seq not in malformed:
            # An intact record says the same in its value.
            record = json.loads(message.value())
            assert (record["generator_id"], record["seq"]) == (document["generator_id"], seq)
    # Every slot once, but the planned drops: the headers alone account for the run.
    assert sorted(seqs) == sorted(set(range(document["slots"])) - drops)

    # The topic read by verify: every record named, the cut ones too.
    from_topic = verify_json("--kafka-brokers", cluster.bootstrap, "--topic", "slots", "--manifest", str(tmp_path / "run.manifest.json"))[1]
    assert from_topic["ok"], from_topic["problems"]
    assert from_topic["records_without_slot"] == 0 and from_topic["generators"][0]["present"] == COUNT

    store = tmp_path / "store"
    letters = sink_dead_letters(cluster, "slots", store)
    # Each refused record's dead letter names its slot, even when the record itself no longer can.
    assert len(letters) == len(malformed)
    assert {letter["seq"] for letter in letters} == malformed
    assert all(letter["generator_id"] == document["generator_id"] for letter in letters)
    assert any(letter["reason"] == "invalid_json" for letter in letters)

    report = verify_json("--store", f"file:{store}", "--manifest", str(tmp_path / "run.manifest.json"))[1]
    assert report["ok"], report["problems"]
    (generator,) = report["generators"]
    assert report["dead_letters_unattributed"] == {} and report["records_without_slot"] == 0
    assert generator["dead_lettered"] == len(malformed) and generator["missing"] == 0
    assert generator["present"] + generator["dead_lettered"] + generator["planned_drops"] == document["slots"]


def test_without_slot_headers_cut_records_are_counted_not_named(cluster, tmp_path):
    document = generate(cluster, "bare", tmp_path / "run.manifest.json")
    messages = read_topic(cluster.bootstrap, "bare")
    assert len(messages) == COUNT and all(not message.headers() for message in messages)

    store = tmp_path / "store"
    letters = sink_dead_letters(cluster, "bare", store)
    assert letters and not any("seq" in letter for letter in letters)
    report = verify_json("--store", f"file:{store}", "--manifest", str(tmp_path / "run.manifest.json"))[1]
    assert report["ok"], report["problems"]
    truncated = len(document["malformed"]["truncated"])
    # The cut records name no slot: accounted for by number only.
    assert sum(report["dead_letters_unattributed"].values()) == truncated > 0
    assert report["generators"][0]["missing"] == truncated
