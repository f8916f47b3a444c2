"""11. Configuration precedence (flags > environment > YAML > defaults); 12. error messages."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import re
import textwrap

import pytest

from conftest import BIN, START, clean_env, parse_jsonl, run_netchaos

YAML = textwrap.dedent(
    """\
    generator:
      count: 10
      id: yaml-gen
      seed: 5
      start_time: {start}
      eps_target: max
    chaos:
      latency_spike_prob: 1
      error_rate_prob: 0
      data_exfil_prob: 0
      malformed_prob: 0
      drop_prob: 0
      port_scan:
        enabled: false
    network:
      # Without the normal lookalikes (refused connections, SYNs and queries never answered), every
      # session is answered, so every record can carry a latency spike.
      background:
        enabled: false
    log:
      interval_sec: 0
    """
).format(start=START)


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "netchaos.yaml"
    path.write_text(YAML)
    return path


def records_of(result) -> list[dict]:
    result.check()
    parsed = parse_jsonl(result.stdout)
    assert not parsed.unparseable
    return parsed.records


def spikes(records) -> int:
    return sum("latency_spike" in r["anomalies"] for r in records)


def test_defaults_without_configuration():
    records = records_of(run_netchaos("generate", "--count", "3", "--rate", "max", "--log-interval", "0"))
    assert len(records) == 3
    assert re.fullmatch(r"gen-[0-9a-f]{8}", records[0]["generator_id"])


def test_yaml_values_apply(config_file):
    records = records_of(run_netchaos("generate", "--config", str(config_file)))
    assert len(records) == 10
    assert {r["generator_id"] for r in records} == {"yaml-gen"}
    assert spikes(records) == 10
    assert all(r["timestamp"] == START for r in records)


def test_yaml_from_environment_path(config_file):
    records = records_of(run_netchaos("generate", env={"NETCHAOS_CONFIG": str(config_file)}))
    assert len(records) == 10
    assert {r["generator_id"] for r in records} == {"yaml-gen"}
    assert spikes(records) == 10


def test_environment_overrides_yaml(config_file):
    env = {"NETCHAOS_COUNT": "20", "LATENCY_SPIKE_PROB": "0", "GENERATOR_ID": "env-gen"}
    records = records_of(run_netchaos("generate", "--config", str(config_file), env=env))
    assert len(records) == 20
    assert {r["generator_id"] for r in records} == {"env-gen"}
    assert spikes(records) == 0


def test_flags_override_environment(config_file):
    env = {
        "NETCHAOS_CONFIG": str(config_file), "NETCHAOS_COUNT": "20", "LATENCY_SPIKE_PROB": "0",
        "GENERATOR_ID": "env-gen",
    }
    records = records_of(run_netchaos(
        "generate", "--count", "30", "--latency-spike-prob", "1", "--generator-id", "flag-gen", env=env,
    ))
    assert len(records) == 30
    assert {r["generator_id"] for r in records} == {"flag-gen"}
    assert spikes(records) == 30


def test_chaos_switch_precedence(config_file):
    # YAML leaves chaos on (spikes everywhere); CHAOS_MODE=false turns it off; --chaos turns it on again.
    off = records_of(run_netchaos("generate", "--config", str(config_file), env={"CHAOS_MODE": "false"}))
    assert spikes(off) == 0
    on = records_of(run_netchaos("generate", "--config", str(config_file), "--chaos", env={"CHAOS_MODE": "false"}))
    assert spikes(on) == 10


def test_outputs_from_environment(tmp_path, config_file):
    a, b = tmp_path / "a.csv", tmp_path / "b.jsonl"
    result = run_netchaos("generate", "--config", str(config_file), env={"NETCHAOS_OUTPUTS": f"{a},{b}"}).check()
    assert result.stdout == b""
    assert a.read_text().startswith("timestamp,event_id,")
    assert a.read_text().count("\n") == 11
    assert len(records_of_bytes(b.read_bytes())) == 10


def test_outputs_and_format_from_yaml(tmp_path):
    plain = tmp_path / "flows.data"  # no known extension: takes output.format
    path = tmp_path / "outputs.yaml"
    path.write_text(YAML + f"outputs:\n  - {plain}\n  - \"-\"\noutput:\n  format: csv\n")
    result = run_netchaos("generate", "--config", str(path)).check()
    assert result.stdout.decode().startswith("timestamp,event_id,")  # stdout takes output.format
    assert result.stdout.count(b"\n") == 11
    assert plain.read_bytes() == result.stdout
    # A flag replaces the YAML list (output.format still applies to an extension-less file).
    flagged = tmp_path / "flag.out"
    plain.unlink()
    again = run_netchaos("generate", "--config", str(path), "--output", str(flagged)).check()
    assert again.stdout == b""
    assert flagged.read_bytes() == result.stdout
    assert not plain.exists()


def records_of_bytes(data: bytes) -> list[dict]:
    parsed = parse_jsonl(data)
    assert not parsed.unparseable, parsed.unparseable[:2]
    return parsed.records


# --- 12. Error messages ---------------------------------------------------------------------

ERROR_RE = re.compile(r"^netchaos: error: invalid value '(?P<value>.*)' for (?P<key>\S+) \((?P<names>[^)]*)\): (?P<allowed>.+)$",
                      re.MULTILINE)

# (id, args, env, yaml text, value, key, environment name, flag, words the allowed part must contain)
CASES = [
    ("probability 1.5", ["--latency-spike-prob", "1.5"], None, None, "1.5", "chaos.latency_spike_prob",
     "LATENCY_SPIKE_PROB", "--latency-spike-prob", ["0", "1"]),
    ("negative rate (--rate -5)", ["--rate", "-5"], None, None, "-5", "generator.eps_target", "EPS_TARGET", "--rate",
     ["0", "max"]),
    ("negative rate (--rate=-5)", ["--rate=-5"], None, None, "-5", "generator.eps_target", "EPS_TARGET", "--rate",
     ["0", "max"]),
    ("negative rate (EPS_TARGET)", [], {"EPS_TARGET": "-5"}, None, "-5", "generator.eps_target", "EPS_TARGET",
     "--rate", ["0", "max"]),
    ("rate fast", ["--rate", "fast"], None, None, "fast", "generator.eps_target", "EPS_TARGET", "--rate",
     ["max"]),
    ("format avro", ["--format", "avro"], None, None, "avro", "output.format", "NETCHAOS_FORMAT",
     "--format", ["jsonl", "json.gz", "csv", "parquet"]),
    ("output extension avro", ["--output", "x.avro"], None, None, "x.avro", "outputs", "NETCHAOS_OUTPUTS",
     "--output", [".jsonl", ".csv", ".parquet"]),
    ("parquet codec", ["--parquet-compression", "brotli"], None, None, "brotli", "output.parquet.compression",
     "NETCHAOS_PARQUET_COMPRESSION", "--parquet-compression", ["snappy", "zstd", "lz4"]),
    ("missing config file", ["--config", "/nonexistent/netchaos.yaml"], None, None, "/nonexistent/netchaos.yaml",
     "config", "NETCHAOS_CONFIG", "--config", ["readable", "YAML"]),
    ("config is a directory", ["--config", "/tmp"], None, None, "/tmp", "config", "NETCHAOS_CONFIG", "--config",
     ["readable", "YAML"]),
    ("workers 0", ["--workers", "0"], None, None, "0", "generator.workers", "WORKER_COUNT", "--workers",
     ["1", "256"]),
    ("count -1 (--count -1)", ["--count", "-1"], None, None, "-1", "generator.count", "NETCHAOS_COUNT", "--count",
     ["0"]),
    ("count -1 (--count=-1)", ["--count=-1"], None, None, "-1", "generator.count", "NETCHAOS_COUNT", "--count",
     ["0"]),
    ("duration 0", ["--duration", "0"], None, None, "0", "generator.duration", "NETCHAOS_DURATION", "--duration",
     ["500ms", "30s"]),
    ("rotate size 12XB", ["--rotate-size", "12XB"], None, None, "12XB", "output.rotate_size", "NETCHAOS_ROTATE_SIZE",
     "--rotate-size", ["64KB"]),
    ("rotate size below minimum", ["--rotate-size", "1KB"], None, None, "1KB", "output.rotate_size",
     "NETCHAOS_ROTATE_SIZE", "--rotate-size", ["64KB"]),
    ("start time yesterday", ["--start-time", "yesterday"], None, None, "yesterday", "generator.start_time",
     "NETCHAOS_START_TIME", "--start-time", ["Unix seconds", "ISO-8601"]),
    ("generator id with a space", ["--generator-id", "a b"], None, None, "a b", "generator.id", "GENERATOR_ID",
     "--generator-id", ["A-Z", "0-9"]),
    ("bad service spec", ["--service", "bogus"], None, None, "bogus", "network.services", "NETWORK_SERVICES",
     "--service", ["NAME=CIDR"]),
    ("CHAOS_MODE=maybe", [], {"CHAOS_MODE": "maybe"}, None, "maybe", "chaos.enabled", "CHAOS_MODE", "--chaos",
     ["true", "false"]),
    ("drop probability above 0.5", ["--drop-prob", "0.6"], None, None, "0.6", "chaos.drop_prob", "DROP_PROB",
     "--drop-prob", ["0.5"]),
    ("gzip level 13", ["--gzip-level", "13"], None, None, "13", "output.gzip_level", "NETCHAOS_GZIP_LEVEL",
     "--gzip-level", ["1", "12"]),
    ("YAML probability 2", [], None, "chaos:\n  latency_spike_prob: 2\n", "2", "chaos.latency_spike_prob",
     "LATENCY_SPIKE_PROB", "--latency-spike-prob", ["0", "1"]),
    ("YAML workers many", [], None, "generator:\n  workers: many\n", "many", "generator.workers", "WORKER_COUNT",
     "--workers", ["1", "256"]),
    ("YAML port_scan.enabled maybe", [], None, "chaos:\n  port_scan:\n    enabled: maybe\n", "maybe",
     "chaos.port_scan.enabled", "PORT_SCAN_ENABLED", "--port-scan", ["true", "false"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_value_exits_2_with_a_clear_message(tmp_path, case):
    _, args, env, yaml_text, value, key, env_name, flag, allowed_words = case
    args = list(args)
    if yaml_text is not None:
        path = tmp_path / "bad.yaml"
        path.write_text(yaml_text)
        args += ["--config", str(path)]
    result = run_netchaos("generate", "--count", "5", *args, env=env, timeout=30)
    assert result.returncode == 2, f"exit {result.returncode}, stderr:\n{result.stderr}"
    assert result.stdout == b""
    match = ERROR_RE.search(result.stderr)
    assert match, f"no 'netchaos: error: invalid value ...' line in stderr:\n{result.stderr}"
    assert match["value"] == value, result.stderr
    assert match["key"] == key, result.stderr
    names = [n.strip() for n in match["names"].split(",")]
    assert names[0] == env_name, result.stderr
    assert len(names) == 2 and names[1].startswith(flag), result.stderr
    for word in allowed_words:
        assert word in match["allowed"], f"{word!r} not in the allowed part: {match['allowed']!r}"


def test_config_file_without_read_permission():
    # Root reads a mode-000 file, so as root the command runs as `nobody` (setpriv, util-linux);
    # the file lives in a world-searchable directory that `nobody` can reach.
    directory = tempfile.mkdtemp(prefix="netchaos-perm-")
    os.chmod(directory, 0o755)
    path = os.path.join(directory, "secret.yaml")
    with open(path, "w") as handle:
        handle.write(YAML)
    os.chmod(path, 0)
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    try:
        proc = subprocess.run(
            [*prefix, BIN, "generate", "--count", "1", "--config", path],
            stdin=subprocess.DEVNULL, capture_output=True, env=clean_env(None), timeout=30,
        )
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, stderr
    match = ERROR_RE.search(stderr)
    assert match and match["value"] == path and match["key"] == "config", stderr
    assert "NETCHAOS_CONFIG" in match["names"] and "--config" in match["names"], stderr
    assert "readable" in match["allowed"], stderr


def test_yaml_syntax_error_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("chaos: [\n")
    result = run_netchaos("generate", "--count", "1", "--config", str(path), timeout=30)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"netchaos: error: invalid value '{path}' for config"), result.stderr
    assert "YAML" in result.stderr


@pytest.mark.parametrize("command", ["generate", "sink", "ingest"])
@pytest.mark.parametrize("body, message", [
    ("generator:\n  count: 5\n  cuont: 5\n", "unknown key generator.cuont in {file} line 3: did you mean generator.count?"),
    ("generator: 5\n", "generator in {file} line 1 is a section, not a value"),
    ("log:\n  level:\n    verbose: true\n", "log.level in {file} line 2 takes a value or a list, not a mapping"),
    ("# a comment\ncolour: red\n", "unknown key colour in {file} line 2"),
    ("kafka:\n  brokers: localhost:9092\n  topik: flows\n", "unknown key kafka.topik in {file} line 3: did you mean kafka.topic?"),
])
def test_unknown_or_misshapen_keys_exit_2_naming_the_key_and_line(tmp_path, command, body, message):
    """Every command reads the same file strictly: a key nothing reads is a mistake, not a default."""
    path = tmp_path / "config.yaml"
    path.write_text(body)
    result = run_netchaos(command, "--config", str(path), timeout=30)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("netchaos: error: " + message.format(file=path)), result.stderr


def test_output_directory_that_cannot_be_created_exits_1():
    target = "/proc/netchaos-e2e/out.jsonl"
    result = run_netchaos("generate", "--count", "5", "--output", target, timeout=30)
    assert result.returncode == 1, f"exit {result.returncode}, stderr:\n{result.stderr}"
    assert result.stdout == b""
    lines = [l for l in result.stderr.splitlines() if l.startswith("netchaos: error:")]
    assert lines, result.stderr
    assert target in lines[0], lines[0]
    assert re.search(r"No such file or directory|Permission denied|Read-only|cannot", lines[0]), lines[0]


def test_write_error_exits_1():
    """A write that fails mid-run (stdout on /dev/full) is reported and exits 1."""
    with open("/dev/full", "wb") as full:
        result = run_netchaos("generate", "--count", "100000", "--rate", "max", "--log-interval", "0",
                              stdout_to=full, timeout=30)
    assert result.returncode == 1, result.stderr
    errors = result.summary["errors"]
    assert errors and "No space left on device" in errors[0], errors
