"""Training the statistical entity recognizer (spaCy `ner`) on the gold Docs.

With `rule_features` the recognizer's embedding reads the rule matches (`mchnlp.RuleHashEmbed.v1`):
the rule components run first and `mch_rule_spans` hands their entities over as a feature, so
the pipeline this returns is rules → rule spans → ner, and its entities are the recognizer's.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from ..components.rule_features import RULE_LABELS, RULE_SPANS_KEY
from ..pipeline import blank_pipeline
from .gold import LABELS, SENTENCE_PIPES, GoldDoc

logger = logging.getLogger(__name__)

RULE_PIPES = ("indicator_ruler", "place_date_ruler", "mch_area_typos", "mch_indicator_typos",
              "mch_values")
EMBED_ATTRS = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
EMBED_ROWS = [5000, 1000, 2500, 2500]


@dataclass(frozen=True)
class NerSettings:
    """What the recognizer is built from; every field is an ablation switch."""

    rule_features: bool = True
    width: int = 96
    depth: int = 4
    hidden_width: int = 64
    dropout: float = 0.2
    batch_size: int = 4
    epochs: int = 40
    patience: int = 10
    # a Hugging Face model name: the encoder becomes a spacy-transformers listener (with the
    # rule feature beside it), and the pipeline gets a `transformer` component
    transformer: str | None = None


def ner_config(settings: NerSettings) -> dict:
    """The `ner` component config: a transition-based parser over a CNN tok2vec whose
    embedding adds the rule matches when `settings.rule_features`."""
    if settings.transformer:
        return {"model": {**_parser(settings), "tok2vec": {
            "@architectures": "mchnlp.WithRuleFeatures.v1",
            "tok2vec": {"@architectures": "spacy-transformers.TransformerListener.v1",
                        "grad_factor": 1.0, "upstream": "*",
                        "pooling": {"@layers": "reduce_mean.v1"}}}}}
    embed: dict = {"width": settings.width, "attrs": list(EMBED_ATTRS), "rows": list(EMBED_ROWS)}
    if settings.rule_features:
        embed.update({"@architectures": "mchnlp.RuleHashEmbed.v1", "rule_rows": 32,
                      "spans_key": RULE_SPANS_KEY, "labels": list(RULE_LABELS)})
    else:
        embed.update({"@architectures": "spacy.MultiHashEmbed.v2",
                      "include_static_vectors": False})
    return {
        "model": {
            **_parser(settings),
            "tok2vec": {
                "@architectures": "spacy.Tok2Vec.v2",
                "embed": embed,
                "encode": {
                    "@architectures": "spacy.MaxoutWindowEncoder.v2",
                    "width": settings.width,
                    "depth": settings.depth,
                    "window_size": 1,
                    "maxout_pieces": 3,
                },
            },
        }
    }


def _parser(settings: NerSettings) -> dict:
    return {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
            "extra_state_tokens": False, "hidden_width": settings.hidden_width,
            "maxout_pieces": 2, "use_upper": True}


TRANSFORMER_CONFIG = {"model": {
    "@architectures": "spacy-transformers.TransformerModel.v3",
    "get_spans": {"@span_getters": "spacy-transformers.strided_spans.v1", "window": 128,
                  "stride": 96}}}

# the configuration of the previous rounds, for the ablation tables
NER_CONFIG = ner_config(NerSettings(rule_features=False))


def ner_pipeline(rules_nlp: Language, settings: NerSettings) -> Language:
    """A blank pipeline with the sentence rules, the rule components when the recognizer reads
    them, and an untrained `ner`."""
    nlp = blank_pipeline()
    for name in rules_nlp.pipe_names:
        if name in SENTENCE_PIPES or (settings.rule_features and name in RULE_PIPES):
            nlp.add_pipe(name, source=rules_nlp)
    if settings.rule_features:
        nlp.add_pipe("mch_rule_spans")
    if settings.transformer:
        config = {"model": {**TRANSFORMER_CONFIG["model"], "name": settings.transformer}}
        nlp.add_pipe("transformer", config=config)
    ner = nlp.add_pipe("ner", config=ner_config(settings))
    for label in LABELS:
        ner.add_label(label)
    return nlp


def predicted_doc(nlp: Language, text: str):
    """What the recognizer sees of a text: every component before it applied."""
    with nlp.select_pipes(disable=["ner"]):
        return nlp(text)


def training_example(nlp: Language, gold: GoldDoc) -> Example:
    """The gold Doc against what the recognizer sees. A gold entity that a sentence boundary
    cuts ("306 per 100. 000 kelahiran hidup") cannot be supervised across the boundary: the
    boundary is lifted inside it."""
    doc = predicted_doc(nlp, gold.doc.text)
    for ent in gold.doc.ents:
        for i in range(ent.start + 1, ent.end):
            if doc[i].is_sent_start:
                doc[i].is_sent_start = False
    return Example(doc, gold.doc)


def train_ner(rules_nlp: Language, train: list[GoldDoc], dev: list[GoldDoc], *,
              settings: NerSettings | None = None, seed: int = 0,
              progress: bool = False, epochs: int | None = None) -> tuple[Language, dict]:
    """Train the recognizer for the five labels; keep the epoch with the best dev F1 (a fixed
    number of epochs when there is no dev split).

    Returns:
        (pipeline ending in the trained `ner`, {"best_epoch", "dev_ents_f", "history",
        "settings"}).
    """
    settings = settings or NerSettings()
    if epochs is not None:
        settings = replace(settings, epochs=epochs)
    fix_random_seed(seed)
    nlp = ner_pipeline(rules_nlp, settings)
    examples = [training_example(nlp, g) for g in train]
    dev_examples = [training_example(nlp, g) for g in dev]
    # initializing the rulers would clear their patterns: only the recognizer is new
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    best_f, best_bytes, best_epoch, history = -1.0, None, 0, []
    for epoch in range(settings.epochs):
        rng.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=settings.batch_size):
            nlp.update(batch, sgd=optimizer, drop=settings.dropout, losses=losses)
        f = _dev_f(nlp, dev_examples) if dev_examples else 0.0
        history.append({"epoch": epoch, "loss": losses.get("ner", 0.0), "dev_ents_f": f})
        if progress:
            logger.info("NER epoch %d loss %.1f dev F %.3f", epoch, losses.get("ner", 0.0), f)
        if not dev_examples:
            best_f, best_bytes, best_epoch = f, None, epoch
        elif f > best_f:
            best_f, best_bytes, best_epoch = f, nlp.get_pipe("ner").to_bytes(), epoch
        elif epoch - best_epoch >= settings.patience:
            break
    if best_bytes is not None:
        nlp.get_pipe("ner").from_bytes(best_bytes)
    return nlp, {"best_epoch": best_epoch, "dev_ents_f": best_f, "history": history,
                 "settings": settings.__dict__}


def _dev_f(nlp: Language, examples: list[Example]) -> float:
    """Entity F1 of the recognizer alone (the rule components already ran on the examples)."""
    ner = nlp.get_pipe("ner")
    predicted = list(ner.pipe(eg.predicted.copy() for eg in examples))
    scored = [Example(doc, eg.reference) for doc, eg in zip(predicted, examples)]
    return ner.score(scored).get("ents_f") or 0.0
