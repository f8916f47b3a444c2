#!/usr/bin/env python3
"""NetFlow v9 / IPFIX export throughput: `netchaos generate --output netflow://` at max rate to a
local counting UDP receiver, against the same run's ceiling, JSON lines to /dev/null (same records,
same workers). The receiver is a separate process that only reads datagrams and sums their header
counts; a socket buffer of 1 GiB (SO_RCVBUFFORCE, root) holds a burst while it catches up, and loss
is checked, not assumed: the bytes received must equal what the generator sent, and the flow
records counted in them are reported.

Prints a Markdown table for docs/performance.md.
Usage: python3 Benchmarks/netflow_bench.py --binary .build/release/netchaos [--events N] [--runs N]
"""
import argparse
import json
import multiprocessing
import os
import socket
import struct
import subprocess
import sys
import time

START = "2026-11-24T14:00:00Z"
SO_RCVBUFFORCE = 33


def receiver(port_out, done, result):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 1 << 30)
    except PermissionError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 30)
    sock.bind(("127.0.0.1", 0))
    port_out.send(sock.getsockname()[1])
    sock.settimeout(0.5)
    buffer = bytearray(65536)
    packets = bytes_ = records = 0
    idle = 0
    while True:
        try:
            n = sock.recv_into(buffer)
        except socket.timeout:
            if done.is_set():
                idle += 1
                if idle >= 2:
                    break
            continue
        idle = 0
        packets += 1
        bytes_ += n
        version = struct.unpack_from("!H", buffer, 0)[0]
        if version == 9:
            # Flow records: set 256, fixed 55-byte records (templates and options are not flows).
            at = 20
            while at + 4 <= n:
                set_id, length = struct.unpack_from("!HH", buffer, at)
                if set_id == 256:
                    records += (length - 4) // 55
                at += max(length, 4)
        else:
            # IPFIX: walk the sets, counting data records of template 256 by their fixed size
            # plus three 1-byte-length strings.
            at = 16
            while at + 4 <= n:
                set_id, length = struct.unpack_from("!HH", buffer, at)
                if set_id == 256:
                    p = at + 4
                    while p + 64 < at + length:
                        p += 64
                        for _ in range(3):
                            p += 1 + buffer[p]
                        records += 1
                at += max(length, 4)
    result.send((packets, bytes_, records))


def run_generate(binary, args):
    start = time.perf_counter()
    proc = subprocess.run([binary, "generate", "--log-interval", "0", "--progress", "off", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"netchaos exited {proc.returncode}: {proc.stderr[-2000:]}")
    return elapsed, json.loads(proc.stderr.strip().splitlines()[-1])


def netflow_run(binary, events, workers, version):
    port_recv, port_send = multiprocessing.Pipe(duplex=False)
    result_recv, result_send = multiprocessing.Pipe(duplex=False)
    done = multiprocessing.Event()
    proc = multiprocessing.Process(target=receiver, args=(port_send, done, result_send))
    proc.start()
    port = port_recv.recv()
    try:
        elapsed, summary = run_generate(binary, ["--rate", "max", "--count", str(events), "--workers", str(workers), "--seed", "1", "--start-time", START,
                                                 "--output", f"netflow://127.0.0.1:{port}?version={version}&template_packets=1000000"])
    finally:
        done.set()
    packets, received_bytes, records = result_recv.recv()
    proc.join()
    out = summary["outputs"][0]
    flows = records
    return {"seconds": elapsed, "records": summary["total"], "rate": summary["total"] / summary["time_sec"], "sent_bytes": out["bytes"],
            "received_bytes": received_bytes, "packets": packets, "flows": flows}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--events", type=int, default=3_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for version in ("9", "10"):
        for _ in range(args.runs):
            r = netflow_run(args.binary, args.events, args.workers, version)
            _, jsonl = run_generate(args.binary, ["--rate", "max", "--count", str(args.events), "--workers", str(args.workers), "--seed", "1", "--start-time", START])
            jsonl_rate = jsonl["total"] / jsonl["time_sec"]
            lost = r["sent_bytes"] - r["received_bytes"]
            rows.append((version, r, jsonl_rate, lost))
            flows_per_s = r["flows"] / r["seconds"]
            print(f"v{version}: {r['rate']:,.0f} records/s, {r['flows']:,} flows in {r['packets']:,} packets ({flows_per_s:,.0f} flows/s wall), "
                  f"JSON lines {jsonl_rate:,.0f} records/s, bytes lost {lost}", file=sys.stderr)
    print("| export | records/s | flows/s (both directions) | JSON lines to /dev/null, same run | ratio | packets | lost at the receiver |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for version, r, jsonl_rate, lost in rows:
        flows_rate = r["rate"] * r["flows"] / r["records"]
        print(f"| {'NetFlow v9' if version == '9' else 'IPFIX'} | {r['rate']:,.0f} | {flows_rate:,.0f} | {jsonl_rate:,.0f} | {r['rate'] / jsonl_rate:.2f} | {r['packets']:,} | {lost} bytes |")
    if any(lost != 0 for *_, lost in rows):
        raise SystemExit("packets were lost at the receiver")


if __name__ == "__main__":
    main()
