# Linju: two commands on a fresh machine.
#   make run    set up, migrate, load the Qijiang demo, serve on http://127.0.0.1:8000
#   make test   the whole suite on SQLite, then on PostgreSQL (required when CI=true)
#   make test-all  the same with the heavy checks: a 100,000-row import, journeys at desktop size too,
#                  the whole demo load, settings checks on both databases

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PG_TEST_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/linju_test)
SQLITE_TEST_URL := sqlite:///$(CURDIR)/var/test.sqlite3
RESIDENTS ?= 5000
# pytest-xdist: one worker per core; each worker loads the demo once into a template (linju/conftest_demo.py)
PYTEST_ARGS ?= -n auto

# Debian packages: CJK fonts and Pango for the PDF cards (WeasyPrint); Chromium for the browser tests.
RUN_PACKAGES  := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(RUN_PACKAGES) chromium

.PHONY: run test test-all suite deps lint migrations messages system-run system-test bench bench-api bench-offers bench-env bench-planning clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.deps: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

node_modules/.deps: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

var:
	mkdir -p var

deps: $(VENV)/.deps node_modules/.deps var

messages: deps
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=.venv-bench --ignore=node_modules -v0

define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-run:
	$(call apt_ensure,$(RUN_PACKAGES))

system-test:
	$(call apt_ensure,$(TEST_PACKAGES))

run: system-run deps messages
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py load_demo --residents $(RESIDENTS)
	@echo "Serving on http://127.0.0.1:8000  (API docs: http://127.0.0.1:8000/api/v1/docs)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: system-test deps messages
	@$(MAKE) --no-print-directory -j2 --output-sync=target lint migrations
	@$(MAKE) --no-print-directory suite PYTEST_ARGS="$(PYTEST_ARGS)"

test-all: system-test deps messages
	@$(MAKE) --no-print-directory -j2 --output-sync=target lint migrations
	@$(MAKE) --no-print-directory suite PYTEST_ARGS="$(PYTEST_ARGS) --heavy"

# Every migration applied to an empty SQLite and an empty PostgreSQL database, beside the lint (the
# test databases are built from the models: config/settings/test.py).
migrations: deps
	@if $(BIN)/python scripts/pg_available.py "$(PG_TEST_URL)"; then \
	  $(BIN)/python scripts/migrations_apply.py sqlite "$(PG_TEST_URL)"; \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI=true: PostgreSQL is required and did not answer at $(PG_TEST_URL)"; exit 1; \
	else \
	  $(BIN)/python scripts/migrations_apply.py sqlite; \
	fi

suite:
	@echo "== the browser's code (node --test) =="
	npm test --silent
	@echo "== test suite on SQLite =="
	DATABASE_URL=$(SQLITE_TEST_URL) $(BIN)/pytest $(PYTEST_ARGS)
	@if $(BIN)/python scripts/pg_available.py "$(PG_TEST_URL)"; then \
	  echo "== test suite on PostgreSQL =="; \
	  DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI=true: PostgreSQL is required and did not answer at $(PG_TEST_URL)"; exit 1; \
	else \
	  echo "PostgreSQL did not answer at $(PG_TEST_URL): skipped the PostgreSQL run (set CI=true to require it)"; \
	fi

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run -v0
	npm run --silent lint

bench: deps
	$(BIN)/python bench/load_demo_rate.py

# The API under load: wrk (a C load generator) against gunicorn on PostgreSQL, ratios to /healthz.
bench-api: deps
	$(call apt_ensure,wrk)
	$(BIN)/python bench/api_load.py

# 免申即享 at scale: 100,000 offers made from a run, approved, texts queued; 30 % yes made cases.
bench-offers: deps
	$(BIN)/python bench/offers_load.py

# The planning benchmark's baseline (PySAL spopt) lives in its own environment: it is for the
# benchmark only and brings its own numpy and scipy.
.venv-bench/.deps: requirements/bench.txt
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/pip install --quiet -r requirements/bench.txt
	touch $@

bench-env: .venv-bench/.deps

bench-planning: deps bench-env
	$(BIN)/python bench/planning.py

clean:
	rm -rf $(VENV) .venv-bench node_modules var staticfiles
