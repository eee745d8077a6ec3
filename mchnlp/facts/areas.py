"""The area of a value from its linked LOCATION: gazetteer resolution with level hints and
the areas already named, and the kabupaten/kota of a health facility."""


from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span

from ..structure.memo import per_doc
from ..structure.tables import column_header, grid_tables, row_labels

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


LISTED_LEVELS = {"kecamatan": "kecamatan", "desa": "desa"}  # entity id -> level hint
# "Secara provinsi, prevalensi stunting Gorontalo ...": the level a bare name is read at
SCOPE_WORDS = {"secara", "tingkat", "level", "skala"}
SCOPE_LEVELS = {"provinsi": "provinsi", "kabupaten": "kabupaten", "kota": "kota"}
SCOPE_REACH = 8  # words before a name searched for such a phrase, within its sentence
ROW_LEVEL_WORDS = {"kabupaten", "kab", "kabupaten/kota", "kab/kota"}  # a label column's header


BROAD_FIRST = {"provinsi": 0, "kabupaten": 1, "kota": 2, "kecamatan": 3, "kelurahan": 4, "desa": 5}


FACILITY_AREA_LEVELS = ("provinsi", "kabupaten", "kota")


def _resolve_area(span: Span, context: list) -> tuple[str | None, str | None, str | None, str | None]:
    """(name, code, level, warning) of a LOCATION span, resolved against the gazetteer with
    the areas already resolved in the document as context."""
    coded = _coded_area(span)
    if coded is not None:
        return _take(coded, context)
    return _take(_resolve_mention(span.text, _level_hint(span), context), context)


class DocumentAreas:
    """`_resolve_area` over the LOCATION mentions of one document, with `context` as the
    areas resolved so far: a mention text is resolved once per state of the context.

    A resolution depends on the context only through the set of areas in it (the gazetteer
    narrows same-named candidates by membership tests), and the context only grows, so the
    number of distinct areas in it names its state. The context gets the same areas, in the
    same order, as with `_resolve_area` (a facility's area reads it backwards)."""

    def __init__(self, context: list) -> None:
        self.context = context
        self._distinct: set = set()
        self._seen = 0  # the context's areas already in `_distinct`
        self._answers: dict[tuple, tuple] = {}

    def resolve(self, span: Span) -> tuple[str | None, str | None, str | None, str | None]:
        coded = _coded_area(span)
        if coded is not None:
            return _take(coded, self.context)
        self._distinct.update(self.context[self._seen:])
        self._seen = len(self.context)
        text, hint = span.text, _level_hint(span)
        key = (text, hint, len(self._distinct))
        if key not in self._answers:
            self._answers[key] = _resolve_mention(text, hint, self.context)
        return _take(self._answers[key], self.context)


_Answer = tuple[tuple[str | None, str | None, str | None, str | None], "Area | None"]


def _level_hint(span: Span) -> str | None:
    doc = span.doc
    hint = LEVEL_HINTS.get(doc[span.start - 1].lower_) if span.start > 0 else None
    # a kecamatan or desa a list names bare ("Kecamatan Cibeber (312), Cidaun (250)")
    return (hint or LISTED_LEVELS.get(span.ent_id_) or _scope_level(doc, span.start)
            or row_label_levels(doc).get(span.start))


@per_doc
def row_label_levels(doc) -> dict[int, str]:
    """Row label start -> the level its column's header names, for the labels of a grid table
    headed "Kabupaten/Kota": a bare name there is a kabupaten's (its kota are written "Kota X";
    "Gorontalo" in a table of Provinsi Gorontalo is Kabupaten Gorontalo)."""
    out: dict[int, str] = {}
    for table in grid_tables(doc):
        for row in table["body"]:
            labels = row_labels(doc, row)[:1]
            if not labels or list(labels[0]) not in row:
                continue
            header = column_header(table, row, row.index(list(labels[0])))
            if header and doc[header[0][0]].lower_.rstrip(".") in ROW_LEVEL_WORDS:
                out[labels[0][0]] = "kabupaten"
    return out


def _scope_level(doc, start: int) -> str | None:
    """The level a "secara provinsi" / "di tingkat kabupaten" shortly before a bare name in its
    sentence gives it."""
    for k in range(start - 1, max(0, start - SCOPE_REACH) - 1, -1):
        if k > 0 and doc[k].lower_ in SCOPE_LEVELS and doc[k - 1].lower_ in SCOPE_WORDS:
            return SCOPE_LEVELS[doc[k].lower_]
        if doc[k].is_sent_start:
            break
    return None


def _coded_area(span: Span) -> _Answer | None:
    """The answer for a span whose entity id names its area: the country, the world, or a
    Kemendagri code (a misspelled name matched by mch_area_typos); None for the others."""
    from ..knowledge.places import Gazetteer

    ent_id = span.ent_id_  # a string-store lookup per access
    if ent_id == "ID":
        return ("Indonesia", None, "negara", None), None
    if ent_id == "WORLD":
        return ("Dunia", None, "dunia", None), None
    coded = Gazetteer.load().get(ent_id) if ent_id[:1].isdigit() else None
    if coded is None:
        return None
    return (coded.name, coded.code, coded.level, None), coded


def _take(answer: _Answer, context: list) -> tuple[str | None, str | None, str | None, str | None]:
    """The answer's (name, code, level, warning), its area added to the context."""
    result, area = answer
    if area is not None:
        context.append(area)
    return result


def _resolve_mention(text: str, hint: str | None, context: list) -> _Answer:
    from ..knowledge.places import Gazetteer

    resolution = Gazetteer.load().resolve(text, level_hint=hint, context=context)
    area, warning = resolution.area, None
    if area is None and resolution.ambiguous:
        # reported, not silent: the broadest reading, with the candidates in a warning
        area = min(resolution.candidates, key=lambda a: BROAD_FIRST.get(a.level, 9))
        warning = (f"ambiguous location {text!r}: "
                   + ", ".join(f"{a.name} ({a.code})" for a in resolution.candidates[:5]))
    if area is not None:
        return (area.name, area.code, area.level, warning), area
    words = text.split()
    if words and words[0].lower() in LEVEL_EXPANSIONS:
        return (" ".join([LEVEL_EXPANSIONS[words[0].lower()]] + words[1:]), None, None, None), None
    return (text, None, None, None), None


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
