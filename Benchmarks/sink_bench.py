#!/usr/bin/env python3
"""Sink throughput: Kafka (librdkafka's mock cluster, one `netchaos kafka dev-cluster` process)
to S3 (moto_server with SigV4 checks on) as gzipped NDJSON.

1,000,000 flow records (default chaos, so about 0.1% are malformed) are produced once into a
24-partition topic (zstd), keyed by event_id: the mock broker keeps at most 100,000 messages per
partition, and keyed by src_ip the simulated network's busiest hosts put more than that on one.
Then, in the same run and on the same data:
- `netchaos sink --stop-at-end` (release build): strict validation, dead letters, batches per
  partition, gzip, SigV4 PUTs, commit after each stored object;
- the peer: the Python sink, rebuilt: confluent-kafka, a pydantic
  model of the event, gzip, boto3 PUT, synchronous commit after each upload
  (Benchmarks/python_sink.py);
- the ceilings, reading only: a bare confluent-kafka consumer (tuned, and with librdkafka's
  defaults), and kcat.
Each reads the whole topic in a consumer group of its own into a bucket of its own. Rates count
from the first record read to the last commit (group joining excluded for both). A figure counts
only when every record was accounted for (stored or dead-lettered).
With `--format parquet` the sinks under test write Parquet objects; with `--baseline BINARY` a
second netchaos build (the one before a change) is measured in the same rounds on the same data.
Prints a Markdown table for docs/performance.md.
Usage: python3 Benchmarks/sink_bench.py --binary .build/release/netchaos [--events N] [--batch-size N]
       [--format json.gz|parquet] [--baseline OTHER_NETCHAOS]
"""
import argparse
import json
import os
import select
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOPIC = "sinkbench"
PARTITIONS = 24


def start_cluster(binary):
    proc = subprocess.Popen([binary, "kafka", "dev-cluster", "--brokers", "3", "--topic", f"{TOPIC}:{PARTITIONS}"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    assert ready, "dev-cluster did not start"
    return proc, proc.stdout.readline().decode().strip()


def start_moto():
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "scripts", "moto_server.py")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    ready, _, _ = select.select([proc.stdout], [], [], 90)
    assert ready, "moto did not start"
    return proc, json.loads(proc.stdout.readline())


def watermarks(bootstrap):
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "bench-watermarks"})
    marks = [consumer.get_watermark_offsets(TopicPartition(TOPIC, p), timeout=10) for p in range(PARTITIONS)]
    consumer.close()
    return marks


def run_ours(binary, bootstrap, moto, batch_size, events, fmt="json.gz"):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "AWS_", "MINIO_", "S3_", "SINK_", "BATCH_"))}
    env.update({"AWS_ACCESS_KEY_ID": moto["access_key_id"], "AWS_SECRET_ACCESS_KEY": moto["secret_access_key"]})
    cmd = [binary, "sink", "--kafka-brokers", bootstrap, "--kafka-topic", TOPIC, "--group", f"bench-ours-{time.time_ns()}",
           "--store", f"s3://ours-{time.time_ns() % 10**9}", "--s3-endpoint", moto["endpoint"], "--batch-size", str(batch_size),
           "--stop-at-end", "--log-interval", "0", "--format", fmt]
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    summary = json.loads(proc.stderr.decode().strip().splitlines()[-1])
    accounted = summary["records_stored"] + summary["dead_letters_stored"]
    assert summary["consumed"] == events and accounted == events, summary
    return summary["active_sec"], summary


