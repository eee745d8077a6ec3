"""The fact view: the facts of a Doc derived from its entities and links (`doc._.facts`).

The links in `doc._.rel` are the stored truth; facts are a view recomputed on access, so they
never disagree with the links. A value becomes a fact when it has an indicator and a unit
that the indicator admits.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from functools import cache

from spacy.tokens import Doc, Span

from ..knowledge.dates import (
    anaphoric_year_offset,
    coerce_published,
    detect_published,
    is_present,
)
from ..knowledge.indicators import LEARNED_KEY, IndicatorRegistry, check_learned
from ..knowledge.units import read_value
from ..structure.areas import document_area
from ..structure.layout import Sentences, in_title
from ..structure.periods import stated_periods
from ..structure.restated import restated_figures
from ..structure.scope import (
    introduced_by_comparison,
    is_national_cue,
    national_cues,
    one_word_comparisons,
)
from ..structure.words import DocText
from .areas import DocumentAreas, _facility_area
from .fact import Fact
from .unit_rules import _conventions, _UnitRules
from .years import (
    _year_of,
    change_start_year,
    dates_a_compared_figure,
    dates_an_observed_figure,
    in_the_same_period,
    named_years,
    opens_with_the_same_period,
    own_period_before,
    reached_by_comparison,
    said_of_every_year,
)

MATERNAL = "maternal_mortality"  # the deaths of mothers; the other mortalities are children's


def _published(doc: Doc, text: DocText) -> dt.date | None:
    published = coerce_published(doc._.published)
    if published is not None:
        return published
    return detect_published(text.doc_text)


def doc_facts(doc: Doc) -> list[Fact]:
    """Derive the facts of a processed Doc from its value entities and `doc._.rel` links.

    A value gives one fact; a value the linker spread over a list of areas or years
    ("Kota Magelang dan Kota Solo, masing-masing satu kasus") gives one fact per member.
    """
    rel = doc._.rel or {}
    ents = doc.ents  # built anew at each access: read once
    if not rel and not ents:
        return []
    ents_by_start = {e.start: e for e in ents}
    if any(tail not in ents_by_start for _, tail in rel):
        # a national survey, plan or agency the linker took as the figure's area
        ents_by_start.update((cue.start, cue) for cue in national_cues(doc))
    links: dict[int, dict[str, list[tuple[Span, float]]]] = {}
    for (head, tail), scores in rel.items():
        target = ents_by_start.get(tail)
        if target is None:
            continue
        for label, score in scores.items():
            links.setdefault(head, {}).setdefault(label, []).append((target, score))
    text = DocText(doc)  # the texts of values and sentences, sliced from one read
    published = _published(doc, text)
    registry = IndicatorRegistry.load()
    learned = doc.user_data.get(LEARNED_KEY) or {}
    area_context: list = []
    areas = DocumentAreas(area_context)
    default = document_area(doc)
    if default is not None:
        areas.resolve(default)
    inherited = doc._.inherited_context or {}
    sents = Sentences(doc)
    years_named = cache(lambda: named_years(doc, published))  # read on first use
    periods_stated = cache(lambda: stated_periods(doc, published))
    units = _UnitRules(doc, sents)
    last_year: dict[str, int] = {}  # per indicator, the year of its latest dated figure
    # per indicator, (sentence, year) of its latest figure with a year, however found
    last_year_at: dict[str, tuple[int, int]] = {}
    main_year = None  # the year of the story's first dated figure: "periode yang sama"
    value_attrs = doc._.value_attrs or {}  # `doc._` is an object built per access
    sentence_texts: dict[int, str] = {}
    facts = []
    # the facts so far whose indicator their counted noun names ("17 ibu meninggal"): no
    # mention for a figure compared with them to link to
    facts_at: list[tuple[Span, str]] = []
    restated = restated_figures(doc)
    headline_facts: dict[int, tuple[int, bool, bool]] = {}  # (fact, own period, own area)
    fact_of_value: dict[int, int] = {}
    for value in ents:
        if value.label_ not in ("COUNT", "RATE"):
            continue
        attrs = value_attrs.get(value.start, {})
        if attrs.get("measured_group"):
            continue  # "16.322 balita yang diukur": the denominator of a share
        all_links = links.get(value.start, {})
        best = {label: max(targets, key=lambda t: t[1]) for label, targets in all_links.items()}
        indicator_link = best.get("indicator")
        indicator = (attrs["indicator"] if attrs.get("own_indicator") else
                     indicator_link[0].ent_id_ if indicator_link else attrs.get("indicator"))
        if attrs.get("deaths_of") and (not (indicator or "").endswith("_mortality") or (
                (indicator == MATERNAL) != (attrs["deaths_of"] == MATERNAL))):
            # "37 bayi meninggal dunia" beside a sentence on gizi buruk, or after "tujuh
            # kematian ibu dan": deaths, of infants
            indicator = attrs["deaths_of"]
        indicator = attrs.get("death_period", {}).get(indicator, indicator)  # "... terjadi
        # pada masa neonatal": the deaths of that age period
        if not indicator and facts_at:
            indicator = _compared_indicator(value, facts_at[-1], sents)
        if not indicator:
            continue
        number, unit = read_value(text.words(value.start, value.end))
        if number is None:
            continue
        if unit is None and "unit" in best:
            _, unit = read_value(text.words(best["unit"][0].start, best["unit"][0].end))
        if unit is None and attrs.get("unit_hint"):
            unit = attrs["unit_hint"]  # a table cell under "AKB/1000 KH" or "(Persen)"
        decided = units.decide(value, number, unit, indicator, indicator_link, attrs)
        if decided is None:
            continue  # shares of deaths (by cause, place, phase) are not indicator values
        unit, kind = decided
        check = (check_learned(learned[indicator], indicator, unit)
                 if indicator in learned and not learned[indicator].get("in_table")
                 else registry.check(indicator, number.value, unit))
        spread = attrs.get("spread")
        variants = ([{**best, spread: target} for target in
                     sorted(all_links[spread], key=lambda t: t[0].start)]
                    if spread in all_links else [best])
        for value_links in variants:
            location = code = level = warning = facility = None
            if "location" in value_links and value_links["location"][0].ent_id_ == "facility":
                facility = value_links["location"][0].text  # "Puskesmas Daruba 1 kasus"
                location, code, level = _facility_area(value_links["location"][0],
                                                       area_context)
            elif "location" in value_links and is_national_cue(value_links["location"][0]):
                location, level = "Indonesia", "negara"
            elif "location" in value_links:
                location, code, level, warning = areas.resolve(value_links["location"][0])
            elif inherited.get("area"):
                location = inherited["area"]
                code = inherited.get("area_code")
            year, period, year_read_directly = None, None, False
            date_link = value_links.get("date")
            if date_link and kind == "target" and dates_an_observed_figure(value, date_link[0],
                                                                           sents):
                date_link = None  # a target takes no year from the figure it is compared with
            if date_link and dates_a_compared_figure(value, date_link[0]):
                date_link = None  # "58 kematian bayi, lebih rendah dibanding periode yang
                # sama tahun lalu sebanyak 71 kasus": the period of 71, not of 58
            every_year = said_of_every_year(value, sents)
            if date_link and every_year and (is_present(date_link[0].text) or sents.index(
                    date_link[0].start) != sents.index(value.start)):
                date_link = None  # "setiap tahun mencapai 34.000 kasus": no "kini" before
            if date_link and attrs.get("range_year"):
                year = attrs["range_year"]
                period, year_read_directly = (str(year), str(year)), True
            elif date_link:
                year, period, year_read_directly = _year_of(value, date_link[0], sents,
                                                            published)
                offset = anaphoric_year_offset(date_link[0].text)
                partner = last_year_at.get(indicator)
                if offset and partner is not None and (
                        year is None or partner[0] == sents.index(value.start)):
                    # "41 kasus, turun dari 52 kasus setahun sebelumnya": the year before the
                    # one the figure it is compared with was read for (in its sentence, else
                    # the latest of this indicator)
                    year, period = partner[1] + offset, None
                start_year = change_start_year(value, date_link[0], year, sents, years_named)
                if start_year is not None:
                    year, period, year_read_directly = start_year, None, False
                elif kind == "observed" and introduced_by_comparison(date_link[0]) and (
                        reached_by_comparison(value)):
                    # "Pada 2023, ... turun 18 persen dibanding tahun sebelumnya, menjadi 172
                    # kasus": the level reached is of the sentence's own period
                    own = own_period_before(value, sents, published)
                    if own is not None:
                        year, period, year_read_directly = own, None, False
                elif kind == "change" and introduced_by_comparison(date_link[0], reach=3):
                    # "naik 4,2 persen poin dibanding hasil SSGI 2022": a change ends in the
                    # period of the figures before it, not in the one it is compared with
                    year, period, year_read_directly = last_year.get(indicator), None, False
            elif inherited.get("year"):
                year = inherited["year"]
            elif kind != "target" and not every_year:
                # a run of figures of one indicator under a period stated once ("Adapun
                # kematian bayi ... 302 orang, yakni Samarinda 68 bayi, ..."); else the period
                # of the story's first dated figure (a year-end list of indicators)
                year = last_year.get(indicator, main_year)
                if year is None and kind == "observed":
                    # no dated figure before it: the period stated last ("Capaian Semester
                    # I 2024" over a section, "merilis capaian semester I 2023" in the lead)
                    starts, stated = periods_stated()
                    k = bisect_left(starts, value.start)
                    year = stated[k - 1] if k else None
            if kind == "observed" and main_year is not None and in_the_same_period(value, sents):
                year, period, year_read_directly = main_year, None, False
            elif kind == "observed" and last_year_at and opens_with_the_same_period(value, sents):
                year = max(last_year_at.values())[1]  # of the latest figure with a year
                period, year_read_directly = None, False
            if year_read_directly and kind != "target" and not _compared(value, date_link):
                last_year[indicator] = year
                if main_year is None:
                    main_year = year
            if year is not None and kind != "target" and not _compared(value, date_link):
                last_year_at[indicator] = (sents.index(value.start), year)
            k = sents.index(value.start)
            if k not in sentence_texts:
                sentence_texts[k] = text.text(sents.starts[k], sents.ends[k]).strip()
            start_char, end_char = text.char_span(value.start, value.end)
            scores = [s for label, (_, s) in value_links.items() if label != "unit"]
            confidence = (indicator_link[1] if indicator_link else 0.7) * (
                sum(scores) / len(scores) if scores else 1.0
            )
            facts.append(
                Fact(
                    indicator=indicator,
                    value=float(number.value),
                    unit=unit,
                    location=location,
                    location_code=code,
                    year=year,
                    kind=kind,
                    text=text.doc_text[start_char:end_char],
                    sentence=sentence_texts[k],
                    start=start_char,
                    end=end_char,
                    confidence=round(confidence, 3),
                    value_max=number.value_max,
                    qualifier=attrs.get("qualifier") or number.qualifier,
                    location_level=level,
                    facility=facility,
                    period=period,
                    warnings=[w for w in (warning, check) if w],
                )
            )
        if len(variants) == 1:
            fact_of_value[value.start] = len(facts) - 1
            if value.start in restated:
                own = {label: in_title(value_links[label][0])
                       for label in ("date", "location") if label in value_links}
                headline_facts[value.start] = (len(facts) - 1, own.get("date", False),
                                               own.get("location", False))
        if not indicator_link and attrs.get("indicator") and kind != "target":
            facts_at.append((value, indicator))  # named by its counted noun, not a mention
    for start, (k, own_period, own_area) in headline_facts.items():
        twin = fact_of_value.get(restated[start].start)
        if twin is not None:
            _as_restated(facts[k], facts[twin], own_period, own_area)
    return facts


def _as_restated(headline: Fact, body: Fact, own_period: bool, own_area: bool) -> None:
    """A headline figure the body states again ("Kematian Ibu Turun Jadi 17 Kasus" ...
    "sepanjang 2023 sebanyak 17 kasus") is of the body mention's period and area, where the
    headline names none of its own ("Hingga Agustus" names no year)."""
    if (headline.indicator, headline.unit) != (body.indicator, body.unit):
        return
    if not own_period or headline.year is None:
        headline.year, headline.period = body.year, body.period
    if not own_area and body.location is not None:
        headline.location, headline.location_code = body.location, body.location_code
        headline.location_level = body.location_level


def _compared(value: Span, date_link: tuple[Span, float] | None) -> bool:
    """The figure is the other side of a comparison ("dibanding semester I 2022 sebesar 52,9
    persen") or the start of a change ("dari 22,5 persen"): its year is its own, not the
    period of the figures after it."""
    before = value.doc[value.start - 1].lower_ if value.start else ""
    if before in _conventions().comparison_from:
        return True
    return date_link is not None and introduced_by_comparison(date_link[0])


def _compared_indicator(value: Span, latest: tuple[Span, str], sents: Sentences) -> str | None:
    """The indicator of the figure a value without one is compared with: "tujuh belas ibu
    meninggal ... naik dibanding tahun sebelumnya yang tercatat sebelas kasus" (the figure
    named by its noun just before, in its sentence or the one before, a comparison word
    between and no other indicator or figure)."""
    before, indicator = latest
    if sents.index(value.start) - sents.index(before.start) > 1:
        return None
    doc = value.doc
    between = doc[before.end:value.start]
    if any(t.ent_type_ in ("INDICATOR", "COUNT", "RATE") for t in between):
        return None
    compared = one_word_comparisons() | {"sebelumnya"}  # "... yang tercatat sebelas kasus"
    return indicator if any(t.lower_ in compared for t in between) else None

