"""`mch_entity_arbiter`: the trained decision over the recognizer's and the rules' entities.

The recognizer (`ner`) and the rules (`doc.spans["mch_rules"]`) each find most entities and
each misses some the other finds: on dev their union holds about 5 points more of the gold
entities than either. The arbiter scores every candidate of the union — a span with a label —
with a logistic regression over what is known about it: which source proposed it and whether
the other agrees, its words and the words around it, its place in a table, the rule's id. It
keeps the best non-overlapping candidates above a threshold tuned on dev. It is fitted on
training documents whose recognizer candidates come from recognizers that did not see them
(cross-fitting), so it learns how far to trust each source where they disagree.

With `rule_labels` (the value labels, COUNT and RATE) the entities of those labels are the
rules' spans, kept before any candidate is scored, and only those. Whether a number is a fact's
value is the linker's decision, made with the indicator and the unit in view; an entity-level
judge trained for entity F1 drops the bare numbers of lists and tables ("Sleman 6, Bantul 5")
that the linker would have linked, and a recognizer adds the cells of tables the value rules
know to skip (sub-categories, shares by cause).

With `fallback_labels` (LOCATION, DATE) a rule span of those labels that no kept candidate
overlaps is kept too: the gold marks an area or period only in its exact extent, so a judge
trained for entity F1 drops the rules' "tahun 2024" beside a gold "tahun 2024 sampai dengan
september", which the linker would still have used for the figure's year.

Weights and threshold are JSON in the pipeline directory (no pickle).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..knowledge.dates import read_date
from ..knowledge.places import Gazetteer
from ..structure.tables import cell_contexts
from .json_model import NUMBER, JsonModelFiles, MapOf
from .rule_features import RULE_SPANS_KEY

MODEL_VERSION = 1
Key = tuple[int, int, str]  # token start, end, label


def _word(doc: Doc, i: int) -> str:
    if i < 0:
        return "<s>"
    if i >= len(doc):
        return "</s>"
    token = doc[i]
    if token.like_num or token._.mch_num:
        return "<num>"
    return token.lower_


def _shape(text: str) -> str:
    if any(c.isdigit() for c in text):
        return "num"
    if text.isupper():
        return "upper"
    return "title" if text[:1].isupper() else "lower"


def _resolution(text: str) -> str:
    """What the gazetteer makes of a LOCATION candidate: a recognizer's "semester II" or
    "Kabupaten ini" names no area, which the package's knowledge says and the spans do not."""
    found = Gazetteer.load().resolve(text)
    if found.area is not None:
        return "area"
    return "facility" if found.facility else "ambiguous" if found.candidates else "none"


def _date_reading(text: str) -> str:
    """What the date reader makes of a DATE candidate ("Akhir Tahun Dinkes" gives no year)."""
    reading = read_date(text)
    if reading.relative:
        return "relative"
    if reading.year is not None:
        return "year"
    return "period" if reading.period_start else "none"


def candidates(doc: Doc, spans_key: str = RULE_SPANS_KEY) -> dict[Key, dict[str, float]]:
    """Every (start, end, label) the recognizer (`doc.ents`) or the rules propose, with its
    features."""
    ner = {(e.start, e.end, e.label_): e for e in doc.ents}
    rules = {(s.start, s.end, s.label_): s for s in doc.spans.get(spans_key, [])}
    cells = cell_contexts(doc)
    by_token_rule: dict[int, list[Key]] = {}
    by_token_ner: dict[int, list[Key]] = {}
    rule_label = {i: k[2] for k in rules for i in range(k[0], k[1])}
    for key in rules:
        for i in range(key[0], key[1]):
            by_token_rule.setdefault(i, []).append(key)
    for key in ner:
        for i in range(key[0], key[1]):
            by_token_ner.setdefault(i, []).append(key)
    out: dict[Key, dict[str, float]] = {}
    for key in ner.keys() | rules.keys():
        start, end, label = key
        in_rules, in_ner = key in rules, key in ner
        source = "both" if in_rules and in_ner else "rule" if in_rules else "ner"
        f: dict[str, float] = {"bias": 1.0, f"label={label}": 1.0, f"src={source}&{label}": 1.0}
        other = by_token_ner if in_rules and not in_ner else by_token_rule if in_ner and not (
            in_rules) else {}
        clash = {k for i in range(start, end) for k in other.get(i, ()) if k != key}
        for k in clash:
            f[f"clash_label={k[2]}&{label}"] = 1.0
            if k[2] == label:
                f[f"clash_same_label_extent={'longer' if k[1] - k[0] > end - start else 'shorter'}"
                  f"&{label}"] = 1.0
        if not clash and source != "both":
            f[f"alone&{source}&{label}"] = 1.0
        n = end - start
        f[f"len={min(n, 5)}&{label}"] = 1.0
        f[f"w0={_word(doc, start)}&{label}"] = 1.0
        f[f"wl={_word(doc, end - 1)}&{label}"] = 1.0
        f[f"prev={_word(doc, start - 1)}&{label}"] = 1.0
        f[f"prev2={_word(doc, start - 2)}&{label}"] = 1.0
        f[f"next={_word(doc, end)}&{label}"] = 1.0
        f[f"shape={_shape(doc[start].text)}&{label}"] = 1.0
        if label == "LOCATION":
            f[f"resolves={_resolution(doc[start:end].text)}"] = 1.0
        elif label == "DATE":
            f[f"reads={_date_reading(doc[start:end].text)}"] = 1.0
        rule_span = rules.get(key)
        if rule_span is not None and rule_span.id_:
            f[f"rule_id&{label}"] = 1.0
        context = cells.get(start)
        if context is not None:
            f[f"table_cell&{label}"] = 1.0
            header = [t for a, b in context.header for t in doc[a:b] if t.is_alpha]
            for t in header[:2]:
                f[f"header={t.lower_}&{label}"] = 1.0
            named = any(rule_label.get(t.i) == "INDICATOR" for t in header)
            f[f"header_indicator={named}&{label}"] = 1.0
        out[key] = f
    return out


