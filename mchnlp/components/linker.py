"""`mchnlp_linker`: the trained relation linker (scikit-learn logistic regression).

It scores every candidate pair from the pair generator and links each value to its best
indicator, location and date when the probability clears the relation's threshold. The
weights live in `model.json` in the pipeline directory (feature name -> weight), so loading
needs neither pickle nor scikit-learn; scikit-learn is used only to fit them.
"""

from __future__ import annotations

import math
from itertools import repeat
from operator import mul
from typing import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from ..facts.extensions import ensure_doc_stores, register_extensions
from ..structure.areas import (
    anaphor_areas,
    apposed_area,
    clause_subject_areas,
    level_noun_areas,
    list_wholes,
)
from ..structure.headings import heading_areas, heading_dates
from ..structure.lists import distributions, placed_member, respective_member
from ..structure.memo import entities, remembered, sentences
from ..structure.scope import is_national_cue, plan_targets
from ..structure.tables import cell_contexts
from .candidates import RELATION_TARGETS, Candidate, CandidateGenerator
from .json_model import NUMBER, JsonModelFiles, MapOf
from .rule_linker import RuleLinker, spread_link

DEFAULT_THRESHOLDS = {"indicator": 0.35, "location": 0.3, "date": 0.3}
MODEL_VERSION = 1


class LinkModel:
    """Logistic-regression weights per relation, applied to sparse feature dicts."""

    def __init__(self, weights: dict | None = None) -> None:
        self.weights: dict[str, dict] = weights or {}

    def probability(self, relation: str, features: dict[str, float]) -> float | None:
        model = self.weights.get(relation)
        if model is None:
            return None
        # the products in the features' order, as a generator would add them (same float)
        weights = map(model["coef"].get, features, repeat(0.0))
        z = model["intercept"] + sum(map(mul, weights, features.values()))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def fit(cls, candidates: Iterable[tuple[Candidate, bool]], *, c: float = 1.0,
            seed: int = 0) -> "LinkModel":
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        grouped: dict[str, tuple[list, list]] = {}
        for cand, label in candidates:
            xs, ys = grouped.setdefault(cand.relation, ([], []))
            xs.append(cand.features)
            ys.append(int(label))
        weights = {}
        for relation, (xs, ys) in grouped.items():
            if len(set(ys)) < 2:  # one class only: a constant model
                weights[relation] = {"coef": {}, "intercept": 4.0 if ys[0] else -4.0}
                continue
            vec = DictVectorizer()
            x = vec.fit_transform(xs)
            clf = LogisticRegression(C=c, max_iter=2000, random_state=seed)
            clf.fit(x, ys)
            coef = {name: float(w) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0])
                    if abs(w) > 1e-9}
            weights[relation] = {"coef": coef, "intercept": float(clf.intercept_[0])}
        return cls(weights)


def _cell_areas(doc: Doc) -> dict[int, Span]:
    """Value token start -> the area a grid-table cell takes from its table, as the rule
    linker reads it: the row label's, else the column header's, the table title's or the
    headline's (not the document's default: there the model may know better)."""
    cells = cell_contexts(doc)
    if not cells:
        return {}
    places = [ent for ent in entities(doc) if ent.label_ == "LOCATION"]
    by_label, starts = {"LOCATION": places}, {"LOCATION": [ent.start for ent in places]}
    out = {}
    for value in entities(doc):
        context = cells.get(value.start) if value.label_ in ("COUNT", "RATE") else None
        if context is None:
            continue
        link = RuleLinker._cell_links(context, by_label, starts, None, None).get("location")
        if link is not None:
            out[value.start] = link[0]
    return out


def normalizes_to(target: Span, relation: str, fact: dict, doc: Doc) -> bool:
    """Whether linking `target` gives the gold fact's indicator / area code / year."""
    from ..facts.areas import _resolve_area
    from ..knowledge.dates import read_date

    if relation == "indicator":
        return bool(target.ent_id_) and target.ent_id_ == fact.get("indicator")
    if relation == "location":
        if fact.get("location") == "Indonesia":
            return target.ent_id_ == "ID" or is_national_cue(target)
        if is_national_cue(target):
            return False
        code = fact.get("location_code")
        return bool(code) and _resolve_area(target, [])[1] == code
    if relation == "date":
        year = fact.get("year")
        return year is not None and read_date(target.text, doc._.published).year == year
    return False


