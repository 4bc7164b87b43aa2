# Accord: `make demo` serves the platform, `make test` runs every check.
# Everything either needs is installed here, from PyPI, npm and Debian's packages.

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo setup test lint test-sqlite test-postgres system-deps clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The translation catalogues are compiled by polib (accord.catalogues): no GNU gettext needed.
setup: $(VENV)/.installed node_modules/.installed
	$(PY) -m accord.catalogues compile >/dev/null

demo: setup
	$(VENV)/bin/accord demo --port $(PORT)

system-deps:
	scripts/system-deps.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

# Each leg runs in two passes: the unit and HTTP tests spread over $(WORKERS) processes
# (pytest-xdist, one per core), then the browser tests one at a time (each keeps a server
# and a Chromium busy already, and their waits stay honest). A test of a demo server of its
# own on its own SQLite (marker `own_server`) is the same test in both legs: it runs in the
# SQLite leg only. Plain `pytest` still runs everything, in one process.
PYTEST := $(VENV)/bin/pytest -p no:cacheprovider
WORKERS ?= 2

test-sqlite: setup
	$(PYTEST) -n $(WORKERS) -m "not browser and not own_server"
	$(PYTEST) -m "browser or own_server"

test-postgres: setup
	scripts/with-postgres.sh sh -c '$(PYTEST) -n $(WORKERS) -m "not browser and not own_server" && $(PYTEST) -m "browser and not own_server"'

test: setup system-deps lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) node_modules var test-artifacts
