"""`Fact` and the derivation of facts from a Doc's entities and links (`doc._.facts`).

The links in `doc._.rel` are the stored truth; facts are a view recomputed on access, so they
never disagree with the links. A value becomes a fact when it has an indicator and a unit
that the indicator admits.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy
from spacy.attrs import IDX
from spacy.tokens import Doc, Span

from ..knowledge import resources
from ..structure.layout import Sentences, document_area, table_headers
from ..knowledge.dates import (
    TimeReading,
    anaphoric_year_offset,
    coerce_published,
    detect_published,
    read_date,
)
from ..knowledge.indicators import IndicatorRegistry
from ..knowledge.units import COUNT, PERCENT, read_value

if TYPE_CHECKING:
    from ..knowledge.places import Area, Gazetteer

LEVEL_EXPANSIONS = {
    "kab.": "Kabupaten", "kab": "Kabupaten", "kabupaten": "Kabupaten", "kota": "Kota",
    "prov.": "Provinsi", "prov": "Provinsi", "provinsi": "Provinsi", "propinsi": "Provinsi",
    "kec.": "Kecamatan", "kecamatan": "Kecamatan", "kel.": "Kelurahan", "kelurahan": "Kelurahan",
    "desa": "Desa", "ds.": "Desa",
}
LEVEL_HINTS = {
    "bupati": "kabupaten", "pemkab": "kabupaten", "wabup": "kabupaten", "dprd": None,
    "walikota": "kota", "wali": "kota", "pemkot": "kota", "wawali": "kota",
    "gubernur": "provinsi", "pemprov": "provinsi", "wagub": "provinsi", "camat": "kecamatan",
    "lurah": "kelurahan", "kades": "desa",
}
BROAD_FIRST = {"provinsi": 0, "kabupaten": 1, "kota": 2, "kecamatan": 3, "kelurahan": 4, "desa": 5}
FACILITY_AREA_LEVELS = ("provinsi", "kabupaten", "kota")
COMPARISON_REACH = 8  # tokens from "dari X" to its "menjadi Y"
MORTALITY = {"maternal_mortality", "infant_mortality", "neonatal_mortality", "under5_mortality",
             "child_mortality", "perinatal_mortality", "maternal_and_infant_mortality",
             "stillbirth"}


@dataclass
class Fact:
    """One reported value of an MCH indicator, anchored on its value span."""

    indicator: str
    value: float
    unit: str
    location: str | None
    location_code: str | None
    year: int | None
    kind: str
    text: str
    sentence: str
    start: int
    end: int
    confidence: float
    value_max: float | None = None
    qualifier: str | None = None
    location_level: str | None = None
    facility: str | None = None
    period: tuple[str | None, str | None] | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the public output shape)."""
        out = asdict(self)
        out["period"] = list(self.period) if self.period else None
        return out


@dataclass(frozen=True)
class _Conventions:
    """What the fact rules read from the packaged tables, derived once per process."""

    rate_units: dict[str, str | None]  # indicator -> its rate's unit
    abbreviations: dict[str, set[str]]  # "akb", "imr": single-word names of non-% rates
    share_words: tuple[tuple[str, ...], ...]
    comparison_from: frozenset[str]
    comparison_to: frozenset[str]


@functools.cache
def _conventions() -> _Conventions:
    indicators = resources.indicator_table()["indicators"]
    lexicon = resources.value_rules()
    return _Conventions(
        rate_units={r["code"]: r.get("rate_unit") for r in indicators},
        abbreviations={r["code"]: {a for a in r["aliases"] if " " not in a and len(a) <= 6}
                       for r in indicators if r.get("rate_unit") not in (None, PERCENT)},
        share_words=tuple(tuple(w.split()) for w in lexicon.get("share_words_after", [])),
        comparison_from=frozenset(lexicon.get("comparison_from", [])),
        comparison_to=frozenset(lexicon.get("comparison_to", [])),
    )


def _year_before(date: Span, sents: Sentences, published) -> int | None:
    """The year of the last dated expression before `date`, in its sentence or the one before."""
    floor = sents.starts[max(0, sents.index(date.start) - 1)]
    for ent in reversed(date.doc.ents):
        if ent.label_ != "DATE" or ent.end > date.start:
            continue
        if ent.start < floor:
            return None
        if anaphoric_year_offset(ent.text) is None:
            year = read_date(ent.text, published).year
            if year is not None:
                return year
    return None


