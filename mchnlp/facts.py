"""`Fact` and the derivation of facts from a Doc's entities and links (`doc._.facts`).

The links in `doc._.rel` are the stored truth; facts are a view recomputed on access, so they
never disagree with the links. A value becomes a fact when it has an indicator and a unit
that the indicator admits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from . import resources
from .context import Sentences, document_area
from .dates import coerce_published, detect_published, read_date
from .indicators import IndicatorRegistry
from .units import COUNT, PERCENT, read_value

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
    period: tuple[str | None, str | None] | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the public output shape)."""
        out = asdict(self)
        out["period"] = list(self.period) if self.period else None
        return out


def _indicator_rate_units() -> dict[str, str | None]:
    return {r["code"]: r.get("rate_unit") for r in resources.indicator_table()["indicators"]}


def _resolve_area(span: Span, context: list) -> tuple[str | None, str | None, str | None, str | None]:
    """(name, code, level, warning) of a LOCATION span, resolved against the gazetteer with
    the areas already resolved in the document as context."""
    from .places import Gazetteer

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


def _published(doc: Doc) -> dt.date | None:
    published = coerce_published(doc._.published)
    return published if published is not None else detect_published(doc.text)


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
    rate_units = _indicator_rate_units()
    registry = IndicatorRegistry.load()
    area_context: list = []
    default = document_area(doc)
    if default is not None:
        _resolve_area(default, area_context)
    inherited = doc._.inherited_context or {}
    sents = Sentences(doc)
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
        if unit is None:
            unit = rate_units.get(indicator) if value.label_ == "RATE" else COUNT
            unit = unit or COUNT
        if unit == COUNT and number.value != int(number.value) and rate_units.get(indicator):
            unit = rate_units[indicator]  # "28,61 kematian bayi": a fraction is a rate
        kind = attrs.get("kind", "observed")
        if unit == PERCENT and indicator in MORTALITY and kind != "change":
            continue  # shares of deaths (by cause, place, phase) are not indicator values
        location = code = level = warning = None
        if "location" in value_links:
            location, code, level, warning = _resolve_area(value_links["location"][0],
                                                           area_context)
        elif inherited.get("area"):
            location = inherited["area"]
            code = inherited.get("area_code")
        year, period = None, None
        if "date" in value_links:
            reading = read_date(value_links["date"][0].text, published)
            year = reading.year
            if reading.period_start or reading.period_end:
                period = (reading.period_start, reading.period_end)
        elif inherited.get("year"):
            year = inherited["year"]
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
                period=period,
                warnings=[w for w in (warning, registry.check(indicator, number.value, unit)) if w],
            )
        )
    return facts
