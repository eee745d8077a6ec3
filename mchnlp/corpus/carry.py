"""Which facts carried through an annotation tool are still the annotator's facts.

An exported task carries the record's facts, and a snapshot of what they were built from: the
publication date and, for every value span, its offsets, label and links (relation label and
the linked span's offsets and label), keyed by content, not by span id. On import, a carried
fact is kept, with every field the annotator wrote (manual corrections included), only when its
value span and that span's links are the same as in the snapshot; otherwise the fact is
dropped here and rebuilt from the edited spans and relations (`corpus.recompute`).

Pure data: no pipeline, no spaCy.
"""

from __future__ import annotations

from typing import Any

from .schema import VALUE_LABELS

SNAPSHOT_KEY = "mchnlp_export"  # the task data field (doccano: row field) holding the snapshot
SNAPSHOT_VERSION = 1

Links = frozenset[tuple[str, int, int, str]]  # (relation label, tail start, tail end, tail label)
ValueKey = tuple[int, int, str, str]  # (start, end, label, text) of a value span


def value_links(spans: list[dict], relations: list[dict]) -> dict[ValueKey, Links]:
    """Every value span (by content) -> the set of its links (by content)."""
    by_id = {s["id"]: s for s in spans}
    links: dict[str, set] = {s["id"]: set() for s in spans if s["label"] in VALUE_LABELS}
    for rel in relations:
        head, tail = by_id.get(rel["head"]), by_id.get(rel["tail"])
        if head is None or tail is None or rel["head"] not in links:
            continue
        links[rel["head"]].add((rel["label"], tail["start"], tail["end"], tail["label"]))
    return {_key(by_id[sid]): frozenset(found) for sid, found in links.items()}


def _key(span: dict) -> ValueKey:
    return (span["start"], span["end"], span["label"], span["text"])


def export_snapshot(record: dict) -> dict:
    """The snapshot an exported task carries: publication date and each value's links."""
    values = value_links(record.get("spans") or [], record.get("relations") or [])
    return {
        "version": SNAPSHOT_VERSION,
        "published": (record.get("meta") or {}).get("published"),
        "values": [
            [start, end, label, text, sorted([list(link) for link in links])]
            for (start, end, label, text), links in sorted(values.items())
        ],
    }


def read_snapshot(data: Any) -> dict | None:
    """The snapshot in a task's data (or a doccano row, or its `meta`), None when absent or
    not one this version wrote."""
    if not isinstance(data, dict):
        return None
    found = data.get(SNAPSHOT_KEY)
    if found is None and isinstance(data.get("meta"), dict):
        found = data["meta"].get(SNAPSHOT_KEY)
    if not isinstance(found, dict) or found.get("version") != SNAPSHOT_VERSION:
        return None
    values = {}
    try:
        for start, end, label, text, links in found.get("values") or []:
            values[(start, end, label, text)] = frozenset(
                (r, ts, te, tl) for r, ts, te, tl in links)
    except (TypeError, ValueError):
        return None
    return {"published": found.get("published"), "values": values}


def carry_facts(
    facts: Any,
    spans: list[dict],
    relations: list[dict],
    id_map: dict[str, str],
    snapshot: dict | None,
    published: Any,
) -> tuple[list[dict], list[tuple[dict, str]]]:
    """Split the facts a task carried into those kept and those to rebuild.

    Args:
        facts: the task's carried facts (anything; non-dicts are ignored).
        spans, relations: the imported record's spans and relations (new ids).
        id_map: exported span id -> imported span id (the identity unless renumbered).
        snapshot: `read_snapshot` of the task, or None.
        published: the imported record's publication date.

    Returns:
        (kept facts re-pointed to the new span ids, [(dropped fact, why)]).
    """
    by_id = {s["id"]: s for s in spans}
    now = value_links(spans, relations)
    kept: list[dict] = []
    dropped: list[tuple[dict, str]] = []
    for fact in facts if isinstance(facts, list) else []:
        if not isinstance(fact, dict):
            continue
        new_id = id_map.get(fact.get("value_span"))
        span = by_id.get(new_id) if new_id else None
        if span is None or (fact.get("start"), fact.get("end"), fact.get("text")) != (
            span["start"], span["end"], span["text"]
        ) or span["label"] not in VALUE_LABELS:
            dropped.append((fact, "its value span was changed or removed"))
        elif snapshot is None:
            dropped.append((fact, "the task has no export snapshot to check it against"))
        elif snapshot["published"] != published:
            dropped.append((fact, "the publication date changed"))
        elif snapshot["values"].get(_key(span)) != now.get(_key(span)):
            dropped.append((fact, "the links of its value changed"))
        else:
            kept.append({**fact, "value_span": new_id})
    return kept, dropped
