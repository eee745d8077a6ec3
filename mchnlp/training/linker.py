"""Fitting and tuning the relation linker: C, thresholds and rule fallback chosen on held-out
strict fact F1 (dev, or pooled cross-validation folds), and the dependency-feature ablation."""


from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..components.candidates import CandidateGenerator
from ..evaluation.scoring import CORE_KEYS, STRICT_KEYS, fact_counts, prf
from .gold import GoldDoc, linker_examples, value_facts

SYNTAX_FEATURE_MIN_GAIN = 0.005


# a threshold no probability reaches: with the rule fallback on, that relation is the rules'
RULES_ONLY = 1.01


def fit_linker(train: list[GoldDoc], dev: list[GoldDoc], rules_nlp: Language, *, seed: int = 0,
               c_grid=(0.1, 0.3, 1.0, 3.0), threshold_grid=(0.2, 0.3, 0.4, 0.5, RULES_ONLY),
               use_syntax: bool = True, use_structure: bool = True, use_scope: bool = True,
               use_periods: bool = True, fallback_grid=(False, True),
               folds: list[tuple[list[GoldDoc], list[GoldDoc]]] | None = None) -> dict:
    """Fit the linker on `train` with the C, thresholds and rule fallback that maximise strict
    fact F1 on held-out documents: `dev`, or, with `folds` ((fit, held-out) document lists),
    the facts of every fold's held-out documents pooled, which is less at the mercy of the
    14 dev documents. `use_syntax=False` drops the dependency-path features (the ablation).
    Returns {"weights", "cfg", "dev", "cv"}."""
    from ..components.linker import LinkModel, TrainedLinker

    generator = _CachedCandidates(CandidateGenerator(use_syntax=use_syntax,
                                                     use_structure=use_structure,
                                                     use_scope=use_structure and use_scope,
                                                     use_periods=use_structure and use_periods))
    component = TrainedLinker(None, generator=generator)
    rounds = folds if folds else [(train, dev)]
    labelled = {}  # candidates do not depend on C: generate them once per document
    for fit_docs, _ in rounds + [(train, [])]:
        for g in fit_docs:
            if id(g) not in labelled:
                labelled[id(g)] = list(component.labelled_candidates(
                    linker_examples([g]), [value_facts(g)]))

    def fit(docs: list[GoldDoc], c: float) -> dict:
        return LinkModel.fit((x for g in docs for x in labelled[id(g)]), c=c, seed=seed).weights

    def pooled_f(fold_weights: list[dict], cfg: dict) -> tuple[float, float]:
        totals = {"strict": [0, 0, 0], "core": [0, 0, 0]}
        component.cfg.update(cfg)
        for weights, (_, held_out) in zip(fold_weights, rounds):
            component.model = LinkModel(weights)
            for mode, counts in _fact_counts(component, held_out).items():
                totals[mode] = [a + b for a, b in zip(totals[mode], counts)]
        return prf(*totals["strict"])["f"], prf(*totals["core"])["f"]

    best = None
    for c in c_grid:
        fold_weights = [fit(fit_docs, c) for fit_docs, _ in rounds]
        for fallback in fallback_grid:
            # thresholds by coordinate search on what users read: strict fact F1
            thresholds = {r: 0.3 for r in ("indicator", "location", "date")}
            for relation in ("indicator", "location", "date"):
                best_t, best_f = 0.3, (-1.0, -1.0)
                for t in threshold_grid:
                    f = pooled_f(fold_weights, {"fallback_to_rules": fallback,
                                                "thresholds": {**thresholds, relation: t}})
                    if f > best_f:
                        best_t, best_f = t, f
                thresholds[relation] = best_t
            cfg = {"c": c, "thresholds": dict(thresholds), "use_syntax": use_syntax,
                   "use_structure": use_structure,
                   "use_scope": use_structure and use_scope,
                   "use_periods": use_structure and use_periods,
                   "fallback_to_rules": fallback}
            held_out_f = pooled_f(fold_weights, cfg)
            if best is None or held_out_f > best["cv"]:
                best = {"cfg": cfg, "cv": held_out_f}
    best["weights"] = fit(train, best["cfg"]["c"])
    component.model = LinkModel(best["weights"])
    component.cfg.update(best["cfg"])
    best["dev"] = {"fact_f": _fact_f(component, dev),
                   "rel_micro_f": _relation_f(component, dev, None)}
    if not folds:
        best["cv"] = None
    component.cfg["fallback_to_rules"] = False
    return best


