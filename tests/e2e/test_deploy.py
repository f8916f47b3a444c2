"""The deployable stack: Dockerfile, docker-compose.yml, the Prometheus configuration and alert
rules, the Grafana provisioning and dashboards, and deploy/metric-families.txt, the contract
between the dashboards and the metrics the code exports (with
deploy/kafka-exporter-metric-families.txt, the same for the Kafka exporter's).

Nothing here starts a container: `docker-compose config` (Debian's docker-compose 1.29) and
`promtool` (Debian's prometheus package) read the files without a Docker engine or a server.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PROMETHEUS_DIR = DEPLOY / "prometheus"
DASHBOARD_DIR = DEPLOY / "grafana" / "dashboards"
DASHBOARDS = ["netchaos-pipeline.json", "netchaos-ingest.json", "netchaos-kafka.json"]
KAFKA_DASHBOARD = "netchaos-kafka.json"
DATASOURCE_REF = {"type": "prometheus", "uid": "${datasource}"}

BROKERS = ["kafka-1", "kafka-2", "kafka-3"]
INTERNAL_BROKERS = "kafka-1:9092,kafka-2:9092,kafka-3:9092"
SERVICES = {
    *BROKERS, "kafka-init", "minio", "minio-init", "redis",
    "generator", "sink", "ingester", "switch-generator", "kafka-exporter", "prometheus", "grafana",
}
ONE_SHOT = {"kafka-init", "minio-init"}
NETCHAOS_SERVICES = {"generator", "sink", "ingester", "switch-generator"}
KAFKA_EXPORTER_IMAGE = "danielqsj/kafka-exporter:v1.9.0"
KAFKA_EXPORTER_PORT = 9308

# Variables docker-compose.yml interpolates: removed so the developer's shell cannot change the result.
COMPOSE_VARIABLES = {
    "MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD", "MINIO_IMAGE", "MINIO_MC_IMAGE",
    "GRAFANA_ADMIN_USER", "GRAFANA_ADMIN_PASSWORD", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "COMPOSE_PROFILES",
}


def tool(name: str, package: str) -> str:
    """The path of a command-line tool; a missing tool fails the test (it is a dependency of `make test`)."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: it comes with Debian's {package} package "
                    f"(scripts/install-deps.sh test installs it; or: apt-get install {package})")
    return path


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)


# ---------------------------------------------------------------------------------------------
# docker-compose.yml
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """docker-compose.yml as docker-compose itself resolves it (anchors merged, variables defaulted)."""
    binary = tool("docker-compose", "docker-compose")
    env = {k: v for k, v in os.environ.items() if k not in COMPOSE_VARIABLES}
    proc = run(binary, "-f", "docker-compose.yml", "config", env=env)
    assert proc.returncode == 0, f"docker-compose config failed:\n{proc.stderr}"
    config = yaml.safe_load(proc.stdout)
    assert isinstance(config, dict) and isinstance(config.get("services"), dict), proc.stdout[:2000]
    return config


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # KEY=VALUE form
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def command_text(service: dict[str, Any]) -> str:
    command = service.get("command") or []
    return command if isinstance(command, str) else "\n".join(command)


def mounts(service: dict[str, Any]) -> list[tuple[str, str]]:
    """(source, container path) of each volume, short or long syntax."""
    found = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            found.append((str(volume.get("source", "")), str(volume["target"])))
        else:
            parts = volume.split(":")
            found.append((parts[0], parts[1]))
    return found


def bind_mounts(service: dict[str, Any]) -> dict[str, Path]:
    """Container path -> the host path of each bind mount (named volumes left out)."""
    binds = {}
    for source, target in mounts(service):
        if source.startswith(("/", ".")):
            host = (ROOT / source).resolve()
            binds[target] = host
    return binds


def host_path(service: dict[str, Any], container_path: str) -> Path:
    """Where a path inside the container comes from on the host, through the service's bind mounts."""
    path = PurePosixPath(container_path)
    for target, host in sorted(bind_mounts(service).items(), key=lambda item: -len(item[0])):
        try:
            relative = path.relative_to(target)
        except ValueError:
            continue
        return host / relative
    raise AssertionError(f"{container_path} is not inside any bind mount of the service")


def depends(service: dict[str, Any]) -> dict[str, str]:
    """Service name -> condition."""
    dependencies = service.get("depends_on") or {}
    if isinstance(dependencies, list):
        return {name: "service_started" for name in dependencies}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in dependencies.items()}


def published_ports(service: dict[str, Any]) -> dict[int, int]:
    """Container port -> host port."""
    ports = {}
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            ports[int(port["target"])] = int(port["published"])
        else:
            host, _, container = str(port).rpartition(":")
            ports[int(container.split("/")[0])] = int(host.split(":")[-1])
    return ports


def test_compose_config_has_every_service(compose):
    services = compose["services"]
    assert SERVICES <= set(services), f"missing services: {sorted(SERVICES - set(services))}"
    for name in SERVICES - ONE_SHOT:
        assert services[name].get("restart") == "unless-stopped", f"{name} has restart {services[name].get('restart')!r}"
    for name in ONE_SHOT:
        assert services[name].get("restart") == "no", f"{name} must run once (restart: \"no\")"
    # The named volumes the services use are declared.
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for source, _ in mounts(service):
            if source and not source.startswith(("/", ".")):
                assert source in declared, f"{name} mounts undeclared volume {source}"


