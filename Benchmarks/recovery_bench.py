#!/usr/bin/env python3
"""Sink recovery after kill -9: seconds from the kill to the first object the restarted sink stores.

A generator produces flow records steadily (5,000/s) into a 6-partition topic of librdkafka's mock
cluster (`netchaos kafka dev-cluster`); a sink stores them in a directory (200 ms flush). Each
round kills the sink with SIGKILL once it has stored objects, restarts it at once, and times how
long until a new object appears in the store. The same rounds run with static group membership
(the default: `--group-instance-id auto`, the restarted sink takes its predecessor's partitions
back at once) and without (`--group-instance-id none`, the peer: the group waits for the dead
member's session, 10 s, to expire before it assigns the partitions again).
Prints a Markdown table for docs/performance.md.
Usage: python3 Benchmarks/recovery_bench.py --binary .build/release/netchaos [--rounds N]
"""
import argparse
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

TOPIC = "recovery"


def newest(root):
    latest = 0.0
    for directory, _, files in os.walk(root):
        for name in files:
            if name.endswith(".json.gz"):
                latest = max(latest, os.stat(os.path.join(directory, name)).st_mtime)
    return latest


def objects(root):
    count = 0
    for _, _, files in os.walk(root):
        count += sum(1 for name in files if name.endswith(".json.gz"))
    return count


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    sys.exit(f"timed out waiting for {what}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "NETCHAOS_", "SINK_"))}
    cluster = subprocess.Popen([args.binary, "kafka", "dev-cluster", "--brokers", "3", "--topic", f"{TOPIC}:6"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    ready, _, _ = select.select([cluster.stdout], [], [], 30)
    assert ready, "dev-cluster did not start"
    bootstrap = cluster.stdout.readline().decode().strip()
    seconds = 60 + args.rounds * 2 * 25
    generator = subprocess.Popen(
        [args.binary, "generate", "--rate", "5000", "--duration", f"{seconds}s", "--output", f"kafka://{bootstrap}/{TOPIC}",
         "--log-interval", "0", "--progress", "off"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    results = {}
    try:
        for mode in ["auto", "none"]:
            root = tempfile.mkdtemp(prefix=f"netchaos-recovery-{mode}-")
            command = [args.binary, "sink", "--kafka-brokers", bootstrap, "--kafka-topic", TOPIC, "--group", f"recovery-{mode}",
                       "--store", f"file:{root}", "--flush-interval", "200ms", "--batch-size", "2000", "--log-interval", "0",
                       "--group-instance-id", mode]
            sink = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            wait_for(lambda: objects(root) >= 3, 60, "the first objects")
            times = []
            for _ in range(args.rounds):
                wait_for(lambda: objects(root) >= 3, 60, "objects")
                time.sleep(1.0)
                sink.send_signal(signal.SIGKILL)
                sink.wait()
                killed = time.time()
                sink = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
                # An object written after the kill (a new one, or the uncommitted one rewritten).
                wait_for(lambda: newest(root) > killed, 120, "an object after the restart")
                times.append(newest(root) - killed)
            sink.send_signal(signal.SIGTERM)
            sink.wait(timeout=60)
            shutil.rmtree(root, ignore_errors=True)
            results[mode] = times
    finally:
        generator.kill()
        cluster.send_signal(signal.SIGTERM)
        cluster.wait(timeout=30)
    print("| membership | kill -9 to the next stored object (median, min-max of %d) |" % args.rounds)
    print("| --- | ---: |")
    names = {"auto": "static (`--group-instance-id auto`, the default)", "none": "dynamic (`--group-instance-id none`), the peer"}
    for mode, times in results.items():
        print(f"| {names[mode]} | {statistics.median(times):.2f} s ({min(times):.2f}-{max(times):.2f}) |")


if __name__ == "__main__":
    main()
