"""Candidate pairs for the relation linker and their features.

Only type-valid pairs are generated (a value with the INDICATOR, LOCATION and DATE spans of its
own sentence, the two sentences before it, the headline, and the document's main area), not
all n² entity pairs. Version 2 adds the targets the document's structure offers beyond that
window, each with a feature naming where it came from: a table cell's column header, row
label, table title and headline; the areas or years a "masing-masing" list distributes a
value over; the name a bracketed value follows ("Samarinda (6)"); and the latest earlier
mention of each distinct indicator, area and year. Version 3 adds the national surveys, plans
and agencies around a value as national area targets (structure/scope), and features for an
area a ranking or comparison word governs and for a period that dates another figure. Version
4 adds, for a value that neither its sentence nor the text before it dates, the first periods
stated after its window in sentences with no figure of their own, and for a headline figure
the body restates, the periods and areas of the restating sentence (structure/restated). The generator is a registered,
versioned function so a config can name it.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate
from typing import Callable, Iterator

from spacy.attrs import IS_PUNCT
from spacy.tokens import Doc, Span
from spacy.util import registry

from ..knowledge import resources
from ..knowledge.units import read_value
from ..structure.areas import area_key, document_area
from ..structure.layout import Sentences, doc_title_range, in_dateline, is_dateline
from ..structure.lists import bracket_owner, distributions, series_year
from ..structure.memo import entities, sentences
from ..structure.periods import figure_dated_by, in_target_phrase
from ..structure.restated import dated_mentions, first_period_start, later_periods, restated_figures
from ..structure.scope import (
    area_anaphora,
    area_role,
    introduced_by_comparison,
    is_national_cue,
    national_cues,
    plan_targets,
)
from ..structure.tables import cell_contexts
from .rule_linker import VALUE_LABELS, RuleLinker, _is_report_date

RELATION_TARGETS = {"indicator": "INDICATOR", "location": "LOCATION", "date": "DATE"}
CUE_WINDOW = 2
EARLIER_MENTIONS = 3  # distinct earlier targets per relation offered beyond the window
EARLIER_TAGS = tuple(f"earlier{rank}" for rank in range(EARLIER_MENTIONS))  # by recency
LATER_MENTIONS = 2  # distinct periods named after the window, offered to a value
LATER_TAGS = tuple(f"later{rank}" for rank in range(LATER_MENTIONS))  # by distance


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


class FeatureNames(dict):
    """Feature names of one pattern by the value they carry, formatted once per process
    ("indicator:gap={}" -> {3: "indicator:gap=3"}): a name is looked up, not built, per pair.
    Only for bounded values (buckets, counts capped at 3, labels)."""

    def __init__(self, pattern: str) -> None:
        super().__init__()
        self.pattern = pattern

    def __missing__(self, key) -> str:
        name = self[key] = self.pattern.format(key)
        return name


class RelationNames:
    """The pair feature names of one relation."""

    def __init__(self, relation: str) -> None:
        self.direction = FeatureNames(relation + ":dir={}")
        self.gap = FeatureNames(relation + ":gap={}")
        self.loggap = f"{relation}:loggap"
        self.sentback = FeatureNames(relation + ":sentback={}")
        self.title = f"{relation}:title"
        self.default_area = f"{relation}:default_area"
        self.value = FeatureNames(relation + ":value={}")
        self.between_values = FeatureNames(relation + ":between_values={}")
        self.between_same = FeatureNames(relation + ":between_same={}")
        self.between_punct = FeatureNames(relation + ":between_punct={}")
        self.nearest = FeatureNames(relation + ":nearest_{}")
        self.adjacent_after = f"{relation}:adjacent_after"
        self.same_paragraph = f"{relation}:same_paragraph"
        self.struct = FeatureNames(relation + ":struct={}")


GAP_BUCKETS = [_bucket(n) for n in range(41)]  # _bucket of a gap, read from a list
# a target area's role and the pair feature it gives on each side of the value
SCOPE_ROLE_NAMES = tuple((f"location:role={role}", f"location:role={role}&dir=before",
                          f"location:role={role}&dir=after")
                         for role in ("ranking", "comparison", "source"))


class CandidateGenerator:
    """Generates the candidate pairs of a Doc with their features."""

    def __init__(self, max_sentences_back: int = 2, use_syntax: bool = True,
                 use_structure: bool = False, use_scope: bool = False,
                 use_periods: bool = False) -> None:
        self.max_back = max_sentences_back
        self.use_syntax = use_syntax
        self.use_structure = use_structure
        self.use_scope = use_scope
        self.use_periods = use_periods
        self.rate_units = {r["code"]: r.get("rate_unit")
                           for r in resources.indicator_table()["indicators"]}
        self.rules = RuleLinker(None, "rules_as_features")
        self._levels: dict[str, str] = {}  # mention text -> resolved level, per process
        self.target_cues = {w.lower() for w in resources.value_rules().get("target_date_cues", [])}
        self.comparison_from = set(resources.value_rules()["comparison_from"])
        self.names = {relation: RelationNames(relation) for relation in RELATION_TARGETS}

    def __call__(self, doc: Doc) -> Iterator[Candidate]:
        ents = entities(doc)
        values = [e for e in ents if e.label_ in VALUE_LABELS]
        if not values:
            return
        sents = sentences(doc)
        title = doc_title_range(doc)
        by_type: dict[str, list[Span]] = {label: [] for label in RELATION_TARGETS.values()}
        for ent in ents:
            if ent.label_ in by_type:
                by_type[ent.label_].append(ent)
        default_area = document_area(doc)
        rule_picks = self._rule_picks(doc)
        ent_sent = {e.start: sents.index(e.start) for e in ents}
        starts = {id(group): [e.start for e in group] for group in (values, *by_type.values())}
        parsed = self.use_syntax and doc.has_annotation("DEP")
        value_attrs = doc._.value_attrs or {}
        # punctuation between a pair from a running count, not by walking the tokens of
        # every pair (a long list sentence has hundreds of pairs)
        punct_before = [0, *accumulate(doc.to_array(IS_PUNCT).tolist())]
        feature_cache: dict = {}
        # the targets a value can reach: its sentence window, the title, the document's
        # area and the rule linker's picks; indexed so a long document stays linear
        by_sent: dict[tuple[str, int], list[Span]] = {}
        always: dict[str, list[Span]] = {}
        by_start = {e.start: e for e in ents}
        for label, group in by_type.items():
            for target in group:
                by_sent.setdefault((label, ent_sent[target.start]), []).append(target)
                in_title = title is not None and title[0] <= target.start_char < title[1]
                if in_title or (default_area is not None and target.start == default_area.start):
                    always.setdefault(label, []).append(target)
        picked: dict[tuple[int, str], list[Span]] = {}
        for (head, tail, relation) in rule_picks:
            if tail in by_start:
                picked.setdefault((head, relation), []).append(by_start[tail])
        structure = (self._structure_targets(doc, values, by_type, sents, ent_sent)
                     if self.use_structure else {})
        dateline: dict[int, bool] = {}  # target start -> in_dateline, read once per target
        # the sentences with a figure and the first period named (datelines aside), for the
        # features of the periods named after a value
        value_sents = first_period = None
        # target start -> (label, sentence, in the title, the document's area), once per target
        about_target: dict[int, tuple[str, int, bool, bool]] = {}
        # (label, sentence) -> the targets of the sentence's window, the title and the
        # document's area: {start: target} and the starts in order
        windows: dict[tuple[str, int], tuple[dict[int, Span], list[int]]] = {}
        # a year written as the head of its own figure ("6 kasus (2023: 9 kasus)") dates only
        # that figure
        series_of = {year.start: value.start for value in values
                     if (year := series_year(doc, value)) is not None} if self.use_structure else {}
        for value in values:
            v_sent = ent_sent[value.start]
            _, own_unit = read_value([t.text for t in value])
            attrs = value_attrs.get(value.start, {})
            for relation, label in RELATION_TARGETS.items():
                shared = windows.get((label, v_sent))
                if shared is None:  # the same for every value of the sentence
                    window = {t.start: t for k in range(v_sent - self.max_back, v_sent + 2)
                              for t in by_sent.get((label, k), ())}
                    for target in always.get(label, ()):
                        window.setdefault(target.start, target)
                    shared = windows[(label, v_sent)] = (window, sorted(window))
                reachable, order = shared
                extra = picked.get((value.start, relation), ())
                tags = structure.get((value.start, relation), {})
                if extra or tags:
                    reachable = dict(reachable)
                    for target in extra:
                        reachable.setdefault(target.start, target)
                    for start, (target, _) in tags.items():
                        reachable.setdefault(start, target)
                    order = sorted(reachable)
                value_features = None
                struct_names = self.names[relation].struct
                for start in order:
                    target = reachable[start]
                    known = about_target.get(start)
                    if known is None:
                        t_sent = ent_sent.get(start)
                        if t_sent is None:  # a national cue, not an entity
                            t_sent = sents.index(start)
                        known = about_target[start] = (
                            target.label_, t_sent,
                            title is not None and title[0] <= target.start_char < title[1],
                            default_area is not None and start == default_area.start)
                    t_label, t_sent, in_title, is_default = known
                    if t_label != label:
                        continue
                    if relation == "date":
                        if start not in dateline:
                            dateline[start] = in_dateline(target)
                        if dateline[start]:
                            continue  # the dateline dates the story, not a figure
                        if series_of.get(start, value.start) != value.start:
                            continue
                    back = v_sent - t_sent
                    rule_pick = rule_picks.get((value.start, target.start, relation))
                    # the rule linker's choice is always a candidate (tables and carry-over
                    # reach further back than the window)
                    tagged = tags.get(target.start)
                    if not (0 <= back <= self.max_back or in_title or is_default or rule_pick
                            or tagged or (back == -1 and relation == "indicator")):
                        continue
                    if value_features is None:
                        value_features = self._value_features(doc, value, relation, attrs)
                    features = self._features(doc, value, target, relation, back, v_sent,
                                              t_sent, in_title, is_default, own_unit, attrs,
                                              value_features, values, by_type[label], sents,
                                              starts, punct_before, feature_cache)
                    if rule_pick:
                        features["rule_pick"] = 1.0
                    if self.use_structure:
                        for tag in (tagged[1] if tagged else ("none",)):
                            features[struct_names[tag]] = 1.0
                    if parsed and back == 0:
                        features.update(_syntax_features(value, target, relation))
                    if self.use_periods and back < 0 and relation == "date":
                        if value_sents is None:
                            value_sents = {ent_sent[v.start] for v in values}
                            first_period = first_period_start(doc)
                        features.update(_later_period_features(
                            t_sent not in value_sents, first_period < value.start,
                            attrs.get("kind", "observed")))
                    yield Candidate(value, target, relation, features)

    def _structure_targets(self, doc: Doc, values: list[Span], by_type: dict[str, list[Span]],
                           sents: Sentences, ent_sent: dict[int, int]
                           ) -> dict[tuple[int, str], dict[int, tuple[Span, tuple[str, ...]]]]:
        """(value start, relation) -> {target start: (target, tags)} of the targets the
        document's structure offers for the value."""
        out: dict[tuple[int, str], dict[int, tuple[Span, tuple[str, ...]]]] = {}
        relation_of = {label: relation for relation, label in RELATION_TARGETS.items()}

        def add(value: Span, target: Span, tag: str) -> None:
            slot = out.setdefault((value.start, relation_of[target.label_]), {})
            known = slot.get(target.start)
            slot[target.start] = (target, (*known[1], tag) if known else (tag,))

        starts = {label: [e.start for e in group] for label, group in by_type.items()}

        def inside(ranges) -> Iterator[Span]:
            for label, group in by_type.items():
                for a, b in ranges:
                    k = bisect_left(starts[label], a)
                    while k < len(group) and group[k].start < b:
                        if group[k].end <= b:
                            yield group[k]
                        k += 1

        cells = cell_contexts(doc)
        spread = distributions(doc)
        for value in values:
            context = cells.get(value.start)
            if context is not None:
                for part, ranges in context.parts():
                    for target in inside(ranges):
                        if not (part in ("title", "headline") and target.label_ == "DATE"
                                and introduced_by_comparison(target)):
                            add(value, target, f"cell_{part}")
            listed = spread.get(value.start)
            if listed is not None:
                for member in listed["members"]:
                    add(value, member, listed["mode"])
            owner = bracket_owner(doc, value)
            if owner is not None:
                add(value, owner, "bracket")
            year = series_year(doc, value)
            if year is not None:
                add(value, year, "series")
        # the latest earlier mention of each distinct indicator, area and year, beyond the
        # value's sentence window: one sweep per label keeps a long document linear
        keys = {"INDICATOR": lambda e: e.ent_id_ or e.text.lower(), "LOCATION": area_key,
                "DATE": lambda e: e.text.lower()}
        for label, group in by_type.items():
            latest: dict[str, Span] = {}
            k = 0
            recent: list[Span] = []
            for value in values:
                floor = sents.starts[max(0, ent_sent[value.start] - self.max_back)]
                seen = k
                while k < len(group) and group[k].end <= floor:
                    latest[keys[label](group[k])] = group[k]
                    k += 1
                if k != seen:  # sorted again only when a mention was added
                    recent = sorted(latest.values(), key=lambda e: e.start, reverse=True)
                for tag, target in zip(EARLIER_TAGS, recent):
                    add(value, target, tag)
        if self.use_scope:
            self._national_targets(doc, values, by_type["LOCATION"], sents, ent_sent, add)
        if self.use_periods:
            self._document_periods(doc, values, by_type, sents, ent_sent, add)
        return out

    def _document_periods(self, doc: Doc, values: list[Span], by_type: dict[str, list[Span]],
                          sents: Sentences, ent_sent: dict[int, int], add) -> None:
        """The periods named after a value's window ("AKI 192, AKB 15,69. ... Data itu
        bersumber dari Sensus Penduduk 2020"), and for a headline figure the body restates,
        the periods and areas of the sentence that restates it."""
        n_sents = len(sents.starts)
        dated_sents = {ent_sent[d.start] for d in dated_mentions(doc)[0]}  # datelines aside
        first_period = first_period_start(doc)
        restated = restated_figures(doc)
        date_starts = [d.start for d in by_type["DATE"]]
        location_starts = [a.start for a in by_type["LOCATION"]]
        figure_sents = {ent_sent[v.start] for v in values}

        def closing_period(date: Span) -> bool:
            # a period in a sentence of its own closes the figures before it ("Data tersebut
            # bersumber dari Sensus Penduduk 2020"); one beside a figure is that figure's (a
            # target's year above all)
            return ent_sent[date.start] not in figure_sents

        for value in values:
            twin = restated.get(value.start)
            if twin is not None:
                k = ent_sent[twin.start]
                lo, hi = sents.starts[k], sents.ends[k]
                for label, group in (("DATE", date_starts), ("LOCATION", location_starts)):
                    for n in range(bisect_left(group, lo), bisect_left(group, hi)):
                        add(value, by_type[label][n], "restated")
                if k in dated_sents:
                    continue  # the restating sentence dates the headline's figure
            v_sent = ent_sent[value.start]
            # a period in its own sentence or before it reaches the value (earlier mentions)
            if v_sent + 1 >= n_sents or v_sent in dated_sents or first_period < value.start:
                continue
            later = later_periods(doc, sents.starts[v_sent + 1], LATER_MENTIONS, closing_period)
            for rank, date in enumerate(later):
                add(value, date, LATER_TAGS[rank])

    def _national_targets(self, doc: Doc, values: list[Span], areas: list[Span],
                          sents: Sentences, ent_sent: dict[int, int], add) -> None:
        """The national surveys, plans and agencies in a value's sentence window or the
        headline, as national area targets tagged with their kind, for the values whose
        sentence names no area of its own, not even by pointing back ("di kabupaten itu"): an
        SSGI figure beside a district is the district's."""
        cues = national_cues(doc)
        if not cues:
            return
        title = doc_title_range(doc)
        local_sents = {ent_sent[a.start] for a in areas if a.ent_id_ not in ("ID", "WORLD")}
        local_sents.update(sents.index(i) for i in area_anaphora(doc))  # "di kabupaten itu"
        cue_sent = [(cue, sents.index(cue.start)) for cue in cues]
        attrs = doc._.value_attrs or {}
        cells = cell_contexts(doc)
        planned = plan_targets(doc)
        for value in values:
            v_sent = ent_sent[value.start]
            if value.start in planned:  # "AKI Kendari di bawah target RPJMN 2024 sebesar 183"
                add(value, planned[value.start], "national_plan")
                continue
            if v_sent in local_sents:
                continue  # "SSGI mencatat stunting di Kabupaten Sigi 25,7 persen"
            # "... tercatat 610 kasus. ... di bawah target RPJMN 2024": a plan named after an
            # observed figure sets a target of its own (a table's caption below it is the
            # table's)
            later_plans = (attrs.get(value.start, {}).get("kind") == "target"
                           or value.start in cells)
            for cue, c_sent in cue_sent:
                kind = cue.kb_id_.split(":")[1]
                if c_sent > v_sent and kind == "plan" and not later_plans:
                    continue
                in_title = title is not None and title[0] <= cue.start_char < title[1]
                # an agency is a source that speaks in its own sentence ("Itu standar baru dari
                # Kementerian Kesehatan. Tahun ini, Dinkes menargetkan ..."); a survey or plan
                # named before still frames the figures after it
                first = v_sent if kind == "agency" else v_sent - self.max_back
                if in_title or first <= c_sent <= v_sent + 1:
                    add(value, cue, f"national_{kind}")

    def _area_level(self, target: Span) -> str:
        """The administrative level a LOCATION mention resolves to ("Gianyar, Bali": the
        kabupaten is the figure's area, the province only locates it)."""
        level = self._levels.get(target.text)
        if level is None:
            from ..knowledge.places import Gazetteer

            area = Gazetteer.load().resolve(target.text).area
            level = area.level if area is not None else "none"
            if len(self._levels) > 100_000:  # a long-running service: keep memory bounded
                self._levels.clear()
            self._levels[target.text] = level
        return level

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
                  v_sent: int, t_sent: int, in_title: bool, is_default: bool, own_unit,
                  attrs: dict, value_features: dict, values: list[Span], same_type: list[Span],
                  sents: Sentences, starts: dict[int, list[int]], punct_before: list[int],
                  cache: dict) -> dict:
        names = self.names[relation]
        before = target.end <= value.start
        if before:
            gap = value.start - target.end
            lo, hi = target.end, value.start
        else:
            gap = max(0, target.start - value.end)
            lo, hi = value.end, target.start
        side = "before" if before else "after"
        f: dict[str, float] = {
            "bias": 1.0,
            names.direction[side]: 1.0,
            names.gap[GAP_BUCKETS[gap] if gap < len(GAP_BUCKETS) else "more"]: 1.0,
            names.loggap: math.log1p(gap),
            names.sentback[back if back in (0, 1, 2) else "far"]: 1.0,
            names.title: float(in_title),
            names.default_area: float(is_default),
            names.value[value.label_]: 1.0,
        }
        if back == 0:
            # entities are sorted, so the ones between the pair are a slice (no O(n) scans:
            # a list of 2,000 figures would make this quadratic)
            value_starts = starts[id(values)]
            between_values = (bisect_left(value_starts, hi) - bisect_left(value_starts, lo)
                              - (lo <= value.start < hi))
            same_starts = starts[id(same_type)]
            first, last = bisect_left(same_starts, lo), bisect_left(same_starts, hi)
            # entities do not overlap: of those starting in [lo, hi) only the last can end
            # after hi
            between_same = last - first - (last > first and same_type[last - 1].end > hi)
            f[names.between_values[min(between_values, 3)]] = 1.0
            f[names.between_same[min(between_same, 3)]] = 1.0
            punct = punct_before[hi] - punct_before[lo]
            f[names.between_punct[min(punct, 3)]] = 1.0
            f[names.nearest[side]] = float(between_same == 0)
            if not before and gap == 0:
                f[names.adjacent_after] = 1.0
        if sents.paragraph[v_sent] == sents.paragraph[t_sent]:
            f[names.same_paragraph] = 1.0
        key = (relation, target.start)
        target_features = cache.get(key)
        if target_features is None:
            # the features of a target alone: once per document, not once per pair
            target_features = cache[key] = self._target_features(doc, target, relation)
        f.update(target_features)
        f.update(value_features)
        if self.use_scope and relation != "indicator":  # no scope feature of an indicator
            f.update(self._scope_pair_features(value, target, relation, before, back, f, cache))
        if relation == "indicator":
            if own_unit in ("per_1000_live_births", "per_100000_live_births"):
                f["indicator:unit_fits"] = float(
                    self.rate_units.get(target.ent_id_) == own_unit)
            if attrs.get("indicator") == target.ent_id_:
                f["indicator:noun_hint"] = 1.0
        elif relation == "date" and f.get("date:in_target_phrase"):
            # "... mengejar target penurunan stunting pada 2024": a target's year is not the
            # year of the observed figures around it
            del f["date:in_target_phrase"]
            f[f"date:target_year&kind={attrs.get('kind', 'observed')}"] = 1.0
        return f

    def _value_features(self, doc: Doc, value: Span, relation: str, attrs: dict) -> dict:
        """The features of a value alone, computed once per value and relation."""
        f = {}
        for k in range(1, CUE_WINDOW + 1):
            if value.start - k >= 0:
                f[f"{relation}:vprev{k}={doc[value.start - k].lower_}"] = 1.0
        if value.end < len(doc):
            f[f"{relation}:vnext={doc[value.end].lower_}"] = 1.0
        if attrs.get("weak_unit"):
            f[f"{relation}:weak_unit"] = 1.0
        return f

    def _scope_pair_features(self, value: Span, target: Span, relation: str, before: bool,
                             back: int, f: dict, cache: dict) -> dict:
        """A ranking, comparison or survey-name area on either side of the value; a period that dates
        another figure right before it ("dari 29,2 persen pada 2022 menjadi 25,7 persen")."""
        out = {}
        if relation == "location":
            for role, if_before, if_after in SCOPE_ROLE_NAMES:
                if f.get(role):
                    out[if_before if before else if_after] = 1.0
        elif relation == "date" and back > 0:
            # "... naik dibandingkan tahun 2021 yang hanya 98 kasus. Adapun kematian bayi 701
            # kasus": the period of a comparison, or a year counted back ("tahun sebelumnya"),
            # dates the figure compared, seldom the figures of the sentences after it
            key = ("date_role", target.start)
            if key not in cache:
                cache[key] = area_role(target)
            if cache[key] == "comparison" or f.get("date:relative") or self._dates_a_start(
                    value.doc, target, cache):
                out["date:earlier_comparison"] = 1.0
        elif relation == "date" and back == 0:
            key = ("dated_figure", target.start)
            if key not in cache:
                cache[key] = figure_dated_by(target)
            owner = cache[key]
            if owner == value.start:
                out["date:dates_figure=self"] = 1.0
            elif owner is not None:
                # the figure a change starts from ("dari 29,2 persen pada 2022 menjadi 25,7")
                doc = value.doc
                start = owner > 0 and doc[owner - 1].lower_ in self.comparison_from
                out[f"date:dates_figure=other{'_from' if start else ''}"] = 1.0
        return out

    def _dates_a_start(self, doc: Doc, date: Span, cache: dict) -> bool:
        """"naik menjadi 11 kasus dari 8 kasus pada 2022": the period dates the figure a change
        starts from, not the figures of the sentences after it."""
        key = ("dated_figure", date.start)
        if key not in cache:
            cache[key] = figure_dated_by(date)
        owner = cache[key]
        return owner is not None and owner > 0 and doc[owner - 1].lower_ in self.comparison_from

    def _target_features(self, doc: Doc, target: Span, relation: str) -> dict:
        prev_word = doc[target.start - 1].lower_ if target.start > 0 else "<s>"
        f = {f"{relation}:prev={prev_word}": 1.0}
        text = target.text
        if relation == "location" and is_national_cue(target):
            f[f"location:{target.kb_id_}"] = 1.0
            return f
        if relation == "indicator":
            f[f"indicator:abbrev={text.isupper()}"] = 1.0
        elif relation == "location":
            f[f"location:id={target.ent_id_ or 'none'}"] = 1.0
            f[f"location:level={self._area_level(target)}"] = 1.0
            f["location:dateline"] = float(is_dateline(target))
            f["location:level_word"] = float(text.split()[0].lower() in (
                "kabupaten", "kab.", "kab", "kota", "provinsi", "prov.", "kecamatan", "desa",
                "kelurahan"))
            role = area_role(target) if self.use_scope else None
            if role is not None:
                f[f"location:role={role}"] = 1.0
        else:
            f["date:report"] = float(_is_report_date(target))
            f["date:relative"] = float(any(t.lower_ in ("ini", "lalu", "sebelumnya", "kemarin")
                                           for t in target))
            f["date:has_year"] = float(any(t.like_num and len(t.text) == 4 for t in target))
            if in_target_phrase(target, self.target_cues):
                f["date:in_target_phrase"] = 1.0
        return f


