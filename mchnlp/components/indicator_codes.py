"""`mch_indicator_codes`: the indicator code of each INDICATOR span, learned from annotations.

The packaged indicator table is prior knowledge, not the limit: the code of a span comes from
what training saw. Each INDICATOR span is described by its words, its character trigrams and
the code the table's patterns give it (the prior); a multinomial logistic regression fitted on
the corpus's INDICATOR spans (their code taken from the facts that link to them) scores the
codes. A span whose exact wording training saw with one code takes that code. An analyst can
therefore teach a new indicator ("ibu hamil KEK") by annotating it: no package data changes.

The component stores the weights and what it learned about each code (surface forms seen,
units of its facts, number of documents) as JSON in the pipeline directory; the units of a
learned code reach the fact view through `doc.user_data["mchnlp.learned_indicators"]`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..knowledge.indicators import LEARNED_KEY
from .json_model import ANY, NUMBER, JsonModelFiles, MapOf

MODEL_VERSION = 1
_NON_WORD = re.compile(r"[^\w]+")


def normalize_surface(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces: "Angka Kematian Ibu (AKI)" ->
    "angka kematian ibu aki"."""
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def span_features(text: str, prior: str | None) -> dict[str, float]:
    """Words, character trigrams (with word boundaries) and the table's code as a feature."""
    norm = normalize_surface(text)
    words = norm.split()
    features: dict[str, float] = {"bias": 1.0}
    for word in words:
        features[f"w={word}"] = 1.0
        padded = f"<{word}>"
        for i in range(len(padded) - 2):
            features[f"c={padded[i:i + 3]}"] = features.get(f"c={padded[i:i + 3]}", 0.0) + 0.5
    if words:
        features[f"last={words[-1]}"] = 1.0
    features[f"prior={prior or 'none'}"] = 1.0
    return features


class IndicatorCodes(JsonModelFiles):
    """Assigns `ent_id_` of INDICATOR entities from learned weights and the table's prior."""

    CFG_SHAPE = {"threshold": NUMBER}
    MODEL_SHAPE = {"version": MODEL_VERSION, "weights": MapOf(MapOf(NUMBER)),
                   "intercepts": MapOf(NUMBER), "lexicon": MapOf(str),
                   "learned": MapOf(MapOf(ANY))}

    def __init__(self, nlp: Language | None, name: str = "mch_indicator_codes", *,
                 threshold: float = 0.5) -> None:
        self.name = name
        self.cfg: dict = {"threshold": threshold}
        self.weights: dict[str, dict[str, float]] = {}  # code -> feature -> weight
        self.intercepts: dict[str, float] = {}
        self.lexicon: dict[str, str] = {}  # normalized surface -> code seen with it
        self.learned: dict[str, dict] = {}  # code -> {surface_forms, units, documents, in_table}

    # -- inference -------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if self.learned:
            doc.user_data[LEARNED_KEY] = self.learned
        if not self.weights and not self.lexicon:
            return doc
        changed = False
        ents = []
        for ent in doc.ents:
            if ent.label_ == "INDICATOR":
                code = self.predict(ent.text, ent.ent_id_ or None)
                if code != ent.ent_id_:
                    ent = Span(doc, ent.start, ent.end, label=ent.label_, span_id=code)
                    changed = True
            ents.append(ent)
        if changed:
            doc.ents = ents
        return doc

    def predict(self, text: str, prior: str | None) -> str:
        """The code for a span's text given the table's code (`prior`, None when no pattern
        matched); "" when neither training nor the table knows it."""
        known = self.lexicon.get(normalize_surface(text))
        if known:
            return known
        if prior and self.weights and prior not in self.weights:
            # training never saw the table's code: its scores cannot weigh against it
            return prior
        scores = self.probabilities(text, prior)
        best = max(scores, key=scores.get) if scores else ""
        p = scores.get(best, 0.0)
        if p >= self.cfg["threshold"]:
            return best
        # unsure: the table's code, else the model's best guess when it is not a wild one
        return prior or (best if p >= self.cfg["threshold"] / 2 else "")

    def probabilities(self, text: str, prior: str | None) -> dict[str, float]:
        if not self.weights:
            return {}
        features = span_features(text, prior)
        logits = {code: self.intercepts.get(code, 0.0)
                  + sum(w.get(name, 0.0) * v for name, v in features.items())
                  for code, w in self.weights.items()}
        top = max(logits.values())
        exp = {code: math.exp(z - top) for code, z in logits.items()}
        total = sum(exp.values())
        return {code: e / total for code, e in exp.items()}

    # -- training --------------------------------------------------------------------------
    def fit(self, examples: Iterable[tuple[str, str | None, str]], *,
            facts: Iterable[tuple[str, str, str]] = (), table_codes: Iterable[str] = (),
            c: float = 3.0, seed: int = 0) -> None:
        """Fit on (span text, table code or None, gold code) triples.

        Args:
            examples: one triple per annotated INDICATOR span.
            facts: (document id, code, unit) of the gold facts, for what is recorded about each
                learned code.
            table_codes: the codes of the packaged table (marks which codes are new).
        """
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        examples = list(examples)
        surfaces: dict[str, Counter] = defaultdict(Counter)
        for text, _, code in examples:
            surfaces[normalize_surface(text)][code] += 1
        # an exact wording is trusted when training saw it at least twice, always with one code
        self.lexicon = {s: c.most_common(1)[0][0] for s, c in surfaces.items()
                        if len(c) == 1 and sum(c.values()) >= 2}
        codes = sorted({code for _, _, code in examples})
        if len(codes) >= 2:
            vec = DictVectorizer()
            x = vec.fit_transform([span_features(t, p) for t, p, _ in examples])
            clf = LogisticRegression(C=c, max_iter=3000, random_state=seed)
            clf.fit(x, [code for _, _, code in examples])
            names = vec.get_feature_names_out()
            rows = clf.coef_ if len(clf.classes_) > 2 else [-clf.coef_[0], clf.coef_[0]]
            intercepts = (clf.intercept_ if len(clf.classes_) > 2
                          else [-clf.intercept_[0], clf.intercept_[0]])
            self.weights = {str(code): {n: round(float(w), 5) for n, w in zip(names, row)
                                        if abs(w) > 1e-4}
                            for code, row in zip(clf.classes_, rows)}
            self.intercepts = {str(code): round(float(b), 5)
                               for code, b in zip(clf.classes_, intercepts)}
        else:
            self.weights, self.intercepts = {}, {}
        table = set(table_codes)
        units: dict[str, Counter] = defaultdict(Counter)
        documents: dict[str, set] = defaultdict(set)
        for doc_id, code, unit in facts:
            units[code][unit] += 1
            documents[code].add(doc_id)
        forms: dict[str, Counter] = defaultdict(Counter)
        for text, _, code in examples:
            forms[code][normalize_surface(text)] += 1
        self.learned = {
            code: {"surface_forms": [s for s, _ in forms[code].most_common(25)],
                   "units": dict(units[code].most_common()),
                   "documents": len(documents[code]),
                   "spans": sum(forms[code].values()),
                   "in_table": code in table}
            for code in codes
        }

    # -- serialization ---------------------------------------------------------------------
    def _data(self) -> dict:
        return {"version": MODEL_VERSION, "weights": self.weights, "intercepts": self.intercepts,
                "lexicon": self.lexicon, "learned": self.learned}

    def _load(self, data: dict) -> None:
        self.weights = data["weights"]
        self.intercepts = data["intercepts"]
        self.lexicon = data["lexicon"]
        self.learned = data["learned"]
