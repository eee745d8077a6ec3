"""Sentence boundaries at line breaks.

Headlines, datelines, captions and "Baca juga" lines end without a period; the line break is
the only boundary. This component runs after the sentence splitter and adds those starts.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.attrs import SENT_START
from spacy.tokens import Doc


class ParagraphBreaks:
    def __init__(self, nlp: Language, name: str = "mch_paragraph_breaks") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        starts = [t.i + 1 for t in doc[:-1] if "\n" in t.text or "\n" in t.whitespace_]
        if not starts:
            return doc
        if doc.has_annotation("DEP"):
            return doc  # a parser already fixed the boundaries; the array would break its tree
        # one array write: setting Token.is_sent_start rescans the whole Doc on every call
        sent_starts = doc.to_array([SENT_START])
        sent_starts[starts] = 1
        doc.from_array([SENT_START], sent_starts)
        return doc