def _later_period_features(bare: bool, dated_before_value: bool, kind: str
                           ) -> dict[str, float]:
    """A period named after the value: in a sentence with no figure of its own ("Data itu
    bersumber dari Sensus Penduduk 2020" closes the figures before it), for a value the text
    dates nowhere before (a lead's figures, their period further on), and the value's kind
    (a change over decades takes no one year from the period named after it)."""
    f = {f"date:later&kind={kind}": 1.0}
    if bare:
        f["date:later_bare"] = 1.0
    if not dated_before_value:
        f["date:later_undated"] = 1.0
        if bare:
            f["date:later_bare&undated"] = 1.0
    return f


def _syntax_features(value: Span, target: Span, relation: str) -> dict[str, float]:
    """The dependency path between the two spans' roots ("14 kasus" -obj-> "ada" <-nsubj- ...)."""
    v_chain = [value.root, *value.root.ancestors]
    t_chain = [target.root, *target.root.ancestors]
    t_index = {token.i: n for n, token in enumerate(t_chain)}
    up = next((n for n, token in enumerate(v_chain) if token.i in t_index), None)
    f = {f"{relation}:tdep={target.root.dep_}": 1.0}
    if up is None:
        f[f"{relation}:dep_path=none"] = 1.0
        return f
    down = t_index[v_chain[up].i]
    f[f"{relation}:dep_path={_bucket(up + down)}"] = 1.0
    f[f"{relation}:dep_up={min(up, 4)},down={min(down, 4)}"] = 1.0
    return f


