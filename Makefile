# Bootstrap only: make .venv from the committed lock, then hand over to the Invoke tasks (tasks.py).
# Quick start on a fresh machine:  make build   (the site, into output/)
#                                  make test    (every test)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock

.PHONY: build test serve livereload check clean new venv lock

build: $(STAMP)
	$(BIN)/invoke build

test: $(STAMP)
	$(BIN)/invoke test

serve: $(STAMP)
	$(BIN)/invoke serve

livereload: $(STAMP)
	$(BIN)/invoke livereload

clean: $(STAMP)
	$(BIN)/invoke clean

new: $(STAMP)
	$(BIN)/invoke new "$(TITLE)"

venv: $(STAMP)

# The venv is (re)made whenever the lock file is newer than the last install.
$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	touch $(STAMP)

# Maintainers: after changing dependencies in pyproject.toml, refresh the lock (then commit it).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --generate-hashes --strip-extras --no-emit-find-links \
		--no-emit-index-url --allow-unsafe -o requirements.lock pyproject.toml
