"""A `netchaos kafka dev-cluster` process for tests, and kcat helpers."""
from __future__ import annotations

import os
import select
import subprocess
import time

from conftest import BIN, clean_env, terminate


class DevCluster:
    """Starts `netchaos kafka dev-cluster` and reads its bootstrap servers from stdout."""

    def __init__(self, topics: list[str], brokers: int = 3, control: bool = False):
        args = [BIN, "kafka", "dev-cluster", "--brokers", str(brokers), *(["--control"] if control else [])]
        for topic in topics:
            args += ["--topic", topic]
        self.proc = subprocess.Popen(
            args, stdin=subprocess.PIPE if control else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=clean_env(None)
        )
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        assert ready, "dev-cluster printed no bootstrap address within 30 s"
        self.bootstrap = self.proc.stdout.readline().decode().strip()
        assert self.bootstrap.count(",") == brokers - 1, self.bootstrap

    def command(self, text: str) -> str:
        """Sends a --control command (down N, up N, leader TOPIC PARTITION N); its answer."""
        self.proc.stdin.write((text + "\n").encode())
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        assert ready, f"dev-cluster did not answer {text!r}"
        return self.proc.stdout.readline().decode().strip()

    def stop(self) -> None:
        terminate(self.proc, "dev-cluster")
        assert self.proc.returncode == 0, self.proc.stderr.read().decode()


def kcat_consume(bootstrap: str, topic: str, expected: int, timeout: float = 60) -> list[tuple[str, str, int, int]]:
    """Every message of `topic` as (key, value, partition, offset), read by kcat until the end."""
    deadline = time.monotonic() + timeout
    while True:
        proc = subprocess.run(
            ["kcat", "-b", bootstrap, "-C", "-t", topic, "-e", "-q", "-f", "%k\\t%p\\t%o\\t%s\\n"],
            capture_output=True, timeout=timeout,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        rows = []
        for line in proc.stdout.decode().split("\n"):
            if not line:
                continue
            key, partition, offset, value = line.split("\t", 3)
            rows.append((key, value, int(partition), int(offset)))
        if len(rows) >= expected or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def kcat_produce(bootstrap: str, topic: str, lines: list[str]) -> None:
    """Produces `key\\tvalue` lines with kcat (-K for the key delimiter)."""
    data = ("\n".join(lines) + "\n").encode()
    proc = subprocess.run(
        ["kcat", "-b", bootstrap, "-P", "-t", topic, "-K", "\t", "-z", "lz4"], input=data, capture_output=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr.decode()
