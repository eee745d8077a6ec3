"""The whole training run: recognizer, indicator codes and linker from the annotated corpus.

`run_training` is deterministic for a seed. It builds gold Docs from the corpus records,
trains the entity recognizer on train (the rules' matches as a feature; the best epoch on dev
is kept), fits `mch_indicator_codes` on the train spans, fits the linker on train (gold entities
and the rule entities, so it meets the distractors it sees at run time) and tunes its C and
thresholds on dev with the entities of each variant, then scores every variant on **dev only**
and chooses one (`choice`: the best by dev strict fact F1, or one within noise of it that can
produce every indicator code of the training annotations when the best cannot). Test is for
`mchnlp evaluate`, never for a choice made here.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from spacy.language import Language
from spacy.training import Example

from ..api import process
from ..components.entity_arbiter import EntityArbiter
from ..evaluation.scoring import CORE_KEYS, STRICT_KEYS, fact_counts, prf
from .arbiter import fit_arbiter
from .choice import choose_variant, training_codes
from .gold import GoldDoc, gold_doc, with_entities, with_predicted_entities
from .indicators import code_accuracy, fit_indicator_codes
from .linker import fit_linker
from .ner import NerSettings, train_ner
from .pipelines import assemble

logger = logging.getLogger(__name__)

# (name, entities, linker): entities "rules" (rulers + value rules), "ner" (the recognizer),
# "arbiter" (the arbiter's choice between the recognizer's and the rules' entities),
# "arbiter+rule_values" (the same, with every value the rules find kept for the linker to judge)
# or "rules+ner_indicators" (the rules' entities and the recognizer's indicators where the rules
# have none)
VARIANTS = (
    ("rules", "rules", "rules"),
    ("rules+trained_linker", "rules", "trained"),
    ("ner+trained_linker", "ner", "trained"),
    ("ner+arbiter+rule_linker", "arbiter", "rules"),
    ("ner+arbiter+trained_linker", "arbiter", "trained"),
    ("ner+arbiter+rule_values+trained_linker", "arbiter+rule_values", "trained"),
    ("ner+arbiter+rule_values+rule_fallback+trained_linker", "arbiter+rule_values+rule_fallback",
     "trained"),
    ("rules+ner_indicators+trained_linker", "rules+ner_indicators", "trained"),
)
# the entity sources that need the trained recognizer, with the labels it fills in for the
# rules (None: its entities, or the arbiter's, replace the rules')
RECOGNIZER_ENTITIES = {"ner": None, "arbiter": None, "arbiter+rule_values": None,
                       "arbiter+rule_values+rule_fallback": None,
                       "rules+ner_indicators": ["INDICATOR"]}
# the entity sources decided by the arbiter, with the labels whose rule spans it keeps, and
# the labels whose rule spans it keeps where it keeps nothing overlapping them
ARBITER_RULE_LABELS = {"arbiter": (), "arbiter+rule_values": ("COUNT", "RATE"),
                       "arbiter+rule_values+rule_fallback": ("COUNT", "RATE")}
ARBITER_FALLBACK_LABELS = {"arbiter+rule_values+rule_fallback": ("LOCATION", "DATE")}


@dataclass(frozen=True)
class TrainingSettings:
    seed: int = 0
    ner: NerSettings = field(default_factory=NerSettings)
    syntax: bool = False  # the UD syntax layer in the trained pipelines
    train_fraction: float = 1.0  # a seeded share of the train documents (learning curves)
    indicator_codes: bool = True


def fact_counts_per_doc(nlp: Language, golds: Iterable[GoldDoc]) -> dict[str, np.ndarray]:
    """Strict and core fact (tp, fp, fn) of `nlp` per gold document: {mode: (documents, 3)}."""
    rows: dict[str, list] = {"strict": [], "core": []}
    for g in golds:
        published = (g.record.get("meta") or {}).get("published") or None
        if published and len(published) == 7:
            published += "-01"
        predicted = [f.to_dict() for f in process(nlp, g.record["text"], published)]
        gold = g.record.get("facts", [])
        for mode, keys in (("strict", STRICT_KEYS), ("core", CORE_KEYS)):
            rows[mode].append(fact_counts(gold, predicted, keys))
    return {mode: np.array(r, dtype=np.int64).reshape(-1, 3) for mode, r in rows.items()}


def fact_scores(nlp: Language, golds: Iterable[GoldDoc],
                per_doc: dict[str, np.ndarray] | None = None) -> dict:
    """Strict and core fact P/R/F1 of `nlp` over gold documents (micro over documents);
    from `per_doc` (`fact_counts_per_doc`) when it is given."""
    per_doc = fact_counts_per_doc(nlp, golds) if per_doc is None else per_doc
    return {mode: prf(*(int(n) for n in counts.sum(axis=0))) for mode, counts in per_doc.items()}


def ner_scores(nlp: Language, golds: Iterable[GoldDoc]) -> dict:
    examples = [Example(nlp.make_doc(g.doc.text), g.doc) for g in golds]
    scores = nlp.evaluate(examples)
    return {"ents_p": scores["ents_p"], "ents_r": scores["ents_r"], "ents_f": scores["ents_f"],
            "per_type": scores.get("ents_per_type", {})}


def train_subset(train: list[GoldDoc], fraction: float, seed: int) -> list[GoldDoc]:
    """A seeded share of the training documents (all of them at 1.0)."""
    if fraction >= 1.0:
        return train
    ids = sorted(g.record["id"] for g in train)
    chosen = set(random.Random(seed).sample(ids, max(1, round(fraction * len(ids)))))
    return [g for g in train if g.record["id"] in chosen]


class _Forward(logging.Handler):
    """Hands a logger's records to the `report` callback (recognizer epochs)."""

    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        self.say("  " + record.getMessage())


