# The two commands: `make run` (site on SQLite with the seed) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000
DEV := DJANGO_DEBUG=1

.PHONY: install run worker superuser import test e2e lint check bench ci clean screenshots

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	mkdir -p var
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_seed
	# No worker beside runserver: background tasks (BibTeX imports) run in the request.
	$(DEV) TASKS_BACKEND=$${TASKS_BACKEND:-immediate} $(BIN)/python manage.py runserver $(ADDR)

# The background task worker (compose's `worker`): run beside a server started with
# the default TASKS_BACKEND (the database queue).
worker: install
	$(DEV) $(BIN)/python manage.py db_worker

# The first editor account (asks for a name, an email and a password).
superuser: install
	mkdir -p var
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py createsuperuser

# An old Hugo site: `make import SITE=path/to/hugo-site` (IMPORT_ARGS=--dry-run to preview).
import: install
	@test -n "$(SITE)" || { echo "Usage: make import SITE=path/to/hugo-site [IMPORT_ARGS=--dry-run]"; exit 2; }
	mkdir -p var
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) TASKS_BACKEND=$${TASKS_BACKEND:-immediate} $(BIN)/python manage.py import_hugo "$(SITE)" $(IMPORT_ARGS)

# -rs: a summary line per skipped test saying why (e.g. PostgreSQL-only, no Chromium).
test: install
	$(BIN)/pytest -rs $(PYTEST_ARGS)

# The browser suite alone (tests/e2e): needs /usr/bin/chromium (Debian's package);
# fails instead of skipping when it or Playwright is missing.
e2e: install
	AIRML_E2E_REQUIRED=1 $(BIN)/pytest -m e2e tests/e2e

# Full-page PNGs of every page type (light, dark, 390 px phone) for the seed and two
# imported fixture sites, in var/screenshots/ (scripts/screenshots.py; needs Chromium),
# then the admin's dashboard and forms at 1,280x800 in var/screenshots/admin/.
screenshots: install
	$(BIN)/python scripts/screenshots.py
	$(BIN)/python scripts/screenshots_admin.py var/screenshots/admin

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(DEV) $(BIN)/python manage.py check
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/bibtex_import.py
	$(BIN)/python bench/hugo_import.py
	$(BIN)/python bench/identifiers.py
	$(BIN)/python bench/site.py

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/static
