"""Lists under a heading line: "Target tahun 2024:" over "- kematian ibu maksimal 8 kasus;" and
"- cakupan IDL 90 %.", "Capaian tahun 2023:" over "1. Stunting 21,3 persen". The heading says
what its items' figures are (a target) and when, for items that do not say it themselves.

Each line is a sentence (`mch_paragraph_breaks`); an item line opens with a bullet or an item
number, and its heading is the first line above its run of items, ending with a colon.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ..knowledge.dates import anaphoric_year_offset
from .areas import anaphor_areas
from .layout import Sentences
from .memo import entities, per_doc, sentences
from .scope import area_role, introduced_by_comparison

HEADING_ITEMS = 12  # item lines read back to their heading
# "data yang sama", "periode yang sama": a heading whose figures are of the data named before
SAME_SOURCE_NOUNS = frozenset({"data", "periode", "survei", "sumber", "pendataan",
                               "pengukuran"})
# "4.1", "3.2.1": groups of one or two digits, which no Indonesian number has after its point
_SECTION_NUMBER = re.compile(r"^\d{1,2}(\.\d{1,2})+\.?$")
BULLETS = frozenset({"-", "–", "•", "*", "·", "▪", "◦"})
_ITEM_NUMBER = re.compile(r"^(\d{1,2}|[a-z])[.)]?$")


def item_body(doc: Doc, sents: Sentences, sent: int) -> int | None:
    """The first token after the bullet or the number of the line `sent`, if it is an item."""
    k, end = sents.starts[sent], sents.ends[sent]
    while k < end and doc[k].is_space:
        k += 1
    if k < end and doc[k].text in BULLETS:
        return k + 1
    text = doc[k].lower_ if k < end else ""
    if k + 1 < end and _ITEM_NUMBER.match(text):
        if text[-1] in ".)":
            return k + 1
        if doc[k + 1].text in (".", ")"):
            return k + 2
    return None


def is_section_number(doc: Doc, i: int) -> bool:
    """The token at `i` numbers a section at the head of its line ("4.1 Kematian Ibu dan
    Bayi", "3.2 Status Gizi"): no figure."""
    return bool(_SECTION_NUMBER.match(doc[i].text)) and (
        i == 0 or "\n" in doc[i - 1].text or "\n" in doc[i - 1].whitespace_) and (
        i + 1 < len(doc) and doc[i + 1].is_title)


def list_heading(doc: Doc, sents: Sentences, sent: int) -> int | None:
    """The heading line of the list whose item is the line `sent`: the first line above the
    run of items, when it ends with a colon."""
    if item_body(doc, sents, sent) is None:
        return None
    for heading in range(sent - 1, max(-1, sent - 1 - HEADING_ITEMS), -1):
        if item_body(doc, sents, heading) is not None:
            continue
        line = [t for t in doc[sents.starts[heading]:sents.ends[heading]] if not t.is_space]
        return heading if line and line[-1].text == ":" else None
    return None


@per_doc  # asked by both linkers
def heading_dates(doc: Doc) -> dict[int, Span]:
    """Value start -> the period of the heading over its item, for the figures of items that
    name no period of their own."""
    ents = entities(doc)
    sents = sentences(doc)
    out: dict[int, Span] = {}
    for value, heading in _headed_values(doc, "DATE"):
        dates = [e for e in ents if e.label_ == "DATE"
                 and sents.starts[heading] <= e.start < sents.ends[heading]]
        if not dates and _points_back(doc, sents.starts[heading], sents.ends[heading]):
            # "Lima kecamatan tertinggi menurut data yang sama:": the data named before it
            dates = [e for e in ents if e.label_ == "DATE" and e.end <= sents.starts[heading]
                     and not introduced_by_comparison(e)
                     and anaphoric_year_offset(e.text) is None][-1:]
        if dates:
            out[value.start] = dates[-1]
    return out


@per_doc  # asked by both linkers
def heading_areas(doc: Doc) -> dict[int, Span]:
    """Value start -> the area of the heading over its item ("Adapun tren prevalensi stunting
    Kabupaten Garut:", "... tingkat provinsi:"), for the figures of items that name no area
    of their own: the one area the heading names, or the one it points back to."""
    sents = sentences(doc)
    places = [e for e in entities(doc) if e.label_ == "LOCATION"]
    out: dict[int, Span] = {}
    headed = _headed_values(doc, "LOCATION")
    pointed = anaphor_areas(doc) if headed else {}
    for value, heading in headed:
        named = [e for e in places if sents.starts[heading] <= e.start < sents.ends[heading]]
        if len(named) == 1 and area_role(named[0]) is None:
            out[value.start] = named[0]
        elif not named and heading in pointed:
            out[value.start] = pointed[heading]
    return out


def _headed_values(doc: Doc, label: str) -> list[tuple[Span, int]]:
    """(value, its heading line) for the figures of list items that hold no entity of
    `label` of their own."""
    ents = entities(doc)
    values = [e for e in ents if e.label_ in ("COUNT", "RATE")]
    if not values:
        return []
    sents = sentences(doc)
    own = {sents.index(e.start) for e in ents if e.label_ == label}
    headed = []
    for value in values:
        sent = sents.index(value.start)
        heading = list_heading(doc, sents, sent) if sent not in own else None
        if heading is not None:
            headed.append((value, heading))
    return headed


def _points_back(doc: Doc, start: int, end: int) -> bool:
    """The heading in `start`..`end` says its data are those named before ("menurut data yang
    sama", "pada periode yang sama")."""
    return any(doc[i].lower_ == "yang" and doc[i + 1].lower_ == "sama"
               and doc[i - 1].lower_ in SAME_SOURCE_NOUNS for i in range(start + 1, end - 1))