@contextmanager
def _reported(say: Callable[[str], None], start: str, name: str | None = None
              ) -> Iterator[None]:
    """Announce a long step, forward the log lines of the module `name` meanwhile, and say
    how long it took."""
    say(start + " …")
    began = time.monotonic()
    logger_of = logging.getLogger(name) if name else None
    handler = _Forward(say)
    if logger_of is not None:
        logger_of.addHandler(handler)
        propagate, logger_of.propagate = logger_of.propagate, False
        level = logger_of.level
        logger_of.setLevel(logging.INFO)
    try:
        yield
    finally:
        if logger_of is not None:
            logger_of.removeHandler(handler)
            logger_of.propagate = propagate
            logger_of.setLevel(level)
        say(f"  done in {time.monotonic() - began:.0f} s")


def _arbiter_for(arbiter: EntityArbiter | None, entities: str) -> EntityArbiter | None:
    """The fitted arbiter set up for an entity source (None where the source has none)."""
    if arbiter is None or entities not in ARBITER_RULE_LABELS:
        return None
    configured = EntityArbiter(None).from_bytes(arbiter.to_bytes())
    configured.cfg["rule_labels"] = list(ARBITER_RULE_LABELS[entities])
    configured.cfg["fallback_labels"] = list(ARBITER_FALLBACK_LABELS.get(entities, ()))
    return configured


