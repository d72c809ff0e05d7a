# iphub — `make demo` runs the platform on demo data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ES_PORT ?= 9200
PG_PORT ?= 5433
# the playwright package drives Debian's /usr/bin/chromium; it must never fetch a browser
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: demo serve test lint install bench frontend frontend-check chromium native

$(VENV)/.stamp-run: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[native]'
	touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-run
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.stamp-run

# the modules a load spends its CPU in, compiled with mypyc (iphub/native.py); without a C
# compiler the demo runs the Python sources, only slower to load
demo: $(VENV)/.stamp-run
	$(BIN)/python tools/native.py || echo "native: not compiled; the Python sources run"
	$(BIN)/iphub demo

serve: $(VENV)/.stamp-run
	$(BIN)/iphub serve

native: $(VENV)/.stamp-run
	$(BIN)/python tools/native.py

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# IPHUB_NATIVE_REQUIRED: the tests run the compiled modules, and say so if they do not
test: lint frontend-check chromium native
	IPHUB_NATIVE_REQUIRED=1 IPHUB_ES_PORT=$(ES_PORT) IPHUB_PG_PORT=$(PG_PORT) \
		tools/with-services.sh $(BIN)/python -m pytest

frontend:
	cd frontend && npm ci --no-audit --no-fund && npm run build

frontend-check:
	cd frontend && npm ci --no-audit --no-fund && npm test && npm run check-dist

chromium:
	test -x /usr/bin/chromium || (apt-get update -q && apt-get install -y -q chromium fonts-wqy-zenhei)

bench: $(VENV)/.stamp-test
	$(BIN)/python -m bench.run_store --records 1000000
