#!/usr/bin/env python3
"""Columnar throughput: `netchaos generate` to Parquet (generate + encode + compress + write) and
to CSV, against pyarrow writing the same number of equivalent rows from an in-memory table
(encode + compress + write only), same codec and row-group size, in the same run.

The pyarrow table is our own output read back (not timed), so the rows are equal value for value.
Files go to a temporary directory on the same disk. Prints a Markdown table for docs/performance.md.
Usage: python3 Benchmarks/parquet_bench.py --binary .build/release/netchaos [--events N] [--rounds R]
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time


def netchaos(binary, events, path, extra=()):
    cmd = [binary, "generate", "--rate", "max", "--count", str(events), "--seed", "1", "--start-time",
           "2026-11-22T00:00:00Z", "--log-interval", "0", "--progress", "off", "--output", path, *extra]
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    elapsed = time.perf_counter() - start
    summary = json.loads(proc.stderr.decode().strip().splitlines()[-1])
    assert summary["total"] == events, summary
    return elapsed


def main():
    import pyarrow.parquet as pq

    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--codec", default="zstd")
    parser.add_argument("--row-group-size", type=int, default=262_144)
    args = parser.parse_args()
    n = args.events
    with tempfile.TemporaryDirectory(dir=".") as tmp:
        ours, csv, peer = [], [], []
        parquet_path = os.path.join(tmp, "flows.parquet")
        for _ in range(args.rounds):
            ours.append(netchaos(args.binary, n, parquet_path,
                                 ["--parquet-compression", args.codec, "--row-group-size", str(args.row_group_size)]))
            csv.append(netchaos(args.binary, n, os.path.join(tmp, "flows.csv")))
        size = os.path.getsize(parquet_path)
        table = pq.read_table(parquet_path)  # the same rows, in memory (not timed)
        assert table.num_rows == n
        peer_path = os.path.join(tmp, "peer.parquet")
        for _ in range(args.rounds):
            start = time.perf_counter()
            pq.write_table(table, peer_path, compression=args.codec, row_group_size=args.row_group_size)
            peer.append(time.perf_counter() - start)
        peer_size = os.path.getsize(peer_path)

    ours_s, csv_s, peer_s = statistics.median(ours), statistics.median(csv), statistics.median(peer)
    print(f"| what | rows | seconds (median of {args.rounds}) | rows/s | file MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| netchaos generate, Parquet ({args.codec}), generate + encode | {n:,} | {ours_s:.3f} | {n / ours_s:,.0f} | {size / 1e6:.1f} |")
    print(f"| peer: pyarrow write_table ({args.codec}) from memory, encode only | {n:,} | {peer_s:.3f} | {n / peer_s:,.0f} | {peer_size / 1e6:.1f} |")
    print(f"| netchaos generate, CSV | {n:,} | {csv_s:.3f} | {n / csv_s:,.0f} | |")
    print()
    print(f"netchaos Parquet / pyarrow: **{peer_s / ours_s:.2f}x** "
          f"(runs: ours {', '.join(f'{t:.2f}' for t in ours)} s; pyarrow {', '.join(f'{t:.2f}' for t in peer)} s)")


if __name__ == "__main__":
    main()
