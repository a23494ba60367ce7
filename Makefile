# Steady Ground. On a fresh machine only two commands are needed:
#   make start   set up and open the course in your browser
#   make test    set up and run every test
# Every target creates .venv and installs what it needs when missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: start lab workshop hub book notebooks export forget test test-deep lint typecheck chromium clean help

help:
	@echo "make start     open the course in your browser (Voila, this computer only)"
	@echo "               DISCREET=1: page titles and addresses say only \"Notes\" (DISCREET=0 turns it off)"
	@echo "make lab       open the course notebooks in JupyterLab"
	@echo "make workshop  serve the course to a room (token required; HOST=0.0.0.0 PORT=8866;"
	@echo "               MODULE=m03 ROOM=30 keeps that module's page ready for the whole room)"
	@echo "make hub       LOCAL TRY-OUT of the course on JupyterHub (any name, one shared password, this"
	@echo "               computer only; PORT=8000). Operators: README \"Running the course on JupyterHub\""
	@echo "make book      build the static, read-only book into build/book/html"
	@echo "make export    save a copy of your notes as Markdown and JSON files"
	@echo "make forget    delete every trace of your notes from this device"
	@echo "make test      run every test (unit, notebooks, browser, book), after make lint"
	@echo "make test-deep the failure tests at full size (long kill, fuzz and soak runs; not needed by CI)"
	@echo "make lint      ruff on the Python, tsc on the widgets' JavaScript"
	@echo "make clean     remove build output and .venv"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# DISCREET=1 titles every page "Notes" with neutral addresses (remembered); DISCREET=0 turns it off.
start: $(STAMP)
	$(BIN)/course start $(if $(filter 1 yes on true,$(DISCREET)),--discreet-titles,$(if $(filter 0 no off false,$(DISCREET)),--no-discreet-titles))

lab: $(STAMP)
	$(BIN)/course lab

# MODULE=m03 ROOM=30: only that module's page keeps warm kernels, one per person in the room.
# CERT=room.pem KEY=room-key.pem ADDRESS=room.example.org: serve https under the certificate's name (README).
workshop: $(STAMP)
	$(BIN)/course workshop --host $${HOST:-0.0.0.0} --port $${PORT:-8866} $(if $(MODULE),--module $(MODULE) --room $(or $(ROOM),30)) $(if $(CERT),--certfile $(CERT))$(if $(KEY), --keyfile $(KEY))$(if $(ADDRESS), --address $(ADDRESS))

# The course on JupyterHub, as a local try-out: deploy/jupyterhub/jupyterhub_config.py with a shared password
# (STEADY_GROUND_HUB_PASSWORD, else a new one is printed), on 127.0.0.1 only. JupyterHub comes from the
# project's Python extras, configurable-http-proxy from npm (package.json).
hub: $(STAMP) $(NODE_STAMP)
	$(BIN)/course notebooks
	$(BIN)/python -m course.hub_local

notebooks: $(STAMP)
	$(BIN)/course notebooks

book: $(STAMP)
	$(BIN)/course book

# Saves into a new dated folder in your Documents (or home) folder, never into this repository.
export: $(STAMP)
	$(BIN)/course export

forget: $(STAMP)
	$(BIN)/course forget

# Development checks from npm (package-lock.json): TypeScript checks the widgets' JSDoc-typed JavaScript.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm) >/dev/null; } || \
	  { echo "make typecheck needs npm (Node.js); Debian: apt-get install npm"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

typecheck: $(NODE_STAMP)
	node_modules/.bin/tsc -p jsconfig.json

lint: $(STAMP) typecheck
	$(BIN)/ruff check .

# Browser tests use Debian's chromium; install it when we are root and it is
# missing, otherwise fall back to Playwright's own download.
chromium: $(STAMP)
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core) >/dev/null; \
	else $(BIN)/python -m playwright install chromium; fi

# One pytest run, TEST_WORKERS processes side by side (pytest-xdist): unit, failure (tests/reliability),
# browser, book and hub tests, and nbval over the generated notebooks. tests/conftest.py keeps together what
# shares a server or a build, and starts the longest groups first.
# STEADY_GROUND_HOME: nbval's kernels (and anything that starts before a test's own folder is set) write
# to a scratch folder, never to a learner's.
TEST_WORKERS ?= 3
test: $(STAMP) lint chromium
	$(BIN)/course notebooks
	rm -rf build/test-home && mkdir -p build/test-home
	STEADY_GROUND_HOME=$(CURDIR)/build/test-home $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder \
	  -q -p no:cacheprovider --durations=15 --nbval-lax tests/book tests/apps tests/reliability tests/hub tests/unit build/notebooks

# The failure tests at full size (more kill rounds, 1,000 examples per fuzz test, a longer soak); CI does not need it.
test-deep: $(STAMP) chromium
	$(BIN)/course notebooks
	SG_DEEP=1 $(BIN)/python -m pytest tests/reliability -q -p no:cacheprovider

clean:
	rm -rf build $(VENV) node_modules .pytest_cache .hypothesis
