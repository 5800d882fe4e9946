# newsflow: the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
VENV ?= .venv
PYTHON := $(VENV)/bin/python
DATA ?= data

.PHONY: run test build release deps test-deps venv unit e2e fuzz clean ner-model ner-model-check alerts-check soak chaos

## Build in release and run the whole pipeline on samples/ with the default config until Ctrl-C.
run: deps release
	mkdir -p $(DATA)/inbox
	cp -n samples/*.txt $(DATA)/inbox/ 2>/dev/null || true
	.build/release/newsflow run --config config/newsflow.yaml --data-dir $(DATA)

## Install what the tests need and run every test.
test: deps test-deps venv
	$(MAKE) --no-print-directory alerts-check
	$(SWIFT) build --build-tests
	NEWSFLOW_PYTHON=$(abspath $(PYTHON)) NEWSFLOW_BIN=$(abspath .build/debug/newsflow) $(SWIFT) test
	Tests/Fuzz/fuzz.sh 8
	@echo "HTML extraction on NAEB, release build, beside trafilatura (speeds: medians of 3 alternating runs):"
	$(SWIFT) build -c release --product newsflow
	$(MAKE) --no-print-directory ner-model-check
	$(PYTHON) bench/naeb_score.py --bin .build/release/newsflow --runs 3

## The Prometheus alerting rules in deploy/: valid, and each fires on its case and not on its look-alike.
alerts-check:
	cd deploy/prometheus && promtool check rules newsflow-alerts.yml && promtool test rules newsflow-alerts.test.yml

## The shipped entity model, rebuilt from CoNLL-2003 train (chosen on valid); deterministic, so the
## result is byte for byte the committed file. NER_DATA points elsewhere for your own annotated files.
NER_DATA ?= ../shared/corpus/conll2003
NER_UNLABELED ?= ../shared/corpus/reuters21578 ../shared/corpus/bbc ../shared/corpus/naeb/articles.json
NER_MODEL := Sources/ArticleParsing/Resources/en-conll2003.nfner
NER_TRAIN = .build/release/newsflow ner train $(NER_DATA)/train.txt --valid $(NER_DATA)/valid.txt --unlabeled $(NER_UNLABELED)
ner-model: release
	$(NER_TRAIN) --out $(NER_MODEL)

## Checks that the committed model is what `ner train` produces from the training data.
ner-model-check:
	@if [ ! -f $(NER_DATA)/train.txt ]; then echo "ner-model-check skipped: no $(NER_DATA)/train.txt"; exit 0; fi; \
	tmp=$$(mktemp -d); \
	$(NER_TRAIN) --out $$tmp/model.nfner && \
	if cmp -s $$tmp/model.nfner $(NER_MODEL); then echo "ner-model-check: the committed model is what ner train produces"; rm -rf $$tmp; \
	else echo "ner-model-check: $(NER_MODEL) differs from what ner train produces (run make ner-model)"; rm -rf $$tmp; exit 1; fi

## Fuzz every libFuzzer target for FUZZ_SECONDS each (default 600); crashes land in .build-fuzz/crashes/.
FUZZ_SECONDS ?= 600
fuzz:
	Tests/Fuzz/fuzz.sh $(FUZZ_SECONDS)

## Months without attention, in about 40 minutes (not in CI; needs root for its tmpfs folders): 10^6 articles
## offered at a steady rate while roles are SIGKILLed at random, out/ and journal/ fill up once each and the
## configuration is reloaded twice; then nothing lost, nothing duplicated, verify clean, memory flat.
soak: deps venv release
	$(PYTHON) bench/soak.py --bin .build/release/newsflow

## The chaos test at scale (not in CI; about an hour): CHAOS_SEEDS seeds of CHAOS_ARTICLES articles each,
## on the release build; one summary line per seed.
CHAOS_SEEDS ?= 1-20
CHAOS_ARTICLES ?= 100000
chaos: deps venv release
	$(SWIFT) build --build-tests
	mkdir -p $(DATA); set -o pipefail; CHAOS_SEEDS=$(CHAOS_SEEDS) CHAOS_ARTICLES=$(CHAOS_ARTICLES) \
	NEWSFLOW_PYTHON=$(abspath $(PYTHON)) NEWSFLOW_BIN=$(abspath .build/release/newsflow) \
	$(SWIFT) test --skip-build --filter "ChaosTests/chaos" 2>&1 | tee $(DATA)/chaos.log | grep -E "chaos seed|passed after|failed|error"

## Only the fast tests (no processes, no sockets between processes).
unit: deps
	$(SWIFT) test --skip PipelineTests

## Only the end-to-end tests.
e2e: deps venv
	$(SWIFT) build --build-tests
	NEWSFLOW_PYTHON=$(abspath $(PYTHON)) NEWSFLOW_BIN=$(abspath .build/debug/newsflow) $(SWIFT) test --filter PipelineTests

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## libzmq's and zlib's headers and libraries (Debian: libzmq3-dev, zlib1g-dev), installed only when missing.
deps:
	@if [ ! -f /usr/include/zmq.h ] || [ ! -f /usr/include/zlib.h ]; then \
		echo "installing libzmq3-dev zlib1g-dev"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libzmq3-dev zlib1g-dev; \
	fi

## Outside tools the tests use: promtool (Debian's prometheus package) checks /metrics; tcpdump captures the
## wire in the CURVE test; iproute2 makes the network namespaces of the multi-host test.
test-deps:
	@if ! command -v tcpdump >/dev/null || ! command -v ip >/dev/null; then \
		echo "installing tcpdump iproute2"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends tcpdump iproute2 >/dev/null || \
		( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends tcpdump iproute2 >/dev/null ); \
	fi
	@if ! command -v promtool >/dev/null; then \
		echo "installing promtool (prometheus)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null || \
		( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null ); \
	fi

## Python tools the tests use as outside clients and validators (pyzmq, jsonschema).
venv: $(VENV)/.installed
$(VENV)/.installed: Tests/python/requirements.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install -q --disable-pip-version-check -r Tests/python/requirements.txt
	touch $@

clean:
	rm -rf .build $(VENV)
