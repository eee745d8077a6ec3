"""What an import changes in the corpus, per document: spans, relations and facts.

`diff_record` compares a document's record in the corpus (None when the document is new) with
the imported one; `format_diff` renders it for `mchnlp corpus import` and `mchnlp train --add`.
Spans are the same when their offsets and label are, relations when their two spans' offsets
and their label are, and facts are paired on their value span (then on area and year, for a
value distributed over several).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .recompute import FACT_FIELDS
from .schema import Record


@dataclass
class FactChange:
    """One fact added, removed or changed; `fields` lists what changed."""

    before: dict | None
    after: dict | None
    fields: list[str] = field(default_factory=list)
    recomputed: bool = False

    @property
    def kind(self) -> str:
        return "added" if self.before is None else "removed" if self.after is None else "changed"


@dataclass
class DocumentDiff:
    """The changes an imported record makes to the corpus.

    Attributes:
        status: "added" (a new document), "replaced" (its record changes) or "unchanged".
        spans, relations, facts: (count before, count after).
        spans_added, spans_removed: the spans (records) only in the new / old record.
        relations_added, relations_removed: likewise, as "label: 'value' -> 'target'".
        fact_changes: facts added, removed or changed.
        rebuilt_as_before: facts built from the spans and relations that equal the old ones.
        recomputed: how many facts of the new record were built from its spans and relations.
        kept: how many carried facts were kept as the annotator wrote them.
    """

    doc_id: str
    origin: str | None
    status: str
    spans: tuple[int, int]
    relations: tuple[int, int]
    facts: tuple[int, int]
    spans_added: list[dict] = field(default_factory=list)
    spans_removed: list[dict] = field(default_factory=list)
    relations_added: list[str] = field(default_factory=list)
    relations_removed: list[str] = field(default_factory=list)
    fact_changes: list[FactChange] = field(default_factory=list)
    rebuilt_as_before: list[dict] = field(default_factory=list)
    recomputed: int = 0
    kept: int = 0


def _span_keys(record: Record | None) -> dict[tuple, dict]:
    return {(s["start"], s["end"], s["label"]): s for s in (record or {}).get("spans") or []}


def _relation_keys(record: Record | None) -> dict[tuple, str]:
    if not record:
        return {}
    by_id = {s["id"]: s for s in record.get("spans") or []}
    out = {}
    for rel in record.get("relations") or []:
        head, tail = by_id.get(rel["head"]), by_id.get(rel["tail"])
        if head is None or tail is None:
            continue
        key = (head["start"], head["end"], tail["start"], tail["end"], rel["label"])
        out[key] = f"{rel['label']}: {head['text']!r} -> {tail['text']!r}"
    return out


def fact_key(fact: dict) -> tuple:
    """What identifies a fact across versions of a record: its value and its area and year."""
    return (fact.get("start"), fact.get("end"), fact.get("location_code") or fact.get("location")
            or fact.get("facility"), fact.get("year"))


def _pair_facts(old: list[dict], new: list[dict]) -> list[tuple[dict | None, dict | None]]:
    """Pair facts on the same value span: same area and year first, then in order."""
    pairs: list[tuple[dict | None, dict | None]] = []
    by_value: dict[tuple, tuple[list[dict], list[dict]]] = {}
    for side, facts in ((0, old), (1, new)):
        for fact in facts:
            by_value.setdefault((fact.get("start"), fact.get("end")), ([], []))[side].append(fact)
    for _, (before, after) in sorted(by_value.items(), key=lambda kv: tuple(
            -1 if x is None else x for x in kv[0])):
        after = list(after)
        rest = []
        for fact in before:
            same = next((f for f in after if fact_key(f) == fact_key(fact)), None)
            if same is not None:
                after.remove(same)
                pairs.append((fact, same))
            else:
                rest.append(fact)
        for i, fact in enumerate(rest):
            pairs.append((fact, after[i] if i < len(after) else None))
        pairs.extend((None, fact) for fact in after[len(rest):])
    return pairs


def diff_record(
    old: Record | None,
    new: Record,
    *,
    recomputed: Iterable[dict] = (),
    origin: str | None = None,
) -> DocumentDiff:
    """Compare a document's corpus record (`old`, None for a new document) with `new`.

    Args:
        recomputed: the facts of `new` that were built from its spans and relations
            (`corpus.recompute`); the others count as kept from the annotation.
        origin: where `new` came from (file and task or line), for the report.
    """
    rebuilt = {fact_key(f) for f in recomputed}
    new_facts = new.get("facts") or []
    old_facts = (old or {}).get("facts") or []
    old_spans, new_spans = _span_keys(old), _span_keys(new)
    old_rels, new_rels = _relation_keys(old), _relation_keys(new)
    changes, same_rebuilt = [], []
    for before, after in _pair_facts(old_facts, new_facts):
        if before is not None and after is not None:
            fields = [k for k in FACT_FIELDS if before.get(k) != after.get(k)]
            if not fields:
                if fact_key(after) in rebuilt:
                    same_rebuilt.append(after)
                continue
        else:
            fields = []
        changes.append(FactChange(before, after, fields,
                                  after is not None and fact_key(after) in rebuilt))
    diff = DocumentDiff(
        doc_id=new["id"], origin=origin,
        status="added" if old is None else "replaced",
        spans=(len(old_spans), len(new_spans)),
        relations=(len(old_rels), len(new_rels)),
        facts=(len(old_facts), len(new_facts)),
        spans_added=[s for k, s in new_spans.items() if k not in old_spans],
        spans_removed=[s for k, s in old_spans.items() if k not in new_spans],
        relations_added=[v for k, v in new_rels.items() if k not in old_rels],
        relations_removed=[v for k, v in old_rels.items() if k not in new_rels],
        fact_changes=changes,
        rebuilt_as_before=same_rebuilt,
        recomputed=sum(1 for f in new_facts if fact_key(f) in rebuilt),
    )
    diff.kept = len(new_facts) - diff.recomputed
    if old is not None and not (diff.spans_added or diff.spans_removed or diff.relations_added
                                or diff.relations_removed or changes):
        diff.status = "unchanged"
    return diff


def describe_fact(fact: dict) -> str:
    """One line for a fact: indicator, value, unit, area, year, kind, and where it is."""
    value = fact.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    area = fact.get("location") or fact.get("facility") or "-"
    if fact.get("location_code"):
        area += f" ({fact['location_code']})"
    return (f"{fact.get('indicator')} {value} {fact.get('unit')}, {area}, "
            f"{fact.get('year') or '-'}, {fact.get('kind')} — {fact.get('text')!r} "
            f"[{fact.get('start')}:{fact.get('end')}]")


def _count(label: str, before_after: tuple[int, int], added: int, removed: int,
           status: str, changed: int = 0) -> str:
    before, after = before_after
    if status == "added":
        return f"{after} {label}"
    detail = ", ".join(x for x in (f"+{added}" if added else "", f"-{removed}" if removed else "",
                                   f"{changed} changed" if changed else "") if x)
    return f"{label} {before} -> {after}" + (f" ({detail})" if detail else "")


def format_diff(diff: DocumentDiff) -> list[str]:
    """The report lines for one document: a summary line, then the facts added, removed and
    changed ("+", "-", "~") and those rebuilt unchanged ("="), then the spans and relations
    added and removed."""
    fact_added = sum(1 for c in diff.fact_changes if c.kind == "added")
    fact_removed = sum(1 for c in diff.fact_changes if c.kind == "removed")
    fact_changed = sum(1 for c in diff.fact_changes if c.kind == "changed")
    facts = _count("facts", diff.facts, fact_added, fact_removed, diff.status, fact_changed)
    parts = [
        _count("spans", diff.spans, len(diff.spans_added), len(diff.spans_removed), diff.status),
        _count("relations", diff.relations, len(diff.relations_added),
               len(diff.relations_removed), diff.status),
        facts,
    ]
    origin = f" ({diff.origin})" if diff.origin else ""
    lines = [f"{diff.doc_id}{origin}: {diff.status}: " + ", ".join(parts)
             + f"; {diff.recomputed} fact(s) recomputed from the spans and relations, "
             f"{diff.kept} kept as annotated"]
    mark = {"added": "+", "removed": "-", "changed": "~"}
    for change in diff.fact_changes:
        rebuilt = " (recomputed)" if change.recomputed else ""
        if change.kind == "changed":
            assert change.before is not None and change.after is not None
            fields = ", ".join(f"{k} {change.before.get(k)!r} -> {change.after.get(k)!r}"
                               for k in change.fields)
            lines.append(f"  ~ fact {describe_fact(change.after)}: {fields}{rebuilt}")
        else:
            fact = change.after if change.after is not None else change.before
            assert fact is not None
            lines.append(f"  {mark[change.kind]} fact {describe_fact(fact)}{rebuilt}")
    lines.extend(f"  = fact {describe_fact(fact)} (recomputed, as before)"
                 for fact in diff.rebuilt_as_before)
    if diff.status != "added":
        for span in diff.spans_added:
            lines.append(f"  + span {span['label']} {span['text']!r} "
                         f"[{span['start']}:{span['end']}]")
        for span in diff.spans_removed:
            lines.append(f"  - span {span['label']} {span['text']!r} "
                         f"[{span['start']}:{span['end']}]")
        lines.extend(f"  + relation {r}" for r in diff.relations_added)
        lines.extend(f"  - relation {r}" for r in diff.relations_removed)
    return lines
