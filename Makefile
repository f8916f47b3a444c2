# NetChaos: `make demo` runs a short generation, `make test` runs every test, `make bench` the benchmarks.
SWIFT ?= swift
OUT ?= netchaos-out

.PHONY: demo test build release bench deps clean

deps:
	@scripts/install-deps.sh build

release: deps
	$(SWIFT) build -c release --product netchaos

build:
	$(SWIFT) build --build-tests

demo: release
	@echo "== 10 flow events to the screen (20 events/s, with chaos) =="
	.build/release/netchaos generate --rate 20 --count 10 --seed 7 --log-interval 0
	@echo
	@echo "== 200,000 flow events as fast as possible to $(OUT)/flows.jsonl and $(OUT)/flows.csv =="
	.build/release/netchaos generate --rate max --count 200000 --seed 7 --output $(OUT)/flows.jsonl --output $(OUT)/flows.csv --log-interval 0 --progress off
	@echo
	@echo "Files written:"
	@ls -l $(OUT)/flows.jsonl $(OUT)/flows.csv
	@echo "Look at them: head -3 $(OUT)/flows.jsonl ; grep -c port_scan $(OUT)/flows.jsonl"

test:
	@scripts/install-deps.sh test
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	NETCHAOS_BIN=$(CURDIR)/.build/debug/netchaos python3 -m pytest -q tests/e2e

bench: release
	@scripts/install-deps.sh bench
	python3 Benchmarks/generate_bench.py --binary .build/release/netchaos
	python3 Benchmarks/parquet_bench.py --binary .build/release/netchaos
	python3 Benchmarks/kafka_bench.py --binary .build/release/netchaos
	python3 Benchmarks/sink_bench.py --binary .build/release/netchaos --batch-size 20000
	python3 Benchmarks/ingest_bench.py --binary .build/release/netchaos

clean:
	rm -rf .build $(OUT)
