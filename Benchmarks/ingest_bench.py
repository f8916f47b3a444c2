#!/usr/bin/env python3
"""Ingester throughput with wrk (Debian's), one `netchaos ingest` process at a time (release build):
GET /health, GET /telemetry/GetMetric and GET /telemetry/ListMetrics for 100 switches, on the memory
store and on a real redis-server, 50 connections; and POST /telemetry of 100-switch snapshots
(metrics per second). Each figure is printed beside /health's rate measured in the same run.
Targets: GetMetric >= 0.8 of /health on memory and >= 0.5 on Redis, ListMetrics >= 0.3 of /health,
p99 under 10 ms at 50 connections.
Usage: python3 Benchmarks/ingest_bench.py --binary .build/release/netchaos [--seconds 10]
"""
import argparse
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis():
    port = free_port()
    proc = subprocess.Popen([shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def start_ingest(binary, *args):
    proc = subprocess.Popen([binary, "ingest", "--host", "127.0.0.1", "--port", "0", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    buffer = b""
    while time.time() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 1)
        if ready:
            buffer += os.read(proc.stderr.fileno(), 65536)
            for line in buffer.splitlines():
                if b'"ingest listening"' in line:
                    return proc, json.loads(line)["http.port"]
    raise SystemExit("ingest did not start: " + buffer.decode(errors="replace"))


def snapshot(timestamp, switches=100):
    return json.dumps([{"timestamp": timestamp, "switch_id": f"sw{n}", "bandwidth_mbps": n * 10.5, "latency_ms": 1.25 + n / 100,
                        "packet_errors": n % 7, "link_speed_mbps": 10000, "utilization_pct": n / 10, "drops": 0, "crc_errors": 0,
                        "oper_status": "up"} for n in range(1, switches + 1)]).encode()


def wrk(url, seconds, connections=50, script=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", script]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rate": rate, "p50": ms("50"), "p99": ms("99"), "non2xx": int(errors.group(1)) if errors else 0}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        script = os.path.join(directory, "post.lua")
        body = snapshot(1_700_000_000)
        with open(script, "w") as handle:
            handle.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [==[' + body.decode() + ']==]\n')
        for store in ("memory", "redis"):
            redis = None
            extra = []
            if store == "redis":
                redis, port = start_redis()
                extra = ["--redis", f"redis://127.0.0.1:{port}"]
            ingest, port = start_ingest(args.binary, *extra)
            base = f"http://127.0.0.1:{port}"
            try:
                request = urllib.request.Request(base + "/telemetry", data=body, headers={"Content-Type": "application/json"}, method="POST")
                assert urllib.request.urlopen(request).status == 200
                listed = json.loads(urllib.request.urlopen(base + "/telemetry/ListMetrics").read())
                assert len(listed) == 100, len(listed)
                for name, url in [("health", "/health"), ("getmetric", "/telemetry/GetMetric?switch_id=sw42&metric=latency_ms"),
                                  ("listmetrics", "/telemetry/ListMetrics")]:
                    results[(store, name)] = wrk(base + url, args.seconds)
                results[(store, "post")] = wrk(base + "/telemetry", args.seconds, connections=8, script=script)
            finally:
                ingest.send_signal(signal.SIGTERM)
                ingest.wait(timeout=30)
                if redis:
                    redis.kill()
                    redis.wait()

    print(f"wrk -t2 -c50 -d{args.seconds}s per row (POST: -c8, 100 switches a request); one ingester process; machine: {os.cpu_count()} cores\n")
    print("| store | route | requests/s | p50 ms | p99 ms | vs /health (same store) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    ok = True
    for store in ("memory", "redis"):
        health = results[(store, "health")]["rate"]
        for name, label in [("health", "GET /health"), ("getmetric", "GET /telemetry/GetMetric"), ("listmetrics", "GET /telemetry/ListMetrics (100 switches)"),
                            ("post", "POST /telemetry (100 switches)")]:
            r = results[(store, name)]
            extra = f" ({r['rate'] * 100:,.0f} reports/s)" if name == "post" else ""
            print(f"| {store} | {label} | {r['rate']:,.0f}{extra} | {r['p50']:.2f} | {r['p99']:.2f} | {r['rate'] / health:.2f} |")
            if r["non2xx"]:
                print(f"  ! {r['non2xx']} responses were not 2xx")
                ok = False
        need = 0.8 if store == "memory" else 0.5
        ok &= results[(store, "getmetric")]["rate"] >= need * health
        ok &= results[(store, "listmetrics")]["rate"] >= 0.3 * health
        ok &= all(results[(store, n)]["p99"] < 10 for n in ("health", "getmetric", "listmetrics"))
    print(f"\nTargets (GetMetric >= 0.8 / 0.5 of /health, ListMetrics >= 0.3 of /health, p99 < 10 ms): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
