"""Periods: the headline's date, and dates named inside a target phrase (the target's year,
not the year of the figures around it)."""


from __future__ import annotations

from spacy.tokens import Doc, Span

from .layout import doc_title_range

TARGET_CUE_WINDOW = 6


def in_target_phrase(date: Span, target_cues: set[str]) -> bool:
    """A period named in a target ("mengejar target penurunan stunting pada 2024"): the year
    of the target, not of the observed figures around it."""
    doc = date.doc
    i = date.start
    for _ in range(TARGET_CUE_WINDOW):
        if i <= 0 or doc[i].is_sent_start:  # not into the sentence before
            return False
        if doc[i - 1].lower_ in target_cues:
            return True
        i -= 1
        # the target's value counts as one word ("menargetkan AKB turun menjadi 12 per 1.000
        # kelahiran hidup pada 2025")
        while i > 0 and doc[i].ent_iob_ == "I" and doc[i].ent_type_ in ("COUNT", "RATE"):
            i -= 1
    return False


def title_date(doc: Doc) -> Span | None:
    """The first DATE in the headline, if any."""
    title = doc_title_range(doc)
    if title is None:
        return None
    for ent in doc.ents:
        if ent.label_ == "DATE" and title[0] <= ent.start_char < title[1]:
            return ent
    return None
