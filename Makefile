# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-sqlite test-postgres lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The Firefox check of the browser tests drives Debian's firefox-esr with puppeteer-core (npm).
# Without npm it is skipped locally (CI installs what it needs and requires it).
FIREFOX_CHECK := tests/browser/firefox
FIREFOX_STAMP := $(FIREFOX_CHECK)/node_modules/.installed

$(FIREFOX_STAMP): $(FIREFOX_CHECK)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(FIREFOX_CHECK) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the Firefox browser check will be skipped"; fi

install: $(STAMP)

run: $(STAMP)
	$(BIN)/integrations serve --demo --host 127.0.0.1 --port 8000

# The whole suite, on SQLite and on PostgreSQL (DATABASE_TEST_URL, default the local server).
test: $(STAMP) $(FIREFOX_STAMP)
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache $(FIREFOX_CHECK)/node_modules
