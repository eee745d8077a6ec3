"""Scorers for the linker: relation precision, recall and F1 against gold `doc._.rel`."""

from __future__ import annotations

from typing import Iterable

from spacy.training import Example
from spacy.util import registry

RELATIONS = ("indicator", "location", "date")


def _triples(rel: dict | None) -> set[tuple[int, int, str]]:
    return {(h, t, label) for (h, t), labels in (rel or {}).items() for label in labels
            if label in RELATIONS}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f}


def score_relations(examples: Iterable[Example]) -> dict:
    """Micro P/R/F1 over (value, target, relation) triples, and per relation type."""
    counts = {r: [0, 0, 0] for r in RELATIONS}
    for eg in examples:
        pred = _triples(eg.predicted._.rel)
        gold = _triples(eg.reference._.rel)
        for triple in pred | gold:
            c = counts[triple[2]]
            if triple in pred and triple in gold:
                c[0] += 1
            elif triple in pred:
                c[1] += 1
            else:
                c[2] += 1
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