class _UnitRules:
    """The unit and kind of a linked value, with the rate conventions of the guidelines."""

    def __init__(self, doc: Doc, sents: Sentences) -> None:
        self.doc = doc
        self.sents = sents
        conventions = _conventions()
        self.rate_units = conventions.rate_units
        self.abbreviations = conventions.abbreviations
        self.share_words = conventions.share_words
        self.partitive = conventions.comparison_from
        self._headers: dict | None = None

    def decide(self, value: Span, number, unit: str | None, indicator: str,
               indicator_link: tuple[Span, float] | None, attrs: dict) -> tuple[str, str] | None:
        """(unit, kind), or None when the value is a share of deaths rather than a fact."""
        kind = attrs.get("kind", "observed")
        if unit is None:
            unit = (self.rate_units.get(indicator) if value.label_ == "RATE" else COUNT) or COUNT
            # "AKI Provinsi Riau mencapai 158", a table under "AKI per provinsi": a bare
            # figure of a named rate is the rate
            if unit == COUNT and self._figure_of_rate(value, indicator, indicator_link):
                unit = self.rate_units[indicator]
        if unit == COUNT and number.value != int(number.value) and self.rate_units.get(indicator):
            unit = self.rate_units[indicator]  # "28,61 kematian bayi": a fraction is a rate
        if unit == PERCENT and indicator in MORTALITY and kind == "observed" and attrs.get(
                "change_cue"):
            kind = "change"  # "angka kematian bayi berkurang hingga 90 persen": not a level
        if unit == PERCENT and indicator in MORTALITY and kind != "change":
            # "AKB 15,69 persen": the rate with a misprinted unit; anything else is a share
            if not self._figure_of_rate(value, indicator, indicator_link) or self._share(
                    value, indicator_link[0]):
                return None
            unit = self.rate_units[indicator]
        return unit, kind

    def _figure_of_rate(self, value: Span, indicator: str,
                        indicator_link: tuple[Span, float] | None) -> bool:
        if indicator not in self.abbreviations or indicator_link is None:
            return False
        mention = indicator_link[0]
        if not _names_the_rate(mention, self.abbreviations[indicator]):
            return False
        return _governs(indicator_link, value, self.sents) or self._under_header(value, mention)

    def _under_header(self, value: Span, mention: Span) -> bool:
        """The value is a table row and the mention is in its header row."""
        if self._headers is None:
            self._headers = table_headers(self.doc, self.sents)
        row = self.sents.index(value.start)
        return self.sents.index(mention.start) in self._headers.get(row, ())

    def _share(self, value: Span, mention: Span) -> bool:
        """ "dari angka kematian bayi ..., 45 persen disebabkan BBLR" """
        doc = value.doc
        if mention.start > 0 and doc[mention.start - 1].lower_ in self.partitive:
            return True
        following = [t.lower_ for t in doc[value.end:value.end + 3]]
        return any(tuple(following[k:k + len(w)]) == w
                   for w in self.share_words for k in range(len(following)))


def _year_of(value: Span, date: Span, sents: Sentences, published
             ) -> tuple[int | None, tuple | None, bool]:
    """(year, period, read directly) of a value linked to a DATE span. Not read directly: a
    year counted from the one named before ("tahun sebelumnya") or a side of a comparison
    under a two-year period; such years are not carried to later undated figures."""
    reading = read_date(date.text, published)
    offset = anaphoric_year_offset(date.text)
    if offset:
        before = date.doc[date.start - 1] if date.start > 0 else None
        if before is not None and (before.like_num or before._.mch_num):
            return None, None, False  # "dua tahun sebelumnya" is not "tahun sebelumnya"
        anchor = _year_before(date, sents, published)
        if anchor is not None:  # "24,1 persen pada 2023, dari 29,8 persen tahun sebelumnya"
            year = anchor + offset
            return year, (str(year), str(year)), False
        return reading.year, _period(reading), False
    period = _period(reading)
    if reading.year is None and period is not None:
        return _comparison_year(value, period, sents), period, False
    return reading.year, period, reading.year is not None


