# The two commands of the README: `make run` and `make test`. `make install` is their shared step.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test model clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# the tests exercise the optional Stanza backend; torch comes first, as the CPU wheel on disk,
# so that pip never resolves a CUDA build
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q "torch==2.13.0+cpu"
	$(BIN)/pip install -q -e ".[dev,stanza]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/mchnlp extract corpus/raw/000_*.txt corpus/raw/001_*.txt corpus/raw/002_*.txt corpus/raw/003_*.txt corpus/raw/004_*.txt --format table

test: install
	$(BIN)/python -m pytest

# Rebuild the shipped rule pipeline from the data files in mchnlp/knowledge/data.
model: install
	$(BIN)/python training/build_rule_pipeline.py

clean:
	rm -rf $(VENV) build dist *.egg-info
