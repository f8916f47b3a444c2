#!/usr/bin/env python3
"""Ingester throughput with wrk (Debian's), one `netchaos ingest` process at a time (release build):
GET /health, GET /telemetry/GetMetric and GET /telemetry/ListMetrics for 100 switches, on the memory
store and on a real redis-server, 50 connections; and POST /telemetry of 100-switch snapshots
(metrics per second). Each figure is printed beside /health's rate measured in the same run.
Then one POST of 600,000 switches (--large) on each store, a fresh ingester each (--max-body 1GB):
seconds from the first byte sent to the answer, the ingester's peak RSS (VmHWM) and CPU time, and
redis-server's CPU time for it (a floor: Redis runs the commands on one core), beside Python's
json.loads of the same body in the same run.
Targets: GetMetric and ListMetrics >= 0.8 of /health on both stores, p99 under 10 ms at 50 connections; the large POST under 5 s on both stores.
Usage: python3 Benchmarks/ingest_bench.py --binary .build/release/netchaos [--seconds 10] [--large 600000] [--only-large]
"""
import argparse
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import threading
import ssl
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
    return proc, wait_listening(proc)


def snapshot(timestamp, switches=100):
    return json.dumps([{"timestamp": timestamp, "switch_id": f"sw{n}", "bandwidth_mbps": n * 10.5, "latency_ms": 1.25 + n / 100,
                        "packet_errors": n % 7, "link_speed_mbps": 10000, "utilization_pct": (n % 1000) / 10, "drops": 0, "crc_errors": 0,
                        "oper_status": "up"} for n in range(1, switches + 1)]).encode()


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def large_post(binary, store, switches):
    """One POST of `switches` switches to a fresh ingester: seconds, peak RSS, and json.loads of the body."""
    body = snapshot(1_700_000_000, switches)
    started = time.perf_counter()
    json.loads(body)
    python_seconds = time.perf_counter() - started
    redis = None
    extra = ["--max-body", "1GB"]
    if store == "redis":
        redis, port = start_redis()
        extra += ["--redis", f"redis://127.0.0.1:{port}"]
    ingest, port = start_ingest(binary, *extra)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        cpu_before = (cpu_seconds(ingest.pid), cpu_seconds(redis.pid) if redis else 0)
        started = time.perf_counter()
        connection.request("POST", "/telemetry", body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        answer = response.read()
        seconds = time.perf_counter() - started
        assert response.status == 200, answer[:500]
        assert json.loads(answer)["stored"] == switches, answer
        return {"seconds": seconds, "rss": peak_rss_mb(ingest.pid), "bytes": len(body), "python": python_seconds,
                "cpu": cpu_seconds(ingest.pid) - cpu_before[0], "redis_cpu": cpu_seconds(redis.pid) - cpu_before[1] if redis else None}
    finally:
        stop(ingest, redis)


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


def make_certificate(directory):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def tls_rows(binary, seconds):
    """GET /health and GetMetric over TLS (HTTP/1.1 keep-alive, as wrk speaks it) beside plain
    /health of the same build, memory store."""
    rows = {}
    with tempfile.TemporaryDirectory() as directory:
        cert, key = make_certificate(directory)
        env = dict(os.environ, INGEST_TOKEN="bench")
        for scheme, extra in (("http", []), ("https", ["--tls-cert", cert, "--tls-key", key])):
            proc = subprocess.Popen([binary, "ingest", "--host", "127.0.0.1", "--port", "0", *extra], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, env=env)
            port = wait_listening(proc)
            try:
                context = ssl.create_default_context(cafile=cert)
                request = urllib.request.Request(f"{scheme}://localhost:{port}/telemetry", data=snapshot(int(time.time())),
                                                 headers={"Content-Type": "application/json", "Authorization": "Bearer bench"}, method="POST")
                assert urllib.request.urlopen(request, context=context if scheme == "https" else None).status == 200
                base = f"{scheme}://127.0.0.1:{port}"
                rows[(scheme, "health")] = wrk(base + "/health", seconds)
                rows[(scheme, "getmetric")] = wrk(base + "/telemetry/GetMetric?switch_id=sw42&metric=latency_ms", seconds)
            finally:
                stop(proc)
    return rows


def stop(ingest, redis=None):
    """The ingester by SIGTERM (it drains and exits), then redis-server if any."""
    ingest.send_signal(signal.SIGTERM)
    ingest.wait(timeout=60)
    if redis:
        redis.kill()
        redis.wait()


def wait_listening(proc):
    deadline = time.time() + 30
    buffer = b""
    while time.time() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 1)
        if ready:
            buffer += os.read(proc.stderr.fileno(), 65536)
            for line in buffer.splitlines():
                if b'"ingest listening"' in line:
                    return json.loads(line)["http.port"]
    raise SystemExit("ingest did not start: " + buffer.decode(errors="replace"))