@registry.misc("mchnlp.rel_instance_generator.v1")
def create_candidate_generator(max_sentences_back: int = 2, use_syntax: bool = True
                               ) -> Callable[[Doc], Iterator[Candidate]]:
    """Registered pair generator: type-valid (value, target) candidates with features;
    `use_syntax` adds dependency-path features when the Doc is parsed."""
    return CandidateGenerator(max_sentences_back, use_syntax)


@registry.misc("mchnlp.rel_instance_generator.v2")
def create_structure_candidate_generator(max_sentences_back: int = 2, use_syntax: bool = True
                                         ) -> Callable[[Doc], Iterator[Candidate]]:
    """Version 1 plus the targets and features of the document's structure (tables, lists,
    earlier mentions)."""
    return CandidateGenerator(max_sentences_back, use_syntax, use_structure=True)


@registry.misc("mchnlp.rel_instance_generator.v3")
def create_scope_candidate_generator(max_sentences_back: int = 2, use_syntax: bool = True
                                     ) -> Callable[[Doc], Iterator[Candidate]]:
    """Version 2 plus national scope: the national surveys, plans and agencies around a
    value as national area targets, ranking and comparison areas, and periods that date
    another figure."""
    return CandidateGenerator(max_sentences_back, use_syntax, use_structure=True,
                              use_scope=True)


@registry.misc("mchnlp.rel_instance_generator.v4")
def create_period_candidate_generator(max_sentences_back: int = 2, use_syntax: bool = True
                                      ) -> Callable[[Doc], Iterator[Candidate]]:
    """Version 3 plus document periods: the periods named after a value's window, and the
    periods and areas of the body sentence that restates a headline figure."""
    return CandidateGenerator(max_sentences_back, use_syntax, use_structure=True,
                              use_scope=True, use_periods=True)
