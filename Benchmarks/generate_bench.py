#!/usr/bin/env python3
"""Generation throughput of the simulated network: `netchaos generate` (simulate + serialize to JSON
lines) against Python orjson serializing the same records from pre-built dicts (serialize only), in
the same run; peak memory with 100,000 hosts and about a million open sessions; and whether
`--rate 1000000` holds its rate.

Both write to /dev/null on this machine. Prints Markdown tables for docs/performance.md.
Usage: python3 Benchmarks/generate_bench.py --binary .build/release/netchaos [--events N]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START = "2026-11-24T14:00:00Z"  # a Tuesday afternoon: the network near its daily peak
HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent / "examples" / "scenario-day.yaml"


def run(binary, *args):
    """Runs netchaos, returns (seconds, peak RSS in KiB of this run, final summary)."""
    cmd = [binary, "generate", "--log-interval", "0", "--progress", "off", *args]
    with open(os.devnull, "wb") as sink, tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=sink, stderr=log)
        # wait4 gives this child's own resource usage (its peak RSS), not the maximum over children.
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        stderr = log.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}:\n{stderr}")
    summary = json.loads(stderr.strip().splitlines()[-1])
    return elapsed, usage.ru_maxrss, summary


def generate(binary, events, workers, *extra):
    start = [] if "--start-time" in extra else ["--start-time", START]
    return run(binary, "--rate", "max", "--count", str(events), "--workers", str(workers), "--seed", "1", *start, *extra)


def orjson_peer(binary, events):
    import orjson
    # Equivalent dicts: our own records, parsed once (not timed), then serialized by orjson.
    raw = subprocess.run([binary, "generate", "--rate", "max", "--count", str(events), "--seed", "2", "--start-time", START,
                          "--malformed-prob", "0", "--log-interval", "0", "--progress", "off"],
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


def best_of(runs, fn):
    results = [fn() for _ in range(runs)]
    return min(results, key=lambda r: r[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--events", type=int, default=4_000_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each netchaos measurement (best kept)")
    args = parser.parse_args()
    n = args.events
    b = args.binary
    rate = lambda count, seconds: count / seconds

    two = best_of(args.runs, lambda: generate(b, n, 2))
    one = best_of(args.runs, lambda: generate(b, n, 1))
    csv = best_of(args.runs, lambda: generate(b, n, 2, "--format", "csv"))
    gz = best_of(args.runs, lambda: generate(b, n, 2, "--format", "json.gz"))
    # The example scenario's day: the records spread over its 24 hours (from midnight), so every
    # incident of the file is in them.
    day = ["--scenario", str(SCENARIO), "--start-time", "2026-11-24T00:00:00Z", "--time-rate", f"{n / 86_400:.3f}"]
    scenario = best_of(args.runs, lambda: generate(b, n, 2, *day))
    plain_day = best_of(args.runs, lambda: generate(b, n, 2, *day[2:]))
    # Memory: 100,000 hosts, about a million sessions open (before the peer: a child forked from
    # a Python holding millions of dicts starts with their pages counted in its peak RSS).
    memory_config = HERE / "network-100k.yaml"
    memory = run(b, "--config", str(memory_config), "--rate", "max", "--time-rate", "29000", "--count", "3000000",
                 "--seed", "1", "--start-time", START, "--workers", "2")
    # --rate 1000000 (flat load curve): what it held over ten seconds.
    paced = run(b, "--rate", "1000000", "--load-curve", "off", "--duration", "10s", "--seed", "1", "--start-time", START, "--workers", "2")
    peer = orjson_peer(b, n)

    print(f"Records: {n:,}; machine: {os.cpu_count()} cores; output: /dev/null; best of {args.runs} runs\n")
    print("| what | records | seconds | records/s | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (seconds, peak, _) in [("netchaos generate, JSON lines, 2 workers", two), ("netchaos generate, JSON lines, 1 worker", one),
                                      ("netchaos generate, CSV, 2 workers", csv), ("netchaos generate, json.gz (level 4), 2 workers", gz),
                                      ("netchaos generate, JSON lines, 2 workers, examples/scenario-day.yaml over its day", scenario),
                                      ("peer: the same day without the scenario", plain_day)]:
        print(f"| {name} | {n:,} | {seconds:.3f} | {rate(n, seconds):,.0f} | {f'{peak / 1024:.0f} MB' if peak else ''} |")
    print(f"| peer: Python orjson.dumps of pre-built dicts (serialize only) | {n:,} | {peer:.3f} | {rate(n, peer):,.0f} | |")
    ratio = rate(n, two[0]) / rate(n, peer)
    scenario_ratio = rate(n, scenario[0]) / rate(n, peer)
    print(f"\nnetchaos (simulate + serialize, 2 workers) / orjson (serialize only): {ratio:.2f}x; with the scenario: {scenario_ratio:.2f}x")

    seconds, peak, summary = memory
    print(f"\nMemory: {summary.get('hosts', 0):,} hosts, {summary.get('sessions_open', 0):,} sessions open at the end, "
          f"3,000,000 records in {seconds:.2f} s: peak RSS {peak / 1024:.0f} MB")

    seconds, _, summary = paced
    held = summary["total"] / summary["elapsed_sec"]
    print(f"--rate 1000000 --load-curve off --duration 10s: {summary['total']:,} records in {summary['elapsed_sec']:.2f} s = {held:,.0f}/s "
          f"({summary['assessment']})")

    ok = (rate(n, two[0]) >= 3_000_000 and ratio >= 2.5 and rate(n, scenario[0]) >= 3_000_000 and scenario_ratio >= 2.5
          and peak / 1024 < 300 and held >= 980_000)
    print("targets (>= 3,000,000/s with 2 workers, with and without the example scenario, >= 2.5x orjson, "
          "< 300 MB with 100k hosts and ~1M open sessions, "
          "--rate 1000000 held within 2%):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
