"""Tables written as text: rows of "name: value" lines under their header lines."""


from __future__ import annotations

import re

from spacy.tokens import Doc

from .layout import Sentences

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