class EntityArbiter(JsonModelFiles):
    """Keeps the best non-overlapping entity candidates of the recognizer and the rules."""

    CFG_SHAPE = {"threshold": NUMBER, "spans_key": str}
    MODEL_SHAPE = {"version": MODEL_VERSION, "weights": MapOf(NUMBER), "intercept": NUMBER}

    def __init__(self, nlp: Language | None, name: str = "mch_entity_arbiter", *,
                 threshold: float = 0.5, spans_key: str = RULE_SPANS_KEY,
                 rule_labels: Iterable[str] = (), fallback_labels: Iterable[str] = ()) -> None:
        self.name = name
        self.cfg: dict = {"threshold": threshold, "spans_key": spans_key,
                          "rule_labels": list(rule_labels),
                          "fallback_labels": list(fallback_labels)}
        self.weights: dict[str, float] = {}
        self.intercept = 0.0

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def __call__(self, doc: Doc) -> Doc:
        if not self.weights:
            return doc
        rule_spans = doc.spans.get(self.cfg["spans_key"], [])
        ruled = set(self.cfg.get("rule_labels", ()))
        # kept rule spans come first, whatever their score (probability above 1)
        forced = {(s.start, s.end, s.label_) for s in rule_spans if s.label_ in ruled}
        scored = sorted(((2.0 if key in forced else self.probability(f), key) for key, f in
                         candidates(doc, self.cfg["spans_key"]).items()
                         if key in forced or key[2] not in ruled), reverse=True)
        taken = [False] * len(doc)
        ids = {(s.start, s.end, s.label_): s.id_ for s in rule_spans}
        kept = []
        for p, (start, end, label) in scored:
            if p < self.cfg["threshold"]:
                break
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            kept.append(Span(doc, start, end, label=label,
                             span_id=ids.get((start, end, label), "")))
        fallback = set(self.cfg.get("fallback_labels", ()))
        for span in rule_spans:
            if span.label_ in fallback and not any(taken[span.start:span.end]):
                taken[span.start:span.end] = [True] * (span.end - span.start)
                kept.append(span)
        doc.set_ents(sorted(kept, key=lambda s: s.start), default="outside")
        return doc

    def fit(self, examples: Iterable[tuple[dict[str, float], bool]], *, c: float = 1.0,
            seed: int = 0) -> None:
        """Fit on (features, is a gold entity) pairs."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        xs, ys = [], []
        for features, gold in examples:
            xs.append(features)
            ys.append(int(gold))
        if len(set(ys)) < 2:
            self.weights, self.intercept = {}, 4.0 if ys and ys[0] else -4.0
            return
        vec = DictVectorizer()
        clf = LogisticRegression(C=c, max_iter=3000, random_state=seed)
        clf.fit(vec.fit_transform(xs), ys)
        self.weights = {name: round(float(w), 5) for name, w in
                        zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) > 1e-5}
        self.intercept = float(clf.intercept_[0])

    # -- serialization ---------------------------------------------------------------------
    def _data(self) -> dict:
        return {"version": MODEL_VERSION, "weights": self.weights, "intercept": self.intercept}

    def _load(self, data: dict) -> None:
        self.weights, self.intercept = data["weights"], data["intercept"]
