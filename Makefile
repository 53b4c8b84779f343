# medialit: the two commands a newcomer needs.
#   make lab   set up, then open the student copies of the lessons in JupyterLab
#   make test  set up, then run every test (pytest, doctests, data validation)
# Both need only Python 3 (3.10 or newer) and make, and are quick when nothing changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.medialit-installed
WORKSPACE ?= workspace
# Jupyter refuses to run as root without this flag (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_ARGS ?=

# The shared environment of a class hub (docs/hub.md): built from the system's Python so that
# every account can run it (a Python under /root is unreadable to students).
HUB_ENV ?= /opt/medialit-hub
HUB_PYTHON ?= /usr/bin/python3

.PHONY: lab test test-fast lint workspace instructor-lab clean-venv help hub-env
.DEFAULT_GOAL := help

help:
	@echo "make lab    open the student copies of the lessons in JupyterLab (sets up .venv first)"
	@echo "make test   run every test (sets up .venv first)"
	@echo "make test-fast   the fast tier: every test not marked slow"
	@echo "make lint   ruff on the package, tests and benchmarks (make test runs it first)"
	@echo "make instructor-lab   open the lesson SOURCES (with solutions) for instructors"
	@echo "make hub-env   (root) build the shared environment of a class hub in \$$HUB_ENV (docs/hub.md)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's metadata changed (the install is editable,
# so code and data edits need no reinstall).
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

workspace: $(STAMP)
	$(BIN)/python -m medialit workspace --lessons lessons --dest $(WORKSPACE)

lab: workspace
	# Started inside the workspace with the student lab's own Jupyter configuration
	# (workspace/.jupyter: no formgrader or instructor tools, a lock on read-only cells).
	cd $(WORKSPACE) && JUPYTER_CONFIG_DIR=$(abspath $(WORKSPACE))/.jupyter $(abspath $(BIN))/jupyter lab $(ROOT_FLAG) $(LAB_ARGS)

instructor-lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) $(LAB_ARGS)

# ruff (configured in pyproject.toml): a finding fails the target, and so make test and CI.
lint: $(STAMP)
	$(BIN)/ruff check toolkit tests benchmarks nbgrader_config.py

# Test files run on $(TEST_WORKERS) worker processes (pytest-xdist; each file stays on one worker,
# so module fixtures are built once). TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= 2
PYTEST_PARALLEL = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

test: lint
	$(BIN)/python -m medialit validate-data
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

# The fast tier, for developers: skips tests marked slow (real nbgrader batches, kill tests).
test-fast: lint
	$(BIN)/python -m medialit validate-data
	$(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not slow"

clean-venv:
	rm -rf $(VENV)

# medialit (not editable: the hub must never point into a checkout with the lesson sources) and
# JupyterHub, NativeAuthenticator and the idle culler, readable by every account.
hub-env:
	test -x $(HUB_ENV)/bin/python || $(HUB_PYTHON) -m venv $(HUB_ENV)
	$(HUB_ENV)/bin/python -m pip install --quiet --disable-pip-version-check ".[hub]" hatchling
	# this checkout's medialit itself, offline, unless the same source is already there
	$(HUB_ENV)/bin/python -c 'import sys; sys.path.insert(0, "toolkit"); from medialit.hub.trial import refresh_env; refresh_env("$(HUB_ENV)", ".")'
	chmod -R a+rX $(HUB_ENV)
