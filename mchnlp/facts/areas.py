"""The area of a value from its linked LOCATION: gazetteer resolution with level hints and
the areas already named, and the kabupaten/kota of a health facility."""


from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span

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
    coded = gazetteer.get(span.ent_id_) if span.ent_id_[:1].isdigit() else None
    if coded is not None:  # a misspelled name matched by mch_area_typos
        context.append(coded)
        return coded.name, coded.code, coded.level, None
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