def test_compose_brokers_form_one_kraft_cluster(compose):
    services = compose["services"]
    envs = {name: environment(services[name]) for name in BROKERS}
    node_ids = [envs[name]["KAFKA_NODE_ID"] for name in BROKERS]
    assert sorted(node_ids) == ["1", "2", "3"], node_ids
    voters = "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"
    for index, name in enumerate(BROKERS, start=1):
        env, service = envs[name], services[name]
        assert service["image"] == "apache/kafka:3.9.0"
        assert env["KAFKA_NODE_ID"] == str(index)
        assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
        assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == voters
        assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
        assert env["KAFKA_DEFAULT_REPLICATION_FACTOR"] == "3"
        assert env["KAFKA_MIN_INSYNC_REPLICAS"] == "2"
        assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "3"
        assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "3"
        # Other containers use kafka-N:9092; the host uses the project's default brokers.
        external = index * 10000 + 9092
        advertised = env["KAFKA_ADVERTISED_LISTENERS"].split(",")
        assert f"INTERNAL://{name}:9092" in advertised, advertised
        assert f"EXTERNAL://localhost:{external}" in advertised, advertised
        assert f"EXTERNAL://:{external}" in env["KAFKA_LISTENERS"].split(",")
        assert published_ports(service).get(external) == external
        assert "/opt/kafka/bin/" in json.dumps(service["healthcheck"]["test"])
        assert any(target == "/var/lib/kafka/data" and not source.startswith("/") for source, target in mounts(service))
    # One cluster: the same id everywhere, and the published ports are the code's default brokers.
    assert len({env["CLUSTER_ID"] for env in envs.values()}) == 1 and envs["kafka-1"]["CLUSTER_ID"]
    defaults = (ROOT / "Sources" / "KafkaTransport" / "KafkaClientConfiguration.swift").read_text()
    assert '["localhost:19092", "localhost:29092", "localhost:39092"]' in defaults


def test_compose_kafka_init_creates_the_topics(compose):
    init = compose["services"]["kafka-init"]
    assert init["image"] == "apache/kafka:3.9.0"
    assert depends(init) == {name: "service_healthy" for name in BROKERS}
    created: dict[str, dict[str, Any]] = {}
    described = set()
    for line in command_text(init).splitlines():
        words = shlex.split(line)
        if "--topic" not in words:
            continue
        flags: dict[str, list[str]] = {}
        for i, word in enumerate(words):
            if word.startswith("--"):
                value = words[i + 1] if i + 1 < len(words) and not words[i + 1].startswith("--") else ""
                flags.setdefault(word, []).append(value)
        topic = flags["--topic"][0]
        if "--create" in flags:
            created[topic] = flags
        if "--describe" in flags:
            described.add(topic)
    assert "kafka-topics.sh" in command_text(init)
    assert set(created) == {"network-telemetry", "network-telemetry.dlq"}, created
    main, dlq = created["network-telemetry"], created["network-telemetry.dlq"]
    assert main["--partitions"] == ["12"] and main["--replication-factor"] == ["3"]
    assert "min.insync.replicas=2" in main["--config"]
    assert dlq["--partitions"] == ["3"] and dlq["--replication-factor"] == ["3"]
    for flags in created.values():
        assert "--if-not-exists" in flags  # re-running the stack is harmless
    assert described == set(created)
    assert environment(init)["BOOTSTRAP"] == INTERNAL_BROKERS and "BOOTSTRAP" in command_text(init)


