"""Corpus checks (`mchnlp corpus validate`).

`validate_records` returns a list of `Issue`s: errors (E…) make the corpus unusable for
training or evaluation (offsets, overlaps, dangling relations, facts that disagree with their
spans, split coverage); warnings (W…) are suspicious but possible. Every issue carries the
document id and, when known, `path:line` of the record.
"""

from __future__ import annotations

import csv
import gzip
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..knowledge.places import LEVEL_WORD
from .build import SplitAssignment, load_splits, read_records
from .fact_spans import check_fact_against_spans
from .issues import Issue, file_name_mismatch
from .schema import (
    ENTITY_LABELS,
    FACT_KEYS,
    KINDS,
    QUALIFIERS,
    RELATION_LABELS,
    RELATION_TAIL,
    SPLITS,
    UNITS,
    VALUE_LABELS,
    CorpusFormatError,
    Record,
)

Tokenizer = Callable[[str], Any]  # text -> spacy Doc (`nlp.tokenizer` or `nlp.make_doc`)

_PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
YEAR_RANGE = (1945, 2100)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@lru_cache(maxsize=1)
def known_indicators() -> frozenset[str]:
    """Indicator codes of the packaged indicator table."""
    from mchnlp.knowledge import resources

    return frozenset(r["code"] for r in resources.indicator_table()["indicators"])


@lru_cache(maxsize=2)
def area_names(path: str | None = None) -> dict[str, frozenset[str]]:
    """Kemendagri code -> accepted spellings of its name (official with level word, bare).

    Reads `mchnlp/knowledge/data/wilayah.csv.gz` (code,name,level); an empty map when it is missing, which
    turns the location_code check off.
    """
    default = Path(__file__).resolve().parents[1] / "knowledge" / "data" / "wilayah.csv.gz"
    target = Path(path) if path else default
    if not target.exists():
        return {}
    opener = gzip.open if target.suffix == ".gz" else open
    out: dict[str, frozenset[str]] = {}
    with opener(target, "rt", encoding="utf-8", newline="") as handle:  # type: ignore[operator]
        for row in csv.DictReader(handle):
            code, name, level = row.get("code"), row.get("name") or "", row.get("level") or ""
            if not code:
                continue
            word = LEVEL_WORD.get(level)
            names = {name.casefold()}
            if word and not name.casefold().startswith(word.casefold()):
                names.add(f"{word} {name}".casefold())
            out[code] = frozenset(names)
    return out


def validate_records(
    records: Sequence[Record],
    *,
    tokenizer: Tokenizer | None = None,
    splits: SplitAssignment | None = None,
    origins: Sequence[str] | None = None,
    indicators: Iterable[str] | None = None,
    areas: dict[str, frozenset[str]] | None = None,
    root: str | os.PathLike | None = None,
) -> list[Issue]:
    """Check corpus records.

    Args:
        records: the records (plain dicts).
        tokenizer: the pipeline tokenizer (`nlp.tokenizer`); without it the token-boundary
            check (W103) is skipped.
        splits: the split assignment; without it, records must carry a `split` of their own
            when any of them does.
        origins: `path` or `path:line` per record, for the messages.
        indicators: the known indicator codes (default: the packaged table).
        areas: code -> accepted names (default: the packaged area table; `{}` turns off W304).
        root: directory `meta.source` is relative to; when given, the text is compared with
            that file (W502).

    Returns:
        The issues, in document order.
    """
    known = frozenset(indicators) if indicators is not None else known_indicators()
    area_map = area_names() if areas is None else areas
    issues: list[Issue] = []
    ids = Counter(r.get("id") for r in records if isinstance(r, dict))
    for index, record in enumerate(records):
        where = origins[index] if origins is not None else None
        issues.extend(_check_record(record, where, tokenizer, known, area_map, root))
        doc_id = record.get("id") if isinstance(record, dict) else None
        mismatch = file_name_mismatch(doc_id, where) if isinstance(doc_id, str) else None
        if mismatch is not None:
            issues.append(mismatch)
        if isinstance(doc_id, str) and ids[doc_id] > 1:
            issues.append(Issue("E003", f"id {doc_id!r} occurs {ids[doc_id]} times", doc_id, where))
    issues.extend(_check_splits(records, splits, origins))
    return issues


