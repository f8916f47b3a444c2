"""On a terminal, a live progress line replaces the periodic throughput lines."""
import json
import os
import pty
import subprocess

from conftest import BIN


def run_with_terminal_stderr(args):
    """Runs netchaos with stderr on a pseudo-terminal and returns everything written there."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([BIN, *args], stdout=subprocess.DEVNULL, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed when the process exited
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    return b"".join(chunks).decode()


def test_live_line_on_a_terminal():
    # 6000 records at a flat 4000/s: at least 1.5 s (the simulation's startup comes on top).
    text = run_with_terminal_stderr(["generate", "--rate", "4000", "--load-curve", "off", "--count", "6000",
                                     "--log-interval", "0.2"])
    updates = [part for part in text.split("\r\x1b[2K") if part.startswith("netchaos generate")]
    assert len(updates) >= 3, text
    last = updates[-1]
    assert "records" in last and "/s (target 4000)" in last and "anomalous:" in last
    # No periodic JSON throughput lines while the live line is shown; the summary still comes.
    lines = [line for line in text.replace("\r\x1b[2K", "\n").splitlines() if line.startswith("{")]
    messages = [json.loads(line)["msg"] for line in lines]
    assert "throughput" not in messages
    assert messages[-1] == "final summary"
    assert json.loads(lines[-1])["total"] == 6000


def test_no_live_line_when_stderr_is_not_a_terminal():
    proc = subprocess.run([BIN, "generate", "--rate", "4000", "--duration", "1s", "--log-interval", "0.3"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=30)
    assert proc.returncode == 0
    assert b"\x1b[2K" not in proc.stderr
    messages = [json.loads(line)["msg"] for line in proc.stderr.decode().splitlines()]
    assert messages.count("throughput") >= 2 and messages[-1] == "final summary"


def test_progress_off_on_a_terminal_gives_json_lines():
    text = run_with_terminal_stderr(["generate", "--rate", "4000", "--duration", "1s", "--log-interval", "0.3", "--progress", "off"])
    assert "\x1b[2K" not in text
    messages = [json.loads(line)["msg"] for line in text.splitlines() if line.strip()]
    assert "throughput" in messages
