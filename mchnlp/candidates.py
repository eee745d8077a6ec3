"""Candidate pairs for the relation linker and their features.

Only type-valid pairs are generated (a value with the INDICATOR, LOCATION and DATE spans of its
own sentence, the two sentences before it, the headline, and the document's main area), not
all n² entity pairs. The generator is a registered, versioned function so a config can name it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterator

from spacy.tokens import Doc, Span
from spacy.util import registry

from . import resources
from .context import Sentences, document_area, is_dateline, title_range
from .rule_linker import VALUE_LABELS, RuleLinker, _is_report_date
from .units import read_value

RELATION_TARGETS = {"indicator": "INDICATOR", "location": "LOCATION", "date": "DATE"}
CUE_WINDOW = 2


@dataclass
class Candidate:
    value: Span
    target: Span
    relation: str
    features: dict[str, float]


def _bucket(n: int, edges=(0, 1, 2, 3, 5, 8, 12, 20, 40)) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return "more"


class CandidateGenerator:
    """Generates the candidate pairs of a Doc with their features."""

    def __init__(self, max_sentences_back: int = 2) -> None:
        self.max_back = max_sentences_back
        self.rate_units = {r["code"]: r.get("rate_unit")
                           for r in resources.indicator_table()["indicators"]}
        self.rules = RuleLinker(None, "rules_as_features")

    def __call__(self, doc: Doc) -> Iterator[Candidate]:
        values = [e for e in doc.ents if e.label_ in VALUE_LABELS]
        if not values:
            return
        sents = Sentences(doc)
        title = title_range(doc.text)
        by_type: dict[str, list[Span]] = {label: [] for label in RELATION_TARGETS.values()}
        for ent in doc.ents:
            if ent.label_ in by_type:
                by_type[ent.label_].append(ent)
        default_area = document_area(doc)
        rule_picks = self._rule_picks(doc)
        ent_sent = {e.start: sents.index(e.start) for e in doc.ents}
        value_attrs = doc._.value_attrs or {}
        for value in values:
            v_sent = ent_sent[value.start]
            _, own_unit = read_value([t.text for t in value])
            attrs = value_attrs.get(value.start, {})
            for relation, label in RELATION_TARGETS.items():
                for target in by_type[label]:
                    t_sent = ent_sent[target.start]
                    in_title = title is not None and title[0] <= target.start_char < title[1]
                    is_default = default_area is not None and target.start == default_area.start
                    back = v_sent - t_sent
                    if not (0 <= back <= self.max_back or in_title or is_default
                            or (back == -1 and relation == "indicator")):
                        continue
                    features = self._features(doc, value, target, relation, back, in_title,
                                              is_default, own_unit, attrs, values, by_type[label],
                                              sents)
                    if rule_picks.get((value.start, target.start, relation)):
                        features["rule_pick"] = 1.0
                    yield Candidate(value, target, relation, features)

    def _rule_picks(self, doc: Doc) -> dict:
        """What the rule linker would choose, as a feature (computed on a scratch store)."""
        saved = doc._.rel
        doc._.rel = {}
        try:
            self.rules(doc)
            picks = {(h, t, label): 1 for (h, t), labels in doc._.rel.items() for label in labels}
        finally:
            doc._.rel = saved
        return picks

    def _features(self, doc: Doc, value: Span, target: Span, relation: str, back: int,
                  in_title: bool, is_default: bool, own_unit, attrs: dict,
                  values: list[Span], same_type: list[Span], sents: Sentences) -> dict:
        before = target.end <= value.start
        if before:
            gap = value.start - target.end
            lo, hi = target.end, value.start
        else:
            gap = max(0, target.start - value.end)
            lo, hi = value.end, target.start
        f: dict[str, float] = {
            "bias": 1.0,
            f"{relation}:dir={'before' if before else 'after'}": 1.0,
            f"{relation}:gap={_bucket(gap)}": 1.0,
            f"{relation}:loggap": math.log1p(gap),
            f"{relation}:sentback={back if back in (0, 1, 2) else 'far'}": 1.0,
            f"{relation}:title": float(in_title),
            f"{relation}:default_area": float(is_default),
            f"{relation}:value={value.label_}": 1.0,
        }
        if back == 0:
            between_values = sum(1 for v in values if lo <= v.start < hi and v.start != value.start)
            between_same = sum(1 for e in same_type if lo <= e.start and e.end <= hi)
            f[f"{relation}:between_values={min(between_values, 3)}"] = 1.0
            f[f"{relation}:between_same={min(between_same, 3)}"] = 1.0
            punct = sum(1 for t in doc[lo:hi] if t.is_punct)
            f[f"{relation}:between_punct={min(punct, 3)}"] = 1.0
            nearest = not any(lo <= e.start and e.end <= hi for e in same_type)
            f[f"{relation}:nearest_{'before' if before else 'after'}"] = float(nearest)
            if not before and gap == 0:
                f[f"{relation}:adjacent_after"] = 1.0
        if sents.paragraph[sents.index(value.start)] == sents.paragraph[sents.index(target.start)]:
            f[f"{relation}:same_paragraph"] = 1.0
        prev_word = doc[target.start - 1].lower_ if target.start > 0 else "<s>"
        f[f"{relation}:prev={prev_word}"] = 1.0
        for k in range(1, CUE_WINDOW + 1):
            if value.start - k >= 0:
                f[f"{relation}:vprev{k}={doc[value.start - k].lower_}"] = 1.0
        if value.end < len(doc):
            f[f"{relation}:vnext={doc[value.end].lower_}"] = 1.0
        if attrs.get("weak_unit"):
            f[f"{relation}:weak_unit"] = 1.0
        if relation == "indicator":
            expected = self.rate_units.get(target.ent_id_)
            if own_unit in ("per_1000_live_births", "per_100000_live_births"):
                f["indicator:unit_fits"] = float(expected == own_unit)
            if attrs.get("indicator") == target.ent_id_:
                f["indicator:noun_hint"] = 1.0
            f[f"indicator:abbrev={target.text.isupper()}"] = 1.0
        elif relation == "location":
            f[f"location:id={target.ent_id_ or 'none'}"] = 1.0
            f["location:dateline"] = float(is_dateline(target))
            f["location:level_word"] = float(target.text.split()[0].lower() in (
                "kabupaten", "kab.", "kab", "kota", "provinsi", "prov.", "kecamatan", "desa",
                "kelurahan"))
        else:
            f["date:report"] = float(_is_report_date(target))
            f["date:relative"] = float(any(t.lower_ in ("ini", "lalu", "sebelumnya", "kemarin")
                                           for t in target))
            f["date:has_year"] = float(any(t.like_num and len(t.text) == 4 for t in target))
        return f


@registry.misc("mchnlp.rel_instance_generator.v1")
def create_candidate_generator(max_sentences_back: int = 2) -> Callable[[Doc], Iterator[Candidate]]:
    """Registered pair generator: type-valid (value, target) candidates with features."""
    return CandidateGenerator(max_sentences_back)
