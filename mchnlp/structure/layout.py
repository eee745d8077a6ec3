"""Document structure the linkers share: title, dateline, paragraphs and the document's area.

News pages carry a title (often the only place the area is named), a dateline ("SERANG,
BANPOS –", "Kupang (ANTARA) -") naming where the story was filed, and page debris. These
helpers find them from the text layout, independent of any one source.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator

import numpy
from spacy.attrs import ENT_ID, ENT_IOB, ENT_TYPE, SENT_START
from spacy.tokens import Doc, Span

_BREADCRUMB = re.compile(r"^\s*\w[\w ]*(\s*/\s*\w[\w ]*){1,}\s*$")
_DATE_LINE = re.compile(
    r"^\s*(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)?,?\s*\d{1,2}[\s/-]", re.I
)
_DATELINE = re.compile(r"^\s*[A-Z][A-Za-z .]{1,40}?(\s*\([A-Za-z .]+\))?\s*[,–—-]")
LEVEL_PREFIXES = ("kabupaten", "kab.", "kab", "kota", "provinsi", "prov.", "prov", "propinsi",
                  "kecamatan", "kec.", "kelurahan", "kel.", "desa", "ds.")
SPECIFICITY = {"desa": 4, "kelurahan": 4, "ds.": 4, "kel.": 4, "kecamatan": 3, "kec.": 3,
               "kabupaten": 2, "kab.": 2, "kab": 2, "kota": 2, "provinsi": 0, "prov.": 0,
               "prov": 0, "propinsi": 0}


def title_range(text: str) -> tuple[int, int] | None:
    """Character range of the headline, if the text starts with one.

    The headline is the first of the leading short lines that reads like a sentence without
    a final period: breadcrumbs ("Home / Daerah"), date lines and rubric words are skipped.
    """
    return _title_range(text.split("\n"))


def _title_range(lines: Iterable[str]) -> tuple[int, int] | None:
    offset = 0
    for line_no, line in enumerate(lines):
        start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if line_no > 12:
            return None
        words = stripped.split()
        if _BREADCRUMB.match(stripped) or _DATE_LINE.match(stripped) or len(words) < 4:
            continue
        if len(words) > 30 or stripped.endswith((".", '"', "”")):
            return None
        lead = start + len(line) - len(line.lstrip())
        return lead, lead + len(stripped)
    return None


def is_dateline(span: Span) -> bool:
    """A location at the very start of a body line followed by "," "(" or a dash."""
    doc = span.doc
    if span.start > 0:
        prev = doc[span.start - 1]
        if not ("\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)):
            return False
    return span.end < len(doc) and doc[span.end].text[:1] in ("(", ",", "-", "–", "—", ":")


TARGET_CUE_WINDOW = 6


def in_target_phrase(date: Span, target_cues: set[str]) -> bool:
    """A period named in a target ("mengejar target penurunan stunting pada 2024"): the year
    of the target, not of the observed figures around it."""
    doc = date.doc
    for i in range(date.start, max(0, date.start - TARGET_CUE_WINDOW), -1):
        if doc[i].is_sent_start:  # not into the sentence before (Span.sent scans the doc)
            return False
        if doc[i - 1].lower_ in target_cues:
            return True
    return False


def area_key(span: Span) -> str:
    """A mention's name without its level word: groups "Kabupaten Kupang" and "Kupang"."""
    words = span.text.lower().split()
    while words and words[0] in LEVEL_PREFIXES:
        words = words[1:]
    return " ".join(words)


def specificity(span: Span) -> int:
    first = span.text.lower().split()[0] if span.text else ""
    return SPECIFICITY.get(first, 1)


def doc_title_range(doc: Doc) -> tuple[int, int] | None:
    """`title_range` of a Doc, computed once per Doc (`doc.text` is rebuilt on each access)."""
    key = "mchnlp.title_range"
    if key not in doc.user_data:
        doc.user_data[key] = _title_range(_lines(doc))
    return doc.user_data[key]


def _lines(doc: Doc) -> Iterator[str]:
    """The text's lines, built from the tokens as far as they are read: the headline search
    stops at the first lines, and `doc.text` would rebuild the whole document."""
    line: list[str] = []
    for token in doc:
        pieces = token.text_with_ws.split("\n")
        line.append(pieces[0])
        for piece in pieces[1:]:
            yield "".join(line)
            line = [piece]
    yield "".join(line)


def in_title(span: Span) -> bool:
    rng = doc_title_range(span.doc)
    return rng is not None and rng[0] <= span.start_char < rng[1]


def document_area(doc: Doc) -> Span | None:
    """The area the document is about: the LOCATION most weighted by title, lead and repetition.

    Title mentions count 3, mentions in the first body paragraph 2, others 1; datelines,
    facilities and the national level do not count. Among equal weights the more specific
    area wins ("Kelurahan Antirogo" over "Jember").
    """
    # the linker, its rule features and the facts all ask; the answer only changes with the
    # entities, so it is kept per Doc under a checksum of their token annotation (building
    # `doc.ents` to compare them would cost what the cache saves)
    key = zlib.crc32(doc.to_array([ENT_IOB, ENT_TYPE, ENT_ID]).tobytes())
    cached = doc.user_data.get("mchnlp.document_area")
    if cached is not None and cached[0] == key:
        if cached[1] is None:
            return None
        start, end, area_id = cached[1:]
        return Span(doc, start, end, label="LOCATION", span_id=area_id)
    area = _document_area(doc)
    doc.user_data["mchnlp.document_area"] = (
        (key, area.start, area.end, area.ent_id_) if area is not None else (key, None))
    return area


