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
	$(MAKE) --no-print-directory bench-smoke

# The rules in pyproject.toml, line length included; the layout is `ruff format`'s.
lint: $(VENV)/.dev
	$(BIN)/ruff check annotator tests benchmarks
	$(BIN)/ruff format --check annotator tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/segmentation.py
	$(BIN)/python benchmarks/import.py

# Each benchmark on tiny data, so they cannot rot unnoticed (the figures mean nothing; the
# output is kept in .venv/smoke-NAME.log and shown when one fails). babe_mbic.py has its
# test (tests/test_agreement_babe.py), so has adjudicate.py (tests/test_bench_adjudicate.py);
# export.py's smoke mode belongs to the export work.
SMOKE := segmentation import agreement annotate screen startup
bench-smoke: $(VENV)/.dev
	@for b in $(SMOKE); do \
	  echo "benchmarks/$$b.py --smoke"; \
	  $(BIN)/python benchmarks/$$b.py --smoke > $(VENV)/smoke-$$b.log 2>&1 \
	    || { cat $(VENV)/smoke-$$b.log; exit 1; }; \
	done

clean:
	rm -rf $(VENV) build dist .pytest_cache