def test_compose_object_store_and_redis(compose):
    services = compose["services"]
    minio, minio_init, redis = services["minio"], services["minio-init"], services["redis"]
    assert minio["image"].startswith("minio/minio") and minio_init["image"].startswith("minio/mc")
    assert command_text(minio).split("\n") == ["server", "/data", "--console-address", ":9001"]
    assert {9000, 9001} <= set(published_ports(minio))
    assert "healthcheck" in minio
    assert depends(minio_init) == {"minio": "service_healthy"}
    script = command_text(minio_init)
    assert "mc alias set local http://minio:9000" in script
    assert "mc mb --ignore-existing local/telemetry-data" in script
    assert redis["image"] == "redis:7"
    assert redis["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]


def test_compose_netchaos_services(compose):
    services = compose["services"]
    for name in NETCHAOS_SERVICES:
        service = services[name]
        assert service["image"] == "netchaos:latest", name
        context = service["build"]["context"] if isinstance(service["build"], dict) else service["build"]
        assert Path(context).resolve() == ROOT, f"{name} builds from {context}"
    generator, sink = services["generator"], services["sink"]
    ingester, switches = services["ingester"], services["switch-generator"]

    assert generator["command"] == ["generate", "--output", "kafka"]
    assert environment(generator) == {
        "KAFKA_BROKERS": INTERNAL_BROKERS, "KAFKA_TOPIC": "network-telemetry", "EPS_TARGET": "5000",
        "METRICS_PORT": "9100", "GENERATOR_ID": "gen-compose-1",
    }
    assert depends(generator) == {"kafka-init": "service_completed_successfully"}

    assert sink["command"] == ["sink"]
    sink_env, minio_env = environment(sink), environment(services["minio"])
    assert sink_env["KAFKA_BROKERS"] == INTERNAL_BROKERS and sink_env["KAFKA_TOPIC"] == "network-telemetry"
    assert sink_env["KAFKA_GROUP_ID"] == "telemetry-sink-group"
    assert sink_env["MINIO_ENDPOINT"] == "minio:9000" and sink_env["MINIO_BUCKET"] == "telemetry-data"
    # The sink logs in with MinIO's root credentials (both default to minioadmin).
    assert sink_env["MINIO_ACCESS_KEY"] == minio_env["MINIO_ROOT_USER"] == "minioadmin"
    assert sink_env["MINIO_SECRET_KEY"] == minio_env["MINIO_ROOT_PASSWORD"] == "minioadmin"
    assert sink_env["SINK_DLQ"] == "both" and sink_env["METRICS_PORT"] == "9100"
    assert depends(sink) == {"kafka-init": "service_completed_successfully", "minio-init": "service_completed_successfully"}
    # The bucket the sink writes is the one minio-init creates.
    assert f"local/{sink_env['MINIO_BUCKET']}" in command_text(services["minio-init"])

    assert ingester["command"] == ["ingest"]
    assert environment(ingester) == {"REDIS_URL": "redis://redis:6379/0", "INGEST_PORT": "8080"}
    assert published_ports(ingester).get(8080) == 8080
    assert depends(ingester) == {"redis": "service_healthy"}

    assert switches["command"] == ["generate", "--dataset", "switch", "--output", "http://ingester:8080"]
    assert environment(switches) == {"METRICS_PORT": "9100", "GENERATOR_ID": "switch-gen-1"}


def flag_values(arguments: list[str]) -> dict[str, list[str]]:
    """--name=value command-line flags: name -> values, in order."""
    found: dict[str, list[str]] = {}
    for argument in arguments:
        assert argument.startswith("--") and "=" in argument, f"expected --flag=value, got {argument!r}"
        name, value = argument.split("=", 1)
        found.setdefault(name, []).append(value)
    return found


def test_compose_kafka_exporter(compose):
    exporter = compose["services"]["kafka-exporter"]
    assert exporter["image"] == KAFKA_EXPORTER_IMAGE  # a pinned release, as the families file lists its metrics
    assert "build" not in exporter
    flags = flag_values(exporter["command"])
    assert flags == {
        "--kafka.server": [f"{name}:9092" for name in BROKERS],
        "--kafka.version": ["3.9.0"],
        "--web.listen-address": [f":{KAFKA_EXPORTER_PORT}"],
    }
    # The brokers it reads are the cluster's internal listeners, the same the netchaos services use.
    assert ",".join(flags["--kafka.server"]) == INTERNAL_BROKERS
    assert flags["--kafka.version"] == [compose["services"]["kafka-1"]["image"].split(":")[-1]]
    assert depends(exporter) == {name: "service_healthy" for name in BROKERS}
    assert published_ports(exporter).get(KAFKA_EXPORTER_PORT) == KAFKA_EXPORTER_PORT


def test_compose_monitoring_mounts_exist_in_the_repository(compose):
    services = compose["services"]
    prometheus, grafana = services["prometheus"], services["grafana"]
    assert prometheus["image"] == "prom/prometheus:v2.53.0" and grafana["image"] == "grafana/grafana:11.1.0"
    assert published_ports(prometheus).get(9090) == 9090 and published_ports(grafana).get(3000) == 3000
    for service in (prometheus, grafana):
        binds = bind_mounts(service)
        assert binds, "no bind mounts"
        for target, host in binds.items():
            assert host.exists(), f"{host} (mounted at {target}) is not in the repository"
            assert host.is_relative_to(ROOT), f"{host} is outside the repository"

    # Prometheus reads the config file given on its command line, and the rule files next to it.
    flags = dict(arg.split("=", 1) for arg in prometheus["command"] if "=" in arg)
    assert flags["--config.file"] == "/etc/prometheus/prometheus.yml"
    config_file = host_path(prometheus, flags["--config.file"])
    assert config_file == PROMETHEUS_DIR / "prometheus.yml"
    for rule_file in yaml.safe_load(config_file.read_text())["rule_files"]:
        assert (config_file.parent / rule_file).is_file(), rule_file

    # Grafana: provisioning from deploy/grafana/provisioning; the dashboard provider's path is mounted.
    provisioning = host_path(grafana, "/etc/grafana/provisioning")
    assert provisioning == DEPLOY / "grafana" / "provisioning"
    providers = yaml.safe_load((provisioning / "dashboards" / "netchaos.yml").read_text())["providers"]
    assert [p["type"] for p in providers] == ["file"]
    assert providers[0]["options"]["path"] == "/var/lib/grafana/dashboards"
    dashboards = host_path(grafana, providers[0]["options"]["path"])
    assert dashboards == DASHBOARD_DIR
    assert sorted(p.name for p in dashboards.glob("*.json")) == sorted(DASHBOARDS)
    datasources = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())["datasources"]
    assert [(d["type"], d["url"], d.get("isDefault")) for d in datasources] == [("prometheus", "http://prometheus:9090", True)]
    env = environment(grafana)
    assert env["GF_AUTH_ANONYMOUS_ENABLED"] == "true" and env["GF_AUTH_ANONYMOUS_ORG_ROLE"] == "Viewer"


# ---------------------------------------------------------------------------------------------
# Prometheus: configuration, rules, rule unit tests
# ---------------------------------------------------------------------------------------------

