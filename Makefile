# NetChaos: `make demo` runs the whole pipeline for a short while (netchaos up), `make test` runs every test, `make bench` the benchmarks.
SWIFT ?= swift
OUT ?= netchaos-out

.PHONY: demo test build release bench deps clean fuzz

deps:
	@scripts/install-deps.sh build

release: deps
	$(SWIFT) build -c release --product netchaos

build:
	$(SWIFT) build --build-tests

DEMO_PORT ?= 8080
DEMO_SECONDS ?= 30

demo: release
	@echo "== 10 flow events to the screen (20 events/s, with chaos) =="
	.build/release/netchaos generate --rate 20 --count 10 --seed 7 --log-interval 0
	@echo
	@echo "== netchaos up for $(DEMO_SECONDS) s: flows -> in-process queue -> sink -> $(OUT)/data; switch metrics -> ingester =="
	@echo "   Live page:      http://localhost:$(DEMO_PORT)/   (open it while this runs)"
	@echo "   Prometheus:     http://localhost:$(DEMO_PORT)/metrics"
	@echo "   Switch metrics: http://localhost:$(DEMO_PORT)/telemetry/ListMetrics"
	.build/release/netchaos up --port $(DEMO_PORT) --duration $(DEMO_SECONDS)s --seed 7 --store file:$(OUT)/data --flush-interval 2s --log-interval 10
	@echo
	@echo "Objects the sink stored under $(OUT)/data (valid records in ingest/, refused ones with their reason in dlq/):"
	@find $(OUT)/data -name '*.json.gz' | sort | tail -5
	@echo "$$(find $(OUT)/data/ingest -name '*.json.gz' | wc -l) record objects, $$(find $(OUT)/data/dlq -name '*.json.gz' 2>/dev/null | wc -l) dead-letter objects."
	@echo "Look at one: zcat \$$(find $(OUT)/data/ingest -name '*.json.gz' | head -1) | head -2"

# End-to-end test files run two at a time (each file's servers stay in one worker).
E2E_WORKERS ?= 2

test:
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	NETCHAOS_BIN=$(CURDIR)/.build/debug/netchaos python3 -m pytest -q -n $(E2E_WORKERS) --dist loadfile --durations=20 tests/e2e

bench: release
	@scripts/install-deps.sh bench
	@# Every benchmark runs; those whose targets were not met are named at the end (exit 1).
	@missed=""; \
	for bench in generate_bench.py parquet_bench.py netflow_bench.py pcap_bench.py zeek_bench.py kafka_bench.py "sink_bench.py --batch-size 20000" ingest_bench.py up_bench.py; do \
		echo "== python3 Benchmarks/$$bench --binary .build/release/netchaos"; \
		python3 Benchmarks/$$bench --binary .build/release/netchaos || missed="$$missed $${bench%% *}"; \
	done; \
	if [ -n "$$missed" ]; then echo "targets not met or benchmark failed:$$missed"; exit 1; fi

FUZZ_SECONDS ?= 60

# Coverage-guided fuzzing (libFuzzer, AddressSanitizer) of the parsers that read outside bytes; builds in .build-fuzz/.
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf .build $(OUT)
