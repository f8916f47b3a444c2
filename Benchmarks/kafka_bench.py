#!/usr/bin/env python3
"""Kafka producing throughput into librdkafka's mock cluster (3 brokers, 48 partitions per topic,
zstd, acks=all, idempotence, key = src_ip, 10 ms linger, 1 MiB batches, a local queue of at most
500,000 messages and 64 MiB):

- `netchaos generate --output kafka` (generates, serializes and produces), and the same with
  `--kafka-slot-headers true` (every message with its record's `generator_id` and `seq` headers),
- kcat -P producing the same records from a pre-generated file (produce only),
- Python confluent-kafka producing the same records held in memory (produce only),

all into one `netchaos kafka dev-cluster` process, in the same run. The three take turns, --rounds
times (median reported, as this 2-core machine is noisy); within a round they write to the same
topic, so they meet the same partition leaders (the mock places leaders at random per topic, which
moves the load between brokers from topic to topic). A figure counts only when every record was
stored (the topic's end offsets grow by exactly the count).
Prints a Markdown table for docs/performance.md.
Usage: python3 Benchmarks/kafka_bench.py --binary .build/release/netchaos [--events N]
"""
import argparse
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time

SETTINGS = {
    "compression.codec": "zstd", "acks": "all", "enable.idempotence": "true", "linger.ms": "10",
    "batch.size": str(1 << 20), "queue.buffering.max.messages": "500000", "queue.buffering.max.kbytes": "65536",
}


def start_cluster(binary, topics):
    args = [binary, "kafka", "dev-cluster", "--brokers", "3"] + [a for t in topics for a in ("--topic", f"{t}:48")]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    assert ready, "dev-cluster did not start"
    return proc, proc.stdout.readline().decode().strip()


def end_offsets(bootstrap, topic):
    """Sum of the high watermarks of the topic's partitions (records stored)."""
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-offsets"})
    metadata = consumer.list_topics(topic, timeout=10)
    total = 0
    for partition in metadata.topics[topic].partitions:
        _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
        total += high
    consumer.close()
    return total


def run_netchaos(binary, bootstrap, topic, events, start_time, slot_headers=False):
    cmd = [binary, "generate", "--rate", "max", "--count", str(events), "--seed", "1", "--start-time", start_time,
           "--workers", "2", "--output", f"kafka://{bootstrap}/{topic}", "--kafka-compression", "zstd",
           "--kafka-linger-ms", "10", "--kafka-batch-bytes", "1MB", "--kafka-queue-bytes", "64MB", "--kafka-queue-messages", "500000", "--log-interval", "0", "--progress", "off",
           "--kafka-slot-headers", "true" if slot_headers else "false"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    elapsed = time.perf_counter() - start
    summary = json.loads(proc.stderr.decode().strip().splitlines()[-1])
    kafka = summary["outputs"][0]["kafka"]
    assert kafka["delivered"] == events and not kafka["failed"], kafka
    return elapsed


def pregenerate(binary, events, start_time, directory):
    """The same records as JSON lines, and as `src_ip<TAB>record` lines for kcat -K."""
    raw = subprocess.run([binary, "generate", "--rate", "max", "--count", str(events), "--seed", "1", "--start-time",
                          start_time, "--log-interval", "0", "--progress", "off"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
    records = raw.splitlines()
    keyed = []
    for line in records:
        at = line.find(b'"src_ip":"')
        end = line.find(b'"', at + 10) if at >= 0 else -1
        key = line[at + 10:end] if end >= 0 else b""  # a truncated record may have lost it
        keyed.append(key + b"\t" + line)
    path = os.path.join(directory, "keyed.txt")
    with open(path, "wb") as handle:
        handle.write(b"\n".join(keyed) + b"\n")
    return records, keyed, path


def run_kcat(bootstrap, topic, path):
    cmd = ["kcat", "-P", "-b", bootstrap, "-t", topic, "-K", "\t", "-l", path]
    for name, value in SETTINGS.items():
        cmd += ["-X", f"{name}={value}"]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def run_python(bootstrap, topic, keyed):
    from confluent_kafka import Producer
    pairs = [line.split(b"\t", 1) for line in keyed]
    failures = []

    def report(error, _message):
        if error is not None:
            failures.append(error)

    producer = Producer({"bootstrap.servers": bootstrap, **SETTINGS})
    start = time.perf_counter()
    for key, value in pairs:
        while True:
            try:
                producer.produce(topic, value, key, on_delivery=report)
                break
            except BufferError:
                producer.poll(0.001)
        producer.poll(0)
    remaining = producer.flush(120)
    elapsed = time.perf_counter() - start
    assert remaining == 0 and not failures, (remaining, failures[:3])
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    n = args.events
    start_time = "2026-11-22T00:00:00Z"
    names = ["netchaos", "netchaos-headers", "kcat", "python"]
    topics = [f"bench-{r}" for r in range(args.rounds)]
    cluster, bootstrap = start_cluster(args.binary, topics)
    times = {name: [] for name in names}
    try:
        with tempfile.TemporaryDirectory() as directory:
            _, keyed, path = pregenerate(args.binary, n, start_time, directory)
            for topic in topics:
                runs = [
                    ("netchaos", lambda: run_netchaos(args.binary, bootstrap, topic, n, start_time)),
                    ("netchaos-headers", lambda: run_netchaos(args.binary, bootstrap, topic, n, start_time, slot_headers=True)),
                    ("kcat", lambda: run_kcat(bootstrap, topic, path)),
                    ("python", lambda: run_python(bootstrap, topic, keyed)),
                ]
                for name, run in runs:
                    before = end_offsets(bootstrap, topic)
                    times[name].append(run())
                    stored = end_offsets(bootstrap, topic) - before
                    assert stored == n, f"{name} into {topic}: {stored} records stored, expected {n}"
    finally:
        cluster.send_signal(signal.SIGTERM)
        cluster.wait(timeout=30)

    median = {name: sorted(values)[len(values) // 2] for name, values in times.items()}
    ours, kcat, python = median["netchaos"], median["kcat"], median["python"]
    rows = [
        ("netchaos generate --output kafka (generate + serialize + produce)", "netchaos"),
        ("netchaos generate --output kafka --kafka-slot-headers true (generator_id and seq headers on every message)", "netchaos-headers"),
        ("peer: kcat -P from a pre-generated file (produce only)", "kcat"),
        ("peer: Python confluent-kafka from memory (produce only)", "python"),
    ]
    print(f"Events: {n:,} per run; 3 mock brokers (one dev-cluster process), 48 partitions, zstd, acks=all, "
          f"idempotence, key src_ip, linger 10 ms; {args.rounds} rounds, median; machine: {os.cpu_count()} cores\n")
    print("| what | seconds (median) | all runs | events/s | netchaos speed vs this |")
    print("| --- | ---: | --- | ---: | ---: |")
    for label, name in rows:
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        print(f"| {label} | {median[name]:.2f} | {runs} | {n / median[name]:,.0f} | {median[name] / ours:.2f}x |")
    target = n / ours >= 500_000 and ours < kcat and ours < python
    print(f"\nTarget (>= 500,000 events/s and faster than both peers): {'met' if target else 'NOT met'}")
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
