"""Heuristic relation linker: the rule baseline every trained linker is compared with.

For each value (COUNT/RATE) it links an INDICATOR, a LOCATION, a DATE and, for a bare
number ("nasional di angka 16"), the value whose unit it borrows. Links go into the store
`doc._.rel[(value.start, target.start)] = {label: score}`; `doc._.facts` derives the facts.
The scores are fixed by the rule that fired (same sentence > previous sentence > document
default), not calibrated probabilities.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..facts.extensions import ensure_doc_stores, register_extensions
from ..knowledge import resources
from ..knowledge.dates import MONTHS, WEEKDAYS, anaphoric_year_offset, is_present, read_date
from ..knowledge.units import read_value
from ..structure.areas import (
    anaphor_areas,
    apposed_area,
    area_key,
    clause_subject_areas,
    document_area,
    level_noun_areas,
)
from ..structure.headings import heading_areas, heading_dates
from ..structure.layout import Sentences, in_dateline, is_dateline
from ..structure.lists import bracket_owner, distributions, placed_member, respective_member
from ..structure.memo import entities, remembered, sentences
from ..structure.periods import in_target_phrase, title_date
from ..structure.scope import (
    anaphora_tokens,
    area_role,
    introduced_by_comparison,
    plan_targets,
)
from ..structure.tables import cell_contexts, table_headers

VALUE_LABELS = ("COUNT", "RATE")
CONNECTIVES = {"sementara", "sedangkan", "adapun", "begitu", "demikian", "lalu", "kemudian",
               "selanjutnya", "sebagai", "untuk", "pada", "menurut", "berdasarkan"}
ANAPHORA = {"jumlahnya", "jumlah", "angkanya", "totalnya", "itu", "tersebut", "nilainya",
            "capaiannya", "prevalensinya"}
DATE_ANAPHORA = {"saat itu", "ketika itu", "pada saat itu", "waktu itu", "tahun itu",
                 "tahun yang sama", "pada periode yang sama", "periode yang sama"}
DATE_INTRODUCERS = {"pada", "tahun", "hingga", "sampai", "per", "selama", "sepanjang", "di",
                    "sejak", "dalam", "periode", "s/d", "(", "menurut", "berdasarkan", "data",
                    "hasil"}
# words allowed between a person-counted value and its indicator ("gizi buruk ada 38 orang")
NEAR_GAP = {")", "ada", "sebanyak", "yakni", "yaitu", "mencapai", "tercatat", "sejumlah",
            "adalah", "menjadi", "tetap", "jadi", "berjumlah", "terdapat", "hanya", "sekitar",
            ":", "=", "melonjak", "turun", "naik", "meningkat", "menurun", "berkurang", "bertambah",
            "tinggal", "sebesar", "hingga", "ke", "sampai", "masih", "kini", "sebanyak-banyaknya"}


# a date to the day ("(24/5)", "14/2/2024", "31 Oktober 2024") dates a statement or the
# story's dateline: when something was said or filed, not the period a figure covers
_DAY_MONTH = re.compile(r"^\(?\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*(?:19|20)?\d\d)?\)?$")
_FULL_DATE = re.compile(r"\b\d{1,2}\s+[A-Za-z]+\s+(19|20)\d\d\b")
PERIOD_END_WORDS = {"per", "hingga", "sampai", "s/d", "s.d.", "sd"}


SCOPE_CUES = {"tertinggi", "terendah", "terbanyak", "tersedikit", "terbesar", "terkecil",
              "teratas", "terbawah", "paling"}


def _is_scope(span: Span) -> bool:
    """A place named as the scope of a ranking ("tertinggi di Provinsi Kalimantan Tengah",
    "se-Jateng"), not as the place a figure is about."""
    doc, i = span.doc, span.start
    if i >= 1 and doc[i - 1].lower_ in ("se", "se-", "seluruh"):
        return True
    ranked = i >= 2 and doc[i - 1].lower_ == "di" and (
        doc[i - 2].lower_ in SCOPE_CUES or (i >= 3 and doc[i - 3].lower_ == "paling"))
    if not ranked:
        return False
    # "terendah di Kota Gorontalo" names the place with the lowest figure; only a province
    # after the ranking word is the frame within which kabupaten are ranked
    from ..knowledge.places import Gazetteer

    area = Gazetteer.load().resolve(span.text).area
    return area is not None and area.level == "provinsi"


def _is_report_date(span: Span) -> bool:
    """A date to the day or in the dateline: when the story was filed or something was
    said, never the period of a figure; but a day that ends a period ("data per 1 Juli
    2025", "sampai Sabtu (4/6)") is the period's end."""
    if in_dateline(span):
        return True
    if not (_DAY_MONTH.match(span.text) or _FULL_DATE.search(span.text)):
        return False
    doc = span.doc
    before = [t.lower_ for t in doc[max(0, span.start - 3):span.start]
              if t.text != "(" and t.lower_ not in WEEKDAYS]
    return not (before and before[-1] in PERIOD_END_WORDS)


GAP_PREPOSITIONS = {"pada", "di", "tahun", "dari", "untuk", "se", ","}
STATE_REACH = 4  # tokens from a state word ("mengalami", "tergolong") to its indicator


class RuleLinker:
    """Links values to indicator, location and date spans with ordered heuristics."""

    def __init__(self, nlp: Language, name: str = "mch_rule_linker") -> None:
        register_extensions()
        self.name = name
        self.rate_units = {r["code"]: r.get("rate_unit")
                           for r in resources.indicator_table()["indicators"]}
        self.target_cues = {w.lower() for w in resources.value_rules().get("target_date_cues", [])}
        rules = resources.value_rules()
        self.comparison_from = set(rules["comparison_from"])
        self.aside_words = set(rules["aside_words"])
        self.topic_words = set(rules["topic_words"])
        self.state_words = set(rules["state_words"])
        self.cause_words = set(rules["cause_words_after"]) | set(rules["cause_heads"])
        self.noun_indicators = dict(rules["noun_indicators"])

    def __call__(self, doc: Doc) -> Doc:
        ensure_doc_stores(doc)
        with remembered(doc):
            return self._link(doc)

    def _link(self, doc: Doc) -> Doc:
        values = [e for e in entities(doc) if e.label_ in VALUE_LABELS]
        if not values:
            return doc
        sents = sentences(doc)
        by_sent: dict[int, list[Span]] = {}
        for ent in entities(doc):
            by_sent.setdefault(sents.index(ent.start), []).append(ent)
        default_area = document_area(doc)
        default_date = title_date(doc)
        headers = table_headers(doc, sents)
        spread = distributions(doc)
        linked_location: dict[int, tuple[Span, float]] = {}
        # sentence -> the areas its figures were linked to
        sentence_areas: dict[int, set] = {}
        anaphors = anaphor_areas(doc)
        level_nouns = level_noun_areas(doc)
        subjects = clause_subject_areas(doc)
        planned = plan_targets(doc)
        headed = heading_dates(doc)
        headed_areas = heading_areas(doc)
        chosen_indicator: dict[int, tuple[Span, float]] = {}
        linked_date: dict[int, tuple[Span, float]] = {}
        # per indicator, the period of its latest value that had one
        last_date: dict[str, Span] = {}
        cells = cell_contexts(doc)
        rel, value_attrs = doc._.rel, doc._.value_attrs  # `doc._` builds an object per access
        # (sentence, not a target value) -> the sentence's dates that may be a figure's period
        period_dates: dict[tuple[int, bool], list[Span]] = {}
        by_label: dict[str, list[Span]] = {}
        if cells:
            for ent in entities(doc):
                by_label.setdefault(ent.label_, []).append(ent)
        label_starts = {label: [e.start for e in group] for label, group in by_label.items()}
        for value in values:
            context = cells.get(value.start)
            if context is not None:
                for label, (target, score) in self._cell_links(context, by_label, label_starts,
                                                               default_area,
                                                               default_date).items():
                    rel.setdefault((value.start, target.start), {})[label] = score
                continue
            s_idx = sents.index(value.start)
            ents = by_sent.get(s_idx, [])
            in_table = s_idx in headers
            if in_table:  # a table row takes its indicator and period from the header
                previous = [by_sent.get(h, []) for h in headers[s_idx]]
            else:
                previous = [by_sent.get(s_idx - k, []) for k in (1, 2) if s_idx - k >= 0]
            links = {}
            attrs = (value_attrs or {}).get(value.start, {})
            unit = self._unit_source(value, ents, previous[0] if previous else [], attrs)
            if unit is not None:
                links["unit"] = unit
            paired = respective_member(spread, value.start)
            ind = ((paired, 0.9) if paired is not None and paired.label_ == "INDICATOR" else
                   self._indicator(doc, value, ents, unit) or self._parallel(
                       doc, value, ents, chosen_indicator))
            if ind is None and not any(e.label_ == "INDICATOR" for e in ents):
                ind = self._indicator_from_context(doc, value, sents, s_idx, previous, unit)
            if ind is not None:
                links["indicator"] = ind
                chosen_indicator[value.start] = ind
            # a sentence that spreads its figures over several areas ("Ketapang 14 kasus,
            # disusul Kubu Raya 12 kasus dan Sambas 11 kasus") is a breakdown: its last area
            # is not the area of the figures after it
            breakdown = len(sentence_areas.get(s_idx - 1, ())) > 1
            placed = placed_member(spread, value.start)  # "masing-masing 2 kasus di A, B"
            if placed is not None or (paired is not None and paired.label_ == "LOCATION"):
                loc = (paired if placed is None else placed, 0.9)
            elif value.start in level_nouns:  # "sedangkan di kota hanya 9 kasus"
                loc = (level_nouns[value.start], 0.8)
            elif value.start in subjects:  # "Kota X, yang ... Kabupaten Y, mencatat 19,8 persen"
                loc = (subjects[value.start], 0.8)
            elif value.start in planned:  # "target RPJMN 2024 sebesar 183"
                loc = (planned[value.start], 0.85)
            elif s_idx in anaphors:  # "di kota ini", in a sentence that names no area
                loc = (anaphors[s_idx], 0.8)
            elif value.start in headed_areas:  # "Tren stunting tingkat provinsi:" over its items
                loc = (headed_areas[value.start], 0.8)
            else:
                loc = self._location(value, ents) or (None if breakdown else (
                    linked_location.get(s_idx - 1) or self._from_previous(previous, "LOCATION")))
            if loc is None and default_area is not None:
                loc = (default_area, 0.5)
            if loc is not None and loc[0] is not anaphors.get(s_idx) and (
                    loc[0] is not headed_areas.get(value.start)):
                # a figure linked to "Provinsi Bali" after "Gianyar," is Gianyar's; not one
                # that points back to the province ("KUPANG, NTT - ... provinsi ini")
                loc = (apposed_area(loc[0]) or loc[0], loc[1])
            if loc is not None:
                links["location"] = loc
                linked_location[s_idx] = (loc[0], 0.6)
                sentence_areas.setdefault(s_idx, set()).add(area_key(loc[0]))
            # the present level a target starts from ("menargetkan stunting yang pada SSGI 2022
            # masih 19,8 persen turun menjadi 14 persen") is dated inside the target's phrase
            observed = attrs.get("kind", "observed") != "target" and not attrs.get(
                "under_target")
            if (s_idx, observed) not in period_dates:  # the same for the sentence's values
                period_dates[(s_idx, observed)] = self._period_dates(ents, observed)
            date = ((paired, 0.9) if paired is not None and paired.label_ == "DATE" else
                    self._date(doc, value, ents, period_dates[(s_idx, observed)]))
            if date is None and value.start in headed:  # "Target tahun 2024:" over its items
                date = (headed[value.start], 0.8)
            if date is None and not in_table and s_idx - 1 in linked_date and (
                    sents.paragraph[s_idx - 1] == sents.paragraph[s_idx]):
                date = linked_date[s_idx - 1]
            if date is None and not in_table and previous and not any(
                    e.label_ in VALUE_LABELS for e in previous[0]) and (
                    sents.paragraph[s_idx - 1] == sents.paragraph[s_idx]):
                # "... mencatat penurunan stunting berdasarkan SKI 2023. Prevalensi Kota Blitar
                # turun menjadi 11,2 persen": the one period named in a sentence with no figure
                # of its own frames the next sentence of its paragraph
                # (not the dateline's day: "Labuha, 27 Februari 2024 – Dinkes menyampaikan
                # data tahun 2023. Jumlah kematian ibu 11 kasus")
                dates = [e for e in previous[0] if e.label_ == "DATE" and not in_dateline(e)]
                if len(dates) == 1 and not (
                        introduced_by_comparison(dates[0]) or _is_report_date(dates[0])
                        or anaphoric_year_offset(dates[0].text) is not None):
                    date = (dates[0], 0.6)
            if date is None and (in_table or self._continues_time(doc, sents, s_idx, value)):
                # the previous sentence's last period that no comparison word introduces and
                # that is not counted from another ("tahun sebelumnya")
                date = self._from_previous(
                    [[d for d in previous[0] if not introduced_by_comparison(d)
                      and anaphoric_year_offset(d.text) is None]] if previous else [],
                    "DATE", last=True)
            if date is None and default_date is not None:
                date = (default_date, 0.5)
            indicator_id = ind[0].ent_id_ if ind is not None else None
            if date is None and indicator_id in last_date:
                # news articles state the period once and report a run of figures of one
                # indicator for it
                date = (last_date[indicator_id], 0.4)
            if date is not None:
                links["date"] = date
                # a target's year is its own, and so is the year of a figure compared with
                # ("dibanding 2022 yang mencapai 171 kasus") or of the figure a change starts
                # from ("dari 22,5 persen pada 2022"): not carried to the figures after
                if date[0] is not default_date and attrs.get("kind") != "target" and not (
                        introduced_by_comparison(date[0]) or self._starts_change(doc, value)):
                    linked_date[s_idx] = (date[0], 0.6)
                    if indicator_id and not is_present(date[0].text):
                        last_date[indicator_id] = date[0]
            for label, (target, score) in links.items():
                key = (value.start, target.start)
                rel.setdefault(key, {})[label] = round(float(score), 4)
                spread_link(doc, value.start, label, target, score, spread)
        return doc

    @staticmethod
    def _cell_links(context, by_label: dict[str, list[Span]],
                    label_starts: dict[str, list[int]], default_area: Span | None,
                    default_date: Span | None) -> dict[str, tuple[Span, float]]:
        """A grid-table cell takes its indicator from the row label, the column header, the
        other columns' headers, the table title or the headline (the nearest that names one),
        its period from the column header, the row label or the title, and its area from the
        row label, else the column header, else the title, else the document's area."""
        order = {"indicator": ("labels", "header", "siblings", "title", "headline"),
                 "date": ("header", "labels", "title", "headline"),
                 "location": ("labels", "header", "title", "headline")}
        label_of = {"indicator": "INDICATOR", "date": "DATE", "location": "LOCATION"}
        parts = dict(context.parts())
        links: dict[str, tuple[Span, float]] = {}
        for relation, places in order.items():
            group = by_label.get(label_of[relation], [])
            starts = label_starts.get(label_of[relation], [])
            for place in places:
                # the first entity inside one of the place's ranges, found by bisection (a
                # long text holds many tables: no scan of every entity per cell)
                found = None
                for a, b in parts[place]:
                    if found is not None and place == "siblings":
                        break  # the nearest other column that names one
                    k = bisect_left(starts, a)
                    while k < len(group) and group[k].start < b:
                        if group[k].end <= b and not (
                                relation == "date" and place in ("title", "headline")
                                and introduced_by_comparison(group[k])):
                            # "dibanding Desember 2022 ... Berikut rinciannya:" above a
                            # table: the compared period is not the table's
                            if found is None or group[k].start < found.start:
                                found = group[k]
                            break
                        k += 1
                if found is not None:
                    links[relation] = (found, 0.85)
                    break
        if "location" not in links and default_area is not None:
            links["location"] = (default_area, 0.5)
        if "date" not in links and default_date is not None:
            links["date"] = (default_date, 0.5)
        return links

    # -- helpers ----------------------------------------------------------------------
    @staticmethod
    def _between_values(value: Span, other: Span, ents: list[Span]) -> bool:
        lo, hi = sorted((value.start, other.start))
        return any(e.label_ in VALUE_LABELS and lo < e.start < hi and e.start != value.start
                   for e in ents)

    def _unit_of(self, value: Span, unit_link) -> str | None:
        source = unit_link[0] if unit_link else value
        _, unit = read_value([t.text for t in source])
        return unit

    def _compatible(self, indicator: Span, unit: str | None) -> bool:
        """A rate per 1,000 or per 100,000 names the indicator it belongs to."""
        if unit not in ("per_1000_live_births", "per_100000_live_births"):
            return True
        expected = self.rate_units.get(indicator.ent_id_)
        return expected is None or expected == unit

    # -- per relation ---------------------------------------------------------------
    def _indicator(self, doc: Doc, value: Span, ents: list[Span], unit_link):
        attrs = doc._.value_attrs.get(value.start, {})
        hint = attrs.get("indicator")
        unit = self._unit_of(value, unit_link)
        indicators = [e for e in ents if e.label_ == "INDICATOR"]
        fitting = [e for e in indicators if self._compatible(e, unit)]
        indicators = fitting or indicators
        indicators = [e for e in indicators
                      if not (e.start >= value.end and self._a_cause(doc, value, e))]
        kept = [e for e in indicators if not (e.end <= value.start and self._set_aside(doc, e))]
        indicators = kept or indicators
        if hint:
            same = [e for e in indicators if e.ent_id_ == hint]
            if same:
                return min(same, key=lambda e: abs(e.start - value.start)), 0.9
        after = [e for e in indicators if e.start == value.end]
        if after:
            return after[0], 0.9
        stated = self._stated_after(doc, value, indicators, ents)
        if stated is not None:
            return stated, 0.9
        if attrs.get("weak_unit"):
            topic = self._topic(doc, value, indicators)
            if topic is not None:
                return topic, 0.8
            # "6 orang" is only a fact right next to its indicator; a date or place between
            # them is fine ("angka kematian ibu melahirkan pada 2022 berjumlah tiga orang")
            pointing = anaphora_tokens(doc)  # "di kota ini" is a place too
            for e in reversed(indicators):
                if e.end > value.start:
                    continue
                gap = [t for t in doc[e.end : value.start]
                       if t.ent_type_ not in ("DATE", "LOCATION") and t.i not in pointing]
                # a month is a period too ("(BBLR) hingga September 2023 tercatat 208 bayi")
                if len(gap) <= 4 and all(t.lower_ in NEAR_GAP or t.lower_ in GAP_PREPOSITIONS
                                         or t.lower_ in MONTHS for t in gap):
                    return e, 0.85
            return None
        before = [e for e in indicators if e.end <= value.start]
        if before:
            return before[-1], 0.85
        following = [e for e in indicators if e.start >= value.end
                     and not self._between_values(value, e, ents)]
        if following:
            return following[0], 0.7
        return None

    def _set_aside(self, doc: Doc, indicator: Span) -> bool:
        """"Selain gizi buruk, ...": the indicator is named to turn to another one."""
        return indicator.start > 0 and doc[indicator.start - 1].lower_ in self.aside_words

    def _a_cause(self, doc: Doc, value: Span, indicator: Span) -> bool:
        """"23 kasus, dengan penyebab utama asfiksia dan berat badan lahir rendah": an indicator
        named as a cause after the value is not what the value counts."""
        return any(t.lower_ in self.cause_words for t in doc[value.end : indicator.start])

    def _stated_after(self, doc: Doc, value: Span, indicators: list[Span],
                      ents: list[Span]) -> Span | None:
        """The indicator a state word ties the value to ("380 balita terindikasi stunting",
        "905 balita atau 12,4 persen tergolong kurus (wasting)"): the value's twin in the other
        unit ("atau 12,4 persen") is stepped over."""
        i = value.end
        twin = next((e for e in ents if e.label_ in VALUE_LABELS and i < len(doc)
                     and doc[i].lower_ in ("atau", "(") and e.start == i + 1), None)
        if twin is not None:
            i = twin.end
            if doc[value.end].text == "(" and i < len(doc) and doc[i].text == ")":
                i += 1  # "1.387 balita (6,5%) mengalami stunting"
        bracketed = 0 < value.start and doc[value.start - 1].text == "(" and i < len(doc) and (
            doc[i].text == ")")
        if bracketed:
            i += 1  # the twin itself: "(2,8%) wasting"
        if i + 1 < len(doc) and (doc[i].lower_, doc[i + 1].lower_) == ("di", "antaranya"):
            i += 2  # "27 di antaranya merupakan kematian neonatal"
        if (twin is not None or bracketed or (len(value) > 1 and doc[value.end - 1].is_alpha)
                ) and any(e.start == i for e in indicators):
            # a list item whose name follows its figures: "598 balita (2,8%) wasting"
            return next(e for e in indicators if e.start == i)
        if i >= len(doc) or doc[i].lower_ not in self.state_words:
            return None
        for e in indicators:
            if e.start <= i or e.start - i > STATE_REACH:
                continue
            between = [t.lower_ for t in doc[i : e.start]]
            # "tergolong kurus (wasting)": a plain word glossed by the indicator in brackets
            if all(w in self.state_words for w in between) or between[-1] == "(":
                return e
        return None

    def _topic(self, doc: Doc, value: Span, indicators: list[Span]) -> Span | None:
        """"Terkait gizi buruk, petugas menemukan 31 balita": an indicator fronted by a
        topic word and closed by a comma at the head of the sentence is what its figures
        count, with no other indicator between."""
        before = [e for e in indicators if e.end <= value.start]
        if not before:
            return None
        first = before[0]
        if len(before) > 1 or first.end >= len(doc) or doc[first.end].text != ",":
            return None
        sents = sentences(doc)
        head = doc[sents.starts[sents.index(first.start)] : first.start]
        if not head or len(head) > 3 or not any(t.lower_ in self.topic_words for t in head):
            return None
        return first

    @staticmethod
    def _parallel(doc: Doc, value: Span, ents: list[Span], chosen: dict):
        """List parallelism: "200 bayi meninggal dan tahun ini hanya 106 bayi" — a value
        counted with the same noun as an earlier value of its sentence measures the same."""
        attrs = doc._.value_attrs
        noun = attrs.get(value.start, {}).get("noun")
        if not noun:
            return None
        for other in reversed([e for e in ents if e.label_ in VALUE_LABELS
                               and e.start < value.start]):
            if any(e.label_ == "INDICATOR" and other.end < e.start < value.start for e in ents):
                return None  # a new indicator between them starts a new item
            if attrs.get(other.start, {}).get("noun") == noun and other.start in chosen:
                return chosen[other.start][0], 0.75
        return None

    def _indicator_from_context(self, doc: Doc, value: Span, sents: Sentences, s_idx: int,
                                previous: list[list[Span]], unit_link):
        """A sentence that names no indicator continues the previous ones ("Jumlahnya turun
        ke 73 kasus"): take the first indicator (the subject) one or two sentences back whose
        unit fits. Values counted in persons ("6 orang") never inherit one, but for the persons
        an indicator counts, closing their clause ("Kematian bayi juga begitu. Semester ini
        sudah enam puluh tiga bayi.")."""
        attrs = doc._.value_attrs.get(value.start, {})
        own_noun = None
        if attrs.get("weak_unit"):
            own_noun = self.noun_indicators.get(attrs.get("noun", ""))
            owner = bracket_owner(doc, value)
            # "Kasus terbanyak di Kecamatan Lambu (14 balita), Kecamatan Sape (12)": an
            # area's item of a list counts what the list counts
            listed = owner is not None and owner.label_ == "LOCATION"
            if listed:
                own_noun = None
            elif own_noun is None or not (value.end == len(doc) or doc[value.end].text in ".!;"):
                return None
        unit = self._unit_of(value, unit_link)
        sent_start = sents.starts[s_idx]
        words = {t.lower_ for t in doc[sent_start : value.start]}
        cue = bool(words & (ANAPHORA | CONNECTIVES))
        for ents in previous:
            mentioned = [e for e in ents if e.label_ == "INDICATOR"]
            if own_noun is not None:
                mentioned = [e for e in mentioned if e.ent_id_ == own_noun]
            fitting = [e for e in mentioned if self._compatible(e, unit)]
            if fitting or mentioned:
                return (fitting or mentioned)[0], 0.7 if cue else 0.55
        return None

    def _location(self, value: Span, ents: list[Span]):
        # "tertinggi ketiga secara nasional": the country a figure is ranked in is not its area
        candidates = [e for e in ents if e.label_ == "LOCATION" and not is_dateline(e)
                      and e.ent_id_ != "facility"
                      and not (e.ent_id_ == "ID" and area_role(e) == "ranking")]
        best, best_cost = None, None
        for loc in candidates:
            if loc.end <= value.start:
                cost = value.start - loc.end
            else:
                if self._between_values(value, loc, ents) or self._claimed(loc, ents):
                    continue
                cost = loc.start - value.end + 3
            if _is_scope(loc):
                cost += 20  # "tertinggi di Provinsi X ... Kabupaten Y": X is the scope
            if best_cost is None or cost < best_cost:
                best, best_cost = loc, cost
        return (best, 0.85) if best is not None else None

    @staticmethod
    def _claimed(loc: Span, ents: list[Span]) -> bool:
        """"... dengan 1.204 kasus, disusul Kabupaten Tojo Una-Una 988 kasus": an area with its
        own figure right after it is that figure's, not the area of a figure before it."""
        return any(e.label_ in VALUE_LABELS and loc.end <= e.start <= loc.end + 1 for e in ents)

    @staticmethod
    def _from_previous(previous: list[list[Span]], label: str, last: bool = False):
        for ents in previous:
            # "... termasuk yang terendah di provinsi X": the set a figure was ranked in is
            # not the area of the figures after it
            found = [e for e in ents if e.label_ == label and not (
                label == "LOCATION" and (is_dateline(e) or e.ent_id_ == "facility"
                                         or area_role(e) == "ranking"))]
            if found:
                return (found[-1] if last else found[0]), 0.6
        return None

    @staticmethod
    def _continues_time(doc: Doc, sents: Sentences, s_idx: int, value: Span) -> bool:
        start = sents.starts[s_idx]
        head = " ".join(t.lower_ for t in doc[start : value.start])
        first = doc[start].lower_ if start < len(doc) else ""
        return first in {"sementara", "sedangkan", "adapun"} or any(
            cue in head for cue in DATE_ANAPHORA)

    def _period_dates(self, ents: list[Span], observed: bool) -> list[Span]:
        """The dates of a sentence's entities that may be a figure's period: no report date
        ("(24/5)", "Kamis, 31 Oktober 2024": when something was said, not what a figure
        covers), and for an observed (not a target) figure no date of a target phrase."""
        dates = [e for e in ents if e.label_ == "DATE" and not _is_report_date(e)]
        if observed:
            dates = [d for d in dates if not in_target_phrase(d, self.target_cues)]
        return dates

    def _date(self, doc: Doc, value: Span, ents: list[Span], dates: list[Span] | None = None):
        """The period of `value` among `dates` (by default `_period_dates` of its sentence's
        entities `ents`)."""
        if dates is None:
            observed = (doc._.value_attrs or {}).get(value.start, {}).get(
                "kind", "observed") != "target"
            dates = self._period_dates(ents, observed)
        if not dates:
            return None
        values = [e for e in ents if e.label_ in VALUE_LABELS]
        next_value = min((v.start for v in values if v.start > value.start), default=None)
        # a date right after the value, introduced by "pada"/"hingga"/..., is its own
        for d in dates:
            if value.end <= d.start <= value.end + 4 and (next_value is None or
                                                        d.start < next_value):
                gap = [t.lower_ for t in doc[value.end : d.start]]
                if not gap or (gap[0] in DATE_INTRODUCERS and not
                               any(t.is_punct and t.text != "(" for t in doc[value.end : d.start])):
                    return d, 0.9
        owned: dict[int, int] = {}  # date start -> start of the figure it dates
        for v in values:
            for d in dates:
                if v.end <= d.start <= v.end + 3 and v.start != value.start:
                    gap = doc[v.end : d.start]
                    # "dari 61,9 persen tahun lalu": a relative year right after a figure
                    if (not len(gap) and read_date(d.text).relative) or (
                            len(gap) and gap[0].lower_ in DATE_INTRODUCERS and not any(
                                t.is_punct for t in gap)):
                        owned[d.start] = v.start
        before = [d for d in dates if d.end <= value.start and d.start not in owned]
        if before:
            return before[-1], 0.85
        # the period of the figure a change starts from ("dari 29 persen pada 2022 menjadi
        # 30,5 persen pada 2023") is not the period of the others
        starts_change = {d for d, v in owned.items() if self._starts_change(doc, doc[v:v + 1])}
        # nor is a period named after a comparison word ("61 kasus, naik dibanding tahun
        # sebelumnya yang 55 kasus"): it dates the figure compared
        # nor a year counted back from another ("menjadi 14,2 persen, dari 17 persen setahun
        # sebelumnya"): it is the year of the figure right before it only
        after = [d for d in dates if d.start >= value.end and d.start not in starts_change
                 and not introduced_by_comparison(d) and anaphoric_year_offset(d.text) is None]
        if after:
            return after[0], 0.7
        # every earlier period dates another figure: one a change does not start from still
        # frames the sentence ("turun 3,5 persen pada 2023, dari 29,2 persen pada 2022
        # menjadi 25,7 persen")
        framing = [d for d in dates if d.end <= value.start and d.start not in starts_change]
        if framing:
            return framing[-1], 0.6
        return None

    def _starts_change(self, doc: Doc, value: Span) -> bool:
        """The figure is the one a change starts from ("dari 22,5 persen")."""
        return value.start > 0 and doc[value.start - 1].lower_ in self.comparison_from

    @staticmethod
    def _unit_source(value: Span, ents: list[Span], previous_sentence: list[Span],
                     attrs: dict | None = None):
        """A bare number borrows the unit of the figure that ends its list ("12 dan 5
        kasus": `unit_of` in its value attributes), else of the last value with a unit before
        it, in its sentence or else in the previous one. A number that counts a noun the
        value rules read ("143 bayi lahir mati", the noun an indicator) is a count: no unit
        to borrow."""
        if len(value) > 1 or not value.doc[value.start]._.mch_num:
            return None
        attrs = attrs or {}
        if attrs.get("noun"):
            return None
        unit_of = attrs.get("unit_of")
        if unit_of is not None:
            for e in ents:
                if e.start == unit_of and e.label_ in VALUE_LABELS:
                    return e, 0.8
        for pool, score in ((ents, 0.8), (previous_sentence, 0.6)):
            prior = [e for e in pool if e.label_ in VALUE_LABELS and e.end <= value.start
                     and len(e) > 1]
            if prior:
                return prior[-1], score
        return None


SPREAD_RELATIONS = ("location", "date")


def spread_link(doc: Doc, value_start: int, relation: str, target: Span, score: float,
                spread: dict[int, dict]) -> None:
    """A value a "masing-masing" distributes over a list ("Kota Magelang dan Kota Solo,
    masing-masing satu kasus") links to every member when it links to one of them; the fact
    view then gives one fact per member (`doc._.value_attrs[start]["spread"]`)."""
    listed = spread.get(value_start)
    if relation == "date" and listed is not None and "year" in listed and (
            target.start == listed["members"][0].start):
        # one year of a span of years, by the value's place in its list
        doc._.value_attrs.setdefault(value_start, {})["range_year"] = listed["year"]
    if relation not in SPREAD_RELATIONS or listed is None or listed["mode"] != "distributed":
        return
    members = listed["members"]
    if target.label_ != members[0].label_ or target.start not in {m.start for m in members}:
        return
    for member in members:
        doc._.rel.setdefault((value_start, member.start), {})[relation] = round(float(score), 4)
    doc._.value_attrs.setdefault(value_start, {})["spread"] = relation
