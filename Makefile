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

# Rebuild the shipped rule pipeline from the data files in mchnlp/knowledge/data.
model: install
	$(BIN)/python training/build_rule_pipeline.py

clean:
	rm -rf $(VENV) build dist *.egg-info
