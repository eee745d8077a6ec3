"""Scorers for the linker: relation precision, recall and F1 against gold `doc._.rel`."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.training import Example
from spacy.util import registry

RELATIONS = ("indicator", "location", "date")


def _triples(rel: dict | None) -> set[tuple[int, int, str]]:
    return {(h, t, label) for (h, t), labels in (rel or {}).items() for label in labels
            if label in RELATIONS}


def counts_by_label(gold, predicted, label_at: int = 2) -> dict[str, tuple[int, int, int]]:
    """Per-label (tp, fp, fn) of two collections of tuples compared as exact sets; the label
    is the tuple's item `label_at` ((start, end, label) entities, (head, tail, label) links)."""
    g, p = set(gold), set(predicted)
    out: dict[str, list[int]] = {}
    for item in g | p:
        c = out.setdefault(item[label_at], [0, 0, 0])
        c[0 if item in g and item in p else 1 if item in p else 2] += 1
    return {label: (c[0], c[1], c[2]) for label, c in out.items()}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f}


def score_relations(examples: Iterable[Example]) -> dict:
    """Micro P/R/F1 over (value, target, relation) triples, and per relation type."""
    counts = {r: [0, 0, 0] for r in RELATIONS}
    for eg in examples:
        per_label = counts_by_label(_triples(eg.reference._.rel), _triples(eg.predicted._.rel))
        for label, triple in per_label.items():
            counts[label] = [a + b for a, b in zip(counts[label], triple)]
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    micro = prf(*total)
    return {"rel_micro_p": micro["p"], "rel_micro_r": micro["r"], "rel_micro_f": micro["f"],
            "rel_per_type": {r: prf(*c) for r, c in counts.items()}}


@registry.scorers("mchnlp.relation_scorer.v1")
def make_relation_scorer():
    return score_relations


STRICT_KEYS = ("indicator", "value", "unit", "location", "year")
CORE_KEYS = ("indicator", "value", "unit")


def fact_key(fact: dict, keys: tuple[str, ...]) -> tuple:
    out = []
    for k in keys:
        v = fact.get(k)
        if k == "value" and v is not None:
            v = round(float(v), 6)
        elif k == "location" and isinstance(v, str):
            v = v.strip().lower()
        out.append(v)
    return tuple(out)


def fact_counts(gold: list[dict], predicted: list[dict], keys: tuple[str, ...]) -> tuple[int, int, int]:
    """(tp, fp, fn) matching facts as multisets of their `keys` within one document."""
    from collections import Counter

    g = Counter(fact_key(f, keys) for f in gold)
    p = Counter(fact_key(f, keys) for f in predicted)
    tp = sum((g & p).values())
    return tp, sum(p.values()) - tp, sum(g.values()) - tp
