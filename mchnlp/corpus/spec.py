"""Compact annotation specs: spans named by their text, facts with their links.

Annotators write what they read, not character offsets::

    {"id": "pool_094",
     "spans": [{"id": "i1", "label": "INDICATOR", "text": "AKB", "context": "1. | AKB/1000"},
               {"id": "r1", "label": "RATE", "text": "8,78"},
               {"id": "l1", "label": "LOCATION", "text": "Kabupaten Grobogan", "occurrence": 2}],
     "facts": [{"value_span": "r1", "indicator": "infant_mortality", "value": 8.78,
                "unit": "per_1000_live_births", "location": "Kabupaten Grobogan",
                "location_code": "33.15", "year": 2011,
                "links": {"indicator": "i1", "location": "l1", "date": "d2"}}],
     "notes": "..."}

A span is found by its `text`: inside its `context` when one is given (the context must occur
once in the document, or `occurrence` picks the n-th one), else as the n-th occurrence of the
text itself (`occurrence`, default 1, and then the text must be unique). `start` may be given
instead. Fact fields left out take their defaults (kind observed, the rest null); `links`
become the record's relations. `build_record` returns the record and the problems it found;
`mchnlp corpus from-spec` runs it over a folder and validates the result.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .issues import Issue
from .schema import FACT_KEYS, CorpusFormatError, Record, read_json, write_document

SPEC_FACT_DEFAULTS: dict[str, Any] = {
    "value_max": None,
    "qualifier": None,
    "location": None,
    "location_code": None,
    "year": None,
    "kind": "observed",
    "facility": None,
}


class SpecError(ValueError):
    """A spec that cannot be turned into a record (the message names the span or fact)."""


def _occurrences(text: str, needle: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(needle), text)]


def _snippet(text: str, start: int, width: int = 30) -> str:
    return text[max(0, start - width) : start + width].replace("\n", "⏎")


def locate(text: str, span: dict) -> int:
    """Character offset of a spec span in `text` (raises SpecError with the candidates)."""
    surface = span.get("text")
    name = f"span {span.get('id')!r} {surface!r}"
    if not isinstance(surface, str) or not surface:
        raise SpecError(f"{name}: 'text' must be a non-empty string")
    if isinstance(span.get("start"), int):
        start = span["start"]
        if text[start : start + len(surface)] != surface:
            raise SpecError(f"{name}: text at {start} is {text[start:start + len(surface)]!r}")
        return start
    occurrence = span.get("occurrence")
    context = span.get("context")
    if context:
        found = _occurrences(text, context)
        if not found:
            raise SpecError(f"{name}: context {context!r} not in the text")
        if occurrence is None and len(found) > 1:
            raise SpecError(
                f"{name}: context {context!r} occurs {len(found)} times; give 'occurrence'"
            )
        index = (occurrence or 1) - 1
        if not 0 <= index < len(found):
            raise SpecError(f"{name}: context occurs {len(found)} times, not {occurrence}")
        inner = context.find(surface)
        if inner < 0:
            raise SpecError(f"{name}: text not inside its context {context!r}")
        return found[index] + inner
    found = _occurrences(text, surface)
    if not found:
        raise SpecError(f"{name}: not in the text")
    if occurrence is None and len(found) > 1:
        where = "; ".join(f"{i + 1}: …{_snippet(text, s)}…" for i, s in enumerate(found[:8]))
        raise SpecError(
            f"{name}: occurs {len(found)} times; give 'occurrence' or 'context' ({where})"
        )
    index = (occurrence or 1) - 1
    if not 0 <= index < len(found):
        raise SpecError(f"{name}: occurs {len(found)} times, not {occurrence}")
    return found[index]


def build_record(spec: dict, text: str, meta: dict | None = None) -> tuple[Record, list[str]]:
    """Turn one spec into a corpus record.

    Args:
        spec: the annotator's spec (see the module docstring).
        text: the document text the spans are found in.
        meta: the record's meta (source, url, title, published); the spec's own `meta` wins.
    Returns:
        The record, and the problems that kept a span or a fact out of it (empty when clean).
    """
    problems: list[str] = []
    spans: list[dict] = []
    ids: set[str] = set()
    for span in spec.get("spans") or []:
        try:
            start = locate(text, span)
        except SpecError as exc:
            problems.append(str(exc))
            continue
        if span.get("id") in ids:
            problems.append(f"span id {span.get('id')!r} used twice")
            continue
        ids.add(span["id"])
        spans.append({"id": span["id"], "start": start, "end": start + len(span["text"]),
                      "label": span.get("label"), "text": span["text"]})
    by_id = {s["id"]: s for s in spans}
    relations: list[dict] = []
    facts: list[dict] = []
    for position, item in enumerate(spec.get("facts") or []):
        sid = item.get("value_span")
        value_span = by_id.get(sid)
        if value_span is None:
            problems.append(f"fact {position}: value_span {sid!r} is not a located span")
            continue
        fact = {**SPEC_FACT_DEFAULTS,
                **{k: v for k, v in item.items() if k in FACT_KEYS}}
        fact.update(text=value_span["text"], start=value_span["start"],
                    end=value_span["end"], value_span=sid)
        if isinstance(fact.get("value"), int) and not isinstance(fact["value"], bool):
            fact["value"] = float(fact["value"])
        if isinstance(fact.get("value_max"), int) and not isinstance(fact["value_max"], bool):
            fact["value_max"] = float(fact["value_max"])
        facts.append({k: fact.get(k) for k in FACT_KEYS})
        for label, tail in (item.get("links") or {}).items():
            if tail is None:
                continue
            if tail not in by_id:
                problems.append(f"fact {position} ({sid}): {label} link to unknown span {tail!r}")
                continue
            relation = {"head": sid, "tail": tail, "label": label}
            if relation not in relations:
                relations.append(relation)
    spans.sort(key=lambda s: (s["start"], s["end"]))
    record: Record = {
        "id": spec.get("id"),
        "text": text,
        "meta": {**(meta or {}), **(spec.get("meta") or {})},
        "spans": spans,
        "relations": relations,
        "facts": facts,
        "notes": spec.get("notes"),
    }
    return record, problems


def read_sources(path: Path, source_dir: str = "corpus/raw") -> dict[str, dict]:
    """doc id -> meta (source, url, title, published) from a SOURCES.tsv with a `file` column
    (and optionally `doc_id`; the file's stem otherwise)."""
    out: dict[str, dict] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            name = row.get("file") or ""
            doc_id = row.get("doc_id") or Path(name).stem
            out[doc_id] = {
                "source": f"{source_dir.rstrip('/')}/{name}" if name else None,
                "url": row.get("url") or None,
                "title": row.get("title") or None,
                "published": row.get("published") or None,
            }
    return out


@dataclass
class SpecResult:
    """What became of one spec file: the record (when it could be built), the spec problems
    and validation issues, and whether the record was written."""

    path: Path
    doc_id: str
    record: Record | None = None
    problems: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    written: bool = False


def build_spec_files(specs: list[Path], raw_dir: Path, outdir: Path,
                     meta: dict[str, dict] | None = None, *,
                     tokenizer: Callable | None = None,
                     check_codes: bool = True) -> list[SpecResult]:
    """Build and validate each spec against `raw_dir/<id>.txt`; write `outdir/<id>.json` for
    the records without problems or errors (atomically)."""
    from .validate import validate_records

    results = []
    for path in specs:
        result = SpecResult(path, path.stem)
        results.append(result)
        try:
            spec = read_json(path)
        except (CorpusFormatError, OSError) as err:
            result.problems.append(f"E001 {err}")
            continue
        result.doc_id = spec.get("id") or path.stem
        raw = raw_dir / f"{result.doc_id}.txt"
        if not raw.exists():
            result.problems.append(f"no text {raw}")
            continue
        text = raw.read_text(encoding="utf-8")
        record, problems = build_record({**spec, "id": result.doc_id}, text,
                                        (meta or {}).get(result.doc_id))
        result.record = record
        result.problems += [f"spec: {p}" for p in problems]
        result.issues = validate_records([record], tokenizer=tokenizer, origins=[str(path)],
                                         areas=None if check_codes else {})
        if result.problems or any(i.is_error for i in result.issues):
            continue
        write_document(outdir / f"{result.doc_id}.json", record)
        result.written = True
    return results
