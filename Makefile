# Ronagh — `make demo` to see it, `make test` to check it, `make setup` for the set-up alone.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/ronagh
export RONAGH_DATA_DIR ?= $(CURDIR)/var

.PHONY: setup demo test test-sqlite test-postgres lint messages browser-deps screenshots clean

setup: $(BIN)/.installed node_modules/.installed messages
	@mkdir -p var
	RONAGH_TESTING=1 $(BIN)/ronagh manage migrate --noinput -v 0

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

messages: $(BIN)/.installed
	@command -v msgfmt >/dev/null || (apt-get update -q >/dev/null && apt-get install -y -q gettext >/dev/null)
	cd src/ronagh && RONAGH_TESTING=1 ../../$(BIN)/django-admin compilemessages --settings=ronagh.settings -v 0

demo: setup
	$(BIN)/ronagh demo

browser-deps:
	@test -x /usr/bin/chromium || (apt-get update -q && apt-get install -y -q chromium)

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test: setup browser-deps lint test-sqlite test-postgres

test-sqlite:
	RONAGH_TESTING=1 DATABASE_URL= $(BIN)/pytest

# PostgreSQL whenever it answers on 127.0.0.1:5432 (CI always has it).
test-postgres:
	@if $(BIN)/python -c "import psycopg; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL =="; RONAGH_TESTING=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest; \
	else echo "PostgreSQL does not answer on 127.0.0.1:5432: skipped"; fi

screenshots: setup browser-deps
	@command -v pdftoppm >/dev/null || (apt-get update -q && apt-get install -y -q poppler-utils)
	RONAGH_TESTING=1 $(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) node_modules var
