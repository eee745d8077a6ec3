"""Tables written as text: rows of "name: value" lines under their header lines."""


from __future__ import annotations

import re
from itertools import accumulate

import numpy
from spacy.attrs import IS_ALPHA, IS_SPACE, LENGTH, ORTH
from spacy.tokens import Doc

from .layout import Sentences
from .memo import per_doc

# "Kab. Kudus: 119,5", "| Kota Tegal | 73,7 |", "3. Kab. Demak\t86,7 %", "Brebes 35 kasus"
_TABLE_ROW = re.compile(
    r"^\s*(?:\d{1,3}[.)]\s+)?\|?\s*[^\d\n|:]{2,80}?\s*(?:[:|\t=]|\s)\s*\(?[\d.,]+\)?\s*"
    r"(?:%|persen|kasus|orang|jiwa)?\s*\|?\s*$"
)


_ENDS_IN_YEAR = re.compile(r"(?<![\d.,])(19|20)\d\d\s*\|?\s*$")
# A line `_TABLE_ROW` matches holds at most 92 characters that are neither whitespace, digits,
# "." nor ",": item number 1, "|" 1, name 80, separator 1, brackets 2, unit word 6, "|" 1 (the
# number is digits, "." and ","). Letters are such characters, so a sentence whose alphabetic
# tokens hold more letters than that is no row, and its text is never built.
ROW_MAX_LETTERS = 92
# spaces, beyond the one a token keeps as its own whitespace, that part two columns: three in all
COLUMN_GAP = 2


def table_headers(doc: Doc, sents: Sentences, max_header_lines: int = 3) -> dict[int, list[int]]:
    """For each row of a table ("Kab. Kudus: 119,5" lines, two or more in a block), the
    sentences above the block that name what the table holds (nearest first)."""
    rows = []
    alpha = doc.to_array([IS_ALPHA, LENGTH]).reshape(-1, 2)
    letters_before = [0, *accumulate((alpha[:, 0] * alpha[:, 1]).tolist())]
    for k, start in enumerate(sents.starts):
        end = sents.ends[k]
        if letters_before[end] - letters_before[start] > ROW_MAX_LETTERS:
            rows.append(False)
            continue
        text = doc[start:end].text
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


# -- grid tables: rows of cells separated by "|" or tabs ---------------------------------------
_YEAR = re.compile(r"^(19|20)\d\d$")
_ITEM_NUMBER = re.compile(r"^\d{1,3}[.)]?$")
GRID_KEY = "mchnlp.grid_tables"

Range = tuple[int, int]  # token start, end


def _is_numeric_cell(doc: Doc, cell: Range) -> bool:
    from ..knowledge.numbers import is_number_token

    words = [t.text for t in doc[cell[0] : cell[1]] if not t.is_punct or t.text in ("%",)]
    return bool(words) and is_number_token(words[0]) and not _YEAR.match(words[0])


def _line_cells(doc: Doc, start: int, end: int) -> list[Range] | None:
    """The cells of one line split at "|" tokens, or at tabs or wide runs of spaces in a line
    without "|" (None when the line has none of them)."""
    bars = [i for i in range(start, end) if doc[i].text == "|"]
    if not bars:
        bars = [i for i in range(start, end) if doc[i].is_space and _is_gap(doc[i].text)]
    if not bars:
        return None
    cells = []
    edges = [start - 1, *bars, end]
    for a, b in zip(edges, edges[1:]):
        lo, hi = a + 1, b
        while lo < hi and doc[lo].is_space:
            lo += 1
        while hi > lo and doc[hi - 1].is_space:
            hi -= 1
        if lo < hi:
            cells.append((lo, hi))
    return cells if len(cells) >= 2 else None


def _lines(doc: Doc) -> list[Range]:
    lines, start = [], 0
    for token in doc:
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            if token.i + 1 > start:
                lines.append((start, token.i + 1))
            start = token.i + 1
    if start < len(doc):
        lines.append((start, len(doc)))
    return lines


_RULE_LINE = re.compile(r"^[\s|+:=-]*-{3}[\s|+:=-]*$")


def _is_rule_line(doc: Doc, start: int, end: int) -> bool:
    """A line drawn between table rows: "|----|:---:|", "+-----+-----+", "-------"."""
    return bool(_RULE_LINE.match(doc[start:end].text))


def _is_gap(space: str) -> bool:
    """A tab, or a run of spaces wide enough to part the columns of a table pasted from a PDF
    ("Boalemo      26,1     24,3"); the double space of a typo is no column."""
    return "\t" in space or (COLUMN_GAP <= len(space) and space.strip(" ") == "")


