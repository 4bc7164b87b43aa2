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

setup: $(VENV)/.installed node_modules/.installed

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

test-sqlite: setup
	$(VENV)/bin/pytest -p no:cacheprovider

test-postgres: setup
	scripts/with-postgres.sh $(VENV)/bin/pytest -p no:cacheprovider

test: setup system-deps lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) node_modules var test-artifacts
