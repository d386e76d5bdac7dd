# #MeToo Discourse Workbench. Every target installs into .venv first if needed.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CORPUS ?= data/raw/teaching
BY ?= region
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))
export PYTHONHASHSEED := 0
export TQDM_MININTERVAL := 5

.PHONY: help install demo test lab figures bench lint browser clean-cache

help: ## list the targets
	@echo "#MeToo Discourse Workbench"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the workbench with its dependencies

demo: $(STAMP) ## run the whole pipeline on the teaching corpus and execute every notebook
	$(PY) -m analysis run --corpus $(CORPUS) --by $(BY)
	$(PY) -m analysis figures --corpus $(CORPUS) --by $(BY)
	$(PY) -m analysis.notebooks $(NOTEBOOKS)
	@echo
	@echo "Done. Look at:"
	@echo "  data/processed/$(notdir $(CORPUS))/results/   output tables (CSV), manifest.json, ldavis.html"
	@echo "  figures/$(notdir $(CORPUS))/INDEX.md          every figure and table with its caption"
	@echo "  notebooks/                                  executed notebooks (open them with 'make lab')"

test: $(STAMP) browser ## run the unit tests and re-run the notebooks under nbval
	$(PY) -m pytest tests
	$(PY) -m pytest --nbval notebooks --nbval-sanitize-with notebooks/sanitize.cfg -p no:cacheprovider

lab: $(STAMP) ## start JupyterLab on localhost (token authentication)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --no-browser --notebook-dir=notebooks

figures: $(STAMP) ## draw the paper figures and tables of CORPUS (default the teaching corpus)
	$(PY) -m analysis figures --corpus $(CORPUS) --by $(BY)

bench: $(STAMP) ## time the pipeline stages on the teaching corpus
	$(PY) benchmarks/bench.py

lint: $(STAMP) ## ruff
	$(VENV)/bin/ruff check analysis tests benchmarks

browser: ## install headless Chromium for the browser tests where possible (root + apt)
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || echo "note: could not install chromium; browser tests will be skipped"; \
	else echo "note: chromium not installed and not root; browser tests will be skipped"; fi

clean-cache: ## delete the regenerable cache in data/processed
	find data/processed -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