def _has_gap(doc: Doc) -> bool:
    # a gap stands in a whitespace token of its own ("\t", "\n\t", "   "): only those are
    # read, not `doc.text`, which joins every token
    return any(_is_gap(doc[i].text)
               for i in numpy.flatnonzero(doc.to_array(IS_SPACE)).tolist())


def grid_tables(doc: Doc) -> list[dict]:
    """Tables whose rows are lines of cells separated by "|", tabs or wide runs of spaces,
    computed once per Doc.

    Each table is {"title": [start, end] | None (the line before the header), "header": rows,
    "body": rows}, a row being a list of [start, end] token ranges of its cells. Header rows are
    the leading rows without a number other than a year ("Provinsi | 2020 | 2021",
    "No | Kab-Kota | Kematian Ibu 2018"); a table has at least two rows.
    """
    if GRID_KEY in doc.user_data:
        return doc.user_data[GRID_KEY]
    tables: list[dict] = []
    if doc.vocab.strings["|"] not in doc.to_array(ORTH) and not _has_gap(doc):
        # no cell separator: no line to read
        doc.user_data[GRID_KEY] = tables
        return tables
    lines = _lines(doc)
    k = 0
    while k < len(lines):
        cells = _line_cells(doc, *lines[k])
        if cells is None:
            k += 1
            continue
        rows = []
        j = k
        while j < len(lines):
            row = _line_cells(doc, *lines[j])
            if row is None and _is_rule_line(doc, *lines[j]):
                j += 1  # "|----|-----|" under a header row, "+----+" between rows
                continue
            if row is None:
                break
            rows.append(row)
            j += 1
        if len(rows) >= 2:
            n_header = 0
            while n_header < len(rows) - 1 and not any(
                    _is_numeric_cell(doc, c) for c in _data_cells(doc, rows[n_header])):
                n_header += 1
            title = None
            for t in range(k - 1, max(-1, k - 3), -1):
                if doc[lines[t][0]:lines[t][1]].text.strip() and not _is_rule_line(
                        doc, *lines[t]):
                    title = [lines[t][0], lines[t][1]]
                    break
            tables.append({"title": title, "header": [[list(c) for c in r] for r in rows[:n_header]],
                           "body": [[list(c) for c in r] for r in rows[n_header:]]})
        k = j
    doc.user_data[GRID_KEY] = tables
    return tables


def stacked_header_cells(doc: Doc, table: dict) -> list[list[Range]]:
    """The header cells written over two or more lines of a table pasted from a PDF, one list
    per column top to bottom ("Kematian" over "Ibu"): the cells of consecutive header rows
    whose characters stand in the same columns of their lines."""
    headers = table["header"]
    if len(headers) < 2:
        return []
    text = doc.text  # built anew on every access

    def extent(cell: list) -> tuple[int, int]:
        line_start = text.rfind("\n", 0, doc[cell[0]].idx) + 1
        return (doc[cell[0]].idx - line_start,
                doc[cell[1] - 1].idx + len(doc[cell[1] - 1]) - line_start)

    stacks: list[list[Range]] = [[tuple(cell)] for cell in headers[0]]
    for row in headers[1:]:
        for cell in row:
            lo, hi = extent(cell)
            above = [stack for stack in stacks
                     if (e := extent(stack[-1]))[0] < hi and lo < e[1]]
            if len(above) == 1:
                above[0].append(tuple(cell))
            else:
                stacks.append([tuple(cell)])
    return [stack for stack in stacks if len(stack) >= 2]


def grid_cell_of(doc: Doc) -> dict[int, tuple[int, int, int]]:
    """Token index -> (table, body row, column) for every token in a body cell."""
    out = {}
    for t, table in enumerate(grid_tables(doc)):
        for r, row in enumerate(table["body"]):
            for c, (start, end) in enumerate(row):
                for i in range(start, end):
                    out[i] = (t, r, c)
    return out


def column_header(table: dict, row: list, column: int, labels: int = 1) -> list[Range]:
    """The header cells above `column` of a body row; rows of another width are aligned on
    their last cell (values sit on the right), except an upper header row whose cells each
    span as many columns of the header row below ("Kecamatan | K4 | K6" over "2022 | 2023 |
    2022 | 2023"). `labels`: the cells before the first value column (the row's name, and an
    item number before it)."""
    out = []
    headers = table["header"]
    for h, header in enumerate(headers):
        index = column if len(header) == len(row) else column - (len(row) - len(header))
        if h < len(headers) - 1 and column >= labels:
            spanned = _spanned_columns(header, headers[-1], row, labels)
            if spanned is not None:
                first, span = spanned
                index = first + (column - labels) // span
        if 0 <= index < len(header):
            out.append(tuple(header[index]))
    return out