def _check_record(
    record: Record,
    where: str | None,
    tokenizer: Tokenizer | None,
    known: frozenset[str],
    areas: dict[str, frozenset[str]],
    root: str | os.PathLike | None,
) -> list[Issue]:
    if not isinstance(record, dict):
        return [Issue("E002", "record is not a JSON object", where=where)]
    doc_id = record.get("id")
    out: list[Issue] = []
    doc = doc_id if isinstance(doc_id, str) else None

    def add(code: str, message: str) -> None:
        out.append(Issue(code, message, doc, where))

    if not isinstance(doc_id, str) or not doc_id:
        add("E002", f"'id' must be a non-empty string, got {doc_id!r}")
    text = record.get("text")
    if not isinstance(text, str):
        add("E002", f"'text' must be a string, got {type(text).__name__}")
        return out
    lists = {}
    for key in ("spans", "relations", "facts"):
        value = record.get(key, None)
        if not isinstance(value, list):
            add("E002", f"{key!r} must be a list, got {type(value).__name__}")
            value = []
        lists[key] = value
    notes = record.get("notes")
    if notes is not None and not isinstance(notes, str):
        add("E002", f"'notes' must be a string or null, got {type(notes).__name__}")
    _check_meta(record.get("meta"), text, root, add)
    spans = _check_spans(lists["spans"], text, tokenizer, add)
    links = _check_relations(lists["relations"], spans, add)
    _check_facts(lists["facts"], lists["relations"], spans, links, known, areas, add)
    return out