def run_training(records: list[dict], splits: dict[str, list[str]], rules_nlp: Language, *,
                 settings: TrainingSettings | None = None, progress: bool = False,
                 variants: Iterable[str] | None = None,
                 report: Callable[[str], None] | None = None) -> dict:
    """Train the statistical parts and score the pipeline variants on dev.

    Args:
        records: corpus records; splits: "train" and "dev" lists of document ids.
        rules_nlp: the rule pipeline (`pipeline.build_rule_pipeline`).
        settings: what to train (defaults: recognizer with rule features, no syntax layer).
        variants: names from `VARIANTS` to build (default: all).
        report: called with progress lines (a CLI prints them): each long step when it
            starts and ends, with its time, and the recognizer's epochs.
    Returns:
        {"variants": {name: {"dev": {"facts", "ner"}}}, "chosen": name, "choice": why
        (`choice.choose_variant`), "pipelines": {name: Language}, "ner": training info, "linker": {variant entities: tuning info},
        "indicator_codes": {"dev": accuracy, "learned": ...}, "train_documents": n}.
    """
    settings = settings or TrainingSettings()
    say = report or (lambda line: logger.info(line) if progress else None)
    wanted = [v for v in VARIANTS if variants is None or v[0] in set(variants)]
    by_id = {r["id"]: r for r in records}
    golds = {split: [gold_doc(rules_nlp, by_id[i]) for i in splits.get(split, []) if i in by_id]
             for split in ("train", "dev")}
    golds["train"] = train_subset(golds["train"], settings.train_fraction, settings.seed)
    say(f"gold documents: {len(golds['train'])} train, {len(golds['dev'])} dev")
    ner_nlp, ner_info = None, None
    if any(entities in RECOGNIZER_ENTITIES for _, entities, _ in wanted):
        with _reported(say, f"recognizer: up to {settings.ner.epochs} epochs on "
                       f"{len(golds['train'])} documents (dev F after each)",
                       "mchnlp.training.ner" if report else None):
            ner_nlp, ner_info = train_ner(rules_nlp, golds["train"], golds["dev"],
                                          settings=settings.ner, seed=settings.seed,
                                          progress=progress or report is not None)
        say(f"recognizer: best epoch {ner_info['best_epoch']}, dev entity F1 "
            f"{ner_info['dev_ents_f']:.3f}")
    arbiter, arbiter_info = None, None
    if any(entities in ARBITER_RULE_LABELS for _, entities, _ in wanted):
        arbiter, arbiter_info = fit_arbiter(rules_nlp, golds["train"], golds["dev"], ner_nlp,
                                            settings=settings.ner, seed=settings.seed,
                                            report=say)
        say(f"arbiter: threshold {arbiter_info['threshold']}, dev entity F1 "
            f"{arbiter_info['dev_ents_f']:.3f}")
    codes, codes_info = None, None
    if settings.indicator_codes:
        codes = fit_indicator_codes(golds["train"], rules_nlp, seed=settings.seed)
        codes_info = {"dev": code_accuracy(codes, golds["dev"], rules_nlp),
                      "learned": codes.learned}
        say(f"indicator codes: dev accuracy {codes_info['dev']['learned']:.3f} (table only "
            f"{codes_info['dev']['table_only']:.3f}) on {codes_info['dev']['spans']} spans")
    # the linker learns from gold entities and from the rule entities (the distractors it
    # meets at run time), and is tuned on dev with the entities each variant produces
    rule_train = with_predicted_entities(rules_nlp, golds["train"])
    linkers: dict[str, dict] = {}
    for entities in sorted({e for _, e, linker in wanted if linker == "trained"}):
        if entities in RECOGNIZER_ENTITIES:
            partial = assemble(rules_nlp, ner_nlp=ner_nlp, linker="rules", indicator_codes=codes,
                               arbiter=_arbiter_for(arbiter, entities),
                               fill_labels=RECOGNIZER_ENTITIES[entities], syntax=settings.syntax)
            dev = with_entities(partial, golds["dev"], exclude=("mch_rule_linker",))
        else:
            dev = with_predicted_entities(rules_nlp, golds["dev"])
        with _reported(say, f"linker on {entities} entities: fitting its C grid, searching "
                       "thresholds and rule fallback on dev"):
            linkers[entities] = fit_linker(golds["train"] + rule_train, dev, rules_nlp,
                                           seed=settings.seed, use_syntax=settings.syntax)
        say(f"linker on {entities} entities: C {linkers[entities]['cfg']['c']}, dev strict / "
            f"core fact F1 {linkers[entities]['dev']['fact_f'][0]:.3f} / "
            f"{linkers[entities]['dev']['fact_f'][1]:.3f}")
    results, pipelines, per_doc_strict = {}, {}, {}
    for name, entities, linker_kind in wanted:
        fitted = linkers.get(entities, {})
        trained_entities = entities in RECOGNIZER_ENTITIES
        nlp = assemble(rules_nlp, ner_nlp=ner_nlp if trained_entities else None,
                       linker=linker_kind, linker_weights=fitted.get("weights"),
                       linker_cfg=fitted.get("cfg"),
                       indicator_codes=codes if trained_entities else None,
                       arbiter=_arbiter_for(arbiter, entities),
                       fill_labels=RECOGNIZER_ENTITIES.get(entities), syntax=settings.syntax)
        pipelines[name] = nlp
        say(f"{name}: scoring on dev …")
        per_doc = fact_counts_per_doc(nlp, golds["dev"])
        per_doc_strict[name] = per_doc["strict"]
        results[name] = {"dev": {"facts": fact_scores(nlp, golds["dev"], per_doc),
                                 "ner": ner_scores(nlp, golds["dev"])}}
        dev = results[name]["dev"]
        say(f"{name}: dev strict / core fact F1 {dev['facts']['strict']['f']:.3f} / "
            f"{dev['facts']['core']['f']:.3f}, entity F1 {dev['ner']['ents_f']:.3f}")
    choice = choose_variant({n: r["dev"]["facts"] for n, r in results.items()}, per_doc_strict,
                            pipelines, training_codes(golds["train"]), seed=settings.seed)
    return {"variants": results, "chosen": choice["chosen"], "choice": choice,
            "pipelines": pipelines, "ner": ner_info,
            "arbiter": arbiter_info,
            "linker": {e: {"cfg": f["cfg"], "dev": f["dev"]} for e, f in linkers.items()},
            "indicator_codes": codes_info, "train_documents": len(golds["train"]),
            "settings": {"seed": settings.seed, "syntax": settings.syntax,
                         "train_fraction": settings.train_fraction,
                         "ner": settings.ner.__dict__}}
