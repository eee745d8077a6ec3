"""Training the statistical entity recognizer (spaCy `ner`) on the gold Docs."""


from __future__ import annotations

import logging
import random

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from .gold import LABELS, SENTENCE_PIPES, GoldDoc

logger = logging.getLogger(__name__)


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
