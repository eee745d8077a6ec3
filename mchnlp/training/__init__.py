"""Training the statistical parts of the pipeline on the annotated corpus.

    from mchnlp.training import gold_doc, load_records, run_training

Modules: `gold` (gold Docs from corpus records), `ner` (the entity recognizer), `linker`
(fitting and tuning the relation linker), `pipelines` (assembling variants), `run` (the
whole run and the scores used to choose the shipped variant). Attributes load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "LABELS": "gold",
    "GoldDoc": "gold",
    "gold_doc": "gold",
    "load_records": "gold",
    "with_predicted_entities": "gold",
    "train_ner": "ner",
    "fit_linker": "linker",
    "assemble": "pipelines",
    "fact_scores": "run",
    "ner_scores": "run",
    "run_training": "run",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mchnlp.training' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