def _paragraph_end(doc: Doc, i: int) -> int:
    """Character offset of the line break that ends the paragraph of token `i`."""
    for token in doc[i:]:
        if token.is_space and "\n" in token.text:
            return token.idx + token.text.index("\n")
        if "\n" in token.whitespace_:
            return token.idx + len(token.text) + token.whitespace_.index("\n")
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def _document_area(doc: Doc) -> Span | None:
    title = doc_title_range(doc)
    weights: dict[str, float] = defaultdict(float)
    best_mention: dict[str, Span] = {}
    first_para_end = None
    for ent in doc.ents:
        if ent.label_ != "LOCATION" or ent.ent_id_ in ("ID", "WORLD", "facility") or is_dateline(ent):
            continue
        if title and title[0] <= ent.start_char < title[1]:
            weight = 3.0
        else:
            if first_para_end is None:
                first_para_end = _paragraph_end(doc, ent.start)
            weight = 2.0 if ent.start_char <= first_para_end else 1.0
        # "Provinsi Gorontalo" and "Kota Gorontalo" are different areas; a bare "Gorontalo"
        # counts for whichever of them the document names most
        key = (ent.text.lower().split()[0] if specificity(ent) != 1 else "", area_key(ent))
        weights[key] += weight
        best_mention.setdefault(key, ent)
    if not weights:
        return None
    for level, name in [k for k in weights if k[0] == ""]:
        leveled = [k for k in weights if k[1] == name and k[0]]
        if leveled:
            target = max(leveled, key=lambda k: weights[k])
            weights[target] += weights.pop((level, name))
    key = max(weights, key=lambda k: (weights[k], specificity(best_mention[k])))
    return best_mention[key]


def title_date(doc: Doc) -> Span | None:
    """The first DATE in the headline, if any."""
    title = doc_title_range(doc)
    if title is None:
        return None
    for ent in doc.ents:
        if ent.label_ == "DATE" and title[0] <= ent.start_char < title[1]:
            return ent
    return None


class Sentences:
    """Sentence lookup by token index in O(log n); `Span.sent` rescans the Doc on every call."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        if len(doc) and doc.has_annotation("SENT_START"):
            # from the array: iterating doc.sents builds a Token object per token
            flags = doc.to_array([SENT_START]).reshape(-1).astype("int64")
            self.starts = [0] + [int(i) for i in numpy.flatnonzero(flags == 1) if i > 0]
        else:  # no boundaries set (e.g. a bare reference Doc): one sentence
            self.starts = [0]
        self.ends = self.starts[1:] + [len(doc)]
        self.paragraph = []
        para = 0
        for k, start in enumerate(self.starts):
            if k and start > 0:
                last = doc[start - 1]
                if "\n" in last.text or "\n" in last.whitespace_:
                    para += 1
            self.paragraph.append(para)

    def index(self, i: int) -> int:
        return bisect_right(self.starts, i) - 1

    def start(self, i: int) -> int:
        return self.starts[self.index(i)]

    def span(self, i: int) -> Span:
        k = self.index(i)
        return self.doc[self.starts[k] : self.ends[k]]


# "Kab. Kudus: 119,5", "| Kota Tegal | 73,7 |", "3. Kab. Demak\t86,7 %", "Brebes 35 kasus"
_TABLE_ROW = re.compile(
    r"^\s*(?:\d{1,3}[.)]\s+)?\|?\s*[^\d\n|:]{2,80}?\s*(?:[:|\t=]|\s)\s*\(?[\d.,]+\)?\s*"
    r"(?:%|persen|kasus|orang|jiwa)?\s*\|?\s*$"
)


_ENDS_IN_YEAR = re.compile(r"(?<![\d.,])(19|20)\d\d\s*\|?\s*$")


def table_headers(doc: Doc, sents: Sentences, max_header_lines: int = 3) -> dict[int, list[int]]:
    """For each row of a table ("Kab. Kudus: 119,5" lines, two or more in a block), the
    sentences above the block that name what the table holds (nearest first)."""
    rows = []
    for k, start in enumerate(sents.starts):
        text = doc[start : sents.ends[k]].text
        match = _TABLE_ROW.match(text)
        # a line that ends in a year is a heading ("... SSGI 2022"), not a row
        rows.append(bool(match) and not _ENDS_IN_YEAR.search(text))
    headers: dict[int, list[int]] = {}
    k = 0
    while k < len(rows):
        if not rows[k]:
            k += 1
            continue
        end = k
        while end < len(rows) and rows[end]:
            end += 1
        if end - k >= 2:
            above = [j for j in range(k - 1, max(-1, k - 1 - max_header_lines), -1)]
            for row in range(k, end):
                headers[row] = above
        k = end
    return headers
