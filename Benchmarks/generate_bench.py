#!/usr/bin/env python3
"""Generation throughput: `netchaos generate` (generate + serialize to JSON lines) against
Python orjson serializing the same number of pre-built, equivalent dicts (serialize only).

Both write to /dev/null on this machine in the same run. Prints a Markdown table for the README.
Usage: python3 Benchmarks/generate_bench.py --binary .build/release/netchaos [--events N]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time


def run_netchaos(binary, events, workers, extra=()):
    cmd = [binary, "generate", "--rate", "max", "--count", str(events), "--workers", str(workers),
           "--seed", "1", "--start-time", "2026-11-22T00:00:00Z", "--log-interval", "0", "--progress", "off", *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(os.devnull, "wb") as sink:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=sink, stderr=subprocess.PIPE, check=True)
        elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = json.loads(proc.stderr.decode().strip().splitlines()[-1])
    assert summary["total"] == events, summary
    return elapsed, peak_kib if peak_kib > before else None, summary


def orjson_peer(binary, events):
    import orjson
    # Equivalent dicts: our own events, parsed once (not timed), then serialized by orjson.
    raw = subprocess.run([binary, "generate", "--rate", "max", "--count", str(events), "--no-chaos",
                          "--seed", "2", "--log-interval", "0", "--progress", "off"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout
    dicts = [orjson.loads(line) for line in raw.splitlines()]
    del raw
    with open(os.devnull, "wb") as sink:
        start = time.perf_counter()
        batch = []
        for d in dicts:
            batch.append(orjson.dumps(d))
            if len(batch) == 4096:
                sink.write(b"\n".join(batch) + b"\n")
                batch = []
        if batch:
            sink.write(b"\n".join(batch) + b"\n")
        elapsed = time.perf_counter() - start
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--events", type=int, default=2_000_000)
    args = parser.parse_args()
    n = args.events

    rows = []
    ours2, peak2, _ = run_netchaos(args.binary, n, 2)
    ours1, _, _ = run_netchaos(args.binary, n, 1)
    big_n = 5 * n
    big, peak_big, _ = run_netchaos(args.binary, big_n, 2)
    peer = orjson_peer(args.binary, n)
    ours_csv, _, _ = run_netchaos(args.binary, n, 2, ["--format", "csv"])
    ours_gz, _, _ = run_netchaos(args.binary, n, 2, ["--format", "json.gz"])

    rate = lambda count, seconds: count / seconds
    rows.append(("netchaos generate, JSON lines, 2 workers", n, ours2, peak2))
    rows.append(("netchaos generate, JSON lines, 2 workers", big_n, big, peak_big))
    rows.append(("netchaos generate, JSON lines, 1 worker", n, ours1, None))
    rows.append(("netchaos generate, CSV, 2 workers", n, ours_csv, None))
    rows.append(("netchaos generate, json.gz (level 4), 2 workers", n, ours_gz, None))
    rows.append(("peer: Python orjson.dumps of pre-built dicts (serialize only)", n, peer, None))

    print(f"Events: {n:,} (and {big_n:,}); machine: {os.cpu_count()} cores; output: /dev/null\n")
    print("| what | events | seconds | events/s | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, count, seconds, peak in rows:
        peak_text = f"{peak / 1024:.0f} MB" if peak else ""
        print(f"| {name} | {count:,} | {seconds:.3f} | {rate(count, seconds):,.0f} | {peak_text} |")
    ratio = rate(n, ours2) / rate(n, peer)
    print(f"\nnetchaos (generate + serialize, 2 workers) / orjson (serialize only): {ratio:.2f}x")
    ok = rate(n, ours2) >= 2_000_000 and ratio > 1 and (peak2 or 0) / 1024 < 150
    print("targets (>= 2,000,000 events/s with 2 workers, faster than orjson, peak < 150 MB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