def _no_area_of(features: dict[str, float]) -> bool:
    """An area that cannot be the figure's: one that ends a survey's name ("Survei Kesehatan
    Indonesia (SKI) 2023 yang mencatat 26,9 persen"), or one compared with in an earlier
    sentence ("... masih di bawah capaian Provinsi Kalimantan Selatan, 84,0 persen. Pansus juga
    mencatat 9 orang ibu meninggal"): the figures after a comparison are the subject's again."""
    return bool(features.get("location:role=source")) or bool(
        features.get("location:role=comparison") and not features.get("location:sentback=0"))


class TrainedLinker(JsonModelFiles):
    """Scores (value, target) candidates and stores the chosen links in `doc._.rel`."""

    CFG_SHAPE = {"thresholds": {relation: NUMBER for relation in DEFAULT_THRESHOLDS},
                 "c": NUMBER}
    # no weights would link nothing: every document would silently give no facts
    MODEL_SHAPE = {"version": MODEL_VERSION, "weights": MapOf(
        {"coef": MapOf(NUMBER), "intercept": NUMBER}, non_empty=True)}

    def __init__(self, nlp: Language | None, name: str = "mchnlp_linker", *,
                 generator: Callable | None = None, threshold_indicator: float = 0.35,
                 threshold_location: float = 0.3, threshold_date: float = 0.3,
                 c: float = 1.0) -> None:
        register_extensions()
        self.name = name
        self.generator = generator or CandidateGenerator()
        self.cfg = {"thresholds": {"indicator": threshold_indicator,
                                   "location": threshold_location, "date": threshold_date},
                    "c": c}
        self.model = LinkModel()
        self._unit_rules = RuleLinker(None, "unit_rules")
        self._training: list[Example] = []

    # -- inference ----------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        ensure_doc_stores(doc)
        # the rule picks, the pairs and the links read the same structure: computed once
        with remembered(doc):
            return self._link(doc)

    def _link(self, doc: Doc) -> Doc:
        best: dict[tuple[int, str], tuple[Span, float]] = {}
        rule_choice: dict[tuple[int, str], tuple[Span, float]] = {}
        for cand in self.generator(doc):
            if cand.relation == "location" and _no_area_of(cand.features):
                continue
            p = self.model.probability(cand.relation, cand.features)
            if p is None:
                continue
            key = (cand.value.start, cand.relation)
            if key not in best or p > best[key][1]:
                best[key] = (cand.target, p)
            if cand.features.get("rule_pick"):
                rule_choice[key] = (cand.target, p)
        fallback = self.cfg.get("fallback_to_rules", False)
        spread = distributions(doc) if best else {}
        cell_areas = _cell_areas(doc) if best else {}
        anaphors = anaphor_areas(doc) if best else {}
        # "AKB provinsi 13,5, sementara target RPJMN 2024 sebesar 16": the plan's, not the
        # area pointed back to
        planned = plan_targets(doc) if anaphors else {}
        level_nouns = level_noun_areas(doc) if best else {}
        subjects = clause_subject_areas(doc) if best else {}
        wholes = list_wholes(doc) if best else {}
        headed = heading_dates(doc) if best else {}
        headed_areas = heading_areas(doc) if best else {}
        sents = sentences(doc) if anaphors else None
        rel = doc._.rel
        for key in best.keys() | (rule_choice.keys() if fallback else set()):
            value_start, relation = key
            target, p = best.get(key, (None, 0.0))
            paired = respective_member(spread, value_start) or (
                placed_member(spread, value_start) if relation == "location" else None)
            if paired is not None and RELATION_TARGETS[relation] == paired.label_:
                # "pada 2020, 2021 dan 2022 berturut-turut 25, 31 dan 19 kasus": the order
                # of the two lists decides, whatever is nearest
                target, p = paired, max(p, self.cfg["thresholds"][relation])
            elif relation == "location" and value_start in cell_areas:
                # a table cell's area is its row's ("Bangkala | 742 | 23,1"), however far the
                # cell stands from the row label, else its table's title's
                target, p = cell_areas[value_start], max(p, self.cfg["thresholds"][relation])
            elif relation == "location" and value_start in level_nouns:
                # "di kabupaten mencapai 71,5 persen, di kota 66,2 persen"
                target = level_nouns[value_start]
                p = max(p, self.cfg["thresholds"][relation])
            elif relation == "location" and value_start in subjects:
                # "Kota Lhokseumawe, yang ... Aceh Utara, mencatat 19,8 persen"
                target = subjects[value_start]
                p = max(p, self.cfg["thresholds"][relation])
            elif relation == "location" and anaphors and sents.index(value_start) in anaphors \
                    and value_start not in planned:
                # "balita stunting di kota ini berjumlah 413 anak": the area the sentence
                # points back to, in a sentence that names none
                target = anaphors[sents.index(value_start)]
                p = max(p, self.cfg["thresholds"][relation])
            elif relation == "location" and value_start in headed_areas:
                # "Tren stunting tingkat provinsi:" over "- SSGI 2021: 30,4 persen"
                target = headed_areas[value_start]
                p = max(p, self.cfg["thresholds"][relation])
            elif relation == "location" and value_start in wholes:
                # after "Kabupaten Nunukan (52 kasus), diikuti Kabupaten Bulungan (41)", a
                # figure of no area is the whole's again, not a member's
                target, p = wholes[value_start], max(p, self.cfg["thresholds"][relation])
            elif relation == "date" and value_start in headed:
                # "Target tahun 2024:" over "- cakupan IDL 90 %": the heading's period
                target, p = headed[value_start], max(p, self.cfg["thresholds"][relation])
            elif relation == "location" and target is not None:
                target = apposed_area(target) or target
            if p < self.cfg["thresholds"][relation]:
                # below threshold: keep what the rules chose (the model only overrides them
                # where it is confident), or no link
                if not fallback or key not in rule_choice:
                    continue
                target, p = rule_choice[key]
            rel.setdefault((value_start, target.start), {})[relation] = round(p, 4)
            spread_link(doc, value_start, relation, target, p, spread)
        self._add_unit_links(doc)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _add_unit_links(self, doc: Doc) -> None:
        values = [e for e in entities(doc) if e.label_ in ("COUNT", "RATE")]
        if not values:
            return
        sents = sentences(doc)
        by_sent: dict[int, list[Span]] = {}
        for ent in entities(doc):
            by_sent.setdefault(sents.index(ent.start), []).append(ent)
        value_attrs = doc._.value_attrs or {}
        for value in values:
            k = sents.index(value.start)
            unit = self._unit_rules._unit_source(value, by_sent.get(k, []),
                                                 by_sent.get(k - 1, []) if k else [],
                                                 value_attrs.get(value.start))
            if unit is not None:
                doc._.rel.setdefault((value.start, unit[0].start), {})["unit"] = unit[1]

    # -- training -----------------------------------------------------------------------
    def labelled_candidates(self, examples: Iterable[Example], gold_facts: list | None = None):
        """Candidates over the entities of each example's reference, labelled by the gold
        links. With `gold_facts` (per example: value token start -> gold fact), a candidate
        whose target normalizes to the gold fact's field is positive too: the title's
        "Kaltim" is as right as the body's "Kalimantan Timur" for the fact an analyst reads."""
        for n, eg in enumerate(examples):
            ref = eg.reference
            gold = ref._.rel or {}
            facts = gold_facts[n] if gold_facts is not None else {}
            for cand in self.generator(ref):
                labels = gold.get((cand.value.start, cand.target.start), {})
                positive = cand.relation in labels
                fact = facts.get(cand.value.start)
                if not positive and fact is not None:
                    positive = normalizes_to(cand.target, cand.relation, fact, ref)
                yield cand, positive

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *,
                   nlp: Language | None = None, seed: int = 0) -> None:
        examples = list(get_examples())
        self.model = LinkModel.fit(self.labelled_candidates(examples), c=self.cfg["c"], seed=seed)
        self._training = examples

    def update(self, examples: Iterable[Example], *, drop: float = 0.0, sgd=None,
               losses: dict | None = None) -> dict:
        """Refit on everything seen so far (logistic regression is fitted in batch)."""
        examples = list(examples)
        known = {id(e) for e in self._training}
        self._training += [e for e in examples if id(e) not in known]
        self.model = LinkModel.fit(self.labelled_candidates(self._training), c=self.cfg["c"])
        losses = losses if losses is not None else {}
        losses.setdefault(self.name, 0.0)
        return losses

    def score(self, examples: Iterable[Example], **kwargs) -> dict:
        from ..evaluation.scoring import score_relations

        return score_relations(examples)

    # -- serialization (JsonModelFiles) --------------------------------------------------
    def _data(self) -> dict:
        return {"version": MODEL_VERSION, "weights": self.model.weights}

    def _load(self, data: dict) -> None:
        self.model = LinkModel(data["weights"])


__all__ = ["DEFAULT_THRESHOLDS", "LinkModel", "RELATION_TARGETS", "TrainedLinker"]
