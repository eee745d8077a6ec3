"""Periods: the headline's date, and dates named inside a target phrase (the target's year,
not the year of the figures around it)."""


from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Span

from ..knowledge import resources
from ..knowledge.dates import read_date
from .layout import doc_title_range, in_dateline
from .memo import entities
from .scope import introduced_by_comparison

TARGET_CUE_WINDOW = 6
# words that tie a period to the figure right before it ("18 per 1.000 KH pada 2023")
PERIOD_INTRODUCERS = {"pada", "tahun", "hingga", "sampai", "per", "selama", "sepanjang", "di",
                      "dalam", "periode"}
OWNER_REACH = 3  # tokens from a figure to the period it owns
_ONE_YEAR = re.compile(r"^[^/\d]*(?:19|20)\d\d[^/\d]*$")  # "semester I 2023", not "3/8/2023"


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
        while i > 0:
            token = doc[i]  # a Token object per access: read once
            if token.ent_iob_ != "I" or token.ent_type_ not in ("COUNT", "RATE"):
                break
            i -= 1
    return False


def title_date(doc: Doc) -> Span | None:
    """The first DATE in the headline, if any, that no comparison word introduces ("Turun
    Dibanding Tahun Lalu" names the period compared, not the story's)."""
    title = doc_title_range(doc)
    if title is None:
        return None
    for ent in entities(doc):
        if ent.label_ == "DATE" and title[0] <= ent.start_char < title[1] and not (
                introduced_by_comparison(ent)):
            return ent
    return None


def figure_dated_by(date: Span) -> int | None:
    """The start token of the COUNT or RATE that `date` follows and dates ("29 persen pada
    2022", "24,40 di tahun 2021"), or None: no punctuation between them, and the words between
    end with a period introducer."""
    doc = date.doc
    k, gap = date.start, []
    while k > 0 and len(gap) < OWNER_REACH and doc[k - 1].ent_type_ not in ("COUNT", "RATE"):
        k -= 1
        gap.append(doc[k])
    if k == 0 or not gap or doc[k - 1].ent_type_ not in ("COUNT", "RATE"):
        return None
    if gap[-1].lower_ not in PERIOD_INTRODUCERS or any(t.is_punct for t in gap):
        return None
    owner = k - 1
    while owner > 0 and doc[owner].ent_iob_ == "I":
        owner -= 1
    return owner


@functools.cache
def _target_cues() -> frozenset[str]:
    return frozenset(w.lower() for w in resources.value_rules().get("target_date_cues", []))


def stated_periods(doc: Doc, published) -> tuple[list[int], list[int]]:
    """The periods stated once for the figures that follow (guidelines 7.6): the start token
    and year of each DATE naming one year that dates no figure of its own, in a heading
    ("Capaian Semester I 2024"), a lead ("merilis capaian ... semester I 2023") or the
    headline; not a period compared with ("dibanding periode yang sama tahun 2022"), a
    target's year, a dateline or the day of a statement ("Kamis (3/8/2023)")."""
    starts, years = [], []
    for date in entities(doc):
        if date.label_ != "DATE" or not _ONE_YEAR.match(date.text) or "/" in (
                doc[max(0, date.start - 1)].text, doc[min(len(doc) - 1, date.end)].text):
            continue  # "UNICEF/2022" under a photo, "2021/45" in a series
        if (figure_dated_by(date) is not None or introduced_by_comparison(date)
                or in_target_phrase(date, _target_cues()) or in_dateline(date)):
            continue
        year = read_date(date.text, published).year
        if year is not None:
            starts.append(date.start)
            years.append(year)
    return starts, years
