"""Training the statistical NER and the relation linker from the annotated corpus.

`train_all` is deterministic for a seed: it builds gold Docs from the corpus records, trains a
spaCy NER on the train split (keeping the best epoch on dev), fits the linker on gold
entities, tunes the linker's regularisation and thresholds on dev, and assembles the
candidate pipelines (rules only, statistical NER only, hybrid; rule or trained linker). The
caller picks the shipped default by its dev score.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans, fix_random_seed, minibatch

from .api import process
from .candidates import CandidateGenerator
from .extensions import register_extensions
from .pipeline import SYNTAX_PIPES
from .rule_linker import RuleLinker
from .scoring import CORE_KEYS, STRICT_KEYS, fact_counts, prf

logger = logging.getLogger(__name__)
LABELS = ("INDICATOR", "COUNT", "RATE", "LOCATION", "DATE")
SENTENCE_PIPES = ("sentencizer", "mch_paragraph_breaks")
RULE_PIPES = ("indicator_ruler", "place_date_ruler", "mch_values")
SYNTAX_FEATURE_MIN_GAIN = 0.005
# a threshold no probability reaches: with the rule fallback on, that relation is the rules'
RULES_ONLY = 1.01


@dataclass
class GoldDoc:
    record: dict
    doc: Doc
    misaligned: list[dict] = field(default_factory=list)


def gold_doc(rules_nlp: Language, record: dict) -> GoldDoc:
    """Tokenize a corpus record with the pipeline's tokenizer and sentence rules, then set the
    gold entities, the gold links (`doc._.rel`) and the value descriptions."""
    register_extensions()
    doc = rules_nlp.make_doc(record["text"])
    for name, component in rules_nlp.pipeline:
        if name in SENTENCE_PIPES or name in SYNTAX_PIPES:
            doc = component(doc)
    by_id: dict[str, Span] = {}
    misaligned = []
    spans = []
    for s in record.get("spans", []):
        span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="contract")
        if span is None or not len(span):
            misaligned.append(s)
            continue
        spans.append(span)
        by_id[s["id"]] = span
    doc.ents = filter_spans(spans)
    kept = {(e.start, e.end) for e in doc.ents}
    doc._.rel = {}
    for rel in record.get("relations", []):
        head, tail = by_id.get(rel["head"]), by_id.get(rel["tail"])
        if head is None or tail is None or (head.start, head.end) not in kept:
            continue
        doc._.rel.setdefault((head.start, tail.start), {})[rel["label"]] = 1.0
    doc._.published = (record.get("meta") or {}).get("published") or None
    if doc._.published and len(doc._.published) == 7:
        doc._.published = doc._.published + "-01"
    values = rules_nlp.get_pipe("mch_values") if "mch_values" in rules_nlp.pipe_names else None
    if values is not None:
        values.annotate_existing(doc)
    return GoldDoc(record, doc, misaligned)


# -- NER -------------------------------------------------------------------------------------
NER_CONFIG = {
    "model": {
        "@architectures": "spacy.TransitionBasedParser.v2",
        "state_type": "ner",
        "extra_state_tokens": False,
        "hidden_width": 64,
        "maxout_pieces": 2,
        "use_upper": True,
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": 96,
                "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                "rows": [5000, 1000, 2500, 2500],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": 96,
                "depth": 4,
                "window_size": 1,
                "maxout_pieces": 3,
            },
        },
    }
}


def train_ner(rules_nlp: Language, train: list[GoldDoc], dev: list[GoldDoc], *,
              epochs: int = 30, seed: int = 0, patience: int = 8,
              progress: bool = False) -> tuple[Language, dict]:
    """Train a statistical NER for the five labels; keep the epoch with the best dev F1."""
    fix_random_seed(seed)
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "mchnlp.Tokenizer.v1"}}})
    for name in SENTENCE_PIPES:
        if name in rules_nlp.pipe_names:
            nlp.add_pipe(name, source=rules_nlp)
    ner = nlp.add_pipe("ner", config=NER_CONFIG)
    for label in LABELS:
        ner.add_label(label)
    examples = [Example(nlp.make_doc(g.doc.text), g.doc) for g in train]
    dev_examples = [Example(nlp.make_doc(g.doc.text), g.doc) for g in dev]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    best_f, best_bytes, best_epoch, history = -1.0, None, 0, []
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=4):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        scores = nlp.evaluate(dev_examples) if dev_examples else {"ents_f": 0.0}
        f = scores.get("ents_f") or 0.0
        history.append({"epoch": epoch, "loss": losses.get("ner", 0.0), "dev_ents_f": f})
        if progress:
            logger.info("epoch %d loss %.1f dev F %.3f", epoch, losses.get("ner", 0.0), f)
        if not dev_examples:  # nothing to select on: a fixed number of epochs
            best_f, best_bytes, best_epoch = f, None, epoch
        elif f > best_f:
            best_f, best_bytes, best_epoch = f, nlp.get_pipe("ner").to_bytes(), epoch
        elif epoch - best_epoch >= patience:
            break
    if best_bytes is not None:
        nlp.get_pipe("ner").from_bytes(best_bytes)
    return nlp, {"best_epoch": best_epoch, "dev_ents_f": best_f, "history": history}


# -- pipelines ---------------------------------------------------------------------------------
def assemble(rules_nlp: Language, *, ner_nlp: Language | None = None, use_rules: bool = True,
             linker: str = "rules", linker_weights: dict | None = None,
             linker_cfg: dict | None = None) -> Language:
    """Build a pipeline: rules and/or statistical NER, then the rule or trained linker."""
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "mchnlp.Tokenizer.v1"}}})
    # rulers, syntax layer, sentence boundaries and value rules in the rule pipeline's order
    for name in rules_nlp.pipe_names:
        if name in SENTENCE_PIPES or name in SYNTAX_PIPES or name in RULE_PIPES:
            nlp.add_pipe(name, source=rules_nlp)
            if name in RULE_PIPES and not use_rules:
                nlp.disable_pipe(name)  # kept, switched off, for mch_entity_ids to match against
    if ner_nlp is not None:
        nlp.add_pipe("ner", source=ner_nlp)
        nlp.add_pipe("mch_entity_ids")
    # describe the values a statistical NER added (kind, qualifier, counting noun)
    if ner_nlp is not None:
        attrs = nlp.add_pipe("mch_values", name="mch_value_attrs", config={"detect": False})
        attrs.initialize(lexicon=rules_nlp.get_pipe("mch_values").lexicon)
    if linker == "rules":
        nlp.add_pipe("mch_rule_linker")
    else:
        cfg = linker_cfg or {}
        config = {k: v for k, v in cfg.items() if k in ("c",)}
        config["generator"] = {"@misc": "mchnlp.rel_instance_generator.v1",
                               "use_syntax": cfg.get("use_syntax", True)}
        component = nlp.add_pipe("mchnlp_linker", config=config)
        from .linker import LinkModel

        component.model = LinkModel(linker_weights or {})
        if "thresholds" in cfg:
            component.cfg["thresholds"] = dict(cfg["thresholds"])
        component.cfg["fallback_to_rules"] = bool(cfg.get("fallback_to_rules", False))
    nlp.meta.update(rules_nlp.meta)
    return nlp


# -- evaluation used for model selection ---------------------------------------------------------
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


def linker_examples(golds: Iterable[GoldDoc]) -> list[Example]:
    return [Example(g.doc.copy(), g.doc) for g in golds]


def value_facts(g: GoldDoc) -> dict[int, dict]:
    """Token start of each gold fact's value span in `g.doc` -> the gold fact."""
    out = {}
    for fact in g.record.get("facts", []):
        span = g.doc.char_span(fact["start"], fact["end"], alignment_mode="expand")
        if span is not None:
            out[span.start] = fact
    return out


