# policyqa: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# another apt-get (an unattended upgrade, a parallel setup) holds its lock: wait for it instead of failing
APT_WAIT := -o DPkg::Lock::Timeout=600

.DEFAULT_GOAL := help

.PHONY: help setup setup-system setup-browser run test test-fast lint format results bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# the CPU wheel of torch lies on local disk; an unpinned torch would pull a CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[dev,milvus]"
	touch $(STAMP)

setup: $(STAMP) setup-system ## create .venv and install everything (idempotent)

setup-system: ## install Debian's tesseract OCR with its Chinese model, when missing (apt-get; needs root)
	@{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx chi_sim; } || { \
	  echo "installing tesseract-ocr + tesseract-ocr-chi-sim for scanned PDFs (apt-get; needs root)"; \
	  { apt-get $(APT_WAIT) update -qq && DEBIAN_FRONTEND=noninteractive apt-get $(APT_WAIT) install -y -qq tesseract-ocr tesseract-ocr-chi-sim >/dev/null; } \
	  || echo "could not install tesseract: scanned PDFs will be refused with a message saying so" >&2; }

setup-browser: ## install Debian's chromium (and a CJK font, also used to render OCR test pages), when missing
	@{ command -v chromium >/dev/null 2>&1 && test -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc; } || { \
	  echo "installing chromium and fonts-wqy-zenhei for the browser and OCR tests (apt-get; needs root)"; \
	  apt-get $(APT_WAIT) update -qq && DEBIAN_FRONTEND=noninteractive apt-get $(APT_WAIT) install -y -qq chromium fonts-wqy-zenhei >/dev/null; }

run: setup ## set up and serve the bundled corpus on 127.0.0.1:8000 (builds the index on first run)
	$(BIN)/policyqa serve

test: setup setup-browser ## run the whole test suite (what CI runs)
	$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

test-fast: setup ## the tests without the slow marker
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

results: setup ## re-measure and rewrite the README's Results section (both libraries: dev + own set; STARD)
	$(BIN)/python -m evaluation.readme_results $(RESULTS_ARGS)

bench: setup ## print the speed benchmarks (build, search/ask latency, BM25 at 100k, HNSW recall)
	$(BIN)/python bench/build_and_search.py
	$(BIN)/python bench/bm25_scale.py
	$(BIN)/python bench/hnsw_recall.py

clean: ## remove the built corpus store and index (var/)
	rm -rf var
