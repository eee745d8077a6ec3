"""Fitting `mch_entity_arbiter`: recognizer candidates on training documents from recognizers
that did not see them (k-fold cross-fitting), the rules' candidates, gold labels; the threshold
that maximises entity F1 on dev."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language

from ..components.entity_arbiter import EntityArbiter, candidates
from .gold import GoldDoc
from .ner import NerSettings, train_ner

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def _gold_keys(g: GoldDoc) -> set[tuple[int, int, str]]:
    return {(e.start, e.end, e.label_) for e in g.doc.ents}


def labelled_candidates(ner_nlp: Language, golds: list[GoldDoc]) -> list[tuple[dict, bool]]:
    out = []
    for g in golds:
        gold = _gold_keys(g)
        doc = ner_nlp(g.doc.text)
        out += [(f, key in gold) for key, f in candidates(doc).items()]
    return out


def _entity_f(arbiter: EntityArbiter, docs_and_gold) -> float:
    tp = fp = fn = 0
    for doc, gold in docs_and_gold:
        arbiter(doc)
        pred = {(e.start, e.end, e.label_) for e in doc.ents}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def fit_arbiter(rules_nlp: Language, train: list[GoldDoc], dev: list[GoldDoc],
                ner_nlp: Language, *, settings: NerSettings, seed: int = 0, folds: int = 3,
                report: Callable[[str], None] | None = None) -> tuple[EntityArbiter, dict]:
    """Cross-fit recognizers on `folds` parts of `train`, fit the arbiter on their held-out
    candidates, and tune its threshold on `dev` with the final recognizer `ner_nlp`."""
    ids = sorted(g.record["id"] for g in train)
    folds = min(folds, len(ids))
    fold_of = {doc_id: n % folds for n, doc_id in enumerate(ids)} if folds else {}
    examples: list[tuple[dict, bool]] = []
    if folds < 2:  # a one-document corpus: the final recognizer's own candidates
        examples = labelled_candidates(ner_nlp, train)
    for k in range(folds if folds >= 2 else 0):
        fit = [g for g in train if fold_of[g.record["id"]] != k]
        held = [g for g in train if fold_of[g.record["id"]] == k]
        fold_nlp, _ = train_ner(rules_nlp, fit, dev, settings=settings, seed=seed)
        examples += labelled_candidates(fold_nlp, held)
        if report:
            report(f"arbiter: cross-fitted recognizer {k + 1}/{folds}")
    arbiter = EntityArbiter(None)
    arbiter.fit(examples, seed=seed)
    dev_docs = [(ner_nlp(g.doc.text), _gold_keys(g)) for g in dev]
    scores = {}
    for threshold in THRESHOLDS:
        arbiter.cfg["threshold"] = threshold
        scores[threshold] = _entity_f(arbiter, [(d.copy(), gold) for d, gold in dev_docs])
    best = max(scores, key=scores.get)
    arbiter.cfg["threshold"] = best
    return arbiter, {"threshold": best, "dev_ents_f": scores[best], "folds": folds,
                     "candidates": len(examples)}
