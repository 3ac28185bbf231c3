# Schakel: the few verbs a newcomer needs. `make run` and `make test` are the quick start.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: help install system-deps messages run serve test test-sqlite test-postgres test-e2e lint fmt security audit fuzz \
        test-deps postgres makemessages bench bench-peer clean

help:
	@echo "make run      install, migrate, load demo data once, serve on http://127.0.0.1:$(PORT)"
	@echo "make test     install test tools and run the whole suite (SQLite and PostgreSQL)"
	@echo "make lint     ruff, import-linter and mypy"
	@echo "make security  bandit over the code (fails on a medium or high finding)"
	@echo "make audit    known vulnerabilities in the pinned dependencies (needs PyPI's or osv.dev's data)"
	@echo "make makemessages  refresh the translation catalogues after changing strings"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Reinstall only when the lock file or the project's metadata changed.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

install: $(VENV)/.installed messages system-deps

# Libraries from the system that Python packages need: Pango and a font for WeasyPrint.
system-deps:
	@bash scripts/ensure-pango.sh

# Compile the translation catalogues with Babel (pure Python: no gettext needed).
messages: $(VENV)/.installed
	@$(BIN)/python -m schakel.lib.i18n compile

run: install
	@$(BIN)/schakel migrate --noinput
	@$(BIN)/schakel demo --once
	@echo ""
	@echo "  Schakel runs on http://127.0.0.1:$(PORT)"
	@echo "  Log in as admin, pmo, manager, member, viewer or outsider; password: $${SCHAKEL_DEMO_PASSWORD:-demo}"
	@echo "  Background tasks (e-mail, reminders, large downloads) run in a worker; its log: var/worker.log"
	@echo ""
	@$(BIN)/schakel worker > var/worker.log 2>&1 & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/schakel runserver 127.0.0.1:$(PORT)

# What the tests need beyond Python packages: Debian's Chromium and axe-core from npm.
test-deps: install
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@command -v npm >/dev/null || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --silent

# Start the local PostgreSQL server if it is installed and not answering.
postgres:
	@bash scripts/ensure-postgres.sh

test: test-deps lint security
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

# Tests that commit (and so empty the tables after them) run in a pass of their own, after
# the others: `--dist loadfile` would otherwise put them before rolled-back tests.
test-sqlite:
	@echo "== Test suite on SQLite (with browser tests) =="
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not commits"
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "commits"

test-postgres:
	@if bash scripts/ensure-postgres.sh; then \
	  echo "== Test suite on PostgreSQL =="; \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not e2e and not commits" && \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "commits and not e2e"; \
	else \
	  echo ""; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!!  NO POSTGRESQL SERVER: the PostgreSQL pass of the suite is SKIPPED  !!"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

test-e2e: test-deps
	$(BIN)/pytest -m e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy schakel config conftest.py tests

# Static security checks, part of `make test`: bandit (settings in pyproject.toml's
# [tool.bandit]) fails on any medium or high severity finding, whatever its confidence.
# The API fuzzing (schemathesis) runs inside the test suite: tests/api/test_schemathesis.py.
security: install
	@echo "== bandit: medium and high severity findings =="
	$(BIN)/bandit -c pyproject.toml -r schakel config -ll -q
	@echo "bandit: no medium or high findings"

# Known vulnerabilities in the pinned dependencies, never part of `make test`: it needs
# PyPI's vulnerability data (AUDIT_SERVICE=osv for osv.dev). --strict makes a package it
# could not check a failure, so a machine without that service fails instead of passing.
AUDIT_SERVICE ?= pypi
audit: install
	$(BIN)/pip-audit --strict --disable-pip --no-deps --progress-spinner off \
	  --vulnerability-service $(AUDIT_SERVICE) -r requirements.lock

# Coverage-guided fuzzing of the import parsers with atheris, never part of `make test`:
# FUZZ_SECONDS per parser (MS Project XML, then Excel/CSV); the corpus grows in var/fuzz/,
# a crash is saved as crash-* in the working directory with the input that caused it.
FUZZ_SECONDS ?= 300
fuzz: install
	$(BIN)/python -m fuzz.run mspdi --seconds $(FUZZ_SECONDS)
	$(BIN)/python -m fuzz.run tabular --seconds $(FUZZ_SECONDS)

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the .po catalogues from the source (needs GNU gettext: apt-get install gettext).
makemessages: install
	@command -v xgettext >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	$(BIN)/schakel makemessages -l nl -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests
	$(BIN)/schakel makemessages -d djangojs -l nl -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests

# The benchmarks (never part of `make test`), on PostgreSQL: `make bench` builds (once) or
# reuses the demo data sets of sizes S, M and L in BENCH_DATABASE_URL (size L; S and M go to
# <name>_s and <name>_m), measures pages, load, heavy jobs and growth, and stores the
# results in bench/results/<date>.json and docs/performance.md (see bench/run.py).
# BENCH_ARGS="--quick" for a smoke run, "--skip growth,load,heavy,browser" to leave parts out.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/schakel_bench
bench: install test-deps postgres
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python -m bench.run $(BENCH_ARGS)

# Side by side with Redmine 5 (Debian's packages, installed and loaded by the scripts in
# ../shared/peers/redmine; needs root): the same client on both, taking turns, and the
# ratio per measure, stored like `make bench` (see bench/peer.py). About 20 minutes.
bench-peer: install postgres
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python -m bench.run --peer $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var/static
