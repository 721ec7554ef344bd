# Everything runs from .venv, created on first use with the machine's python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := db/demo.sqlite
TEAM_DB := db/team.sqlite

.PHONY: demo demo-team demo-reset test lint bench bench-smoke setup clean

# Runtime dependencies only: enough to import and annotate.
$(VENV)/.runtime: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e .
	touch $@

# Test, lint and benchmark tools, and the peer libraries used as oracles.
$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

setup: $(VENV)/.dev

demo: $(VENV)/.runtime
	$(BIN)/annotator --db $(DEMO_DB) import samples/
	$(BIN)/annotator --db $(DEMO_DB) annotate

# The samples labelled by two annotators (demo/), on the agreement screen. Importing again
# changes nothing, so this can be run any number of times.
demo-team: $(VENV)/.runtime
	$(BIN)/annotator --db $(TEAM_DB) import samples/
	$(BIN)/annotator --db $(TEAM_DB) import-labels demo/team-labels.jsonl --format jsonl
	$(BIN)/annotator --db $(TEAM_DB) agreement --tui

demo-reset:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(TEAM_DB) $(TEAM_DB)-wal $(TEAM_DB)-shm

test: $(VENV)/.dev
	$(BIN)/ruff check annotator tests benchmarks
	$(BIN)/ruff format --check annotator tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# The rules in pyproject.toml, line length included; the layout is `ruff format`'s.
lint: $(VENV)/.dev
	$(BIN)/ruff check annotator tests benchmarks
	$(BIN)/ruff format --check annotator tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/segmentation.py
	$(BIN)/python benchmarks/import.py

# Each benchmark on tiny data: it still runs (tests/test_bench_smoke.py, part of make test).
bench-smoke: $(VENV)/.dev
	$(BIN)/python -m pytest -q tests/test_bench_smoke.py tests/test_bench_adjudicate.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
