# The two commands: `make run` (serve the product) and `make test` (test it).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed schema schema-check lint format worker beat serve-wsgi serve-ws bench clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## Serve the product on http://$(HOST):$(PORT)/graphql/ (GraphiQL in development), HTTP and
## websocket subscriptions through one ASGI server.
run: seed
	$(VENV)/bin/uvicorn backend.asgi:application --host $(HOST) --port $(PORT)

## Run the tests (against DATABASE_URL/REDIS_URL when set, else the embedded default).
test: install
	SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-with-enough-bytes-for-hs256} $(PY) -m pytest $(ARGS)

## Export schema.graphql from the code.
schema: install
	$(PY) manage.py export_schema schema.schema --path schema.graphql

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A backend worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A backend beat --loglevel=INFO

## Production-style servers: gunicorn for HTTP, uvicorn for websocket subscriptions.
serve-wsgi: install
	$(VENV)/bin/gunicorn backend.wsgi:application -c backend/gunicorn.conf.py

serve-ws: install
	$(VENV)/bin/uvicorn backend.asgi:application --host $(HOST) --port $$(($(PORT)+1)) --workers 2

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
