#!/usr/bin/env python3
"""End-to-end throughput of `netchaos up` (generate -> in-process queue -> validate, batch, gzip,
store in a local directory, commit) at `--rate max`, next to two ceilings measured in the same
run on this machine: the generator alone writing JSON lines to /dev/null, and the generator
alone writing json.gz files (level 1) to the same disk. Each runs for the same duration; rounds
alternate, medians are reported. Prints a Markdown table for docs/performance.md.

Usage: python3 Benchmarks/up_bench.py --binary .build/release/netchaos [--seconds 10] [--rounds 3]
"""
import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def summaries(stderr: bytes) -> dict:
    out = {}
    for line in stderr.decode().splitlines():
        if line.startswith("{"):
            entry = json.loads(line)
            if entry.get("msg") == "final summary":
                out[entry["logger"]] = entry
    return out


def run_up(binary, seconds, directory):
    store = os.path.join(directory, "up")
    cmd = [binary, "up", "--port", "0", "--host", "127.0.0.1", "--rate", "max", "--duration", f"{seconds}s", "--seed", "5",
           "--store", f"file:{store}", "--log-interval", "0"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    elapsed = time.perf_counter() - start
    final = summaries(proc.stderr)
    generated = final["netchaos.generate"]["total"]
    consumed = final["netchaos.sink"]["consumed"]
    assert consumed == generated, (consumed, generated)
    # Every record is in the store: count the lines of every object.
    lines = 0
    size = 0
    for root, _, files in os.walk(store):
        for name in files:
            path = os.path.join(root, name)
            size += os.path.getsize(path)
            with gzip.open(path, "rb") as handle:
                lines += sum(1 for _ in handle)
    assert lines == generated, (lines, generated)
    shutil.rmtree(store)
    return {"records": generated, "seconds": elapsed, "bytes": size}


def run_generate(binary, seconds, directory, output):
    target = os.devnull if output == "devnull" else os.path.join(directory, "flows.json.gz")
    cmd = [binary, "generate", "--rate", "max", "--duration", f"{seconds}s", "--seed", "5", "--log-interval", "0",
           "--progress", "off", "--output", target, "--format", "jsonl" if output == "devnull" else "json.gz"]
    if output != "devnull":
        cmd += ["--gzip-level", "1"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    elapsed = time.perf_counter() - start
    total = summaries(proc.stderr)["netchaos.generate"]["total"]
    size = os.path.getsize(target) if output != "devnull" else 0
    if output != "devnull":
        os.remove(target)
    return {"records": total, "seconds": elapsed, "bytes": size}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rows = {"up": [], "devnull": [], "gzip": []}
    with tempfile.TemporaryDirectory() as directory:
        for _ in range(args.rounds):
            rows["up"].append(run_up(args.binary, args.seconds, directory))
            rows["devnull"].append(run_generate(args.binary, args.seconds, directory, "devnull"))
            rows["gzip"].append(run_generate(args.binary, args.seconds, directory, "gzip"))

    def rate(run):
        return run["records"] / args.seconds

    up = statistics.median(rate(r) for r in rows["up"])
    print(f"{args.seconds} s a run, {args.rounds} rounds, medians; machine: {os.cpu_count()} cores\n")
    print("| what | records/s (median) | all runs | netchaos up vs this |")
    print("| --- | ---: | --- | ---: |")
    labels = {
        "up": "netchaos up: generate, queue, validate, batch, gzip (level 1), store, commit",
        "gzip": "ceiling: netchaos generate to a json.gz file (level 1), no queue, no validation",
        "devnull": "ceiling: netchaos generate, JSON lines to /dev/null",
    }
    for key in ("up", "gzip", "devnull"):
        median = statistics.median(rate(r) for r in rows[key])
        runs = ", ".join(f"{rate(r) / 1000:,.0f}K" for r in rows[key])
        print(f"| {labels[key]} | {median:,.0f} | {runs} | {up / median:.2f}x |")
    print(f"\nEvery run of up stored every record it generated (the objects' lines were counted).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
