#!/usr/bin/env python3
"""Zeek conn.log throughput against JSON lines: `netchaos generate --rate max --format zeek` (TSV)
and `--format zeek-json` to /dev/null, each run right after `--format jsonl` with the same records
(same seed, count and workers), so each pair shares the machine's moment. The ratio is records/s of
the Zeek run over the JSON-lines run; the target is the median pair within 0.8 of JSON lines.

Prints a Markdown table for docs/performance.md.
Usage: python3 Benchmarks/zeek_bench.py --binary .build/release/netchaos [--events N] [--pairs N]
"""
import argparse
import json
import statistics
import subprocess
import sys

START = "2026-11-24T14:00:00Z"


def rate(binary, events, workers, fmt):
    proc = subprocess.run([binary, "generate", "--rate", "max", "--count", str(events), "--workers", str(workers), "--seed", "1",
                           "--start-time", START, "--format", fmt, "--output", "file:/dev/null", "--log-interval", "0", "--progress", "off"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"netchaos exited {proc.returncode}: {proc.stderr[-2000:]}")
    return json.loads(proc.stderr.strip().splitlines()[-1])["overall_rate"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    rows = {"zeek": [], "zeek-json": []}
    for _ in range(args.pairs):
        for fmt in rows:
            jsonl = rate(args.binary, args.events, args.workers, "jsonl")
            zeek = rate(args.binary, args.events, args.workers, fmt)
            rows[fmt].append((jsonl, zeek))
            print(f"{fmt}: {zeek:,.0f} records/s, JSON lines {jsonl:,.0f}: {zeek / jsonl:.2f}", file=sys.stderr)
    print(f"{args.events:,} records, {args.workers} workers, {args.pairs} pairs")
    print()
    print("| format | records/s (each pair) | JSON lines, same pair | ratio (each pair) | median ratio |")
    print("| --- | --- | --- | --- | ---: |")
    medians = {}
    for fmt, pairs in rows.items():
        ratios = [z / j for j, z in pairs]
        medians[fmt] = statistics.median(ratios)
        print(f"| {'Zeek TSV' if fmt == 'zeek' else 'Zeek JSON'} | {', '.join(f'{z / 1e6:.2f} M' for _, z in pairs)} | "
              f"{', '.join(f'{j / 1e6:.2f} M' for j, _ in pairs)} | {', '.join(f'{r:.2f}' for r in ratios)} | {medians[fmt]:.2f} |")
    if medians["zeek"] < 0.8:
        raise SystemExit(f"target not met: Zeek TSV at {medians['zeek']:.2f} of JSON lines (target 0.8)")


if __name__ == "__main__":
    main()
