PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)

.PHONY: install run test smoke demo-reset messages bench bench-province

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Migrate, load the demo city if the database is empty, print the logins, serve on 127.0.0.1:8000
## with the background worker that writes exports beside it.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	DEBUG=1 $(BIN)/python manage.py db_worker --no-reload & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

## The whole suite (set DATABASE_URL to run it on PostgreSQL).
test: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check
	$(BIN)/python -m pytest

## The production settings end to end on PostgreSQL (PG_URL, default the local server): docs/deploy.md's
## steps, gunicorn and db_worker behind a proxy, every role's pages, a file and a workbook over HTTP.
smoke: install
	bash tests/production/smoke.sh

demo-reset: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --reset

## Refresh the translations after changing messages (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete --ignore '.venv/*'
	$(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

## Build the synthetic city on SQLite and PostgreSQL, measure it and write BENCHMARKS.md (about 15 minutes).
bench: install
	$(BIN)/python manage.py bench

## The same pages in the city and in a province of 30,000 units (11 cities) on PostgreSQL, and the
## province's item ledger as a zip of one workbook per county; writes BENCHMARKS-province.md (about 25 minutes).
bench-province: install
	$(BIN)/python manage.py bench --province
