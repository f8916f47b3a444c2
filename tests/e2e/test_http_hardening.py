"""The HTTP layer every netchaos server shares, tried as a hostile client would: malformed
requests answered 4xx with the JSON error shape (never 500, never an empty body), connections
closed as servers should (HTTP/1.0, idle and header timeouts, a cap), start-up errors naming
their setting, a read token, and TLS with HTTP/2 (curl and Python's ssl against a certificate
made here)."""
from __future__ import annotations

import http.client
import json
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from conftest import BIN, clean_env
from ingest_support import Ingester, Process, free_port, get, post, wait_until

RECORD = b'[{"timestamp":%d,"switch_id":"sw1","bandwidth_mbps":1,"latency_ms":2,"packet_errors":0}]'


def exchange(port: int, raw: bytes, timeout: float = 30, shut: bool = False) -> bytes:
    """Sends raw bytes and reads until the server closes the connection (the ceiling is for a
    server that never does: the tests that expect a close fail on it)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        if shut:
            sock.shutdown(socket.SHUT_WR)
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                raise AssertionError(f"the server kept the connection open; got {data[:300]!r}")
            if not chunk:
                return data
            data += chunk


def status_and_json(response: bytes) -> tuple[int, dict, dict[str, str]]:
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    return status, json.loads(body), headers


@pytest.fixture(scope="module")
def ingester():
    server = Ingester("--idle-timeout", "60s")
    yield server
    server.stop()


def port_of(server: Ingester) -> int:
    return int(server.url.rsplit(":", 1)[1])


def test_malformed_chunked_body_is_a_json_400(ingester):
    raw = (b"POST /telemetry HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
           b"5\r\n[{\"ti\r\nZZ\r\n")
    status, body, headers = status_and_json(exchange(port_of(ingester), raw))
    assert status == 400 and body["status"] == 400, body
    assert "chunk" in body["error"], body
    assert headers["connection"] == "close"
    assert get(ingester.url + "/health")[0] == 200, "the server is still up"


def test_body_cut_short_is_a_json_400(ingester):
    raw = b"POST /telemetry HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n[{\"timestamp\":1"
    status, body, _ = status_and_json(exchange(port_of(ingester), raw, shut=True))
    assert status == 400 and "ended before its body" in body["error"], body


@pytest.mark.parametrize("raw, expected, words", [
    (b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "request line"),
    (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 40_000 + b"\r\n\r\n", 431, "headers"),
    (b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n", 400, "header line"),
    (b"G\x01T /health HTTP/1.1\r\n\r\n", 400, "method"),
    (b"GET /health HTTP/7.1\r\n\r\n", 400, "version"),
], ids=["long-url", "long-header", "bad-header", "bad-method", "bad-version"])
def test_malformed_requests_get_4xx_with_the_json_shape(ingester, raw, expected, words):
    status, body, headers = status_and_json(exchange(port_of(ingester), raw))
    assert status == expected and body["status"] == expected, body
    assert words in body["error"], body
    assert headers["content-type"] == "application/json"


def test_http10_without_keep_alive_is_closed_after_the_response(ingester):
    response = exchange(port_of(ingester), b"GET /health HTTP/1.0\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 200") and response.endswith(b"OK"), response
    assert b"connection: close" in response.lower()


def test_http11_keeps_the_connection_for_several_requests(ingester):
    connection = http.client.HTTPConnection("127.0.0.1", port_of(ingester), timeout=30)
    for _ in range(3):
        connection.request("GET", "/health")
        response = connection.getresponse()
        assert response.status == 200 and response.read() == b"OK"
    connection.close()


def test_idle_and_header_timeouts():
    server = Ingester("--idle-timeout", "1s", "--header-timeout", "1s")
    try:
        port = port_of(server)
        # Nothing sent: closed without a word once idle.
        assert exchange(port, b"") == b""
        # A request line and half the headers, never the end: 408 with the JSON shape.
        status, body, _ = status_and_json(exchange(port, b"GET /health HTTP/1.1\r\nHost: x\r\n"))
        assert status == 408 and "within 1 s" in body["error"], body
        # After a response the connection lives until it has been idle for the timeout.
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            data = b""
            while not data.endswith(b"OK"):
                data += sock.recv(4096)
            assert sock.recv(4096) == b"", "closed once idle"
        metrics = get(server.url + "/metrics")[2].decode()
        assert 'netchaos_http_timeouts_total{kind="idle"}' in metrics and 'netchaos_http_timeouts_total{kind="header"}' in metrics
    finally:
        server.stop()


def test_slowloris_does_not_starve_health():
    server = Ingester("--header-timeout", "5s")
    port = port_of(server)
    sockets = []
    try:
        for _ in range(500):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            sockets.append(sock)
        # Meanwhile a real client is served.
        for _ in range(20):
            status, _, body = get(server.url + "/health")
            assert status == 200 and body == b"OK"
        # The slow ones are answered 408 and closed when their time is up.
        for sock in sockets[:20]:
            data = b""
            while chunk := sock.recv(4096):
                data += chunk
            assert data.startswith(b"HTTP/1.1 408"), data[:200]
    finally:
        for sock in sockets:
            sock.close()
        server.stop()


def test_connection_cap_answers_503_beyond_it():
    server = Ingester("--max-connections", "5")
    port = port_of(server)
    held = []
    try:
        for _ in range(5):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/health")
            assert connection.getresponse().read() == b"OK"
            held.append(connection)
        status, body, _ = status_and_json(exchange(port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"))
        assert status == 503 and "too many connections" in body["error"], body
        held.pop().close()
        # A place is free again once the server has seen the close.
        wait_until(lambda: exchange(port, b"GET /health HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.1 200"), 30, "a free place")
    finally:
        for connection in held:
            connection.close()
        server.stop()


@pytest.mark.parametrize("args, words", [
    (["--host", "999.1.1.1"], "ingest.host (INGEST_HOST, --host)"),
    (["--tls-cert", "/nonexistent.pem", "--tls-key", "/nonexistent.pem"], "http.tls_cert (HTTP_TLS_CERT, --tls-cert)"),
    (["--idle-timeout", "0s"], "http.idle_timeout"),
])
def test_start_up_errors_name_the_setting(args, words):
    result = subprocess.run([BIN, "ingest", "--port", "0", *args], capture_output=True, text=True, timeout=60, env=clean_env())
    assert result.returncode in (1, 2), result
    assert words in result.stderr, result.stderr


def test_port_in_use_names_the_setting():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([BIN, "ingest", "--host", "127.0.0.1", "--port", str(port)], capture_output=True, text=True, timeout=60, env=clean_env())
    assert result.returncode == 1 and "in use" in result.stderr and "ingest.port (INGEST_PORT, --port)" in result.stderr, result.stderr


def test_read_token_guards_reads_and_metrics_but_not_health():
    server = Ingester("--read-token", "r3ad", env={"INGEST_TOKEN": "wr1te"})
    try:
        assert get(server.url + "/health")[0] == 200
        status, headers, body = get(server.url + "/telemetry/ListMetrics")
        assert status == 401 and json.loads(body)["status"] == 401 and headers["WWW-Authenticate"] == "Bearer"
        assert get(server.url + "/metrics")[0] == 401
        assert get(server.url + "/metrics", {"Authorization": "Bearer r3ad"})[0] == 200
        assert post(server.url + "/telemetry", RECORD % int(time.time()), token="wr1te")[0] == 200
        for token in ("r3ad", "wr1te"):
            status, _, body = get(server.url + "/telemetry/GetMetric?switch_id=sw1&metric=latency_ms", {"Authorization": f"Bearer {token}"})
            assert status == 200 and float(body) == 2, body
        assert post(server.url + "/telemetry", RECORD % int(time.time()), token="r3ad")[0] == 401, "the read token does not write"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def test_tls_needs_a_write_token(certificate):
    cert, key = certificate
    result = subprocess.run([BIN, "ingest", "--port", "0", "--tls-cert", str(cert), "--tls-key", str(key)],
                            capture_output=True, text=True, timeout=60, env=clean_env())
    assert result.returncode == 2 and "ingest.token (INGEST_TOKEN" in result.stderr, result.stderr


def test_tls_with_http2_curl_and_python(certificate):
    cert, key = certificate
    server = Process(["ingest", "--port", "0", "--host", "127.0.0.1", "--tls-cert", str(cert), "--tls-key", str(key)], env={"INGEST_TOKEN": "t0k"})
    try:
        listening = server.wait_for("ingest listening")
        assert listening["http.scheme"] == "https"
        port = int(listening["http.port"])
        base = f"https://localhost:{port}"
        # curl over HTTP/2 (ALPN) and over HTTP/1.1, trusting the certificate made here.
        for flag, version in (("--http2", "2"), ("--http1.1", "1.1")):
            out = subprocess.run(["curl", "-sS", flag, "--cacert", str(cert), "--resolve", f"localhost:{port}:127.0.0.1",
                                  "-w", "\n%{http_version} %{http_code}", base + "/health"], capture_output=True, text=True, timeout=60)
            assert out.returncode == 0, out.stderr
            assert out.stdout == f"OK\n{version} 200", out.stdout
        posted = subprocess.run(["curl", "-sS", "--http2", "--cacert", str(cert), "--resolve", f"localhost:{port}:127.0.0.1",
                                 "-H", "Content-Type: application/json", "-H", "Authorization: Bearer t0k",
                                 "--data-binary", (RECORD % int(time.time())).decode(), base + "/telemetry"], capture_output=True, text=True, timeout=60)
        assert json.loads(posted.stdout)["stored"] == 1, posted
        # Python's ssl with verification on.
        context = ssl.create_default_context(cafile=str(cert))
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
        connection.request("GET", "/telemetry/GetMetric?switch_id=sw1&metric=latency_ms")
        response = connection.getresponse()
        assert response.status == 200 and float(response.read()) == 2
        connection.close()
        # Plain HTTP to the TLS port is not served.
        assert not exchange(port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/")
    finally:
        server.stop()


def test_generate_metrics_over_tls(certificate):
    cert, key = certificate
    server = Process(["generate", "--rate", "100", "--output", "/dev/null", "--format", "jsonl", "--metrics-port", "0", "--metrics-host", "127.0.0.1",
                      "--tls-cert", str(cert), "--tls-key", str(key), "--read-token", "m3"])
    try:
        listening = server.wait_for("metrics listening")
        port = int(listening["metrics.port"])
        context = ssl.create_default_context(cafile=str(cert))
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
        connection.request("GET", "/metrics")
        assert connection.getresponse().status == 401
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
        connection.request("GET", "/metrics", headers={"Authorization": "Bearer m3"})
        response = connection.getresponse()
        assert response.status == 200 and b"netchaos_generator_target_rate_events_per_second 100.0" in response.read()
    finally:
        server.stop()


def https_get(port: int, path: str, cert: Path, token: str | None = None) -> tuple[int, bytes]:
    context = ssl.create_default_context(cafile=str(cert))
    connection = http.client.HTTPSConnection("localhost", port, context=context, timeout=30)
    connection.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_generator_posts_to_an_ingester_over_https(certificate):
    cert, key = certificate
    server = Process(["ingest", "--port", "0", "--host", "127.0.0.1", "--tls-cert", str(cert), "--tls-key", str(key)], env={"INGEST_TOKEN": "t0k"})
    try:
        port = int(server.wait_for("ingest listening")["http.port"])
        result = subprocess.run([BIN, "generate", "--dataset", "switch", "--switches", "7", "--rate", "max", "--count", "7", "--seed", "3",
                                 "--output", f"https://localhost:{port}", "--http-ca-file", str(cert), "--log-interval", "0"],
                                capture_output=True, text=True, timeout=120, env=clean_env({"INGEST_TOKEN": "t0k"}))
        assert result.returncode == 0, result.stderr[-2000:]
        status, body = https_get(port, "/telemetry/ListMetrics", cert)
        assert status == 200 and len(json.loads(body)) == 7, body
        # Without the certificate the system's trust refuses it: a clear error, not a hang.
        refused = subprocess.run([BIN, "generate", "--dataset", "switch", "--switches", "7", "--rate", "max", "--count", "7",
                                  "--output", f"https://localhost:{port}", "--log-interval", "0"],
                                 capture_output=True, text=True, timeout=120, env=clean_env({"INGEST_TOKEN": "t0k"}))
        assert refused.returncode != 0 and "https://localhost" in refused.stderr, refused.stderr[-2000:]
    finally:
        server.stop()


def test_up_over_tls(certificate, tmp_path):
    cert, key = certificate
    server = Process(["up", "--port", "0", "--host", "127.0.0.1", "--store", f"file:{tmp_path / 'data'}", "--switches", "5",
                      "--snapshot-interval", "200ms", "--rate", "100", "--log-interval", "0", "--tls-cert", str(cert), "--tls-key", str(key),
                      "--read-token", "r"], env={"INGEST_TOKEN": "w"})
    try:
        listening = server.wait_for("up listening", timeout=60)
        assert listening["up.page"].startswith("https://")
        port = int(listening["http.port"])
        # up's own switch generator posts over HTTPS with the write token: the switches arrive.
        wait_until(lambda: (lambda r: r[0] == 200 and len(json.loads(r[1])) == 5)(https_get(port, "/telemetry/ListMetrics", cert, "r")), 60,
                   "five switches over HTTPS")
        assert https_get(port, "/telemetry/ListMetrics", cert)[0] == 401
    finally:
        server.stop()
