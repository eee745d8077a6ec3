# The two commands of the README: `make run` and `make test`. `make install` is the set-up of
# `make test` (the package with its dev extras); `make run` needs only the core install: no
# torch, no Stanza (the optional backend: `pip install 'mchnlp[stanza]'`, see the README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORE := $(VENV)/.installed-core
DEV := $(VENV)/.installed-dev

.PHONY: install run test model clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(CORE): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $(CORE)

$(DEV): $(CORE)
	$(BIN)/pip install -q -e ".[dev]"
	touch $(DEV)

install: $(DEV)

run: $(CORE)
	$(BIN)/mchnlp extract corpus/raw/000_*.txt corpus/raw/001_*.txt corpus/raw/002_*.txt corpus/raw/003_*.txt corpus/raw/004_*.txt --format table

test: install
	$(BIN)/python -m pytest

# Retrain the shipped pipeline from the corpus (rule entities from mchnlp/knowledge/data, the
# trained linker); installed only when it is not worse than the shipped model on dev.
model: install
	$(BIN)/mchnlp train --corpus corpus --output training/out/mchnlp_id --variants rules rules+trained_linker --install

clean:
	rm -rf $(VENV) build dist *.egg-info
