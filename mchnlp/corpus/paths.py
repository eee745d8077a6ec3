"""Where the corpus lives: one function owns the lookup, like `find_pipeline` for models."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "MCHNLP_CORPUS_DIR"
CORPUS_FILE = "mch_corpus.jsonl"
SPLITS_FILE = "splits.json"
_CHECKOUT = Path(__file__).resolve().parents[2]


def corpus_dir() -> Path:
    """The `corpus/` directory.

    Lookup order: `MCHNLP_CORPUS_DIR`, `./corpus` when it holds the corpus or its splits, the
    source checkout's `corpus/` (editable installs). The last candidate is returned even if it
    does not exist, so that error messages name a concrete path.
    """
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    here = Path.cwd() / "corpus"
    if (here / CORPUS_FILE).exists() or (here / SPLITS_FILE).exists():
        return here
    return _CHECKOUT / "corpus"


def repo_root() -> Path:
    """The directory `meta.source` paths are relative to (the parent of `corpus/`)."""
    return corpus_dir().resolve().parent


def corpus_file() -> Path:
    return corpus_dir() / CORPUS_FILE


def splits_file() -> Path:
    return corpus_dir() / SPLITS_FILE