def test_promtool_checks_the_configuration():
    promtool = tool("promtool", "prometheus")
    proc = run(promtool, "check", "config", "deploy/prometheus/prometheus.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS" in proc.stdout + proc.stderr


def test_promtool_checks_the_rules():
    promtool = tool("promtool", "prometheus")
    proc = run(promtool, "check", "rules", "deploy/prometheus/alerts.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"SUCCESS: \d+ rules found", proc.stdout + proc.stderr), proc.stdout + proc.stderr


def test_promtool_rule_unit_tests_pass():
    promtool = tool("promtool", "prometheus")
    proc = run(promtool, "test", "rules", "deploy/prometheus/alerts_test.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "SUCCESS" in proc.stdout + proc.stderr
    # The unit tests show the key alerts and the Kafka ones firing, and staying quiet on healthy series.
    tests = yaml.safe_load((PROMETHEUS_DIR / "alerts_test.yml").read_text())["tests"]
    cases = [case for test in tests for case in test.get("alert_rule_test", [])]
    for alert in ("NetChaosSinkConsumerLag", "NetChaosDeadLetterRate", *KAFKA_ALERTS):
        outcomes = [bool(case["exp_alerts"]) for case in cases if case["alertname"] == alert]
        assert True in outcomes, f"no test where {alert} fires"
        assert False in outcomes, f"no test where {alert} stays quiet"


def alert_rules() -> dict[str, dict[str, Any]]:
    groups = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text())["groups"]
    return {rule["alert"]: rule for group in groups for rule in group["rules"] if "alert" in rule}


def test_alert_rules_cover_the_pipeline():
    groups = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text())["groups"]
    assert "netchaos" in [group["name"] for group in groups]
    rules = alert_rules()
    required = {
        "NetChaosSinkConsumerLag": ("netchaos_sink_lag_records", "100000", "5m"),
        "NetChaosDeadLetterRate": ("netchaos_sink_records_dead_lettered_total", "0.05", "10m"),
        "NetChaosUploadFailures": ("netchaos_sink_upload_retries_total", "> 0", "5m"),
        "NetChaosGeneratorBehindTarget": ("netchaos_generator_target_rate_events_per_second", "0.9", "5m"),
        "NetChaosKafkaDeliveryFailures": ("netchaos_generator_kafka_failed_total", "> 0", None),
        "NetChaosIngestStoreErrors": ("netchaos_ingest_store_errors_total", "> 0", None),
        "NetChaosTargetDown": ("up", "== 0", None),
    }
    for name, (metric, threshold, duration) in required.items():
        assert name in rules, f"alert {name} is missing"
        rule = rules[name]
        assert metric in metric_names(rule["expr"]) and threshold in rule["expr"], f"{name}: {rule['expr']}"
        if duration:
            assert rule.get("for") == duration, f"{name} has for {rule.get('for')}"
    for name, rule in rules.items():
        assert rule.get("labels", {}).get("severity") in {"info", "warning", "critical"}, name
        annotations = rule.get("annotations", {})
        assert annotations.get("summary") and annotations.get("description"), f"{name} lacks summary/description"
    behind = rules["NetChaosGeneratorBehindTarget"]["expr"]
    assert "netchaos_generator_rate_events_per_second" in behind and re.search(r"target_rate_events_per_second\s*>\s*0", behind)
    assert "netchaos_sink_records_consumed_total" in rules["NetChaosDeadLetterRate"]["expr"]


# The Kafka alerts: metric, threshold, `for` and severity.
KAFKA_ALERTS = {
    "KafkaUnderReplicatedPartitions": ("kafka_topic_partition_under_replicated_partition", "> 0", "5m", "warning"),
    "KafkaOfflinePartitions": ("kafka_topic_partition_in_sync_replica", "== 0", "1m", "critical"),
    "KafkaConsumerGroupLag": ("kafka_consumergroup_lag", "> 100000", "10m", "warning"),
    "KafkaBrokerDown": ("kafka_brokers", "< 3", "2m", "critical"),
}


def test_alert_rules_cover_the_kafka_cluster(compose):
    groups = yaml.safe_load((PROMETHEUS_DIR / "alerts.yml").read_text())["groups"]
    kafka = next(group for group in groups if group["name"] == "kafka")
    assert {rule["alert"] for rule in kafka["rules"]} == set(KAFKA_ALERTS)
    rules = alert_rules()
    for name, (metric, threshold, duration, severity) in KAFKA_ALERTS.items():
        rule = rules[name]
        expr = " ".join(rule["expr"].split())
        assert metric in metric_names(expr) and threshold in expr, f"{name}: {expr}"
        assert set(metric_names(expr)) <= set(exporter_families()), f"{name} queries more than the exporter's families"
        assert rule.get("for") == duration and rule["labels"]["severity"] == severity, name
        assert "$value | humanize" in rule["annotations"]["description"], name
    # Offline: no in-sync replica, or no leader (negative, or not exported at all).
    offline = " ".join(rules["KafkaOfflinePartitions"]["expr"].split())
    assert "kafka_topic_partition_leader < 0" in offline and "unless on" in offline
    assert "by (consumergroup, topic)" in rules["KafkaConsumerGroupLag"]["expr"]
    # The broker count is the compose cluster's.
    brokers = [name for name, service in compose["services"].items() if "KAFKA_NODE_ID" in environment(service)]
    assert sorted(brokers) == BROKERS
    assert rules["KafkaBrokerDown"]["expr"].strip() == f"kafka_brokers < {len(brokers)}"


def test_prometheus_scrapes_every_process(compose):
    config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
    assert config["global"]["scrape_interval"] == "15s"
    assert config["rule_files"] == ["alerts.yml"]
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    expected = {
        "netchaos-generator": {"generator:9100", "switch-generator:9100"},
        "netchaos-sink": {"sink:9100"},
        "netchaos-ingest": {"ingester:8080"},
        "kafka-exporter": {f"kafka-exporter:{KAFKA_EXPORTER_PORT}"},
        "prometheus": {"localhost:9090"},
    }
    assert set(jobs) == set(expected)
    services = compose["services"]
    for name, targets in expected.items():
        job = jobs[name]
        assert job.get("metrics_path", "/metrics") == "/metrics"
        found = {target for static in job["static_configs"] for target in static["targets"]}
        assert found == targets, f"{name}: {found}"
        for static in job["static_configs"]:
            # A target label would clash with the metrics' own labels (dataset, output, ...).
            assert not static.get("labels"), f"{name} adds target labels {static['labels']}"
        for target in targets - {"localhost:9090"}:
            host, port = target.split(":")
            service = services[host]
            if host in NETCHAOS_SERVICES:
                env = environment(service)
                served = env.get("METRICS_PORT", env.get("INGEST_PORT"))
            else:
                served = flag_values(service["command"])["--web.listen-address"][0].rpartition(":")[2]
            assert port == served, f"{target} is not where {host} serves /metrics"


# ---------------------------------------------------------------------------------------------
# PromQL: the dashboards and rules name only the metric families the code exports
# ---------------------------------------------------------------------------------------------

PROMQL_FUNCTIONS = {
    # aggregation operators
    "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
    # functions
    "abs", "absent", "absent_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min", "day_of_month",
    "day_of_week", "day_of_year", "days_in_month", "delta", "deriv", "exp", "floor", "histogram_count",
    "histogram_sum", "histogram_fraction", "histogram_quantile", "histogram_stddev", "histogram_stdvar",
    "holt_winters", "hour", "idelta", "increase", "irate", "label_join", "label_replace", "ln", "log2", "log10",
    "minute", "month", "predict_linear", "rate", "resets", "round", "scalar", "sgn", "sort", "sort_desc", "sqrt",
    "time", "timestamp", "vector", "year", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time",
    "count_over_time", "quantile_over_time", "stddev_over_time", "stdvar_over_time", "last_over_time",
    "present_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan",
    "tanh", "deg", "rad", "pi",
}
PROMQL_KEYWORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool",
    "atan2", "inf", "nan", "start", "end",
}
_STRING = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`')
_GRAFANA_VARIABLE = re.compile(r"\$\{[^}]*\}|\$\w+|\[\[\w+\]\]")
_NAME_MATCHER = re.compile(r'__name__\s*=\s*"([^"]*)"')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGES = re.compile(r"\[[^\[\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
_DURATION_OR_NUMBER = re.compile(r"(?<![\w:.])(?:0x[0-9a-fA-F]+|\d[\w.]*)")
_IDENTIFIER = re.compile(r"(?<![\w:.])([A-Za-z_:][\w:]*)(\s*\()?")


def promql_identifiers(expr: str) -> tuple[set[str], set[str]]:
    """(metric names, function names) of a PromQL expression, which may hold Grafana variables.

    Strings, label matchers {...}, range and subquery selectors [...], grouping clauses (by, without,
    on, ignoring, group_left, group_right with their label lists), numbers and durations are removed;
    an identifier followed by "(" is a function or aggregation, a keyword is neither, anything else
    names a metric. `{__name__="x"}` names x.
    """
    metrics = set(_NAME_MATCHER.findall(expr))
    text = _GRAFANA_VARIABLE.sub(" ", expr)
    text = _STRING.sub(" ", text)
    text = _MATCHERS.sub(" ", text)
    text = _RANGES.sub(" ", text)
    text = _GROUPING.sub(" ", text)
    text = _DURATION_OR_NUMBER.sub(" ", text)
    functions = set()
    for match in _IDENTIFIER.finditer(text):
        word, call = match.group(1), match.group(2)
        if call and word.lower() not in PROMQL_KEYWORDS:
            functions.add(word)
        elif word.lower() not in PROMQL_KEYWORDS:
            metrics.add(word)
    return metrics, functions


def metric_names(expr: str) -> set[str]:
    return promql_identifiers(expr)[0]


def test_promql_identifier_extraction():
    expr = ('histogram_quantile(0.99, sum by (route, le) (rate(netchaos_ingest_request_duration_seconds_bucket'
            '{route=~"/telemetry.*", status!="500"}[$__rate_interval])))')
    assert promql_identifiers(expr) == ({"netchaos_ingest_request_duration_seconds_bucket"}, {"histogram_quantile", "sum", "rate"})
    expr = ('max(sum by (destination) (rate(a_total[5m]))) / on (job) group_left (x) (sum without (le) '
            '(rate(b_total[5m] offset 1h)) > 0) and c{label="rate(d)"} unless absent(e) or 1e3 * 0x1f > bool 2')
    assert promql_identifiers(expr) == ({"a_total", "b_total", "c", "e"}, {"max", "sum", "rate", "absent"})
    assert metric_names('{__name__="up", job="x"} == 0') == {"up"}
    assert metric_names("sum(rate(x[5m:30s])) by (job)") == {"x"}
    assert metric_names("increase(y_total[$__range]) * ${factor}") == {"y_total"}


def read_families(file_name: str) -> dict[str, str]:
    """Name -> type from a metric families file under deploy/ (one 'NAME TYPE' a line, # comments)."""
    found = {}
    for number, line in enumerate((DEPLOY / file_name).read_text().splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary)", line)
        assert match, f"{file_name}:{number}: expected 'NAME TYPE', got {line!r}"
        name, kind = match.groups()
        assert name not in found, f"{file_name}:{number}: {name} listed twice"
        found[name] = kind
    return found


def families() -> dict[str, str]:
    """Name -> type from deploy/metric-families.txt (the netchaos processes)."""
    return read_families("metric-families.txt")


def exporter_families() -> dict[str, str]:
    """Name -> type from deploy/kafka-exporter-metric-families.txt (the kafka-exporter service)."""
    return read_families("kafka-exporter-metric-families.txt")


def allowed_series() -> dict[str, str]:
    """Series name -> family: each family (the netchaos processes' and the Kafka exporter's), and
    _bucket/_sum/_count of histograms (and summaries)."""
    allowed = {"up": "up"}
    netchaos, exporter = families(), exporter_families()
    assert not set(netchaos) & set(exporter), f"listed in both files: {sorted(set(netchaos) & set(exporter))}"
    for name, kind in {**netchaos, **exporter}.items():
        allowed[name] = name
        if kind in {"histogram", "summary"}:
            for suffix in (["_bucket"] if kind == "histogram" else []) + ["_sum", "_count"]:
                allowed[name + suffix] = name
    return allowed


def test_metric_families_file_follows_the_naming_conventions():
    found = families()
    assert len(found) == 32
    for name, kind in found.items():
        assert re.fullmatch(r"netchaos_(generator|sink|ingest|http|up)_[a-z0-9_]+", name), name
        assert name.endswith("_total") == (kind == "counter"), f"{name} ({kind}): counters, and only counters, end in _total"
        if kind == "histogram":
            assert name.endswith("_seconds"), f"{name}: histograms here measure seconds"
    assert found["netchaos_sink_upload_duration_seconds"] == "histogram"
    assert found["netchaos_ingest_request_duration_seconds"] == "histogram"


# What kafka_exporter's README documents for v1.9.0 (https://github.com/danielqsj/kafka_exporter#metrics),
# less kafka_consumergroupzookeeper_lag_zookeeper (only with --use.consumelag.zookeeper; KRaft has no ZooKeeper).
KAFKA_EXPORTER_FAMILIES = {
    "kafka_brokers", "kafka_broker_info",
    "kafka_topic_partitions", "kafka_topic_partition_current_offset", "kafka_topic_partition_oldest_offset",
    "kafka_topic_partition_in_sync_replica", "kafka_topic_partition_leader", "kafka_topic_partition_leader_is_preferred",
    "kafka_topic_partition_replicas", "kafka_topic_partition_under_replicated_partition",
    "kafka_consumergroup_current_offset", "kafka_consumergroup_current_offset_sum", "kafka_consumergroup_lag",
    "kafka_consumergroup_lag_sum", "kafka_consumergroup_members",
}
# Exporter families no dashboard or rule needs: kafka_broker_info (each broker's address and id; the
# broker count is kafka_brokers). The ZooKeeper lag family is not even listed (see above).
KAFKA_FAMILIES_UNUSED = {"kafka_broker_info"}


def test_kafka_exporter_families_file():
    found = exporter_families()
    assert set(found) == KAFKA_EXPORTER_FAMILIES and len(found) == 15
    for name, kind in found.items():
        assert name.startswith("kafka_"), name
        assert kind == "gauge", f"{name} ({kind}): the exporter exports gauges only"
    header = (DEPLOY / "kafka-exporter-metric-families.txt").read_text()
    assert "https://github.com/danielqsj/kafka_exporter#metrics" in header
    assert KAFKA_EXPORTER_IMAGE.split(":")[-1] in header  # the version the list is for
    assert "deploy/metric-families.txt" in header


def test_every_exporter_family_is_on_the_kafka_dashboard_or_in_a_rule():
    used = set()
    for _, expr in dashboard_expressions(dashboard(KAFKA_DASHBOARD)):
        used |= metric_names(expr)
    for rule in alert_rules().values():
        used |= metric_names(rule["expr"])
    missing = set(exporter_families()) - KAFKA_FAMILIES_UNUSED - used
    assert not missing, f"exporter families no Kafka panel or rule uses: {sorted(missing)}"
    assert not KAFKA_FAMILIES_UNUSED & used, "a family listed as unused is used: take it out of KAFKA_FAMILIES_UNUSED"


def dashboard(name: str) -> dict[str, Any]:
    return json.loads((DASHBOARD_DIR / name).read_text())


def all_panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from all_panels(panel.get("panels") or [])


def dashboard_expressions(board: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, PromQL) of every panel target and every query template variable."""
    found = []
    for panel in all_panels(board.get("panels", [])):
        for target in panel.get("targets") or []:
            if target.get("expr"):
                found.append((f"{board['uid']}: panel {panel.get('title')!r} {target.get('refId')}", target["expr"]))
    for variable in board.get("templating", {}).get("list", []):
        if variable.get("type") == "query":
            query = variable.get("query")
            query = query.get("query", "") if isinstance(query, dict) else query or ""
            match = re.fullmatch(r"\s*label_values\((.*),\s*\w+\s*\)\s*", query) or re.fullmatch(r"\s*query_result\((.*)\)\s*", query)
            found.append((f"{board['uid']}: variable {variable['name']}", match.group(1) if match else query))
    return found


def every_expression() -> list[tuple[str, str]]:
    found = []
    for name in DASHBOARDS:
        found += dashboard_expressions(dashboard(name))
    found += [(f"alert {name}", rule["expr"]) for name, rule in alert_rules().items()]
    return found


def test_queries_name_only_known_metric_families():
    allowed = allowed_series()
    expressions = every_expression()
    assert len(expressions) > 40
    for where, expr in expressions:
        metrics, functions = promql_identifiers(expr)
        assert metrics, f"{where}: no metric in {expr!r}"
        unknown = metrics - set(allowed)
        assert not unknown, f"{where}: {sorted(unknown)} not in deploy/metric-families.txt: {expr!r}"
        assert functions <= PROMQL_FUNCTIONS, f"{where}: unknown functions {sorted(functions - PROMQL_FUNCTIONS)}"


def test_every_metric_family_is_on_a_dashboard():
    allowed = allowed_series()
    used = set()
    for name in DASHBOARDS:
        for _, expr in dashboard_expressions(dashboard(name)):
            used |= {allowed[m] for m in metric_names(expr) if m in allowed}
    missing = set(families()) - used
    assert not missing, f"metric families no dashboard panel shows: {sorted(missing)}"


def test_dashboard_expressions_are_valid_promql(tmp_path):
    """Each dashboard query, with Grafana's interval variables filled in, passes promtool's parser."""
    promtool = tool("promtool", "prometheus")
    # Grafana's interval variables, and the dashboards' own query variables (any value: a regex).
    substitutions = {"$__rate_interval": "1m", "$__interval": "1m", "$__range": "1h", "$consumergroup": ".*"}
    rules = []
    for index, (where, expr) in enumerate(e for name in DASHBOARDS for e in dashboard_expressions(dashboard(name))):
        for variable, value in substitutions.items():
            expr = expr.replace(variable, value)
        assert "$" not in expr, f"{where}: a Grafana variable promtool cannot check: {expr!r}"
        rules.append({"record": f"netchaos:dashboard_query_{index}", "expr": expr})
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))
    proc = run(promtool, "check", "rules", str(path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"SUCCESS: {len(rules)} rules found" in proc.stdout + proc.stderr


def test_dashboards_use_the_datasource_variable():
    for name in DASHBOARDS:
        board = dashboard(name)
        assert board["schemaVersion"] == 39, name
        assert board.get("uid") and board.get("title"), name
        variables = {v["name"]: v for v in board["templating"]["list"]}
        assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus", name
        panels = list(all_panels(board["panels"]))
        ids = [p["id"] for p in panels]
        assert len(ids) == len(set(ids)), f"{name}: panel ids repeat"
        kinds = {p["type"] for p in panels}
        assert kinds <= {"row", "timeseries", "stat"} and {"timeseries", "stat"} <= kinds, f"{name}: {kinds}"
        for panel in panels:
            where = f"{name}: panel {panel.get('title')!r}"
            if panel["type"] == "row":
                assert panel.get("datasource") in (None, DATASOURCE_REF), where
                continue
            assert panel.get("datasource") == DATASOURCE_REF, f"{where} has datasource {panel.get('datasource')}"
            assert panel.get("targets"), f"{where} has no queries"
            for target in panel["targets"]:
                assert target.get("datasource") == DATASOURCE_REF, f"{where} target {target.get('refId')}: {target.get('datasource')}"
            position = panel["gridPos"]
            assert position["x"] + position["w"] <= 24, where

        # No datasource uid anywhere but the variable (the dashboard's own uid is its identity).
        def walk(node: Any, path: str) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "uid" and path != "":
                        assert value == "${datasource}", f"{name}: uid {value!r} at {path}"
                    walk(value, f"{path}/{key}")
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, f"{path}/{i}")
        walk(board, "")


def test_pipeline_dashboard_shows_the_brief():
    """The pipeline dashboard has the panels an operator looks for (by the metrics they query)."""
    board = dashboard("netchaos-pipeline.json")
    by_title = {panel["title"]: " ".join(t["expr"] for t in panel.get("targets", [])) for panel in all_panels(board["panels"])}
    upload = by_title["Upload latency"]
    assert "histogram_quantile(0.5," in upload and "histogram_quantile(0.99," in upload
    assert "netchaos_sink_upload_duration_seconds_bucket" in upload
    assert "by (topic, partition)" in by_title["Consumer lag per partition"]
    assert "by (reason)" in by_title["Invalid records by reason"]
    ingest = {panel["title"]: " ".join(t["expr"] for t in panel.get("targets", [])) for panel in all_panels(dashboard("netchaos-ingest.json")["panels"])}
    assert "route" in ingest["Requests by route and status"] and "status" in ingest["Requests by route and status"]
    assert "histogram_quantile(0.99," in ingest["Latency by route"]


def test_kafka_dashboard_shows_the_brief():
    """The Kafka dashboard has the panels an operator looks for (by the metrics they query)."""
    board = dashboard(KAFKA_DASHBOARD)
    assert board["uid"] == "netchaos-kafka" and board["title"] == "Kafka brokers"
    # A stat and a time series may share a title: the time series (the later panel) is the one by_title keeps.
    panels = [panel for panel in all_panels(board["panels"]) if panel["type"] != "row"]
    queries = [(panel, " ".join(" ".join(t["expr"].split()) for t in panel["targets"])) for panel in panels]
    by_title = {panel["title"]: expr for panel, expr in queries}
    metrics = {title: metric_names(expr) for title, expr in by_title.items()}
    allowed = set(exporter_families()) | {"up"}
    for panel, expr in queries:
        names = metric_names(expr)
        assert names <= allowed, f"{panel['title']!r} queries {sorted(names - allowed)}: the Kafka dashboard shows the exporter's metrics"

    def kinds(metric: str) -> set[str]:
        return {panel["type"] for panel, expr in queries if metric in metric_names(expr)}

    assert "stat" in kinds("kafka_brokers")
    assert {"stat", "timeseries"} <= kinds("kafka_topic_partition_under_replicated_partition")
    # ISR shrink: replicas less in-sync replicas per partition, and the partitions whose ISR is below their replica count.
    shrink = by_title["ISR shrink"]
    assert "sum by (topic, partition) (kafka_topic_partition_replicas) - sum by (topic, partition) (kafka_topic_partition_in_sync_replica)" in shrink
    assert re.search(r"kafka_topic_partition_in_sync_replica\) < sum by \(topic, partition\) \(kafka_topic_partition_replicas", shrink)
    offline = by_title["Offline partitions"]
    assert "kafka_topic_partition_in_sync_replica == 0" in offline and "kafka_topic_partition_leader < 0" in offline
    assert {"stat", "timeseries"} <= kinds("kafka_topic_partition_leader")
    # Topic size: retained messages (end less oldest offset) and their growth.
    assert "kafka_topic_partition_current_offset - kafka_topic_partition_oldest_offset" in by_title["Messages retained per topic"]
    growth = by_title["Topic growth"]
    assert "rate(kafka_topic_partition_current_offset[" in growth and "rate(kafka_topic_partition_oldest_offset[" in growth
    ingress = by_title["Ingress by partition"]
    assert "by (topic, partition)" in ingress and "rate(kafka_topic_partition_current_offset" in ingress
    # Consumer group lag of any group, chosen by the consumergroup variable.
    variables = {v["name"]: v for v in board["templating"]["list"]}
    group = variables["consumergroup"]
    query = group["query"]["query"] if isinstance(group["query"], dict) else group["query"]
    assert group["type"] == "query" and " ".join(query.split()) == "label_values(kafka_consumergroup_lag, consumergroup)"
    assert group["multi"] and group["includeAll"] and group["allValue"] == ".*"
    assert group["datasource"] == DATASOURCE_REF
    lag_by_topic, lag_by_partition = by_title["Lag by group and topic"], by_title["Lag per partition"]
    assert "by (consumergroup, topic)" in lag_by_topic and metrics["Lag by group and topic"] & {"kafka_consumergroup_lag", "kafka_consumergroup_lag_sum"}
    assert "by (consumergroup, topic, partition) (kafka_consumergroup_lag{" in lag_by_partition
    for panel, expr in queries:
        if any(name.startswith("kafka_consumergroup_") for name in metric_names(expr)):
            assert 'consumergroup=~"$consumergroup"' in expr, f"{panel['title']!r} ignores the consumergroup variable"


# ---------------------------------------------------------------------------------------------
# Dockerfile and .dockerignore
# ---------------------------------------------------------------------------------------------

def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments left out."""
    instructions, pending = [], ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        text = pending + stripped
        pending = ""
        keyword, _, arguments = text.partition(" ")
        instructions.append((keyword.upper(), " ".join(arguments.split())))
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def stages() -> list[tuple[str, list[tuple[str, str]]]]:
    """(FROM arguments, the stage's instructions)."""
    found: list[tuple[str, list[tuple[str, str]]]] = []
    for keyword, arguments in dockerfile_instructions():
        if keyword == "FROM":
            found.append((arguments, []))
        elif found:
            found[-1][1].append((keyword, arguments))
    return found


def apt_installs(instructions: list[tuple[str, str]]) -> set[str]:
    packages = set()
    for keyword, arguments in instructions:
        if keyword != "RUN":
            continue
        for command in re.split(r"&&|;|\|\|", arguments):
            words = command.split()
            if "apt-get" in words and "install" in words:
                packages |= {w for w in words[words.index("install") + 1:] if not w.startswith("-")}
    return packages


def package_swift_apt_providers() -> set[str]:
    source = (ROOT / "Package.swift").read_text()
    lists = re.findall(r"\.systemLibrary\([^)]*providers:\s*\[\s*\.apt\(\[([^\]]*)\]\)", source)
    assert lists, "Package.swift has no .systemLibrary with an .apt provider"
    return {name for group in lists for name in re.findall(r'"([^"]+)"', group)}


# -dev package (build stage) -> the shared library package the binary needs at run time (Debian bookworm).
RUNTIME_PACKAGES = {
    "libdeflate-dev": "libdeflate0",
    "libisal-dev": "libisal2",
    "libzstd-dev": "libzstd1",
    "libsnappy-dev": "libsnappy1v5",
    "liblz4-dev": "liblz4-1",
    "librdkafka-dev": "librdkafka1",
}


def test_dockerfile_is_a_multi_stage_release_build():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("ARG", "SWIFT_IMAGE=swift:6.3-bookworm")
    found = stages()
    assert len(found) == 2, [image for image, _ in found]
    (build_from, build), (runtime_from, runtime) = found
    match = re.fullmatch(r"(\S+) AS (\S+)", build_from, re.IGNORECASE)
    assert match and match.group(1) == "${SWIFT_IMAGE}", build_from
    stage_name = match.group(2)
    assert runtime_from == "debian:bookworm-slim"

    # Build stage: the manifest and the resolve before the sources (a dependency layer), then the build.
    order = [(k, a) for k, a in build if k in {"COPY", "RUN"}]
    def position(predicate) -> int:
        return next(i for i, item in enumerate(order) if predicate(*item))
    manifest = position(lambda k, a: k == "COPY" and "Package.swift" in a and "Package.resolved" in a)
    resolve = position(lambda k, a: k == "RUN" and "swift package resolve" in a)
    sources = position(lambda k, a: k == "COPY" and a.startswith("Sources"))
    compile_ = position(lambda k, a: k == "RUN" and "swift build" in a)
    assert manifest < resolve < sources < compile_
    assert any(k == "COPY" and a.startswith("Tests") for k, a in order[:compile_]), "the manifest's test targets need Tests/"
    build_command = order[compile_][1]
    assert "swift build -c release --product netchaos --static-swift-stdlib" in build_command

    # Runtime stage: the binary from the build stage, an unprivileged user, the entry point and ports.
    copies = [a for k, a in runtime if k == "COPY" and a.startswith("--from=")]
    assert len(copies) == 1 and copies[0].startswith(f"--from={stage_name} ")
    assert copies[0].split()[-1] == "/usr/local/bin/netchaos"
    users = [a for k, a in runtime if k == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert ("ENTRYPOINT", '["netchaos"]') in runtime
    exposed = {port for k, a in runtime if k == "EXPOSE" for port in a.split()}
    assert {"8080", "9100"} <= exposed
    assert not [k for k, _ in runtime if k == "ADD"]


def test_dockerfile_installs_the_system_libraries_package_swift_links():
    providers = package_swift_apt_providers()
    (_, build), (_, runtime) = stages()
    build_packages, runtime_packages = apt_installs(build), apt_installs(runtime)
    missing = providers - build_packages
    assert not missing, f"the build stage does not install {sorted(missing)} (Package.swift providers)"
    assert "pkg-config" in build_packages
    unknown = providers - set(RUNTIME_PACKAGES)
    assert not unknown, f"add the runtime library of {sorted(unknown)} to RUNTIME_PACKAGES and the Dockerfile"
    for dev in providers:
        assert RUNTIME_PACKAGES[dev] in runtime_packages, f"the runtime stage lacks {RUNTIME_PACKAGES[dev]} (for {dev})"
    assert "ca-certificates" in runtime_packages
    assert not {p for p in runtime_packages if p.endswith("-dev")}, "the runtime stage installs -dev packages"


def test_dockerignore_keeps_the_context_small():
    patterns = {line.strip().rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")}
    assert {".build", ".git", "netchaos-data", ".pytest_cache"} <= patterns
    # What the Dockerfile copies must stay in the context.
    for needed in ("Package.swift", "Package.resolved", "Sources", "Tests"):
        assert not any(needed == p or needed.startswith(p + "/") for p in patterns), f".dockerignore drops {needed}"
