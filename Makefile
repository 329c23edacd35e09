# `make run`: the app on SQLite with demo content. `make test`: the whole suite on SQLite and PostgreSQL at once.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# pytest-xdist processes per database (`auto`: one per CPU); `make test-sqlite PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH
export SURVEY_ENV ?= development

.PHONY: run test test-sqlite test-postgres install check-content browser-deps assets

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

# Both halves at once, each over PYTEST_WORKERS processes; each half's output is printed whole when it
# ends (--output-sync), and the run fails if either fails. Waiting on the browser, the worker processes
# and the databases leaves CPU idle, so two halves on a 2-core machine still gain.
test: install browser-deps
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# The browser tests (tests/browser/) need Debian's Chromium and axe-core from npm; never skipped.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

# The design system's CSS, JS and icons are committed under static/vendor/nhsuk/ (so `make run` needs
# only Python); `make assets` rebuilds them from the pinned npm packages and
# tests/test_design_assets.py fails when the committed files differ from that build.
NHSUK := node_modules/nhsuk-frontend/dist/nhsuk
assets: node_modules/.package-lock.json
	node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
		assets/design.scss static/vendor/nhsuk/nhsuk.css
	cp $(NHSUK)/nhsuk-frontend.min.js static/vendor/nhsuk/
	for icon in arrow-down arrow-up-down arrow-up cross; do \
		cp $(NHSUK)/assets/images/nhsuk-icon-$$icon.svg static/vendor/nhsuk/images/; done

browser-deps: node_modules/.package-lock.json
	@test -x "$(CHROMIUM_PATH)" || { echo "Chromium not found at $(CHROMIUM_PATH): the browser tests need it." \
		"Install it with 'apt-get install chromium' (Debian/Ubuntu) or set CHROMIUM_PATH." >&2; exit 1; }

test-sqlite: install browser-deps
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

# Fails loudly when PostgreSQL is not reachable: the fixture refuses to skip.
test-postgres: install browser-deps
	TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -n $(PYTEST_WORKERS)