def _spanned_columns(upper: list, lowest: list, row: list, labels: int
                     ) -> tuple[int, int] | None:
    """(the upper header row's first spanning cell, how many data columns each spans), when
    the lowest header row heads every data column of `row` and the upper row's cells after
    its labels ("No | Kabupaten/Kota", or only "Kabupaten/Kota") divide them evenly; else
    None."""
    columns = len(row) - labels
    if len(lowest) != columns:
        return None
    # the upper row may head an item-number column this row leaves empty (a total row)
    for first in dict.fromkeys((labels, labels + 1, 1)):
        spanning = len(upper) - first
        if 1 <= spanning < columns and columns % spanning == 0:
            return first, columns // spanning
    return None


def _data_cells(doc: Doc, row: list) -> list:
    """The row without its leading item number ("1.", "12")."""
    first = row[0]
    return row[1:] if _ITEM_NUMBER.match(doc[first[0]:first[1]].text) else row


def row_labels(doc: Doc, row: list) -> list[Range]:
    """The cells of a row that are not numbers (its area, indicator or year: "2021 | 14 |
    102" is the row of 2021), with its unit ("Imunisasi dasar lengkap | % | 95 | 88,7")."""
    return [tuple(c) for c in _data_cells(doc, row) if not _is_numeric_cell(doc, tuple(c))
            and any(t.is_alpha or _YEAR.match(t.text) or t.text == "%"
                    for t in doc[c[0]:c[1]])]


class CellContext:
    """Where a body cell of a grid table sits: its column's header cells, the row's label
    cells, the table's title line and the document's headline (token ranges)."""

    __slots__ = ("header", "labels", "title", "headline", "column", "other_headers")

    def __init__(self, header: list[Range], labels: list[Range], title: Range | None,
                 headline: Range | None, column: int,
                 other_headers: list[Range] | None = None) -> None:
        self.header, self.labels, self.title = header, labels, title
        self.headline, self.column = headline, column
        self.other_headers = other_headers or []  # the header cells of the other columns

    def parts(self) -> tuple[tuple[str, list[Range]], ...]:
        """The places that say what the cell holds, nearest first: a "Persentase (%)" column
        beside "Balita Stunting" holds the same indicator."""
        return (("header", self.header), ("labels", self.labels),
                ("siblings", self.other_headers),
                ("title", [self.title] if self.title else []),
                ("headline", [self.headline] if self.headline else []))


def _other_headers(table: dict, row: list, column: int, own: list[Range]) -> list[Range]:
    """The header cells of the other columns, nearest first and the left before the right at
    the same distance: "Stunting (jumlah) | % | Wasting (jumlah) | %" — the second "%" is the
    wasting column's."""
    cells = []
    for header in table["header"]:
        shift = 0 if len(header) == len(row) else len(row) - len(header)
        for index, cell in enumerate(header):
            if tuple(cell) not in own:
                at = index + shift
                cells.append((abs(at - column), at > column, tuple(cell)))
    return [cell for _, _, cell in sorted(cells)]


@per_doc  # asked by the rule linker and the pair generator
def cell_contexts(doc: Doc) -> dict[int, CellContext]:
    """Token index -> the context of the grid-table body cell the token is in (item-number
    cells are no cells)."""
    from .layout import doc_title_range

    tables = grid_tables(doc)
    if not tables:
        return {}
    headline = None
    title_chars = doc_title_range(doc)
    if title_chars is not None:
        span = doc.char_span(*title_chars, alignment_mode="expand")
        headline = (span.start, span.end) if span is not None else None
    out: dict[int, CellContext] = {}
    for table in tables:
        title = tuple(table["title"]) if table["title"] else None
        for row in table["body"]:
            labels = row_labels(doc, row)
            offset = len(row) - len(_data_cells(doc, row))
            for column, (start, end) in enumerate(row):
                if column < offset:
                    continue
                header = column_header(table, row, column, offset + 1)
                context = CellContext(header, labels, title,
                                      headline if headline != title else None, column,
                                      _other_headers(table, row, column, header))
                for i in range(start, end):
                    out[i] = context
    return out
