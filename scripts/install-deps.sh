#!/usr/bin/env bash
# Installs what building, testing, the demo and the benchmarks need: Debian's libdeflate and ISA-L (gzip),
# libzstd, libsnappy, liblz4 (Parquet codecs) and librdkafka (Kafka), pkg-config; for tests and
# benchmarks kcat and the Python tools that read our output independently (json, csv, pydantic,
# confluent-kafka, boto3 and moto, pyarrow and duckdb), schemathesis (fuzzes the ingester's HTTP API);
# redis-server; promtool (Debian's prometheus), headless Chromium (the live page) and docker-compose
# (to check the compose file without an engine); nfdump (nfcapd, a NetFlow/IPFIX collector), softflowd (turns a
# capture back into flows) and tshark (decodes export packets and captures); zat (reads Zeek logs), pycef and syslog-rfc5424-parser (firewall logs).
# Idempotent: installs only what is missing. Usage: scripts/install-deps.sh [build|test|bench]
set -euo pipefail
what="${1:-test}"

apt_packages=(pkg-config libdeflate-dev libisal-dev libzstd-dev libsnappy-dev liblz4-dev librdkafka-dev)
if [ "$what" = "test" ] || [ "$what" = "bench" ]; then
  apt_packages+=(kcat redis-server curl openssl nfdump softflowd)
fi
if [ "$what" = "bench" ]; then
  apt_packages+=(wrk)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Large packages whose recommendations tests do not need (a browser's, a server's).
lean_packages=()
if [ "$what" = "test" ]; then
  lean_packages+=(prometheus chromium-headless-shell docker-compose tshark)
fi
lean_missing=()
for p in "${lean_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || lean_missing+=("$p")
done
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ "${#missing[@]}" -gt 0 ] || [ "${#lean_missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ "${#lean_missing[@]}" -gt 0 ]; then
  echo "installing Debian packages (without recommendations): ${lean_missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${lean_missing[@]}" >/dev/null
fi

if [ "$what" = "test" ] || [ "$what" = "bench" ]; then
  # pip name:import name
  python_packages=(pytest:pytest pytest-xdist:xdist pydantic:pydantic orjson:orjson confluent-kafka:confluent_kafka boto3:boto3 "moto[server]:moto.server" zstandard:zstandard pyarrow:pyarrow duckdb:duckdb pyyaml:yaml schemathesis:schemathesis pandas:pandas scikit-learn:sklearn zat:zat pycef:pycef syslog-rfc5424-parser:syslog_rfc5424_parser)
  need=()
  for entry in "${python_packages[@]}"; do
    python3 -c "import ${entry#*:}" >/dev/null 2>&1 || need+=("${entry%%:*}")
  done
  if [ "${#need[@]}" -gt 0 ]; then
    echo "installing Python packages: ${need[*]}"
    python3 -m pip install -q "${need[@]}"
  fi
fi
