"""Area and year of the facts whose indicator, value and unit are right, by cause.

A fact an analyst can use needs its area and its year. Among the core-correct facts (matched on
indicator, value, unit), this counts how often the area and the year are right, and groups the
facts by where the gold annotation took the area or year from — the *cause* a pipeline has to
handle: the value's own sentence, an earlier sentence, the headline, the dateline, a table's
header or row, a list that distributes the value, a relative expression ("tahun lalu"), or
nothing in the text (the field is null, or Indonesia for a national figure). The next step is
chosen by these numbers: the cause with many facts and a low share right.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from spacy.tokens import Doc

from ..knowledge.dates import anaphoric_year_offset
from ..structure.layout import doc_title_range, is_dateline
from ..structure.tables import cell_contexts

FIELDS = ("location", "year")
RELATIVE = ("lalu", "ini", "sebelumnya", "kemarin", "depan", "mendatang", "terakhir", "saat",
            "kini", "sekarang")


def _same_area(gold: dict, pred: dict) -> bool:
    if gold.get("location_code") or pred.get("location_code"):
        return gold.get("location_code") == pred.get("location_code")
    return (gold.get("location") or None) == (pred.get("location") or None)


def _cause(record: dict, doc: Doc, fact: dict, relation: str, starts: list[int]) -> str:
    """Where the gold annotation of `fact` took its `relation` field from."""
    spans = {s["id"]: s for s in record.get("spans", [])}
    value = spans.get(fact.get("value_span"))
    tails = [spans[r["tail"]] for r in record.get("relations", [])
             if r["head"] == fact.get("value_span") and r["label"] == relation
             and r["tail"] in spans]
    if value is None:
        return "unknown"
    if not tails:
        field = "location" if relation == "location" else "year"
        return "national, no span" if fact.get(field) == "Indonesia" else "not in the text"
    tail = min(tails, key=lambda t: abs(t["start"] - value["start"]))
    if sum(1 for r in record.get("relations", []) if r["head"] == fact.get("value_span")
           and r["label"] == relation) > 1:
        return "distributed list"
    title = doc_title_range(doc)
    if title and title[0] <= tail["start"] < title[1] and not (
            title[0] <= value["start"] < title[1]):
        return "headline"
    if relation == "date" and (anaphoric_year_offset(tail["text"]) is not None or any(
            w in tail["text"].lower().split() for w in RELATIVE)):
        return "relative expression"
    value_span = doc.char_span(value["start"], value["end"], alignment_mode="expand")
    tail_span = doc.char_span(tail["start"], tail["end"], alignment_mode="expand")
    if value_span is not None and tail_span is not None:
        if relation == "location" and is_dateline(tail_span):
            return "dateline"
        context = cell_contexts(doc).get(value_span.start)
        if context is not None and any(a <= tail_span.start < b for _, ranges in
                                       context.parts() for a, b in ranges):
            return "table header or row"
    v_sent = bisect_right(starts, value["start"]) - 1
    t_sent = bisect_right(starts, tail["start"]) - 1
    if t_sent == v_sent:
        return "same sentence"
    return "earlier sentence" if t_sent < v_sent else "later sentence"


def attribution(record: dict, doc: Doc, gold_facts: list[dict], pred_facts: list[dict],
                core_pairs: list[tuple[int, int]]) -> list[dict]:
    """One row per core-correct fact: area right, year right, and the cause of each field."""
    starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
    raw = record.get("facts") or []
    rows = []
    for g, p in core_pairs:
        gold, pred = gold_facts[g], pred_facts[p]
        source = raw[g] if g < len(raw) else gold
        rows.append({
            "location_ok": _same_area(gold, pred),
            "year_ok": gold.get("year") == pred.get("year"),
            "location_cause": _cause(record, doc, source, "location", starts),
            "year_cause": _cause(record, doc, source, "date", starts),
        })
    return rows


def summarize(rows: list[dict]) -> dict:
    """Shares right overall and per cause, for the report and `metrics.json`."""
    n = len(rows)
    out: dict = {
        "core_correct": n,
        "area_right": sum(r["location_ok"] for r in rows) / n if n else None,
        "year_right": sum(r["year_ok"] for r in rows) / n if n else None,
        "both_right": sum(r["location_ok"] and r["year_ok"] for r in rows) / n if n else None,
        "by_cause": {},
    }
    for field in FIELDS:
        counts: Counter = Counter()
        right: Counter = Counter()
        for r in rows:
            counts[r[f"{field}_cause"]] += 1
            right[r[f"{field}_cause"]] += r[f"{field}_ok"]
        out["by_cause"][field] = {cause: {"n": counts[cause], "right": right[cause]}
                                  for cause, _ in counts.most_common()}
    return out
