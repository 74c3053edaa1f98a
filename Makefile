# asgi_cycle: `make run` serves the example app, `make test` runs every test.
# Both bootstrap .venv from python3 on a fresh clone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lint typecheck pytest services bench bench-quick clean

$(STAMP): pyproject.toml
	@echo "==> bootstrapping $(VENV) (python: $$($(PYTHON) --version 2>&1))"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	@echo "==> migrating and loading demo products"
	@$(BIN)/asgi-cycle migrate
	@$(BIN)/asgi-cycle loaddata app/fixtures/products.json
	@echo "==> serving http://$(HOST):$(PORT)/products/1/ (Ctrl-C stops)"
	@$(BIN)/uvicorn app.asgi:application --host $(HOST) --port $(PORT)

services:
	@bash scripts/ensure-services.sh

lint: $(STAMP)
	@echo "==> ruff"
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

typecheck: $(STAMP)
	@echo "==> mypy (strict)"
	@$(BIN)/mypy

check: lint typecheck

pytest: $(STAMP) services
	@echo "==> pytest"
	@$(BIN)/python -m pytest $(PYTEST_ARGS)

test: check pytest

$(BENCH_STAMP): $(STAMP) benchmarks/requirements.txt
	@echo "==> installing the benchmark peers (benchmarks/requirements.txt)"
	@$(BIN)/python -m pip install --quiet -r benchmarks/requirements.txt
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	@$(BIN)/python -m benchmarks.run --full

bench-quick: $(BENCH_STAMP)
	@$(BIN)/python -m benchmarks.run --quick

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build *.egg-info
