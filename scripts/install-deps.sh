#!/usr/bin/env bash
# Installs what building, testing, the demo and the benchmarks need: Debian's libdeflate (gzip),
# pkg-config, and the Python tools the tests and benchmarks read our output with.
# Idempotent: installs only what is missing. Usage: scripts/install-deps.sh [build|test|bench]
set -euo pipefail
what="${1:-test}"

apt_packages=(pkg-config libdeflate-dev)
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
  python_packages=(pytest pydantic orjson)
  need=()
  for p in "${python_packages[@]}"; do
    python3 -c "import $p" >/dev/null 2>&1 || need+=("$p")
  done
  if [ "${#need[@]}" -gt 0 ]; then
    echo "installing Python packages: ${need[*]}"
    python3 -m pip install -q "${need[@]}"
  fi
fi
