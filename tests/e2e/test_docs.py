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
    """Every knob as the binary declares it (`netchaos knobs --format json`)."""
    found = json.loads(subprocess.run([BIN, "knobs", "--format", "json"], check=True, capture_output=True, text=True).stdout)
    assert len(found) >= 100
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


def test_configuration_page_holds_the_declared_knob_table():
    page = (ROOT / "docs" / "configuration.md").read_text().splitlines()
    start = next(i for i, line in enumerate(page) if line.startswith("| YAML key | environment |"))
    end = start + 2
    while end < len(page) and page[end].startswith("| `"):
        end += 1
    table = subprocess.run([BIN, "knobs"], check=True, capture_output=True, text=True).stdout.rstrip("\n").splitlines()
    assert page[start:end] == table, "docs/configuration.md's knob table is not what the binary declares (run python3 scripts/knob-table.py)"
    rows = {line.split(" | ")[0].strip("| `"): line for line in table[2:]}
    for knob in knobs():
        row = rows[knob["key"]]
        assert f"`{knob['environment']}`" in row and knob["default"].replace("|", "\\|") in row
        if knob["flag"]:
            assert knob["flag"] in row


COMMANDS = {
    "generate": {"--print-network", "--check"},
    "sink": {"--check"},
    "ingest": {"--check"},
    "up": {"--check"},
    "verify": {"--store", "--topic", "--dead-letter-topic", "--manifest", "--dead-letter-prefix", "--timeout", "--json", "--check"},
    "kafka consume": {"--count", "--timeout", "--print", "--check"},
    "kafka create-topic": {"--partitions", "--replication-factor", "--topic-config", "--if-not-exists", "--timeout", "--check"},
}


def test_every_flag_of_a_command_is_a_declared_knob_with_its_help():
    """Each command's options come from the knob declarations: the flag is the knob's, the help
    starts with the knob's and names its environment variable (except the few options of a
    command's own, listed here)."""
    by_flag = {}
    for knob in knobs():
        if knob["flag"]:
            by_flag.setdefault(knob["flag"], []).append(knob)
    seen = set()
    for command, own in COMMANDS.items():
        dump = json.loads(subprocess.run([BIN, *command.split(), "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout)
        for argument in dump["command"].get("arguments", []):
            names = ["--" + n["name"] for n in argument.get("names", []) if n["kind"] == "long"]
            if not names or names[0] in ("--help", "--version", "--kafka-property") or names[0] in own:
                continue
            flag = names[0]
            if flag.startswith("--no-") and "--" + flag[5:] in by_flag:
                continue  # the inversion of a flag checked under its own name
            candidates = by_flag.get(flag)
            assert candidates, f"netchaos {command} {flag} is no declared knob"
            abstract = argument.get("abstract", "")
            knob = next((k for k in candidates if abstract.startswith(k["help"]) and f"(env {k['environment']}" in abstract), None)
            assert knob is not None, f"netchaos {command} {flag}: help {abstract!r} is not a knob's with its environment name"
            seen.add(knob["key"])
    flagged = {k["key"] for k in knobs() if k["flag"] and k["key"] != "kafka.properties"}
    assert flagged - seen == set(), f"knobs with a flag no command has: {sorted(flagged - seen)}"


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


def doc_commands():
    """(page, command line) of every `netchaos` command in a shell block of the README and docs/."""
    found = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in re.findall(r"```(?:sh|bash|shell|console)\n(.*?)```", page.read_text(), re.S):
            for line in block.replace("\\\n", " ").splitlines():
                line = line.strip()
                if re.match(r"^(\w+=\S+\s+)*netchaos\s", line):
                    found.append((page.name, line))
    return found


PLACEHOLDERS = {"...": "test", "127.0.0.1:33373,...": "127.0.0.1:33373", "127.0.0.1:33373,127.0.0.1:37777,127.0.0.1:43561": "127.0.0.1:33373"}


def test_every_command_in_the_docs_is_checked(tmp_path):
    """Each `netchaos` command the README and docs/ show is run with --check: its flags, the
    environment it sets and the files it names are read as a run would read them, and it must
    say the configuration is valid (placeholders such as `...` become test values; the TLS files
    and examples/ it names are provided)."""
    import shlex
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1",
                    "-subj", "/CN=localhost"], cwd=tmp_path, check=True, capture_output=True)
    commands = doc_commands()
    assert len(commands) >= 40
    for page, line in commands:
        words = shlex.split(line, comments=True)
        env = {}
        while words and re.match(r"^\w+=", words[0]):
            name, _, value = words.pop(0).partition("=")
            env[name] = ("127.0.0.1:9092" if name.endswith("BROKERS") else "test") if value == "..." else value
        assert words[0] == "netchaos", (page, line)
        args = []
        for word in words[1:]:
            if word in ("&", "|", ">", "&&", ";") or word.startswith((">", "2>")):
                break
            args.append(PLACEHOLDERS.get(word, word))
        if "s3://" in line and not any(name.startswith(("AWS_", "MINIO_")) for name in env):
            env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")  # the user's, from the environment
        if args[:2] == ["kafka", "dev-cluster"]:
            args.append("--help")  # starts a cluster: its flags are what is checked
        else:
            args.append("--check")
        full = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "AWS_", "MINIO_", "NETCHAOS_", "REDIS_", "INGEST_"))}
        proc = subprocess.run([BIN, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**full, **env})
        assert proc.returncode == 0, f"{page}: {line}\n{proc.stderr[-1500:]}"
        if "--check" in args:
            assert "the configuration is valid" in proc.stdout, f"{page}: {line}: {proc.stdout}"
