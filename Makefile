# Two commands on a fresh machine: `make site` builds, `make test` tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium

.PHONY: site test test-fast lint check serve bench bench-serve golden clean

$(BIN)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(BIN)/.dev: requirements-dev.txt $(BIN)/.runtime
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

# Browser tests drive Debian's Chromium; axe-core comes from the npm registry.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi

tests/node_modules/.installed: tests/package.json
	cd tests && npm install --no-audit --no-fund --silent
	touch $@

## site: create the environment and build site/ from seeds/ and content/
site: $(BIN)/.runtime
	$(BIN)/python build.py

## test: install what the tests need, lint, and run every test (browser tests included)
test: $(BIN)/.dev $(CHROMIUM) tests/node_modules/.installed lint
	$(BIN)/python -m pytest -n 2

## lint: ruff check, ruff format --check and zizmor on the workflows (pinned in requirements-dev.txt)
lint: $(BIN)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/zizmor --offline --quiet .github/workflows

## test-fast: the suite without browser tests
test-fast: $(BIN)/.dev lint
	$(BIN)/python -m pytest -m "not browser and not slow"

check: $(BIN)/.runtime
	$(BIN)/python build.py check

serve: $(BIN)/.runtime
	$(BIN)/python build.py serve

bench: $(BIN)/.dev
	$(BIN)/python bench/run.py

## bench-serve: the edit loop, from saving a file to `serve` showing it (bench/results/edit-loop.md)
bench-serve: $(BIN)/.dev
	$(BIN)/python bench/edit_loop.py

## golden: regenerate the golden review Markdown after an intended output change (review the diff)
golden: $(BIN)/.dev
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_review.py -k golden

clean:
	rm -rf site .cache .pytest_cache
