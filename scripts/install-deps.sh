#!/usr/bin/env bash
# Installs what building, testing, the demo and the benchmarks need: Debian's libdeflate and ISA-L (gzip),
# libzstd, libsnappy, liblz4 (Parquet codecs) and librdkafka (Kafka), pkg-config; for tests and
# benchmarks kcat and the Python tools that read our output independently (json, csv, pydantic,
# confluent-kafka, boto3 and moto, pyarrow and duckdb).
# Idempotent: installs only what is missing. Usage: scripts/install-deps.sh [build|test|bench]
set -euo pipefail
what="${1:-test}"

apt_packages=(pkg-config libdeflate-dev libisal-dev libzstd-dev libsnappy-dev liblz4-dev librdkafka-dev)
if [ "$what" = "test" ] || [ "$what" = "bench" ]; then
  apt_packages+=(kcat redis-server)
fi
if [ "$what" = "bench" ]; then
  apt_packages+=(wrk)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$what" = "test" ] || [ "$what" = "bench" ]; then
  # pip name:import name
  python_packages=(pytest:pytest pydantic:pydantic orjson:orjson confluent-kafka:confluent_kafka boto3:boto3 "moto[server]:moto.server" zstandard:zstandard pyarrow:pyarrow duckdb:duckdb)
  need=()
  for entry in "${python_packages[@]}"; do
    python3 -c "import ${entry#*:}" >/dev/null 2>&1 || need+=("${entry%%:*}")
  done
  if [ "${#need[@]}" -gt 0 ]; then
    echo "installing Python packages: ${need[*]}"
    python3 -m pip install -q "${need[@]}"
  fi
fi
