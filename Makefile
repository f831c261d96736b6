# The two commands a new user needs are `make demo` and `make test`; both build .venv/ from the
# pinned lock files on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test lint typecheck check pytest serve bench clean lock

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CivicDesk needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.base-installed

demo: $(VENV)/.base-installed
	PORT=$(PORT) $(BIN)/civicdesk demo

test: $(VENV)/.dev-installed lint typecheck check pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy src

check: $(VENV)/.dev-installed
	$(BIN)/civicdesk check --fail-level WARNING
	$(BIN)/civicdesk makemigrations --check --dry-run

pytest: $(VENV)/.dev-installed
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/open311.py
	$(BIN)/python bench/geocode.py
	$(BIN)/python bench/portal.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/kb_eval.py
	$(BIN)/python bench/routing.py
	$(BIN)/python bench/emergency.py
	$(BIN)/python bench/sla.py

# Rebuilds the portal's front-end libraries (USWDS, htmx, Leaflet) from package-lock.json into
# src/civicdesk/portal/static/portal/vendor/; needs node and npm. The output is committed, so
# demo and test need only Python.
.PHONY: assets
assets:
	npm ci --ignore-scripts --no-audit --no-fund
	$(PYTHON) scripts/build_assets.py

# Regenerates the lock files; needs uv (pip install uv).
lock:
	uv pip compile pyproject.toml --python-version 3.11 -o requirements/base.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.lock

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
