# Bootstrap only: make .venv from the committed lock, then hand over to the Invoke tasks (tasks.py).
# Quick start on a fresh machine:  make build   (the site, into output/)
#                                  make test    (every test)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
NODE_STAMP := node_modules/.installed-from-lock
# Debian packages the tests need (real servers: nginx, sshd, rsync; wrk for the benchmark).
# `make test` installs the missing ones when run as root (CI on a fresh Debian 12).
APT_PACKAGES := nginx-light libnginx-mod-http-brotli-static openssh-server openssh-client rsync wrk

.PHONY: build test serve livereload check clean new venv lock apt-packages check-tools system-tools

build: $(STAMP)
	$(BIN)/invoke build

test: $(STAMP) apt-packages check-tools
	$(BIN)/invoke test

check: $(STAMP) check-tools
	$(BIN)/invoke check

# What `invoke check` and the browser tests need: Java 17 (the Nu HTML Checker), Debian's Chromium,
# and the npm tools pinned in package-lock.json (installed again whenever the lock is newer).
check-tools: system-tools $(NODE_STAMP)

system-tools:
	@missing=""; command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $$missing; \
		else echo "make: missing:$$missing (apt-get install them as root)"; exit 1; fi; \
	fi

# --ignore-scripts: vnu-jar's install script would download a JDK; Debian's Java is used instead.
$(NODE_STAMP): package-lock.json | system-tools
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

apt-packages:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q '^install ok installed$$' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq $$missing; \
		else echo "make: missing Debian packages: $$missing (apt-get install them as root)"; exit 1; fi; \
	fi

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
# pip-tools runs from its own venv so the project's venv stays exactly what the lock says.
lock:
	$(PYTHON) -m venv .cache/lock-tools
	.cache/lock-tools/bin/python -m pip install --quiet pip-tools
	.cache/lock-tools/bin/pip-compile --quiet --extra test --generate-hashes --strip-extras \
		--no-emit-find-links --no-emit-index-url --allow-unsafe -o requirements.lock pyproject.toml
