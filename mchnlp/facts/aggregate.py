"""Cross-document aggregation: which sources agree on a value, and which contradict each other.

    from mchnlp.facts.aggregate import aggregate
    groups = aggregate(rows)          # rows: fact dicts with a "doc" key, e.g. facts.jsonl
    conflicts = [g for g in groups if g.status == "conflict"]

Facts are grouped by (indicator, area, year, unit, kind): the area is the location code when
the gazetteer resolved one, the location name otherwise; `kind` keeps targets and changes
apart from observed values. Within a group, facts with the same value (and upper bound) are
one reading; a group is `single` (one document), `agree` (several documents, one reading) or
`conflict` (several readings). The command `mchnlp aggregate facts.jsonl` prints the groups.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fact import Fact

STATUSES = ("conflict", "agree", "single")


@dataclass
class Reading:
    """One value reported for a group, with the documents that report it."""

    value: float
    value_max: float | None
    documents: list[str] = field(default_factory=list)
    mentions: int = 0
    qualifiers: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "value_max": self.value_max, "documents": self.documents,
                "mentions": self.mentions, "qualifiers": self.qualifiers,
                "sentences": self.sentences}


@dataclass
class Group:
    """All facts about one (indicator, area, year, unit, kind), by reading."""

    indicator: str
    area: str | None
    location: str | None
    location_code: str | None
    year: int | None
    unit: str
    kind: str
    readings: list[Reading]

    @property
    def documents(self) -> list[str]:
        return sorted({d for r in self.readings for d in r.documents})

    @property
    def status(self) -> str:
        if len(self.readings) > 1:
            return "conflict"
        return "agree" if len(self.documents) > 1 else "single"

    def to_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "location": self.location,
                "location_code": self.location_code, "year": self.year, "unit": self.unit,
                "kind": self.kind, "status": self.status, "n_documents": len(self.documents),
                "documents": self.documents, "readings": [r.to_dict() for r in self.readings]}


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _as_row(fact: Fact | Mapping[str, Any], index: int) -> dict[str, Any]:
    row = fact.to_dict() if isinstance(fact, Fact) else dict(fact)
    if row.get("doc") is None:
        row["doc"] = row.get("id") or f"#{index}"
    return row


def aggregate(facts: Iterable[Fact | Mapping[str, Any]], *, kinds: Iterable[str] | None = None,
              include_incomplete: bool = False, skipped: list[dict] | None = None
              ) -> list[Group]:
    """Group facts from many documents and compare their values.

    Args:
        facts: fact dicts as written by `mchnlp extract --format jsonl` (their `doc` key
            names the source document) or `Fact` objects (then numbered `#0`, `#1`, ...).
        kinds: only these kinds ("observed", "target", "change"); default all.
        include_incomplete: also group facts without an area or a year (their values are
            rarely comparable, so they are left out by default).
        skipped: receives the facts left out for lack of an area or year.
    Returns:
        Groups sorted by status (conflicts first), number of documents (most first),
        indicator, area and year; readings of a group sorted by the number of documents that report them, most first.
    """
    wanted = set(kinds) if kinds is not None else None
    by_key: dict[tuple, list[dict]] = {}
    for index, fact in enumerate(facts):
        row = _as_row(fact, index)
        if wanted is not None and row.get("kind") not in wanted:
            continue
        area = row.get("location_code") or row.get("location")
        if not include_incomplete and (area is None or row.get("year") is None):
            if skipped is not None:
                skipped.append(row)
            continue
        key = (row.get("indicator"), area, row.get("year"), row.get("unit"),
               row.get("kind") or "observed")
        by_key.setdefault(key, []).append(row)
    groups = [_group(key, rows) for key, rows in by_key.items()]
    order = {s: i for i, s in enumerate(STATUSES)}
    groups.sort(key=lambda g: (order[g.status], -len(g.documents), g.indicator or "",
                               g.area or "",
                               g.year if g.year is not None else -1, g.unit or "", g.kind))
    return groups


def _group(key: tuple, rows: list[dict]) -> Group:
    indicator, area, year, unit, kind = key
    readings: list[Reading] = []
    for row in rows:
        value = float(row["value"])
        value_max = None if row.get("value_max") is None else float(row["value_max"])
        reading = next((r for r in readings
                        if _same(r.value, value) and _same(r.value_max, value_max)), None)
        if reading is None:
            reading = Reading(value, value_max)
            readings.append(reading)
        reading.mentions += 1
        doc = str(row["doc"])
        if doc not in reading.documents:
            reading.documents.append(doc)
        if row.get("qualifier") and row["qualifier"] not in reading.qualifiers:
            reading.qualifiers.append(row["qualifier"])
        sentence = row.get("sentence")
        if sentence and sentence not in reading.sentences and len(reading.sentences) < 3:
            reading.sentences.append(sentence)
    readings.sort(key=lambda r: (-len(r.documents), -r.mentions, r.value))
    names = Counter(r.get("location") for r in rows if r.get("location"))
    codes = Counter(r.get("location_code") for r in rows if r.get("location_code"))
    return Group(indicator=indicator, area=area,
                 location=names.most_common(1)[0][0] if names else None,
                 location_code=codes.most_common(1)[0][0] if codes else None,
                 year=year, unit=unit, kind=kind, readings=readings)



# -- output ------------------------------------------------------------------------------------
def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) and abs(value) < 1e15 else f"{value:.6g}"


def _reading_text(reading: Reading) -> str:
    value = _number(reading.value)
    if reading.value_max is not None:
        value += f"-{_number(reading.value_max)}"
    docs = ", ".join(Path(d).name for d in reading.documents[:3])
    more = f" +{len(reading.documents) - 3}" if len(reading.documents) > 3 else ""
    return f"{value} ({docs}{more})"


def _readings_text(readings: list[Reading], limit: int = 4) -> str:
    text = " | ".join(_reading_text(r) for r in readings[:limit])
    if len(readings) > limit:
        text += f" | +{len(readings) - limit} more values"
    return text


def format_groups(groups: list[Group], skipped: int = 0) -> str:
    """The groups as a plain-text table, one line per group, with a summary line."""
    cols = ["status", "indicator", "area", "year", "unit", "kind", "docs", "values (documents)"]
    table = [[g.status, g.indicator or "", g.location or g.area or "",
              "" if g.year is None else str(g.year), g.unit or "", g.kind,
              str(len(g.documents)), _readings_text(g.readings)]
             for g in groups]
    widths = [max([len(c)] + [len(r[i]) for r in table]) for i, c in enumerate(cols[:-1])]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths)) + "  " + cols[-1]]
    lines.append("  ".join("-" * w for w in widths) + "  " + "-" * len(cols[-1]))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) + "  " + r[-1] for r in table]
    counts = Counter(g.status for g in groups)
    summary = (f"{len(groups)} groups: {counts['conflict']} conflict, {counts['agree']} agree, "
               f"{counts['single']} single source")
    if skipped:
        summary += f"; {skipped} facts without area or year not grouped"
    lines.append(summary)
    return "\n".join(lines) + "\n"


