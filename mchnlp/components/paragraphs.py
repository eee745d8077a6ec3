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
            if after_break and token.i > 0:
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
