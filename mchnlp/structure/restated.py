"""Figures stated twice and periods stated after the figures they date.

A headline gives a figure bare ("Cakupan ASI Eksklusif Capai 66 Persen") and the body says
it again with its period and place ("... hingga Desember 2023 di Kota X mencapai 66 persen");
a lead gives its figures first and names the survey or year they come from later ("...
menurut hasil Sensus Penduduk 2020"). These readers find the body figure a headline figure
restates, and the periods named after a figure; the linker takes them as candidates, with
features naming where they came from.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from spacy.tokens import Doc, Span

from ..knowledge.units import read_value
from .layout import doc_title_range, in_dateline
from .memo import entities, per_doc

VALUE_LABELS = ("COUNT", "RATE")
LATER_SCAN = 40  # DATE mentions read after a figure while looking for distinct periods


@per_doc
def restated_figures(doc: Doc) -> dict[int, Span]:
    """headline value start -> the first body value with the same number and a unit that
    does not contradict it ("66 Persen" in the headline, "66 persen" in the body)."""
    title = doc_title_range(doc)
    if title is None:
        return {}
    headline, body = [], []
    for ent in entities(doc):
        if ent.label_ in VALUE_LABELS:
            (headline if title[0] <= ent.start_char < title[1] else body).append(ent)
    if not headline or not body:
        return {}
    readings = {}
    for value in (*headline, *body):
        number, unit = read_value([t.text for t in value])
        if number is not None:
            readings[value.start] = (number.value, unit)
    out = {}
    for value in headline:
        if value.start not in readings:
            continue
        number, unit = readings[value.start]
        twin = next((other for other in body if (seen := readings.get(other.start)) is not None
                     and seen[0] == number and (unit is None or seen[1] is None
                                                or seen[1] == unit)), None)
        if twin is None and unit is not None and number == int(number):
            # a headline rounds: "Baru 38 Persen" over "baru 38,2 persen"
            twin = next((other for other in body if (seen := readings.get(other.start))
                         is not None and seen[1] == unit and seen[0] != int(seen[0])
                         and round(seen[0]) == number), None)
        if twin is not None:
            out[value.start] = twin
    return out


@per_doc
def dated_mentions(doc: Doc) -> tuple[list[Span], list[int]]:
    """The DATE mentions outside datelines (the dateline dates the story, not a figure),
    and their start tokens, in text order."""
    dates = [e for e in entities(doc) if e.label_ == "DATE" and not in_dateline(e)]
    return dates, [d.start for d in dates]


def later_periods(doc: Doc, after: int, limit: int,
                  keep: Callable[[Span], bool] = lambda date: True) -> list[Span]:
    """The first `limit` distinct periods (by text) named from token `after` on that `keep`
    accepts."""
    dates, starts = dated_mentions(doc)
    out: list[Span] = []
    seen: set[str] = set()
    k = bisect_left(starts, after)
    for date in dates[k:k + LATER_SCAN]:
        key = date.text.lower()
        if key not in seen and keep(date):
            seen.add(key)
            out.append(date)
            if len(out) == limit:
                break
    return out


def first_period_start(doc: Doc) -> int:
    """The start token of the first period the text names (datelines aside), or the
    document's length when it names none: a value before it is dated by nothing before it."""
    _, starts = dated_mentions(doc)
    return starts[0] if starts else len(doc)
