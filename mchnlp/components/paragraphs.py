"""Sentence boundaries at line breaks.

Headlines, datelines, captions and "Baca juga" lines end without a period; the line break is
the only boundary. This component runs after the sentence splitter and adds those starts.
"""

from __future__ import annotations

import re

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

_LIST_NUMBER = re.compile(r"^\(?\d{1,3}[.)]$|^[a-z][.)]$")


def _wrapped_line(doc: Doc, i: int) -> bool:
    """A line of prose wrapped inside a sentence, as text copied from a PDF has it ("... sedangkan
    kematian\nbayi mencapai 58 kasus"): one line break between a lower-case word, a comma or
    the hyphen of a broken word and a lower-case word."""
    gap = doc[i - 1]
    before = doc[i - 2] if gap.is_space and i >= 2 else gap
    if gap.is_space and gap.text != "\n":
        return False  # a blank line, or an indented one
    if not gap.is_space and gap.whitespace_ != "\n":
        return False
    if not (doc[i].is_lower and doc[i].is_alpha):
        return False
    # "... sedangkan kematian\nbayi", "..., \nyang", a word hyphenated at the break ("kema-\ntian")
    return before.is_lower or before.text == "," or (
        before.text == "-" and before.i > 0 and doc[before.i - 1].is_alpha
        and not doc[before.i - 1].whitespace_)


class ParagraphBreaks:
    def __init__(self, nlp: Language, name: str = "mch_paragraph_breaks") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2 or doc.has_annotation("DEP"):
            return doc  # a parser already fixed the boundaries; the array would break its tree
        # one array write: setting Token.is_sent_start rescans the whole Doc on every call
        sent_starts = doc.to_array([SENT_START]).astype("int64")
        after_break = False
        for token in doc:
            if token.is_space:
                # blank lines belong to the sentence before them, never form one of their own
                if token.i > 0:
                    sent_starts[token.i] = -1
                after_break = after_break or "\n" in token.text
                continue
            if after_break and token.i > 0 and not _wrapped_line(doc, token.i):
                sent_starts[token.i] = 1
                # "1. Kabupaten Brebes 35 kasus": the item number does not end a sentence
                item_end = token.i + 1
                if _LIST_NUMBER.match(token.text):
                    pass
                elif (token.text.isdigit() and len(token.text) <= 3 and item_end < len(doc)
                      and doc[item_end].text in (".", ")")):
                    item_end += 1
                else:
                    item_end = None
                if item_end is not None and item_end < len(doc):
                    sent_starts[token.i + 1 : item_end + 1] = -1
                    after_break = False
                    continue
            after_break = "\n" in token.whitespace_
        doc.from_array([SENT_START], sent_starts.astype("uint64"))
        return doc