def health_latencies(port, count=300):
    """Milliseconds of GET /health, each on a fresh connection."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(b"GET /health HTTP/1.0\r\n\r\n")
            data = b""
            while chunk := sock.recv(4096):
                data += chunk
        assert data.startswith(b"HTTP/1.1 200"), data[:100]
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": times[len(times) // 2], "p99": times[int(len(times) * 0.99)], "max": times[-1]}


def slowloris_rows(binary, connections=500):
    """/health answered on fresh connections, idle server against one held by `connections`
    slowloris clients (each sends a header byte every second, never the end)."""
    proc = subprocess.Popen([binary, "ingest", "--host", "127.0.0.1", "--port", "0", "--header-timeout", "60s"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    port = wait_listening(proc)
    slow = []
    try:
        quiet = health_latencies(port)
        for _ in range(connections):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(sock)
        done = threading.Event()

        def trickle():
            while not done.wait(1):
                for sock in slow:
                    try:
                        sock.send(b"a")
                    except OSError:
                        pass
        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        held = health_latencies(port)
        done.set()
        thread.join()
        return quiet, held
    finally:
        for sock in slow:
            sock.close()
        stop(proc)


def print_hardening(tls, quiet, held, connections=500):
    ok = True
    if tls:
        plain = tls[("http", "health")]["rate"]
        print("\nTLS (memory store, wrk -t2 -c50, HTTP/1.1 keep-alive over TLS 1.3, RSA 2048), beside plain HTTP of the same build\n")
        print("| route | plain requests/s | TLS requests/s | TLS vs plain /health |")
        print("| --- | ---: | ---: | ---: |")
        for name, label in (("health", "GET /health"), ("getmetric", "GET /telemetry/GetMetric")):
            print(f"| {label} | {tls[('http', name)]['rate']:,.0f} | {tls[('https', name)]['rate']:,.0f} | {tls[('https', name)]['rate'] / plain:.2f} |")
        ok &= tls[("https", "getmetric")]["rate"] >= 0.5 * plain
        print(f"\nTarget (GetMetric over TLS >= 0.5 of plain /health): {'met' if ok else 'NOT met'}")
    if quiet:
        print(f"\nGET /health on a fresh connection each (300 requests), idle server against one held by {connections} slowloris connections\n")
        print("| server | p50 ms | p99 ms | max ms |")
        print("| --- | ---: | ---: | ---: |")
        for label, r in (("idle", quiet), (f"{connections} slowloris connections open", held)):
            print(f"| {label} | {r['p50']:.2f} | {r['p99']:.2f} | {r['max']:.2f} |")
        fine = held["p99"] < 50
        ok &= fine
        print(f"\nTarget (/health within 50 ms under slowloris, p99): {'met' if fine else 'NOT met'}")
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/netchaos")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--large", type=int, default=600_000, help="switches in the one large POST (0: none)")
    parser.add_argument("--only-large", action="store_true", help="only the large POST rows")
    parser.add_argument("--only-hardening", action="store_true", help="only the TLS and slowloris rows")
    args = parser.parse_args()
    if args.only_hardening:
        quiet, held = slowloris_rows(args.binary)
        return 0 if print_hardening(tls_rows(args.binary, args.seconds), quiet, held) else 1
    results = {}
    large = {}
    if args.large:
        for store in ("memory", "redis"):
            large[store] = large_post(args.binary, store, args.large)
    if args.only_large:
        return print_large(args.large, large)
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
                stop(ingest, redis)

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
        ok &= results[(store, "getmetric")]["rate"] >= 0.8 * health
        ok &= results[(store, "listmetrics")]["rate"] >= 0.8 * health
        ok &= all(results[(store, n)]["p99"] < 10 for n in ("health", "getmetric", "listmetrics"))
    print(f"\nTargets (GetMetric and ListMetrics >= 0.8 of /health, p99 < 10 ms): {'met' if ok else 'NOT met'}")
    if large:
        ok &= print_large(args.large, large) == 0
    quiet, held = slowloris_rows(args.binary)
    ok &= print_hardening(tls_rows(args.binary, args.seconds), quiet, held)
    return 0 if ok else 1


def print_large(switches, large):
    """The large POST rows; 0 when every one is under 5 s."""
    if not large:
        return 0
    size = next(iter(large.values()))["bytes"]
    print(f"\nOne POST of {switches:,} switches ({size / 1e6:,.0f} MB of JSON, every field), a fresh ingester per store (--max-body 1GB)\n")
    print("| store | one POST of %s switches: seconds | vs the 5 s target | ingester peak RSS | ingester CPU | redis-server CPU (its floor) | Python json.loads of the body |" % f"{switches:,}")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for store, r in large.items():
        redis_cpu = f"{r['redis_cpu']:.2f} s" if r["redis_cpu"] is not None else "-"
        print(f"| {store} | {r['seconds']:.2f} | {r['seconds'] / 5:.2f} | {r['rss']:,.0f} MB | {r['cpu']:.2f} s | {redis_cpu} | "
              f"{r['python']:.2f} s ({r['seconds'] / r['python']:.2f}x) |")
    ok = all(r["seconds"] < 5 for r in large.values())
    print(f"\nTarget (one POST of {switches:,} switches under 5 s on each store): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
