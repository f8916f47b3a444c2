"""The README documents every knob, and the example configuration runs as it is."""
import json
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = os.path.abspath(os.environ.get("NETCHAOS_BIN", str(ROOT / ".build" / "debug" / "netchaos")))


def knobs():
    source = (ROOT / "Sources" / "Settings" / "ConfigKeys.swift").read_text()
    found = re.findall(r'Knob\(key: "([^"]+)", environment: "([^"]+)", flag: (nil|"[^"]*")', source)
    assert len(found) >= 30
    return found


def test_readme_first_screen_has_the_two_commands():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:20])
    assert "make demo" in first_screen
    assert "make test" in first_screen


def test_readme_table_lists_every_knob():
    readme = (ROOT / "README.md").read_text()
    rows = [line for line in readme.splitlines() if line.startswith("| `")]
    for key, env, flag in knobs():
        row = next((r for r in rows if r.startswith(f"| `{key}` |")), None)
        assert row is not None, f"README has no row for {key}"
        assert f"`{env}`" in row, f"README row for {key} lacks {env}"
        if flag != "nil":
            assert flag.strip('"') in row, f"README row for {key} lacks {flag}"


def test_example_configuration_runs(tmp_path):
    proc = subprocess.run(
        [BIN, "generate", "--config", str(ROOT / "examples" / "flows.yaml"), "--rate", "max", "--count", "3000",
         "--log-interval", "0"],
        cwd=tmp_path, capture_output=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    lines = (tmp_path / "netchaos-out" / "example.jsonl").read_text().splitlines()
    assert len(lines) == 3000
    rows = (tmp_path / "netchaos-out" / "example.csv").read_text().splitlines()
    assert len(rows) == 3001
    hosts = set()
    for line in lines:
        try:
            hosts.add(json.loads(line)["app_layer"]["host"].split("-")[0])
        except (ValueError, KeyError):
            pass  # malformed on purpose
    # Only the example's services (and exfiltration tunnel domains) appear.
    assert {"web", "db", "dns"} <= hosts
    assert "api" not in hosts and "cache" not in hosts