def _period(reading: TimeReading) -> tuple | None:
    if reading.period_start or reading.period_end:
        return reading.period_start, reading.period_end
    return None


def _comparison_year(value: Span, period: tuple, sents: Sentences) -> int | None:
    """The year of one side of "dari 30% menjadi 24,6%" under a two-year period ("2021-2022"):
    the start year for the figure it changed from, the end year for the one it changed to."""
    start, end = (p[:4] if p else "" for p in period)
    if not (start.isdigit() and end.isdigit()) or int(end) - int(start) != 1:
        return None
    conventions = _conventions()
    from_words, to_words = conventions.comparison_from, conventions.comparison_to
    doc = value.doc
    before = [t.lower_ for t in doc[max(0, value.start - 3):value.start] if not t.is_punct]
    after = doc[value.end].lower_ if value.end < len(doc) else ""
    if before and before[-1] in to_words:
        return int(end)
    # "dari 30% menjadi 24,6%", "(29,5% menjadi 34,6%)"; not the partitive "dari 30 kasus
    # kematian bayi, 12 kasus disebabkan asfiksia"
    sent_end = sents.ends[sents.index(value.start)]
    ahead = {t.lower_ for t in doc[value.end:min(sent_end, value.end + COMPARISON_REACH)]}
    if (before and before[-1] in from_words and ahead & to_words) or after in to_words:
        return int(start)
    return None


def _governs(indicator_link: tuple[Span, float] | None, value: Span, sents: Sentences) -> bool:
    """The indicator mention heads the value's clause: before it in its sentence, with no
    other figure in between ("AKB 15,69 persen"; not "... anemia 48 persen" two sentences
    after an "angka kematian ibu")."""
    if indicator_link is None:
        return False
    mention = indicator_link[0]
    if mention.end > value.start or sents.index(mention.start) != sents.index(value.start):
        return False
    return not any(e.label_ in ("COUNT", "RATE") and mention.end <= e.start < value.start
                   for e in value.doc.ents)


def _names_the_rate(mention: Span, abbreviations: set[str]) -> bool:
    """True when an indicator mention names the rate ("angka kematian bayi", "AKB") rather
    than the deaths ("kematian bayi"): a percentage printed after it is the rate misprinted,
    while a percentage of deaths is a breakdown by cause, place or phase."""
    words = mention.text.lower().split()
    return bool(words) and (words[0] == "angka" or words[-1] == "rate"
                            or (len(words) == 1 and words[0] in abbreviations))


def _resolve_area(span: Span, context: list) -> tuple[str | None, str | None, str | None, str | None]:
    """(name, code, level, warning) of a LOCATION span, resolved against the gazetteer with
    the areas already resolved in the document as context."""
    from ..knowledge.places import Gazetteer

    if span.ent_id_ == "ID":
        return "Indonesia", None, "negara", None
    if span.ent_id_ == "WORLD":
        return "Dunia", None, "dunia", None
    hint = LEVEL_HINTS.get(span.doc[span.start - 1].lower_) if span.start > 0 else None
    gazetteer = Gazetteer.load()
    resolution = gazetteer.resolve(span.text, level_hint=hint, context=context)
    area, warning = resolution.area, None
    if area is None and resolution.ambiguous:
        # reported, not silent: the broadest reading, with the candidates in a warning
        area = min(resolution.candidates, key=lambda a: BROAD_FIRST.get(a.level, 9))
        warning = (f"ambiguous location {span.text!r}: "
                   + ", ".join(f"{a.name} ({a.code})" for a in resolution.candidates[:5]))
    if area is not None:
        context.append(area)
        return area.name, area.code, area.level, warning
    words = span.text.split()
    if words and words[0].lower() in LEVEL_EXPANSIONS:
        return " ".join([LEVEL_EXPANSIONS[words[0].lower()]] + words[1:]), None, None, None
    return span.text, None, None, None


def _facility_area(span: Span, context: list) -> tuple[str | None, str | None, str | None]:
    """(name, code, level) of the area a facility mention belongs to."""
    from ..knowledge.places import Gazetteer

    gazetteer = Gazetteer.load()
    area = gazetteer.facility_area(span.text, context)
    # a puskesmas is named after its village or district, but its figures are the
    # kabupaten's or kota's: only an area of that level written inside ("RSUD Kabupaten
    # Buleleng") beats the areas the text named before it, whose kabupaten/kota is taken
    if area is None or area.level not in FACILITY_AREA_LEVELS:
        regencies = (_regency_of(named, gazetteer) for named in reversed(context))
        area = next((regency for regency in regencies if regency is not None), None)
    if area is None:
        return None, None, None
    return area.name, area.code, area.level


