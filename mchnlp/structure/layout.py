"""Text layout: title, dateline, lines, paragraphs and sentences (by token index).

News pages carry a title (often the only place the area is named), a dateline ("SERANG,
BANPOS –", "Kupang (ANTARA) -") naming where the story was filed, and page debris. These
helpers find them from the text layout, independent of any one source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

_BREADCRUMB = re.compile(r"^\s*\w[\w ]*(\s*/\s*\w[\w ]*){1,}\s*$")
_DATE_LINE = re.compile(
    r"^\s*(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu)?,?\s*\d{1,2}"
    r"([/-]\d|\s+(jan|feb|mar|apr|mei|jun|jul|agu|ags|sep|okt|nov|des))", re.I
)  # a date line, not a headline that opens with a figure ("26 Bayi Meninggal di ...")
_DATELINE = re.compile(r"^\s*[A-Z][A-Za-z .]{1,40}?(\s*\([A-Za-z .]+\))?\s*[,–—-]")


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
    """A location at the very start of a body line followed by "," "(" or a dash, or the
    province after it before the dash ("KUPANG, NTT -")."""
    doc = span.doc
    if span.start > 1 and doc[span.start - 1].text == "," and span.end < len(doc) and (
            doc[span.end].text in ("-", "–", "—")):
        before = doc[span.start - 2]  # the last token of the city's name, before the comma
        if before.ent_type_ == "LOCATION":
            return is_dateline(next(e for e in doc.ents if e.start <= before.i < e.end))
    if span.start > 0:
        prev = doc[span.start - 1]
        if not ("\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)):
            return False
    if span.end >= len(doc):
        return False
    after = doc[span.end].text[:1]
    # "Kec. Tinangkung: AKB 4 kasus" labels a line of a list; "AMBON: ..." is a dateline
    return after in ("(", ",", "-", "–", "—") or (after == ":" and span.text.isupper())


DATELINE_REACH = 8  # tokens from a body line's start to a date in its dateline


def in_dateline(span: Span) -> bool:
    """A span inside a dateline, the head of a body line before its dash: the date of
    "SOE, KOMPAS.com (14/2/2024) - ..." or "Jakarta, Kamis 15 Februari 2024 – ..."."""
    doc = span.doc
    after = span.end + (span.end < len(doc) and doc[span.end].text == ")")
    if after >= len(doc) or doc[after].text not in ("-", "–", "—"):
        return False
    start = span.start
    while start > 0 and span.start - start <= DATELINE_REACH:
        prev = doc[start - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            break
        start -= 1
    else:
        if start > 0:
            return False
    head = doc[start:span.start]
    return (len(head) > 0 and head[0].text[:1].isupper()
            and any(t.text in (",", "(") for t in head))



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



def _paragraph_end(doc: Doc, i: int) -> int:
    """Character offset of the line break that ends the paragraph of token `i`."""
    for token in doc[i:]:
        if token.is_space and "\n" in token.text:
            return token.idx + token.text.index("\n")
        if "\n" in token.whitespace_:
            return token.idx + len(token.text) + token.whitespace_.index("\n")
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0




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


