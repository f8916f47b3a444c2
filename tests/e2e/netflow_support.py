"""Collectors for the NetFlow v9 / IPFIX tests: nfcapd (Debian's nfdump) on a UDP port, read back
with `nfdump -o json`; and a plain UDP socket that keeps every export packet, written as a PCAP
file for tshark."""
from __future__ import annotations

import json
import os
import signal
import socket
import struct
import subprocess
import threading
import time
from datetime import datetime, timezone
from pathlib import Path


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def udp_bound(port: int) -> bool:
    """Whether something listens on UDP `port` (from /proc/net/udp)."""
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        local = line.split()[1]
        if int(local.split(":")[1], 16) == port:
            return True
    return False


def udp_queued(port: int) -> int:
    """Bytes waiting in the receive queue of the socket bound to UDP `port` (0 when none is)."""
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port:
            return int(fields[4].split(":")[1], 16)
    return 0


def wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class Nfcapd:
    """nfcapd writing to `directory`, listening on 127.0.0.1:`port` with a large socket buffer."""

    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.port = free_udp_port()
        self.proc = subprocess.Popen(
            ["nfcapd", "-w", str(directory), "-p", str(self.port), "-b", "127.0.0.1", "-t", "3600", "-B", str(8 << 20)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        wait_for(lambda: udp_bound(self.port) or self.proc.poll() is not None, "nfcapd to listen")
        assert self.proc.poll() is None, self.proc.stdout.read()

    def stop(self) -> str:
        """SIGTERM (nfcapd writes its file then), and its log. Waits first until nfcapd has read every
        datagram in its socket: it stops without reading what is still queued, and a sender that
        has returned says nothing about what the collector has read on a busy machine."""
        wait_for(lambda: udp_queued(self.port) == 0 or self.proc.poll() is not None, "nfcapd to read its socket")
        self.proc.send_signal(signal.SIGTERM)
        out, _ = self.proc.communicate(timeout=120)
        return out

    def flows(self) -> list[dict]:
        """Every flow nfcapd stored, as `nfdump -o json` prints them (times in UTC)."""
        result = subprocess.run(["nfdump", "-R", str(self.directory), "-o", "json"], capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}, check=True)
        text = result.stdout.strip()
        return json.loads(text) if text else []


def nfdump_ms(text: str) -> int:
    """Unix milliseconds of nfdump's `2026-11-22T07:59:59.386` (UTC)."""
    return int(round(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp() * 1000))


class UDPCapture:
    """Keeps every datagram sent to 127.0.0.1:`port`, in order."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.packets: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self.running:
            try:
                self.packets.append(self.sock.recv(65535))
            except socket.timeout:
                continue

    def stop(self) -> list[bytes]:
        """Reads what is left in the socket, then stops."""
        self.sock.settimeout(0.5)
        self.running = False
        self.thread.join()
        while True:
            try:
                self.packets.append(self.sock.recv(65535))
            except socket.timeout:
                break
        self.sock.close()
        return self.packets


def _checksum(header: bytes) -> int:
    total = sum(struct.unpack(f"!{len(header) // 2}H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def write_pcap(path: Path, packets: list[bytes], dst_port: int, src_port: int = 40000) -> None:
    """Ethernet/IPv4/UDP frames around each payload, 127.0.0.1 to 127.0.0.1 (UDP checksum 0: none)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n, payload in enumerate(packets):
            udp = struct.pack("!HHHH", src_port, dst_port, 8 + len(payload), 0) + payload
            ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n & 0xFFFF, 0, 64, 17, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])))
            ip[10:12] = struct.pack("!H", _checksum(bytes(ip)))
            frame = b"\x00" * 12 + b"\x08\x00" + bytes(ip) + udp
            f.write(struct.pack("<IIII", 1795334400 + n // 1000, (n % 1000) * 1000, len(frame), len(frame)))
            f.write(frame)
