# The two commands a newcomer needs: `make run` and `make test`. See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-all serve setup bench audit lint format clean-cache

$(STAMP): requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: HTML validation and Lighthouse will be skipped"; fi

# Everything `make run` needs, quick on a second run and never destructive.
setup: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py setup_roles
	DJANGO_DEBUG=1 $(PY) manage.py create_demo_accounts
	DJANGO_DEBUG=1 $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=1 $(PY) manage.py import_content
	DJANGO_DEBUG=1 $(PY) manage.py render_pages

run: setup
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The fast tier, on every core: what to run after each change. Leaves out the tests
# marked browser, operations or slow (pyproject.toml), which `make test-all` runs.
# --dist loadfile keeps a module's tests in one process: module-scoped servers start
# once, and the tests that check what their module left behind see it.
test: $(STAMP)
	$(BIN)/pytest -n auto --dist loadfile -m "not browser and not operations and not slow" $(PYTEST_ARGS)

# Every test (Chromium journeys, gunicorn, the PostgreSQL outage, scale-out, the hostile
# corpus), then the apps' branch coverage: fails under the floor set in pyproject.toml.
test-all: $(STAMP)
	@-$(MAKE) --no-print-directory node_modules/.installed
	$(BIN)/pytest -n auto --dist loadfile --cov $(PYTEST_ARGS)

# Production settings under gunicorn. DJANGO_SECURE_SSL_REDIRECT=0 serves plain HTTP
# on loopback for local checks and benchmarks.
serve: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py render_pages
	$(BIN)/gunicorn --config config/gunicorn.conf.py --bind $(HOST):$(PORT) config.wsgi

bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

audit: $(STAMP) node_modules/.installed
	$(PY) bench/audit.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(PY) manage.py check_content

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