def with_predicted_entities(rules_nlp: Language, golds: Iterable[GoldDoc]) -> list[GoldDoc]:
    """The gold documents re-annotated with the rule entities (and their value attributes),
    carrying the gold links. Training the linker on these teaches it the distractors it
    meets at run time (budgets, ages, targets of other indicators): a predicted value that
    is no gold value has only negative candidates, a gold link whose span the rules found
    is positive. Same tokenizer, so the gold link keys (token starts) carry over."""
    register_extensions()
    entity_pipes = [name for name in rules_nlp.pipe_names if name != "mch_rule_linker"]
    out = []
    with rules_nlp.select_pipes(enable=entity_pipes):
        for g in golds:
            doc = rules_nlp.make_doc(g.record["text"])
            doc._.published = g.doc._.published
            doc = rules_nlp(doc)
            doc._.rel = dict(g.doc._.rel or {})
            out.append(GoldDoc(g.record, doc, g.misaligned))
    return out


def fit_linker(train: list[GoldDoc], dev: list[GoldDoc], rules_nlp: Language, *, seed: int = 0,
               c_grid=(0.1, 0.3, 1.0, 3.0), threshold_grid=(0.2, 0.3, 0.4, 0.5, RULES_ONLY),
               use_syntax: bool = True, fallback_grid=(False, True),
               folds: list[tuple[list[GoldDoc], list[GoldDoc]]] | None = None) -> dict:
    """Fit the linker on `train` with the C, thresholds and rule fallback that maximise strict
    fact F1 on held-out documents: `dev`, or, with `folds` ((fit, held-out) document lists),
    the facts of every fold's held-out documents pooled, which is less at the mercy of the
    14 dev documents. `use_syntax=False` drops the dependency-path features (the ablation).
    Returns {"weights", "cfg", "dev", "cv"}."""
    from .linker import LinkModel, TrainedLinker

    generator = _CachedCandidates(CandidateGenerator(use_syntax=use_syntax))
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
               tuple(sorted((k, tuple(sorted(v.items()))) for k, v in attrs.items())))
        if key not in self._cache:
            self._cache[key] = list(self.generator(doc))
        return iter(self._cache[key])


def _relinked(component, g: GoldDoc) -> Doc:
    """A copy of the document's entities and value attributes, linked by `component`."""
    doc = g.doc.copy()
    doc._.rel = {}
    doc._.value_attrs = dict(g.doc._.value_attrs or {})
    doc._.published = g.doc._.published
    return component(doc)


def _fact_counts(component, golds: list[GoldDoc]) -> dict[str, list[int]]:
    """Strict and core fact (TP, FP, FN) over documents whose entities are already set."""
    from .facts import doc_facts

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


def load_records(path: Path) -> list[dict]:
    """The corpus records of a JSONL file; malformed lines raise with `path:line`."""
    from .corpus.schema import read_jsonl

    return read_jsonl(path)



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
    from .linker import LinkModel, TrainedLinker

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
