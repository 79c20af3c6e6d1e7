# Two commands do all the set-up: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: run sandbox test lint typecheck pytest check bench drills clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-dev.lock
	touch $(VENV)/.runtime $@

# Without DISCORD_TOKEN (in .env or the environment) this starts the sandbox on 127.0.0.1.
run: $(VENV)/.runtime
	$(PY) -m bot --sandbox-if-no-token $(ARGS)

sandbox: $(VENV)/.runtime
	$(PY) -m bot --sandbox $(ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy

check: $(VENV)/.dev
	$(PY) -m bot --check

pytest: $(VENV)/.dev
	$(PY) -m pytest

test: lint typecheck check pytest

bench: $(VENV)/.dev
	$(PY) -m bench

clean:
	rm -rf $(VENV)
