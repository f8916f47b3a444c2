#!/usr/bin/env python3
"""PCAP rendering throughput: `netchaos generate --format pcap` at max rate, measured as simulated
traffic rendered per wall-clock second (the IP bytes of every packet, which are the records'
`bytes_sent + bytes_received`), beside editcap (Wireshark's C tool) copying the same capture packet by
packet in the same run: a ceiling for merely writing those packets. The capture goes to /dev/shm,
so the disk is not measured.

Target: at least 1 Gbit/s of simulated traffic rendered per second.
Prints a Markdown table for docs/performance.md.
Usage: python3 Benchmarks/pcap_bench.py --binary .build/release/netchaos [--events N] [--runs N]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

START = "2026-11-24T14:00:00Z"


def run(argv):
    start = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return elapsed, proc.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    common = ["--rate", "max", "--count", str(args.events), "--workers", str(args.workers), "--seed", "1", "--start-time", START,
              "--malformed-prob", "0", "--log-interval", "0", "--progress", "off"]
    directory = tempfile.mkdtemp(dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    jsonl = os.path.join(directory, "flows.jsonl")
    run([args.binary, "generate", *common, "--output", jsonl])
    packets = octets = 0
    with open(jsonl) as f:
        for line in f:
            r = json.loads(line)
            packets += r["packets_sent"] + r["packets_received"]
            octets += r["bytes_sent"] + r["bytes_received"]
    os.remove(jsonl)
    rows = []
    pcap = os.path.join(directory, "flows.pcap")
    for _ in range(args.runs):
        seconds, _ = run([args.binary, "generate", *common, "--output", pcap])
        size = os.path.getsize(pcap)
        copy_seconds, _ = run(["editcap", "-F", "pcap", pcap, "/dev/null"])
        os.remove(pcap)
        rows.append((seconds, size, copy_seconds))
        print(f"pcap {seconds:.2f} s ({octets * 8 / seconds / 1e9:.2f} Gbit/s simulated, {packets / seconds:,.0f} packets/s, {size / 1e6:,.0f} MB); "
              f"editcap copy {copy_seconds:.2f} s ({packets / copy_seconds:,.0f} packets/s)", file=sys.stderr)
    os.rmdir(directory)
    print(f"{args.events:,} records, {packets:,} packets, {octets / 1e9:.2f} GB of simulated traffic, snapshot length 128, {args.workers} workers")
    print()
    print("| run | simulated traffic rendered | packets/s | capture written | editcap copying the capture, same run | vs editcap |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for n, (seconds, size, copy_seconds) in enumerate(rows, 1):
        print(f"| {n} | {octets * 8 / seconds / 1e9:.2f} Gbit/s ({seconds:.2f} s) | {packets / seconds:,.0f} | {size / seconds / 1e6:,.0f} MB/s | "
              f"{packets / copy_seconds:,.0f} packets/s ({copy_seconds:.2f} s) | {copy_seconds / seconds:.2f} |")
    median = sorted(octets * 8 / seconds / 1e9 for seconds, *_ in rows)[len(rows) // 2]
    if median < 1.0:
        raise SystemExit(f"target not met: median {median:.2f} Gbit/s of simulated traffic per second (target 1)")


if __name__ == "__main__":
    main()