def _check_meta(
    meta: Any, text: str, root: str | os.PathLike | None, add: Callable[[str, str], None]
) -> None:
    if not isinstance(meta, dict):
        add(
            "W501",
            f"'meta' should be an object with source/url/title/published, got "
            f"{type(meta).__name__}",
        )
        return
    for key in ("source", "url", "title", "published"):
        if key not in meta:
            add("W501", f"meta.{key} missing (use null when unknown)")
        elif meta[key] is not None and not isinstance(meta[key], str):
            add("W501", f"meta.{key} must be a string or null, got {meta[key]!r}")
    published = meta.get("published")
    if isinstance(published, str) and not _PUBLISHED.match(published):
        add("W501", f"meta.published {published!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    source = meta.get("source")
    if root is not None and isinstance(source, str):
        path = Path(root) / source
        if path.is_file():
            try:
                with open(path, encoding="utf-8") as handle:
                    raw = handle.read()
            except (OSError, UnicodeDecodeError):
                return
            if raw != text:
                add("W502", f"text differs from {source} (offsets refer to the record's text)")


def _check_spans(
    spans: list, text: str, tokenizer: Tokenizer | None, add: Callable[[str, str], None]
) -> dict[str, dict]:
    """Check spans; return id -> span for the well-formed ones (first occurrence of an id)."""
    good: dict[str, dict] = {}
    placed: list[dict] = []
    doc = None
    for position, span in enumerate(spans):
        if not isinstance(span, dict):
            add("E002", f"spans[{position}] is not an object")
            continue
        sid, start, end = span.get("id"), span.get("start"), span.get("end")
        label, surface = span.get("label"), span.get("text")
        if not isinstance(sid, str) or not sid:
            add("E002", f"spans[{position}] has no string 'id'")
            continue
        if not (_is_int(start) and _is_int(end)):
            add("E002", f"span {sid}: start/end must be integers, got {start!r}, {end!r}")
            continue
        if not isinstance(label, str) or not isinstance(surface, str):
            add("E002", f"span {sid}: 'label' and 'text' must be strings")
            continue
        if sid in good:
            add(
                "E106",
                f"span id {sid} used twice ([{good[sid]['start']}:{good[sid]['end']}] "
                f"and [{start}:{end}])",
            )
            continue
        good[sid] = span
        if label not in ENTITY_LABELS:
            add(
                "E105",
                f"span {sid} [{start}:{end}] {surface!r}: label {label!r} not in "
                f"{', '.join(ENTITY_LABELS)}",
            )
        if not 0 <= start < end <= len(text):
            add(
                "E101", f"span {sid} [{start}:{end}] outside the text (length {len(text)}) or empty"
            )
            continue
        actual = text[start:end]
        if actual != surface:
            add(
                "E102",
                f"span {sid} [{start}:{end}]: text {surface!r} but the document has "
                f"{_short(actual)!r}",
            )
        if actual != actual.strip():
            add("W101", f"span {sid} [{start}:{end}] {actual!r} has whitespace at an edge")
        if tokenizer is not None:
            if doc is None:
                doc = tokenizer(text)
            if doc.char_span(start, end) is None:
                tokens = [t.text for t in doc if t.idx < end and t.idx + len(t.text) > start]
                add(
                    "W103",
                    f"span {sid} at offset {start}-{end} {actual!r} is not on token "
                    f"boundaries (tokens: {' | '.join(tokens)})",
                )
        placed.append(span)
    placed.sort(key=lambda s: (s["start"], s["end"]))
    reach: dict | None = None  # the span reaching furthest right so far
    for span in placed:
        if reach is not None and span["start"] < reach["end"]:
            add(
                "E104",
                f"span {span['id']} [{span['start']}:{span['end']}] {span['text']!r} "
                f"overlaps span {reach['id']} [{reach['start']}:{reach['end']}] "
                f"{reach['text']!r}",
            )
        if reach is None or span["end"] > reach["end"]:
            reach = span
    return good


def _check_relations(
    relations: list, spans: dict[str, dict], add: Callable[[str, str], None]
) -> dict[str, Counter]:
    """Check relations; return value span id -> Counter of its relation labels."""
    links: dict[str, Counter] = {}
    seen: set[tuple] = set()
    for position, rel in enumerate(relations):
        if not isinstance(rel, dict) or not all(
            isinstance(rel.get(k), str) for k in ("head", "tail", "label")
        ):
            add("E002", f"relations[{position}] needs string head, tail and label: {rel!r}")
            continue
        head, tail, label = rel["head"], rel["tail"], rel["label"]
        name = f"relation {head} -{label}-> {tail}"
        key = (head, tail, label)
        if key in seen:
            add("W201", f"{name} listed twice")
            continue
        seen.add(key)
        if label not in RELATION_LABELS:
            add("E203", f"{name}: label {label!r} not in {', '.join(RELATION_LABELS)}")
        missing = [sid for sid in (head, tail) if sid not in spans]
        if missing:
            add("E201", f"{name}: no span {' or '.join(missing)}")
            continue
        if spans[head].get("label") not in VALUE_LABELS:
            add(
                "E202",
                f"{name}: head {head} is {spans[head].get('label')} "
                f"{spans[head].get('text')!r}, not COUNT/RATE",
            )
            continue
        expected = RELATION_TAIL.get(label)
        if expected and spans[tail].get("label") != expected:
            add(
                "E204",
                f"{name}: tail {tail} is {spans[tail].get('label')} "
                f"{spans[tail].get('text')!r}, a {label} relation needs {expected}",
            )
        links.setdefault(head, Counter())[label] += 1
    for head, labels in links.items():
        for label, count in labels.items():
            if count > 1:
                add(
                    "W202",
                    f"value {head} {spans[head].get('text')!r} has {count} {label} relations",
                )
    return links


def indicator_links(relations: list, spans: dict[str, dict]) -> dict[str, list[str]]:
    """Value span id -> the ids of the spans its indicator relations point to."""
    out: dict[str, list[str]] = {}
    for rel in relations:
        if isinstance(rel, dict) and rel.get("label") == "indicator" and \
                rel.get("head") in spans and rel.get("tail") in spans:
            out.setdefault(rel["head"], []).append(rel["tail"])
    return out


def _check_facts(
    facts: list,
    relations: list,
    spans: dict[str, dict],
    links: dict[str, Counter],
    known: frozenset[str],
    areas: dict[str, frozenset[str]],
    add: Callable[[str, str], None],
) -> None:
    anchored: Counter = Counter()
    slots: Counter = Counter()
    indicator_tails = indicator_links(relations, spans)
    for position, fact in enumerate(facts):
        if not isinstance(fact, dict):
            add("E002", f"facts[{position}] is not an object")
            continue
        sid = fact.get("value_span")
        name = f"fact {position} ({sid}, {fact.get('text')!r})"
        span = spans.get(sid) if isinstance(sid, str) else None
        if span is None:
            add("E301", f"{name}: value_span {sid!r} is not a span of the document")
        elif span.get("label") not in VALUE_LABELS:
            add("E301", f"{name}: value_span {sid} is a {span.get('label')} span, not COUNT/RATE")
            span = None
        else:
            anchored[sid] += 1
            slots[(sid, fact.get("location"), fact.get("facility"), fact.get("year"))] += 1
            check_fact_against_spans(fact, name, span,
                                     [spans[t] for t in indicator_tails.get(sid, ())], add)
            for key in ("start", "end", "text"):
                if key not in fact:
                    add("E302", f"{name}: '{key}' missing (span has {span.get(key)!r})")
                elif fact[key] != span.get(key):
                    add("E302", f"{name}: {key} {fact[key]!r} but span {sid} has {span.get(key)!r}")
        unit, kind = fact.get("unit"), fact.get("kind")
        if unit not in UNITS:
            add("E303", f"{name}: unit {unit!r} not in {', '.join(UNITS)}")
        if kind not in KINDS:
            add("E304", f"{name}: kind {kind!r} not in {', '.join(KINDS)}")
        _check_fact_fields(fact, name, known, areas, add)
        if span is not None:
            if "indicator" not in links.get(sid, {}):
                add("W302", f"{name}: value has no indicator relation")
            if span.get("label") == "COUNT" and unit in UNITS and unit != "count":
                add("W303", f"{name}: COUNT span with unit {unit}")
            if span.get("label") == "RATE" and unit == "count":
                add("W303", f"{name}: RATE span with unit count")
    for (sid, location, facility, year), count in slots.items():
        if count > 1:
            add(
                "E306",
                f"{count} facts on value span {sid} {spans[sid].get('text')!r} with the same "
                f"area and year ({location or facility}, {year}); a value distributed over "
                "areas or years ('masing-masing') gives one fact per area or year",
            )
    for sid, span in spans.items():
        if span.get("label") in VALUE_LABELS and sid not in anchored:
            add(
                "E307",
                f"{span.get('label')} span {sid} [{span.get('start')}:{span.get('end')}] "
                f"{span.get('text')!r} has no fact",
            )


def _check_fact_fields(
    fact: dict,
    name: str,
    known: frozenset[str],
    areas: dict[str, frozenset[str]],
    add: Callable[[str, str], None],
) -> None:
    indicator = fact.get("indicator")
    if not isinstance(indicator, str) or not indicator:
        add("E305", f"{name}: indicator must be a non-empty string, got {indicator!r}")
    elif known and indicator not in known:
        add("W301", f"{name}: indicator {indicator!r} is not in the indicator table")
    value, value_max = fact.get("value"), fact.get("value_max")
    if not _is_number(value):
        add("E305", f"{name}: value must be a number, got {value!r}")
    if value_max is not None:
        if not _is_number(value_max):
            add("E305", f"{name}: value_max must be a number or null, got {value_max!r}")
        elif _is_number(value) and value_max < value:
            add("E305", f"{name}: value_max {value_max} < value {value}")
    if fact.get("qualifier") not in QUALIFIERS:
        add(
            "E305",
            f"{name}: qualifier {fact.get('qualifier')!r} not in "
            f"{', '.join(str(q) for q in QUALIFIERS[1:])} or null",
        )
    year = fact.get("year")
    if year is not None:
        if not _is_int(year):
            add("E305", f"{name}: year must be an integer or null, got {year!r}")
        elif not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            add("W305", f"{name}: year {year} outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}")
    for key in ("location", "location_code", "facility"):
        if fact.get(key) is not None and not isinstance(fact.get(key), str):
            add("E305", f"{name}: {key} must be a string or null, got {fact.get(key)!r}")
    code, location = fact.get("location_code"), fact.get("location")
    if areas and isinstance(code, str):
        names = areas.get(code)
        if names is None:
            add("W304", f"{name}: location_code {code!r} is not a Kemendagri code")
        elif isinstance(location, str) and location.casefold() not in names:
            add(
                "W304",
                f"{name}: location_code {code} is {max(names, key=len)!r}, location is "
                f"{location!r}",
            )
    extra = sorted(k for k in fact if k not in FACT_KEYS)
    if extra:
        add("W306", f"{name}: undocumented fields {', '.join(extra)}")


def _check_splits(
    records: Sequence[Record], splits: SplitAssignment | None, origins: Sequence[str] | None
) -> list[Issue]:
    out: list[Issue] = []
    present: set[str] = set()
    for index, record in enumerate(records):
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            continue
        doc_id = record["id"]
        present.add(doc_id)
        where = origins[index] if origins is not None else None
        own = record.get("split")
        if own is not None and own not in SPLITS:
            out.append(Issue("E402", f"split {own!r} not in {', '.join(SPLITS)}", doc_id, where))
            continue
        if splits is None:
            if "split" in record and own is None:
                out.append(Issue("E401", "record has no split", doc_id, where))
            continue
        assigned = splits.split_of(doc_id)
        if assigned is None:
            out.append(
                Issue(
                    "E401",
                    f"not listed in the split file {splits.path or ''}".rstrip(),
                    doc_id,
                    where,
                )
            )
        elif doc_id in splits.repeated:
            out.append(
                Issue(
                    "E401",
                    "listed in several splits: " + ", ".join(splits.repeated[doc_id]),
                    doc_id,
                    where,
                )
            )
        elif own is not None and own != assigned:
            out.append(
                Issue(
                    "E402",
                    f"record says split {own!r}, the split file says {assigned!r}",
                    doc_id,
                    where,
                )
            )
    if splits is not None:
        for doc_id, listed in sorted(splits.repeated.items()):
            if doc_id not in present:
                out.append(
                    Issue(
                        "E401",
                        "listed in several splits: " + ", ".join(listed),
                        doc_id,
                        splits.path,
                    )
                )
        absent = sorted(set(splits.by_doc) - present)
        if absent:
            shown = ", ".join(absent[:12]) + (
                f", … ({len(absent)} in all)" if len(absent) > 12 else ""
            )
            out.append(
                Issue(
                    "W401",
                    f"{len(absent)} documents in the split file have no record: {shown}",
                    where=splits.path,
                )
            )
    return out


def validate_path(
    path: str | os.PathLike,
    *,
    splits_path: str | os.PathLike | None = None,
    tokenizer: Tokenizer | None = None,
    root: str | os.PathLike | None = None,
    **kwargs: Any,
) -> list[Issue]:
    """Read a corpus file or folder of per-document files and validate it.

    Unreadable files and malformed JSON lines become E001 issues (`path:line`); the rest of
    the input is still checked. A broken split file becomes E403.
    """
    loaded = read_records(path)
    issues = loaded.issues()
    splits = None
    if splits_path is not None:
        try:
            splits = load_splits(splits_path)
        except (CorpusFormatError, OSError) as err:
            issues.append(Issue("E403", str(err), where=str(splits_path)))
    issues.extend(
        validate_records(
            loaded.records,
            tokenizer=tokenizer,
            splits=splits,
            origins=loaded.origins,
            root=root,
            **kwargs,
        )
    )
    return issues
