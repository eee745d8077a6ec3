"""Evaluation of mchnlp pipelines against the gold corpus, and the evaluation report.

    import mchnlp, mchnlp.corpus
    from mchnlp.evaluation import evaluate_model, write_report
    records = [r for r in mchnlp.corpus.load_records() if r["split"] == "test"]
    result = evaluate_model(mchnlp.load(), records)
    write_report([result], "reports/eval-test")

Modules: `metrics` (P/R/F1, fact matching, bootstrap), `scoring` (counts and the registered
relation scorer), `runner` (running a pipeline on gold records), `compare` (two results),
`report` and `charts` (report.md / report.html); the command is `mchnlp.cli.evaluate`.
Attributes load on first use, so importing the package is cheap and matplotlib is only
imported when a report is drawn.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "prf": "metrics",
    "match_facts": "metrics",
    "facts_equal": "metrics",
    "ner_counts": "metrics",
    "relation_counts": "metrics",
    "bootstrap_ci": "metrics",
    "paired_delta_ci": "metrics",
    "Tally": "metrics",
    "FactMatch": "metrics",
    "STRICT_KEYS": "metrics",
    "CORE_KEYS": "metrics",
    "evaluate_model": "runner",
    "evaluate_systems": "runner",
    "link_gold_entities": "runner",
    "compare_results": "compare",
    "write_report": "report",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mchnlp.evaluation' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
