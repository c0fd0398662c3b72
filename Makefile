# Sentry Manager. `make run` to use it, `make test` to check it. Everything installs itself.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Python 3.12+ (Django 6.1): PATH first, then pyenv's versions.
FIND_PYTHON = for c in python3.13 python3.12 python3 python \
	  $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	    echo "$$c"; break; fi; done

.PHONY: help run test test-scale admin lint fmt bench screenshots check-python migrate clean chromium wrk vendor-sentry-browser

# npm packages the tests run (sentry-cli) and the build of the vendored Sentry browser SDK.
NODE_DIR := var/node
SENTRY_CLI_VERSION := 3.8.0
SENTRY_BROWSER_VERSION := 11.12.0
ESBUILD_VERSION := 0.28.2

help:
	@echo "make run    set up everything and start the web server + task worker on http://$(HOST):$(PORT)"
	@echo "make test   set up everything (Chromium included) and run the whole test suite"
	@echo "make test-scale  two gunicorn nodes + two task workers on the local PostgreSQL and Redis"
	@echo "make admin  create a superuser"
	@echo "make lint   ruff check + format check      make fmt   ruff format + fix"

check-python:
	@py=$$($(FIND_PYTHON)); if [ -z "$$py" ]; then \
	  echo "error: Python 3.12 or newer is needed (Django 6.1); install it (e.g. pyenv install 3.12) or put python3.12 on PATH" >&2; exit 2; fi

$(VENV)/.created:
	@py=$$($(FIND_PYTHON)); if [ -z "$$py" ]; then \
	  echo "error: Python 3.12 or newer is needed (Django 6.1); install it (e.g. pyenv install 3.12) or put python3.12 on PATH" >&2; exit 2; fi; \
	echo "Creating $(VENV) with $$py ($$($$py --version))"; \
	"$$py" -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip && touch $@

$(VENV)/.installed-app: requirements.lock $(VENV)/.created
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.created
	$(PY) -m pip install --quiet --require-hashes -r requirements-test.lock
	@touch $@ $(VENV)/.installed-app

# A fresh .env with generated secrets; an existing one is never touched.
.env: | $(VENV)/.created
	@$(PY) -c 'import base64, os, re, secrets; \
	text = open(".env.example").read(); \
	text = re.sub(r"(?m)^SECRET_KEY=.*$$", "SECRET_KEY=" + secrets.token_urlsafe(50), text); \
	text = re.sub(r"(?m)^ENCRYPTION_KEY=.*$$", "ENCRYPTION_KEY=" + base64.b64encode(os.urandom(32)).decode(), text); \
	open(".env", "x").write(text)'
	@echo "Wrote .env with a fresh SECRET_KEY and ENCRYPTION_KEY (keep it; it is git-ignored)."

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

migrate: $(VENV)/.installed-app .env
	@$(PY) manage.py migrate --no-input -v 0

run: $(VENV)/.installed-app .env migrate
	@echo ""
	@echo "  Sentry Manager: http://$(HOST):$(PORT)/"
	@echo "  First time? Sign up at http://$(HOST):$(PORT)/accounts/signup/ or run 'make admin'."
	@echo "  Web server and task worker are running; Ctrl-C stops both."
	@echo ""
	@$(PY) manage.py prune --schedule >/dev/null
	@$(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT) & web=$$!; \
	trap 'kill -TERM $$worker $$web 2>/dev/null; wait; exit 0' INT TERM; \
	wait -n; kill -TERM $$worker $$web 2>/dev/null; wait

admin: $(VENV)/.installed-app .env migrate
	$(PY) manage.py createsuperuser

# The real sentry-cli for tests/integrations/test_ci_sentry_cli.py (its binary is an npm
# optional dependency of @sentry/cli, for this platform).
$(NODE_DIR)/.sentry-cli-$(SENTRY_CLI_VERSION):
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for the sentry-cli test"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	@mkdir -p $(NODE_DIR)
	npm install --prefix $(NODE_DIR) --no-save --no-audit --no-fund --loglevel=error @sentry/cli@$(SENTRY_CLI_VERSION)
	@$(NODE_DIR)/node_modules/.bin/sentry-cli --version
	@touch $@

test: $(VENV)/.installed-test .env chromium $(NODE_DIR)/.sentry-cli-$(SENTRY_CLI_VERSION)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Several nodes (tests/scale, left out of `make test`): two gunicorn servers and two db_workers
# on the PostgreSQL and Redis running on this machine. The database is SCALE_DATABASE_URL
# (default postgres://postgres@127.0.0.1:5432/sentry_manager_scale), dropped and created for
# the run; Redis database TEST_REDIS_DB (default 7) is emptied.
test-scale: $(VENV)/.installed-test .env
	$(VENV)/bin/pytest tests/scale $(PYTEST_ARGS)

# The README's screenshots, from the real pages (tests/e2e/screenshots.py).
screenshots: $(VENV)/.installed-test .env chromium
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/e2e/screenshots.py

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the benchmark"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }

# Config endpoint vs a bare JsonResponse view, gunicorn + wrk, on SQLite and PostgreSQL.
bench: $(VENV)/.installed-test .env wrk
	$(PY) -m tests.bench.run

# Rebuild the vendored Sentry browser SDK (static/vendor/sentry/) from the npm registry: the
# package no longer ships CDN bundles, so esbuild bundles it as `window.Sentry`.
SENTRY_BROWSER_BUNDLE := static/vendor/sentry/sentry-browser-$(SENTRY_BROWSER_VERSION).tracing.replay.min.js
vendor-sentry-browser:
	@mkdir -p $(NODE_DIR)/sentry-browser
	npm install --prefix $(NODE_DIR)/sentry-browser --no-save --no-audit --no-fund --loglevel=error \
	  @sentry/browser@$(SENTRY_BROWSER_VERSION) esbuild@$(ESBUILD_VERSION)
	NODE_PATH=$(NODE_DIR)/sentry-browser/node_modules $(NODE_DIR)/sentry-browser/node_modules/.bin/esbuild \
	  static/vendor/sentry/bundle-entry.mjs --bundle --format=iife --global-name=Sentry --minify \
	  --target=es2020 --legal-comments=none --outfile=$(SENTRY_BROWSER_BUNDLE) \
	  --banner:js="/*! @sentry/browser $(SENTRY_BROWSER_VERSION) (MIT, see LICENSE beside this file), bundled with esbuild $(ESBUILD_VERSION) */"
	cp $(NODE_DIR)/sentry-browser/node_modules/@sentry/browser/LICENSE static/vendor/sentry/LICENSE

clean:
	rm -rf $(VENV) var/staticfiles $(NODE_DIR) .pytest_cache .ruff_cache
