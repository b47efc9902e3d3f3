# mooc-builder: `make build` sets up and builds the reference courses; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: build test lint typecheck unit check clean serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: $(STAMP)
	$(BIN)/mooc build content -o _site

check: $(STAMP)
	$(BIN)/mooc check content

lint: $(TEST_STAMP)
	$(BIN)/ruff check mooc_builder tests

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

unit: $(TEST_STAMP)
	$(BIN)/pytest

test: lint typecheck unit

clean:
	rm -rf _site dist build .pytest_cache .mypy_cache .ruff_cache
