# Two commands: `make run` starts the app, `make test` runs every test. Both set up what they need.
PY ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint eval bench setup browser

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test,bench]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium and a Chinese font for the browser tests (no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wqy || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; }

run: $(STAMP)
	$(VENV)/bin/python app.py

test: $(STAMP) browser
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider

# Lint, format and type checks (CI runs them before the tests).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test-fast: $(STAMP)
	$(VENV)/bin/python -m pytest -q -m "not slow"

eval: $(STAMP)
	$(VENV)/bin/qa eval

bench: $(STAMP)
	$(VENV)/bin/qa bench
