# `make run`: the app on SQLite with demo content. `make test`: the whole suite on SQLite and PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export SURVEY_ENV ?= development

.PHONY: run test test-sqlite test-postgres install check-content

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi seed-demo
	$(BIN)/flask --app wsgi run --host 127.0.0.1 --port 5000

check-content: install
	$(BIN)/flask --app wsgi check-content

test: test-sqlite test-postgres

test-sqlite: install
	$(BIN)/python -m pytest

# Fails loudly when PostgreSQL is not reachable: the fixture refuses to skip.
test-postgres: install
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest
