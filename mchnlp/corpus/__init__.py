"""The annotated MCH corpus: record format, validation, statistics, loading, exchange, the
annotation round trip (facts rebuilt from edited spans and relations, validation and a report
of changes on import) and choosing what to annotate next.

    import mchnlp.corpus
    ds = mchnlp.corpus.load()                      # datasets.DatasetDict: train/dev/test
    docbin = mchnlp.corpus.to_docbin(ds["train"], mchnlp.load())

Attributes are imported on first use (PEP 562), so importing this package costs nothing and
`datasets` is only imported by `load`.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "CorpusFormatError": "schema",
    "Record": "schema",
    "read_jsonl": "schema",
    "write_jsonl": "schema",
    "iter_jsonl": "schema",
    "read_document": "schema",
    "write_document": "schema",
    "ENTITY_LABELS": "schema",
    "RELATION_LABELS": "schema",
    "UNITS": "schema",
    "KINDS": "schema",
    "SPLITS": "schema",
    "Issue": "issues",
    "read_records": "build",
    "load_splits": "build",
    "build_corpus": "build",
    "write_corpus": "build",
    "validate_records": "validate",
    "validate_path": "validate",
    "compute_stats": "stats",
    "format_stats": "stats",
    "load": "loading",
    "load_records": "loading",
    "docs_from_records": "loading",
    "to_docbin": "loading",
    "Misalignment": "loading",
    "import_labelstudio": "exchange",
    "import_doccano": "exchange",
    "to_labelstudio_tasks": "exchange",
    "to_doccano": "exchange",
    "labelstudio_config": "exchange",
    "write_doccano": "exchange",
    "FactBuilder": "recompute",
    "fill_facts": "recompute",
    "diff_record": "diff",
    "take_in": "intake",
    "rank_texts": "suggest",
}

__all__ = [
    "ENTITY_LABELS",
    "KINDS",
    "RELATION_LABELS",
    "SPLITS",
    "UNITS",
    "CorpusFormatError",
    "FactBuilder",
    "Issue",
    "Misalignment",
    "Record",
    "build_corpus",
    "compute_stats",
    "diff_record",
    "docs_from_records",
    "fill_facts",
    "format_stats",
    "import_doccano",
    "import_labelstudio",
    "iter_jsonl",
    "labelstudio_config",
    "load",
    "load_records",
    "load_splits",
    "rank_texts",
    "read_document",
    "read_jsonl",
    "read_records",
    "take_in",
    "to_docbin",
    "to_doccano",
    "to_labelstudio_tasks",
    "validate_path",
    "validate_records",
    "write_corpus",
    "write_doccano",
    "write_document",
    "write_jsonl",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mchnlp.corpus' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
