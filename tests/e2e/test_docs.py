"""The README and the pages under docs/: the README's first screen and size, every knob in the
configuration page's table, every relative link and anchor resolving, and the example configuration
running as it is."""
import ipaddress
import json
import os
import re
import subprocess
from pathlib import Path

from conftest import CSV_HEADER

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


def test_readme_is_short_and_speaks_to_users():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.encode()) < 12 * 1024, f"README.md is {len(readme.encode())} bytes; keep it under 12 KB (details go to docs/)"
    for word in ("the original", "seed document", "seed 00"):
        assert word not in readme.lower(), f"README.md says {word!r}"


def test_configuration_page_lists_every_knob():
    page = (ROOT / "docs" / "configuration.md").read_text()
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    for key, env, flag in knobs():
        row = next((r for r in rows if r.startswith(f"| `{key}` |")), None)
        assert row is not None, f"docs/configuration.md has no row for {key} (run python3 scripts/knob-table.py)"
        assert f"`{env}`" in row, f"docs/configuration.md row for {key} lacks {env}"
        if flag != "nil":
            assert flag.strip('"') in row, f"docs/configuration.md row for {key} lacks {flag}"


def anchors(markdown):
    """GitHub's heading anchors of a Markdown text (headings inside code fences are not headings)."""
    found, seen, fence = set(), {}, False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fence = not fence
            continue
        match = re.match(r"^#{1,6} (.*)$", line)
        if fence or not match:
            continue
        slug = re.sub(r"[^\w\- ]", "", match.group(1).strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def test_every_relative_link_and_anchor_resolves():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "Fuzz" / "README.md"]
    broken = []
    for page in pages:
        text = page.read_text()
        # Links outside code blocks only.
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", prose):
            if re.match(r"^[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such file)")
            elif anchor and file.suffix == ".md" and anchor not in anchors(file.read_text()):
                broken.append(f"{page.relative_to(ROOT)}: {target} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)
    # Every page under docs/ is reachable from the README.
    readme = (ROOT / "README.md").read_text()
    for page in (ROOT / "docs").glob("*.md"):
        linked = f"docs/{page.name}" in readme
        assert linked, f"README.md does not link to docs/{page.name}"


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
    assert len(rows) == 3001 and rows[0] == CSV_HEADER
    hosts = set()
    records = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # truncated on purpose
        if "malformed_kind" not in record:
            records.append(record)
            if record["app_layer"]["protocol"] != "DNS":  # (DNS records name the name queried)
                hosts.add(record["app_layer"]["host"].split("-")[0])
            elif record["dst_ip"].startswith("10."):
                hosts.add("dns")
    # Only the example's services (and exfiltration targets) appear.
    assert {"web", "db", "dns"} <= hosts
    assert "api" not in hosts and "cache" not in hosts
    # Its network: sessions go to its services (or, exfiltrated, to the default exfiltration targets).
    servers = [ipaddress.ip_network(n) for n in ("10.0.1.0/24", "10.0.3.0/26", "10.0.0.2/32", "52.216.0.0/15",
                                                  "203.0.113.0/24", "198.51.100.0/24")]
    for record in records:
        assert any(ipaddress.ip_address(record["dst_ip"]) in net for net in servers), record
    # From its start time, reported in order of their end.
    start_ms = 1795334400 * 1000  # start_time: "2026-11-22T08:00:00Z"
    ends = [r["end_ms"] for r in records]
    assert ends == sorted(ends) and start_ms <= ends[0] < start_ms + 60_000
    assert all(r["timestamp"] == r["end_ms"] // 1000 for r in records)
