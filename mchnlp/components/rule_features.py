"""The rule matches as an input feature of the trained entity recognizer.

The entity rulers and the value rules know a lot (18,000 indicator and place phrases, the value
lexicon), but they are hand-written and miss what their authors did not foresee. The trained
recognizer sees their output as one more token feature instead of as its answer:

- `mch_rule_spans` runs after the rules and moves their entities from `doc.ents` into the span
  group `doc.spans["mch_rules"]` (ids kept), so the recognizer starts from empty entities;
- `mchnlp.RuleHashEmbed.v1` is spaCy's `MultiHashEmbed` plus one more hashed column per token:
  the rule label and position ("B-INDICATOR", "I-LOCATION", "O") read from that span group;
- `mchnlp.WithRuleFeatures.v1` adds the same column to any other token encoder by
  concatenation — e.g. a `spacy-transformers` listener, so a transformer keeps the rules.

Training sets the same span group on the predicted Docs (the rules are deterministic), so the
model learns how far to trust each rule label from the gold spans.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup
from spacy.util import registry
from thinc.api import (
    HashEmbed,
    Maxout,
    Model,
    chain,
    concatenate,
    list2ragged,
    ragged2list,
    with_array,
)
from thinc.types import Floats2d, Ints2d

from ..facts.extensions import ensure_doc_stores
from ..structure.tables import grid_tables

RULE_SPANS_KEY = "mch_rules"
RULE_LABELS = ("INDICATOR", "COUNT", "RATE", "LOCATION", "DATE")
TABLE_BODY, TABLE_HEADER = 101, 102


def rule_codes(doc: Doc, spans_key: str, labels: Sequence[str]) -> numpy.ndarray:
    """Per token: 1 + 2k at the first token of a rule span of label k, 2 + 2k inside it; for
    tokens in no rule span, 0 in running text, TABLE_BODY in a grid table's body cell (a
    number there that the rules left out is one they judged no value) and TABLE_HEADER in a
    header row."""
    codes = numpy.zeros(len(doc), dtype="uint64")
    for table in grid_tables(doc):
        for rows, code in ((table["header"], TABLE_HEADER), (table["body"], TABLE_BODY)):
            for row in rows:
                for start, end in row:
                    codes[start:end] = code
    if spans_key not in doc.spans:
        return codes
    index = {label: k for k, label in enumerate(labels)}
    for span in doc.spans[spans_key]:
        k = index.get(span.label_)
        if k is None:
            continue
        codes[span.start] = 1 + 2 * k
        codes[span.start + 1 : span.end] = 2 + 2 * k
    return codes


def RuleFeatureExtractor(attrs: Sequence[str | int], spans_key: str,
                         labels: Sequence[str]) -> Model[list[Doc], list[Ints2d]]:
    """Like spaCy's FeatureExtractor, with the rule code of each token as a last column."""
    from spacy.attrs import intify_attr

    columns = [intify_attr(attr) if isinstance(attr, str) else attr for attr in attrs]
    return Model("mch_rule_features", _extract_forward,
                 attrs={"columns": columns, "spans_key": spans_key, "labels": tuple(labels)})


def _extract_forward(model: Model, docs: list[Doc], is_train: bool):
    columns, key, labels = (model.attrs[k] for k in ("columns", "spans_key", "labels"))
    features = []
    for doc in docs:
        table = doc.to_array(columns).reshape((len(doc), len(columns))).astype("uint64")
        codes = rule_codes(doc, key, labels).reshape((len(doc), 1))
        features.append(model.ops.asarray2i(numpy.hstack([table, codes]), dtype="uint64"))
    return features, lambda d_features: []


@registry.architectures("mchnlp.RuleHashEmbed.v1")
def RuleHashEmbed(width: int, attrs: list[str], rows: list[int], rule_rows: int = 32,
                  spans_key: str = RULE_SPANS_KEY,
                  labels: list[str] = list(RULE_LABELS)) -> Model[list[Doc], list[Floats2d]]:
    """`MultiHashEmbed` (no static vectors) with one more embedded column: the rule code of
    each token from `doc.spans[spans_key]` (see `rule_codes`)."""
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} rows for {len(attrs)} attrs")
    embeddings = [HashEmbed(width, n_rows, column=i, seed=8 + i, dropout=0.0)
                  for i, n_rows in enumerate([*rows, rule_rows])]
    concat_size = width * len(embeddings)
    return chain(
        RuleFeatureExtractor(attrs, spans_key, labels),
        list2ragged(),
        with_array(concatenate(*embeddings)),
        with_array(Maxout(width, concat_size, nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )


class RuleSpans:
    """Moves the rule entities into `doc.spans[spans_key]` and clears `doc.ents` and the value
    descriptions, for a trained recognizer to decide the entities."""

    def __init__(self, nlp: Language | None, name: str = "mch_rule_spans", *,
                 spans_key: str = RULE_SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        ensure_doc_stores(doc)
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=list(doc.ents))
        # missing, not outside: a recognizer treats preset O tokens as fixed
        doc.set_ents([], default="missing")
        doc._.value_attrs = {}
        return doc


def RuleCodes(spans_key: str, labels: Sequence[str]) -> Model[list[Doc], list[Ints2d]]:
    """The rule code of each token (`rule_codes`) as a one-column array per Doc."""
    return Model("mch_rule_codes", _codes_forward,
                 attrs={"spans_key": spans_key, "labels": tuple(labels)})


def _codes_forward(model: Model, docs: list[Doc], is_train: bool):
    key, labels = model.attrs["spans_key"], model.attrs["labels"]
    out = [model.ops.asarray2i(rule_codes(doc, key, labels).reshape((len(doc), 1)),
                               dtype="uint64") for doc in docs]
    return out, lambda d_out: []


@registry.architectures("mchnlp.WithRuleFeatures.v1")
def WithRuleFeatures(tok2vec: Model[list[Doc], list[Floats2d]], rule_width: int = 32,
                     rule_rows: int = 32, spans_key: str = RULE_SPANS_KEY,
                     labels: list[str] = list(RULE_LABELS)) -> Model[list[Doc], list[Floats2d]]:
    """Any token encoder (`tok2vec`: a Tok2Vec, a transformer listener) with the rule code of
    each token embedded beside it: output width = the encoder's + `rule_width`."""
    rules = chain(RuleCodes(spans_key, labels), list2ragged(),
                  with_array(HashEmbed(rule_width, rule_rows, column=0, seed=97, dropout=0.0)),
                  ragged2list())
    return concatenate(tok2vec, rules)