class _CachedCandidates:
    """The pair generator with its output kept per document (text, entities, value attributes):
    the threshold search relinks the same documents dozens of times."""

    def __init__(self, generator: CandidateGenerator) -> None:
        self.generator = generator
        self.use_syntax = generator.use_syntax
        self._cache: dict = {}

    def __call__(self, doc: Doc):
        attrs = doc._.value_attrs or {}
        key = (doc.text, tuple((e.start, e.end, e.label_, e.ent_id_) for e in doc.ents),
               _frozen(attrs))
        if key not in self._cache:
            self._cache[key] = list(self.generator(doc))
        return iter(self._cache[key])


def _frozen(value):
    """A hashable copy of nested value attributes (a death period is a dict of indicators)."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, set):
        return frozenset(_frozen(v) for v in value)
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


def _relinked(component, g: GoldDoc) -> Doc:
    """A copy of the document's entities and value attributes, linked by `component`."""
    doc = g.doc.copy()
    doc._.rel = {}
    doc._.value_attrs = dict(g.doc._.value_attrs or {})
    doc._.published = g.doc._.published
    return component(doc)


def _fact_counts(component, golds: list[GoldDoc]) -> dict[str, list[int]]:
    """Strict and core fact (TP, FP, FN) over documents whose entities are already set."""
    from ..facts.view import doc_facts

    totals = {"strict": [0, 0, 0], "core": [0, 0, 0]}
    for g in golds:
        predicted = [f.to_dict() for f in doc_facts(_relinked(component, g))]
        for mode, keys in (("strict", STRICT_KEYS), ("core", CORE_KEYS)):
            for i, n in enumerate(fact_counts(g.record.get("facts", []), predicted, keys)):
                totals[mode][i] += n
    return totals


def _fact_f(component, golds: list[GoldDoc]) -> tuple[float, float]:
    """(strict, core) fact F1 over documents whose entities are already set."""
    totals = _fact_counts(component, golds)
    return prf(*totals["strict"])["f"], prf(*totals["core"])["f"]


def _relation_f(component, golds: list[GoldDoc], relation: str | None) -> float:
    tp = fp = fn = 0
    for g in golds:
        doc = _relinked(component, g)
        pred = {(h, t, lab) for (h, t), labs in doc._.rel.items() for lab in labs
                if lab != "unit" and (relation is None or lab == relation)}
        gold = {(h, t, lab) for (h, t), labs in (g.doc._.rel or {}).items() for lab in labs
                if relation is None or lab == relation}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    return prf(tp, fp, fn)["f"]


def linker_folds(golds: list[GoldDoc], predicted: list[GoldDoc], k: int
                 ) -> list[tuple[list[GoldDoc], list[GoldDoc]]]:
    """k folds by document (round robin over sorted ids): fit on the other folds' gold and
    rule-entity documents, score on the fold's rule-entity documents."""
    ids = sorted(g.record["id"] for g in golds)
    fold_of = {doc_id: n % k for n, doc_id in enumerate(ids)}
    out = []
    for fold in range(k):
        fit_docs = [g for g in golds + predicted if fold_of[g.record["id"]] != fold]
        held_out = [g for g in predicted if fold_of[g.record["id"]] == fold]
        out.append((fit_docs, held_out))
    return out


def linker_syntax_ablation(golds: dict[str, list[GoldDoc]], fitted: dict[bool, dict]) -> dict:
    """Relation F1 with gold entities, with and without the dependency-path features."""
    from ..components.linker import LinkModel, TrainedLinker

    out = {}
    for use_syntax, linker in fitted.items():
        component = TrainedLinker(None, c=linker["cfg"]["c"],
                                  generator=CandidateGenerator(use_syntax=use_syntax))
        component.model = LinkModel(linker["weights"])
        component.cfg["thresholds"] = dict(linker["cfg"]["thresholds"])
        component.cfg["fallback_to_rules"] = linker["cfg"].get("fallback_to_rules", False)
        name = "with_syntax" if use_syntax else "without_syntax"
        out[name] = {split: {rel or "micro": _relation_f(component, golds[split], rel)
                             for rel in (None, "indicator", "location", "date")}
                     for split in ("dev", "test") if golds.get(split)}
        out[name]["dev_fact_f_strict_core"] = linker["dev"]["fact_f"]
    return out
