"""Training the statistical NER and the relation linker from the annotated corpus.

`run_training` is deterministic for a seed: it builds gold Docs from the corpus records, trains a
spaCy NER on the train split (keeping the best epoch on dev), fits the linker on gold
entities, tunes the linker's regularisation and thresholds on dev, and assembles the
candidate pipelines (rules only, statistical NER only, hybrid; rule or trained linker). The
caller picks the shipped default by its dev score.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from spacy.language import Language
from spacy.training import Example

from ..api import process
from ..components.rule_linker import RuleLinker
from ..evaluation.scoring import CORE_KEYS, STRICT_KEYS, fact_counts, prf
from .gold import GoldDoc, gold_doc, with_predicted_entities
from .linker import (
    SYNTAX_FEATURE_MIN_GAIN,
    _fact_f,
    fit_linker,
    linker_folds,
    linker_syntax_ablation,
)
from .ner import train_ner
from .pipelines import assemble

logger = logging.getLogger(__name__)





def fact_scores(nlp: Language, golds: Iterable[GoldDoc]) -> dict:
    """Strict and core fact P/R/F1 of `nlp` over gold documents (micro over documents)."""
    totals = {"strict": [0, 0, 0], "core": [0, 0, 0]}
    for g in golds:
        published = (g.record.get("meta") or {}).get("published") or None
        if published and len(published) == 7:
            published += "-01"
        predicted = [f.to_dict() for f in process(nlp, g.record["text"], published)]
        gold = g.record.get("facts", [])
        for mode, keys in (("strict", STRICT_KEYS), ("core", CORE_KEYS)):
            for i, n in enumerate(fact_counts(gold, predicted, keys)):
                totals[mode][i] += n
    return {mode: prf(*c) for mode, c in totals.items()}


def ner_scores(nlp: Language, golds: Iterable[GoldDoc]) -> dict:
    examples = [Example(nlp.make_doc(g.doc.text), g.doc) for g in golds]
    scores = nlp.evaluate(examples)
    return {"ents_p": scores["ents_p"], "ents_r": scores["ents_r"], "ents_f": scores["ents_f"],
            "per_type": scores.get("ents_per_type", {})}




# -- the whole run -----------------------------------------------------------------------------
VARIANTS = (
    # (name, use_rules, use_ner, linker)
    ("rules", True, False, "rules"),
    ("rules+trained_linker", True, False, "trained"),
    ("ner+trained_linker", False, True, "trained"),
    ("hybrid+rule_linker", True, True, "rules"),
    ("hybrid+trained_linker", True, True, "trained"),
)


def run_training(records: list[dict], splits: dict[str, list[str]], rules_nlp: Language, *,
                 seed: int = 0, ner_epochs: int = 30, progress: bool = False,
                 cv_folds: int = 5) -> dict:
    """Train NER and linker, score every pipeline variant on dev and test.

    Returns {"variants": {name: {"dev": ..., "test": ...}}, "chosen": name,
    "pipelines": {name: Language}, "ner": training info, "linker": tuning info}.
    The chosen variant is the best by strict fact F1 on dev (ties: core F1), never by test.
    """
    by_id = {r["id"]: r for r in records}
    golds = {split: [gold_doc(rules_nlp, by_id[i]) for i in ids if i in by_id]
             for split, ids in splits.items()}
    ner_nlp, ner_info = train_ner(rules_nlp, golds["train"], golds["dev"], epochs=ner_epochs,
                                  seed=seed, progress=progress)
    # the linker learns and is tuned on the entities it will see (rules), not on gold ones;
    # dependency-path features are a hyperparameter, kept only when they help on dev
    predicted = {split: with_predicted_entities(rules_nlp, docs) for split, docs in golds.items()}
    n_docs = len(golds["train"]) + len(golds["dev"])
    cv_folds = min(cv_folds, n_docs)  # a tiny corpus: at most one document per fold
    folds = linker_folds(golds["train"] + golds["dev"], predicted["train"] + predicted["dev"],
                         cv_folds) if cv_folds > 1 else None
    fitted = {use: fit_linker(golds["train"] + predicted["train"], predicted["dev"], rules_nlp,
                              seed=seed, use_syntax=use, folds=folds)
              for use in (True, False)}
    # ...and only when they gain at least half a point of held-out strict fact F1: without
    # them the facts do not depend on which syntax layer (spaCy, Stanza, none) the pipeline runs
    held_out = {use: fit["cv"] if folds else fit["dev"]["fact_f"] for use, fit in fitted.items()}
    gain = held_out[True][0] - held_out[False][0]
    linker = fitted[True] if gain >= SYNTAX_FEATURE_MIN_GAIN else fitted[False]
    # the rule linker learns nothing, so its cross-validation score is its score on the
    # same held-out documents: train+dev with rule entities
    rules_cv = _fact_f(RuleLinker(None, "rules"), predicted["train"] + predicted["dev"]) if folds \
        else None
    ablation = {"gold_entities": linker_syntax_ablation(golds, fitted),
                "predicted_entities": linker_syntax_ablation(predicted, fitted)}
    results, pipelines = {}, {}
    for name, use_rules, use_ner, linker_kind in VARIANTS:
        nlp = assemble(rules_nlp, ner_nlp=ner_nlp if use_ner else None, use_rules=use_rules,
                       linker=linker_kind, linker_weights=linker["weights"],
                       linker_cfg=linker["cfg"])
        pipelines[name] = nlp
        results[name] = {split: {"facts": fact_scores(nlp, golds[split]),
                                 "ner": ner_scores(nlp, golds[split])}
                         for split in ("dev", "test") if golds.get(split)}
        if progress:
            logger.info("%s dev strict F %.3f", name, results[name]["dev"]["facts"]["strict"]["f"])
    chosen = max(results, key=lambda n: (results[n]["dev"]["facts"]["strict"]["f"],
                                         results[n]["dev"]["facts"]["core"]["f"]))
    return {"variants": results, "chosen": chosen, "pipelines": pipelines, "ner": ner_info,
            "linker": {"cfg": linker["cfg"], "dev": linker["dev"], "cv": linker["cv"],
                       "cv_folds": cv_folds if folds else None, "cv_rules": rules_cv},
            "linker_syntax_ablation": ablation}


