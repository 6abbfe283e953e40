# starcity: `make demo` sets everything up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
# The first Python 3.11+ that really runs (pyenv shims exist for versions that are not active).
PYTHON ?= $(shell for p in python3.11 python3.12 python3.13 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 && { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo serve setup test test-fast lint format bench messages compilemessages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "starcity needs Python 3.11 or newer (python3.11 with venv)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $@

compilemessages: install
	$(PY) scripts/compile_messages.py

setup: install compilemessages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py load_standards
	$(PY) manage.py seed_demo

demo: setup
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

serve: install
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2

test: install compilemessages
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy starcity config

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: install compilemessages
	$(PY) scripts/bench.py

messages: install
	$(PY) manage.py makemessages -l en -l zh_Hans --ignore ".venv/*" --ignore "var/*" --ignore "static/vendor/*" --no-obsolete
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-wal db.sqlite3-shm .pytest_cache .mypy_cache .ruff_cache
