# Esrok: one entry point. A newcomer needs two commands (see README):
#   make serve   -> set up, build and serve the site on http://127.0.0.1:8000
#   make test    -> set up everything (venv, npm ci, Debian chromium) and run every test
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
MKDOCS := $(PY) -m mkdocs
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup setup-test serve build test chromium java new-post bench clean update-services

help:
	@echo "make serve            build and serve the site on http://127.0.0.1:8000 (installs what it needs)"
	@echo "make test             run every test (installs venv, npm ci and Debian chromium if missing)"
	@echo "make build            write the deployable static site to site/"
	@echo "make new-post TITLE=\"...\"   scaffold a blog post with valid front matter"
	@echo "make bench            run the benchmarks in bench/"
	@echo "make update-services  refresh data/services/catalogue.json from 2FA Directory's APIs (needs the network)"

# --- set-up (each target installs only what is missing; stamps follow the pin files) ---
$(VENV)/.stamp-site: requirements.txt constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . 2>/dev/null || $(PIP) install --quiet --no-deps -e .
	touch $@

$(VENV)/.stamp-test: $(VENV)/.stamp-site requirements-test.txt constraints.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-test.txt -c constraints.txt
	touch $@

# --ignore-scripts: the only install script in the tree is vnu-jar's, which would download a
# Java runtime from the network when none is installed; `make java` installs Debian's instead.
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
	touch $@

chromium:
	@command -v /usr/bin/chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian chromium for browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Java runs the Nu Html Checker (vnu.jar from the vnu-jar npm package) in tests/site/test_html_validity.py.
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing a Java runtime for the Nu Html Checker"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }

setup: $(VENV)/.stamp-site node_modules/.stamp
setup-test: setup $(VENV)/.stamp-test chromium java

# --- the two README commands ---
serve: setup
	$(MKDOCS) serve --dev-addr 127.0.0.1:8000 $(SERVE_FLAGS)

test: setup-test
	$(PY) -m pytest $(PYTEST_ARGS)

# --- more ---
build: setup
	$(MKDOCS) build --strict --clean --site-dir site

new-post: setup
	@test -n "$(TITLE)" || { echo 'usage: make new-post TITLE="Your post title"'; exit 2; }
	$(PY) -m hooks.scaffold "$(TITLE)"

bench: setup-test
	$(PY) bench/engine.py
	$(PY) bench/build.py 100 1000
	$(PY) bench/browser.py
	$(PY) bench/catalogue.py

# Refresh the service catalogue (data/services/README.md); UPDATE_ARGS passes options, e.g. --reformat.
update-services: $(VENV)/.stamp-site
	$(PY) -m services.update $(UPDATE_ARGS)

clean:
	rm -rf site .cache