def run_python(bootstrap, moto, batch_size, events):
    cmd = [sys.executable, os.path.join(ROOT, "Benchmarks", "python_sink.py"), "--brokers", bootstrap, "--topic", TOPIC,
           "--group", f"bench-python-{time.time_ns()}", "--endpoint", moto["endpoint"], "--bucket", f"python-{time.time_ns() % 10**9}",
           "--access-key", moto["access_key_id"], "--secret-key", moto["secret_access_key"], "--batch-size", str(batch_size),
           "--expect", str(events)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    result = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert result["consumed"] == events, result
    return result["seconds"], result


def consume_ceiling(bootstrap, events, tuned=True):
    """How fast a bare confluent-kafka consumer (librdkafka 2.x, batched consume) reads the topic:
    the ceiling any sink on this cluster works under. `tuned`: fetch.queue.backoff.ms 10 instead
    of librdkafka's 1000, without which the consumer often stops fetching for a second whenever
    its read-ahead is full (its times then vary from 1.7 to 3.8 s on the same data)."""
    from confluent_kafka import Consumer
    settings = {"bootstrap.servers": bootstrap, "group.id": f"bench-ceiling-{time.time_ns()}",
                "enable.auto.commit": False, "auto.offset.reset": "earliest",
                "queued.min.messages": "1000000", "queued.max.messages.kbytes": "131072"}
    if tuned:
        settings["fetch.queue.backoff.ms"] = "10"
    consumer = Consumer(settings)
    consumer.subscribe([TOPIC])
    count, start = 0, None
    deadline = time.monotonic() + 120
    while count < events:
        assert time.monotonic() < deadline, f"the bare consumer read {count} of {events} records in 120 s"
        messages = consumer.consume(10000, 1.0)
        if messages and start is None:
            start = time.perf_counter()
        count += len(messages)
    elapsed = time.perf_counter() - start
    consumer.close()
    return elapsed


def run_kcat(bootstrap, events):
    """kcat (Debian's librdkafka 2.0, the sink's) reading every partition to its end, no group:
    from its start, connecting included."""
    start = time.perf_counter()
    out = subprocess.run(["kcat", "-C", "-b", bootstrap, "-t", TOPIC, "-o", "beginning", "-e", "-q", "-f", "x"],
                         check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    elapsed = time.perf_counter() - start
    assert len(out) == events, f"kcat read {len(out)} of {events} records"
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--skip-python", action="store_true", help="measure netchaos only")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each (median reported)")
    parser.add_argument("--format", default="json.gz", choices=["json.gz", "json.zst", "parquet"], help="the objects netchaos writes")
    parser.add_argument("--baseline", help="another netchaos binary to measure in the same rounds (before and after a change)")
    args = parser.parse_args()
    cluster, bootstrap = start_cluster(args.binary)
    moto_proc, moto = start_moto()
    try:
        subprocess.run([args.binary, "generate", "--rate", "max", "--count", str(args.events), "--seed", "5",
                        "--start-time", "2026-11-22T08:00:00Z", "--output", f"kafka://{bootstrap}/{TOPIC}",
                        "--kafka-compression", "zstd", "--kafka-key", "event_id", "--log-interval", "0", "--progress", "off"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        marks = watermarks(bootstrap)
        assert all(low == 0 for low, _ in marks) and sum(high for _, high in marks) == args.events, marks
        times = {"ceiling": [], "default": [], "kcat": [], "ours": [], "python": [], "baseline": []}
        summary = None
        for _ in range(args.rounds):
            times["ceiling"].append(consume_ceiling(bootstrap, args.events))
            times["default"].append(consume_ceiling(bootstrap, args.events, tuned=False))
            times["kcat"].append(run_kcat(bootstrap, args.events))
            seconds, summary = run_ours(args.binary, bootstrap, moto, args.batch_size, args.events, args.format)
            times["ours"].append(seconds)
            if args.baseline:
                times["baseline"].append(run_ours(args.baseline, bootstrap, moto, args.batch_size, args.events, args.format)[0])
            if not args.skip_python:
                times["python"].append(run_python(bootstrap, moto, args.batch_size, args.events)[0])
    finally:
        cluster.send_signal(signal.SIGTERM)
        moto_proc.send_signal(signal.SIGTERM)
        cluster.wait(timeout=30)
        moto_proc.wait(timeout=30)
    n = args.events

    def median(values):
        return sorted(values)[len(values) // 2] if values else None

    ceiling, ours, python = median(times["ceiling"]), median(times["ours"]), median(times["python"])
    default, kcat, baseline = median(times["default"]), median(times["kcat"]), median(times["baseline"])

    def runs(name):
        return ", ".join(f"{t:.2f}" for t in times[name])

    print(f"Records: {n:,} pre-loaded ({PARTITIONS} partitions, zstd, 3 mock brokers); moto with SigV4 checks; "
          f"{args.format} objects of {args.batch_size} records; {args.rounds} rounds, median; machine: {os.cpu_count()} cores\n")
    print("| what | seconds (median) | all runs | records/s | netchaos speed vs this |")
    print("| --- | ---: | --- | ---: | ---: |")
    print(f"| netchaos sink (validate, dead letters, {args.format}, SigV4 PUT, commit per object) | {ours:.2f} | {runs('ours')} | {n / ours:,.0f} | 1.00x |")
    if baseline:
        print(f"| baseline: {args.baseline}, the same sink before the change | {baseline:.2f} | {runs('baseline')} | {n / baseline:,.0f} | {baseline / ours:.2f}x |")
    print(f"| ceiling: bare confluent-kafka consumer, reading only (fetch.queue.backoff.ms 10) | {ceiling:.2f} | {runs('ceiling')} | {n / ceiling:,.0f} | {ceiling / ours:.2f}x |")
    print(f"| the same consumer with librdkafka's fetch.queue.backoff.ms (1000) | {default:.2f} | {runs('default')} | {n / default:,.0f} | {default / ours:.2f}x |")
    print(f"| kcat -C to the end, no group (connecting included) | {kcat:.2f} | {runs('kcat')} | {n / kcat:,.0f} | {kcat / ours:.2f}x |")
    if python:
        print(f"| peer: the Python sink, rebuilt (confluent-kafka, pydantic, gzip, boto3) | {python:.2f} | {runs('python')} | {n / python:,.0f} | {python / ours:.2f}x |")
    print(f"\nnetchaos: {summary['objects']} objects, {summary['bytes_stored']:,} bytes stored, "
          f"{summary['dead_letters_stored']} dead letters, mean upload {summary['upload_mean_ms']} ms")
    target = n / ours >= 300_000 and (python is None or python / ours >= 10)
    print(f"\nTarget (>= 300,000 records/s and >= 10x the Python sink): {'met' if target else 'NOT met'}")
    print(f"Target (>= 0.8x the bare consumer): {'met' if ceiling / ours >= 0.8 else 'NOT met'} ({ceiling / ours:.2f}x)")
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
