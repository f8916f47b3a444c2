#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (swiftc -sanitize=fuzzer,address) of the parsers that read
# bytes from outside: the strict flow-record validator and RecordSlot (TelemetryModel), the
# ingester's JSON and CSV report bodies, the RESP parser (on SwiftNIO's ByteBuffer) and the
# Parquet reader with its writer (TelemetryFormats/Parquet, on Debian's codec libraries). Each
# harness in Fuzz/ checks properties, not only "no crash" (see the comment at its entry point).
#
# Usage: scripts/fuzz.sh [SECONDS]   (each harness fuzzes SECONDS, 60 by default)
#
# Builds into .build-fuzz/ only (never .build/): TelemetryModel once as a static library, the
# validator and ingester harnesses with swiftc from file lists, the RESP harness with SwiftPM
# (Fuzz/Package.swift, for NIOCore). A harness is rebuilt only when a hash of its inputs (sources,
# flags, compiler) changed. Each harness runs, with the dictionary Fuzz/dict/<harness>.dict of the
# words its format knows, on a copy of Fuzz/corpus/<harness> in
# .build-fuzz/corpus/<harness> (inputs found earlier stay there for the next run; the repository's
# corpus is not touched), FUZZ_PARALLEL at a time (default: the number of cores).
# Exits non-zero when a harness finds a crash or a broken property, printing the input's path,
# its hex and the log's message.
# Environment: SWIFTC, SWIFT (the compilers), FUZZ_PARALLEL, FUZZ_ONLY (names of harnesses to run,
# space separated), FUZZ_ARGS (more libFuzzer flags).
set -euo pipefail

seconds="${1:-60}"
case "$seconds" in "" | 0 | *[!0-9]*) echo "usage: $0 [SECONDS] (at least 1)" >&2; exit 2 ;; esac

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/.build-fuzz"
swiftc="${SWIFTC:-swiftc}"
swift="${SWIFT:-swift}"
parallel="${FUZZ_PARALLEL:-$(nproc 2>/dev/null || echo 2)}"
harnesses=(validator ingest-json ingest-csv parquet resp)
only="${FUZZ_ONLY:-${harnesses[*]}}"
mkdir -p "$out/bin" "$out/modules" "$out/stamps" "$out/logs" "$out/corpus" "$out/artifacts"

# The runtime's own crash report (swift-backtrace) can hang under libFuzzer; ASan and libFuzzer
# print the stack.
export SWIFT_BACKTRACE=enable=no

flags=(-O -sanitize=fuzzer,address -parse-as-library -swift-version 6 -enable-upcoming-feature ExistentialAny -g)
compiler="$("$swiftc" --version 2>&1 | head -1)"

# MARK: - Building

# stamp NAME FILE...: a hash of the compiler, the flags and the files' contents (links followed).
stamp() {
  local name="$1"
  shift
  { echo "$compiler"; echo "${flags[*]}"; echo "$name"; for f in "$@"; do echo "== $f"; cat "$f"; done; } | sha256sum | cut -d' ' -f1
}

# fresh NAME HASH OUTPUT: whether OUTPUT exists and was built from inputs with this hash.
fresh() {
  [ -e "$3" ] && [ -f "$out/stamps/$1" ] && [ "$(cat "$out/stamps/$1")" = "$2" ]
}

build_failed() {
  echo "fuzz: building $1 failed; its log, $2:" >&2
  tail -40 "$2" >&2
  exit 1
}