def _regency_of(area: Area, gazetteer: Gazetteer) -> Area | None:
    """The area itself at provinsi/kabupaten/kota level, else its kabupaten/kota (code "53.01"
    of "53.01.02.2001")."""
    if area.level in FACILITY_AREA_LEVELS:
        return area
    return gazetteer.get(area.code[:5]) if len(area.code) >= 5 else None


def _published(doc: Doc) -> dt.date | None:
    published = coerce_published(doc._.published)
    if published is not None:
        return published
    # detect_published reads the first 1,500 characters: do not rebuild the whole text for it
    end = int(numpy.searchsorted(doc.to_array(IDX), 1500)) if len(doc) else 0
    return detect_published(doc[:end].text)


def doc_facts(doc: Doc) -> list[Fact]:
    """Derive the facts of a processed Doc from its value entities and `doc._.rel` links."""
    rel = doc._.rel or {}
    if not rel and not doc.ents:
        return []
    ents_by_start = {e.start: e for e in doc.ents}
    links: dict[int, dict[str, tuple[Span, float]]] = {}
    for (head, tail), scores in rel.items():
        target = ents_by_start.get(tail)
        if target is None:
            continue
        for label, score in scores.items():
            current = links.setdefault(head, {}).get(label)
            if current is None or score > current[1]:
                links[head][label] = (target, score)
    published = _published(doc)
    registry = IndicatorRegistry.load()
    area_context: list = []
    default = document_area(doc)
    if default is not None:
        _resolve_area(default, area_context)
    inherited = doc._.inherited_context or {}
    sents = Sentences(doc)
    units = _UnitRules(doc, sents)
    last_year: dict[str, int] = {}  # per indicator, the year of its latest dated figure
    facts = []
    for value in doc.ents:
        if value.label_ not in ("COUNT", "RATE"):
            continue
        attrs = (doc._.value_attrs or {}).get(value.start, {})
        value_links = links.get(value.start, {})
        indicator_link = value_links.get("indicator")
        indicator = indicator_link[0].ent_id_ if indicator_link else attrs.get("indicator")
        if not indicator:
            continue
        number, unit = read_value([t.text for t in value])
        if number is None:
            continue
        if unit is None and "unit" in value_links:
            _, unit = read_value([t.text for t in value_links["unit"][0]])
        decided = units.decide(value, number, unit, indicator, indicator_link, attrs)
        if decided is None:
            continue  # shares of deaths (by cause, place, phase) are not indicator values
        unit, kind = decided
        location = code = level = warning = facility = None
        if "location" in value_links and value_links["location"][0].ent_id_ == "facility":
            facility = value_links["location"][0].text  # "Puskesmas Daruba 1 kasus"
            location, code, level = _facility_area(value_links["location"][0], area_context)
        elif "location" in value_links:
            location, code, level, warning = _resolve_area(value_links["location"][0],
                                                           area_context)
        elif inherited.get("area"):
            location = inherited["area"]
            code = inherited.get("area_code")
        year, period, year_read_directly = None, None, False
        if "date" in value_links:
            year, period, year_read_directly = _year_of(value, value_links["date"][0], sents,
                                                        published)
        elif inherited.get("year"):
            year = inherited["year"]
        elif kind != "target":
            # a run of figures of one indicator under a period stated once ("Adapun kematian
            # bayi ... 302 orang, yakni Samarinda 68 bayi, ...")
            year = last_year.get(indicator)
        if year_read_directly and kind != "target":
            last_year[indicator] = year
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
                text=value.text,
                sentence=sents.span(value.start).text.strip(),
                start=value.start_char,
                end=value.end_char,
                confidence=round(confidence, 3),
                value_max=number.value_max,
                qualifier=attrs.get("qualifier") or number.qualifier,
                location_level=level,
                facility=facility,
                period=period,
                warnings=[w for w in (warning, registry.check(indicator, number.value, unit)) if w],
            )
        )
    return facts
