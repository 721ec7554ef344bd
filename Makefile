# Everything runs from .venv, created on first use with the machine's python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := db/demo.sqlite
TEAM_DB := db/team.sqlite

.PHONY: demo demo-team demo-reset test test-consumers lint bench bench-smoke setup clean

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

# A team of three annotators (alice, bob, carol) and an adjudicator (dana) on the samples:
# one calibration article for all three, the other to alice and bob, whose labels
# (demo/team-labels.jsonl) are imported; carol's calibration is still to do. Then the team's
# status and the agreement screen (TEAM_SHOW). Every step changes nothing the second time
# (members are added once, assign adds only unassigned articles), so this can be run any
# number of times.
TEAM_SHOW ?= agreement --tui
demo-team: $(VENV)/.runtime
	$(BIN)/annotator --db $(TEAM_DB) import samples/
	@members="$$($(BIN)/annotator --db $(TEAM_DB) team list)" && for who in alice bob carol dana; do \
		echo "$$members" | grep -q "^$$who " || \
		$(BIN)/annotator --db $(TEAM_DB) team add $$who \
			--role $$(test $$who = dana && echo adjudicator || echo annotator) || exit 1; \
	done
	$(BIN)/annotator --db $(TEAM_DB) assign --per-article 2 --calibration 1 --seed 1
	$(BIN)/annotator --db $(TEAM_DB) import-labels demo/team-labels.jsonl --format jsonl
	$(BIN)/annotator --db $(TEAM_DB) status --no-articles
	$(BIN)/annotator --db $(TEAM_DB) $(TEAM_SHOW)

demo-reset:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(TEAM_DB) $(TEAM_DB)-wal $(TEAM_DB)-shm

test: $(VENV)/.dev
	$(BIN)/ruff check annotator tests benchmarks
	$(BIN)/ruff format --check annotator tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/mypy tests benchmarks
	$(BIN)/python -m pytest -q

# Exports loaded into the real consumers. Label Studio pins its own dependencies, so it gets
# a venv of its own (.venv-ls, about 2.5 minutes to install; its first start migrates a
# throwaway database for about 2 minutes more); the tests start it on 127.0.0.1.
LS_VENV := .venv-ls
$(LS_VENV)/.installed:
	test -x $(LS_VENV)/bin/python || $(PYTHON) -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install -q --disable-pip-version-check 'label-studio>=1.20,<2' 'sentry-sdk<3'
	touch $@

# doccano 1.8.4's own pins have drifted: it needs marshmallow<4 and numpy<2 (about 6 minutes)
DOCCANO_VENV := .venv-doccano
$(DOCCANO_VENV)/.installed:
	test -x $(DOCCANO_VENV)/bin/python || $(PYTHON) -m venv $(DOCCANO_VENV)
	$(DOCCANO_VENV)/bin/python -m pip install -q --disable-pip-version-check \
		'doccano==1.8.4' 'marshmallow<4' 'numpy<2'
	touch $@

# spaCy for the textcat DocBin test (no model: spacy.blank works offline)
SPACY_VENV := .venv-spacy
$(SPACY_VENV)/.installed:
	test -x $(SPACY_VENV)/bin/python || $(PYTHON) -m venv $(SPACY_VENV)
	$(SPACY_VENV)/bin/python -m pip install -q --disable-pip-version-check 'spacy>=3.7,<4'
	touch $@

test-consumers: $(VENV)/.dev $(LS_VENV)/.installed $(DOCCANO_VENV)/.installed \
		$(SPACY_VENV)/.installed
	$(BIN)/python -m pytest -q -m consumer

# The rules in pyproject.toml, line length included; the layout is `ruff format`'s.
lint: $(VENV)/.dev
	$(BIN)/ruff check annotator tests benchmarks
	$(BIN)/ruff format --check annotator tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/mypy tests benchmarks

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/segmentation.py
	$(BIN)/python benchmarks/import.py

# Each benchmark on tiny data: it still runs (tests/test_bench_smoke.py, part of make test).
bench-smoke: $(VENV)/.dev
	$(BIN)/python -m pytest -q tests/test_bench_smoke.py tests/test_bench_adjudicate.py

clean:
	rm -rf $(VENV) $(LS_VENV) $(DOCCANO_VENV) build dist .pytest_cache