model_sources=("$root"/Sources/TelemetryModel/*.swift)
ingester_sources=(
  "$root"/Sources/Ingester/{ReportParser,ReportField,ReportRules,SwitchReport,NumberText,DurationText,ReportJSONReader,ReportJSONReader+Syntax,ReportCSVReader}.swift
)
# The Parquet reader and writer, with the raw vector their hot loops append to (the byte buffer they
# write into is TelemetryModel's); the codecs' module maps (Sources/C*) name the libraries to link.
parquet_sources=("$root"/Sources/TelemetryFormats/Parquet/*.swift "$root"/Sources/TelemetryFormats/RawVector.swift)
codec_includes=(-I "$root/Sources/CDeflate" -I "$root/Sources/CZstd" -I "$root/Sources/CSnappy" -I "$root/Sources/CLz4")
support="$root/Fuzz/Support"
declare -A harness_sources=(
  [validator]="$root/Fuzz/ValidatorFuzz.swift $support/FuzzCheck.swift $support/FoundationJSON.swift"
  [ingest-json]="${ingester_sources[*]} $root/Fuzz/IngestJSONFuzz.swift $support/FuzzCheck.swift $support/FoundationJSON.swift $support/ReportBodies.swift"
  [ingest-csv]="${ingester_sources[*]} $root/Fuzz/IngestCSVFuzz.swift $support/FuzzCheck.swift $support/ReportBodies.swift"
  [parquet]="${parquet_sources[*]} $root/Fuzz/ParquetFuzz.swift $support/FuzzCheck.swift"
)
declare -A harness_module=([validator]=ValidatorFuzz [ingest-json]=IngestJSONFuzz [ingest-csv]=IngestCSVFuzz [parquet]=ParquetFuzz)
resp_binary="$out/spm/release/resp-fuzz"

wants() { [[ " $only " == *" $1 "* ]]; }

build_resp() {
  local hash log="$out/logs/resp.build.log"
  hash="$(stamp resp "$root/Fuzz/Package.swift" "$root"/Fuzz/RESP/*.swift)"
  if fresh resp "$hash" "$resp_binary"; then return 0; fi
  # --sanitize fuzzer makes SwiftPM link libFuzzer's main; the target's own flags add ASan to it.
  if ! "$swift" build -c release --sanitize fuzzer --package-path "$root/Fuzz" --scratch-path "$out/spm" --product resp-fuzz >"$log" 2>&1; then
    return 1
  fi
  echo "$hash" >"$out/stamps/resp"
}

build_started=$(date +%s)
resp_pid=""
if wants resp; then
  build_resp &
  resp_pid=$!
fi

model_hash="$(stamp TelemetryModel "${model_sources[@]}")"
if ! fresh TelemetryModel "$model_hash" "$out/modules/libTelemetryModel.a"; then
  "$swiftc" "${flags[@]}" -module-name TelemetryModel -emit-module -emit-module-path "$out/modules/TelemetryModel.swiftmodule" \
    -emit-library -static -o "$out/modules/libTelemetryModel.a" "${model_sources[@]}" >"$out/logs/TelemetryModel.build.log" 2>&1 ||
    build_failed TelemetryModel "$out/logs/TelemetryModel.build.log"
  echo "$model_hash" >"$out/stamps/TelemetryModel"
fi

for name in validator ingest-json ingest-csv parquet; do
  wants "$name" || continue
  read -r -a sources <<<"${harness_sources[$name]}"
  hash="$(stamp "$name" "${sources[@]}"; echo "$model_hash")"
  binary="$out/bin/$name-fuzz"
  fresh "$name" "$hash" "$binary" && continue
  log="$out/logs/$name.build.log"
  includes=()
  [ "$name" = parquet ] && includes=("${codec_includes[@]}")
  "$swiftc" "${flags[@]}" -use-ld=lld -module-name "${harness_module[$name]}" -I "$out/modules" -L "$out/modules" -lTelemetryModel \
    "${includes[@]}" "${sources[@]}" -o "$binary" >"$log" 2>&1 || build_failed "$name" "$log"
  echo "$hash" >"$out/stamps/$name"
  # Warnings, if any, are worth seeing.
  grep -E 'warning:' "$log" >&2 || true
done

if [ -n "$resp_pid" ]; then
  wait "$resp_pid" || build_failed resp "$out/logs/resp.build.log"
  # ld.gold's note on an ASan symbol is the only line expected here.
  grep -E 'warning:|error:' "$out/logs/resp.build.log" | grep -v "Cannot export local symbol '__asan" >&2 || true
fi
echo "fuzz: harnesses built in $(($(date +%s) - build_started)) s"

# MARK: - Fuzzing

binary_of() {
  if [ "$1" = resp ]; then echo "$resp_binary"; else echo "$out/bin/$1-fuzz"; fi
}

# run NAME: fuzzes one harness; its log is .build-fuzz/logs/NAME.log.
run() {
  local name="$1" binary corpus artifacts log dict=()
  binary="$(binary_of "$name")"
  [ -f "$root/Fuzz/dict/$name.dict" ] && dict=(-dict="$root/Fuzz/dict/$name.dict")
  corpus="$out/corpus/$name"
  artifacts="$out/artifacts/$name"
  log="$out/logs/$name.log"
  mkdir -p "$corpus" "$artifacts"
  cp -p "$root/Fuzz/corpus/$name"/* "$corpus/"
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict[@]}" ${FUZZ_ARGS:-} "$corpus" >"$log" 2>&1
}

# summary NAME STATUS: one line from the final statistics; the input and message of a failure.
summary() {
  local name="$1" status="$2" log="$out/logs/$1.log" runs rate took cov ft corp
  # (Any of these may be missing, after a crash.)
  runs="$(grep -E '^stat::number_of_executed_units:' "$log" | tail -1 | awk '{print $2}' || true)"
  rate="$(grep -E '^stat::average_exec_per_sec:' "$log" | tail -1 | awk '{print $2}' || true)"
  took="$(grep -Eo '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $5}' || true)"
  cov="$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | awk '{print $2}' || true)"
  ft="$(grep -Eo 'ft: [0-9]+' "$log" | tail -1 | awk '{print $2}' || true)"
  corp="$(grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | awk '{print $2}' || true)"
  local verdict=ok
  [ "$status" -eq 0 ] || verdict="FAILED (exit $status)"
  printf 'fuzz: %-12s %s runs in %s s (%s/s), coverage %s, features %s, corpus %s: %s\n' \
    "$name" "${runs:-?}" "${took:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$verdict"
  [ "$status" -eq 0 ] && return 0
  local found=0
  while IFS= read -r input; do
    found=1
    echo "  input: $input ($(wc -c <"$input") bytes)"
    echo "  hex:   $(od -An -v -tx1 "$input" | tr -d ' \n')"
  done < <(grep -Eo "Test unit written to [^ ]+" "$log" | awk '{print $5}' || true)
  [ "$found" -eq 1 ] || echo "  (no input was written; see the log)"
  grep -E 'Fatal error|property broken|ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|SUMMARY:' "$log" | head -5 | sed 's/^/  /' || true
  echo "  log:   $log"
}

names=()
for name in "${harnesses[@]}"; do wants "$name" && names+=("$name"); done
for name in "${names[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
  rm -f "$out/logs/$name.status"
  { run "$name" && echo 0 || echo $?; } >"$out/logs/$name.status" &
done
wait
failed=0
for name in "${names[@]}"; do
  status="$(cat "$out/logs/$name.status" 2>/dev/null || echo 1)"
  [ "$status" -eq 0 ] || failed=1
  summary "$name" "$status"
done
exit "$failed"
