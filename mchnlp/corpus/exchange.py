"""Exchange with annotation tools: Label Studio (JSON export, tasks) and doccano (JSONL).

Import turns a tool's export into corpus records: spans, relations, and the facts carried
through the task data whose value span and links are unchanged since the export (`carry`);
facts of values added or edited are rebuilt from the spans and relations by
`corpus.recompute`, which needs a pipeline. Export turns records into tasks, optionally
pre-annotated by a pipeline (`doc.ents` + `doc._.rel`) so that an annotator only corrects the
model's output.

Label Studio measures offsets in UTF-16 code units (JavaScript strings); they equal Python
offsets unless the text holds characters outside the BMP (emoji). Both directions convert.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .carry import SNAPSHOT_KEY, carry_facts, export_snapshot, read_snapshot
from .schema import (
    ENTITY_LABELS,
    META_KEYS,
    RELATION_LABELS,
    RELATION_TAIL,
    VALUE_LABELS,
    CorpusFormatError,
    Record,
    iter_jsonl,
    read_json,
    write_atomic,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

FROM_NAME = "label"  # the <Labels name=...> of `labelstudio_config`
TO_NAME = "text"  # the <Text name=...>
TAIL_RELATION = {label: rel for rel, label in RELATION_TAIL.items()}
COLORS = {
    "INDICATOR": "#f4a261",
    "COUNT": "#2a9d8f",
    "RATE": "#3a86ff",
    "LOCATION": "#8ecae6",
    "DATE": "#e9c46a",
}


@dataclass
class ImportResult:
    """Records read from a tool's export, and what was skipped or dropped (with its place).

    Attributes:
        records: the imported records.
        errors: what could not be read, each with its file and task or line; the task or
            row it belongs to is left out, the others are still read.
        warnings: tasks skipped, with their place.
        origins: per record, where it came from (`file: task N (id …)`, `file:line`).
        dropped: document id -> the carried facts not kept, each with the reason (their
            value span or its links changed since the export); `corpus.recompute` rebuilds
            facts for those values.
    """

    records: list[Record] = field(default_factory=list)
    errors: list[CorpusFormatError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    dropped: dict[str, list[tuple[dict, str]]] = field(default_factory=dict)


# -- offsets -----------------------------------------------------------------------------------
def _has_astral(text: str) -> bool:
    return any(ord(ch) > 0xFFFF for ch in text)


def py_to_utf16(text: str, offset: int) -> int:
    """Python (code point) offset -> UTF-16 code unit offset."""
    return offset + sum(1 for ch in text[:offset] if ord(ch) > 0xFFFF)


def utf16_to_py(text: str, offset: int) -> int | None:
    """UTF-16 code unit offset -> Python offset (None inside a surrogate pair or past the end)."""
    units = 0
    for index, ch in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > offset:
            return None
    return len(text) if units == offset else None


# -- shared helpers ----------------------------------------------------------------------------
def _meta_from(data: dict) -> dict:
    nested = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    return {key: data.get(key, nested.get(key)) for key in META_KEYS}


def _orient(head: str, tail: str, spans: dict[str, dict]) -> tuple[str, str]:
    """Relations go from the value to its attribute; fix arrows drawn the other way."""
    if spans[head]["label"] not in VALUE_LABELS and spans[tail]["label"] in VALUE_LABELS:
        return tail, head
    return head, tail


def _relation_labels(labels: Any, tail: dict, place: str, source: str | None) -> list[str]:
    if labels in (None, []):
        inferred = TAIL_RELATION.get(tail["label"])
        if inferred is None:
            raise CorpusFormatError(
                source, None, f"relation without a label to a {tail['label']} span", where=place
            )
        return [inferred]
    if isinstance(labels, str):
        return [labels]
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise CorpusFormatError(
            source, None, f"relation labels must be strings: {labels!r}", where=place
        )
    return labels


def _renumber(
    spans: list[dict], relations: list[dict]
) -> tuple[list[dict], list[dict], dict[str, str]]:
    ordered = sorted(spans, key=lambda s: (s["start"], s["end"]))
    mapping = {s["id"]: f"s{i}" for i, s in enumerate(ordered, start=1)}
    return (
        [{**s, "id": mapping[s["id"]]} for s in ordered],
        [{**r, "head": mapping[r["head"]], "tail": mapping[r["tail"]]} for r in relations],
        mapping,
    )


def _span(
    text: str, sid: str, start: Any, end: Any, label: Any, place: str, source: str | None
) -> dict:
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
        raise CorpusFormatError(
            source,
            None,
            f"span {sid}: offsets must be integers, got {start!r}, {end!r}",
            where=place,
        )
    if not 0 <= start < end <= len(text):
        raise CorpusFormatError(
            source,
            None,
            f"span {sid}: offsets {start}-{end} outside the text (length {len(text)})",
            where=place,
        )
    if not isinstance(label, str) or not label:
        raise CorpusFormatError(
            source, None, f"span {sid}: label must be a string, got {label!r}", where=place
        )
    return {"id": sid, "start": start, "end": end, "label": label, "text": text[start:end]}


def _finish(
    out: ImportResult,
    origin: str,
    doc_id: str,
    text: str,
    meta: dict,
    spans: dict[str, dict],
    relations: list[dict],
    carried: dict,
    renumber: bool,
) -> None:
    """Append the record to `out`, with the carried facts that are still valid (`carry`).

    `carried` is the task data (or doccano row) holding facts, notes, split and the snapshot.
    """
    span_list, rel_list = list(spans.values()), relations
    id_map = {sid: sid for sid in spans}
    if renumber:
        span_list, rel_list, id_map = _renumber(span_list, rel_list)
    facts, dropped = carry_facts(
        carried.get("facts"), span_list, rel_list, id_map, read_snapshot(carried),
        meta.get("published"),
    )
    record: dict[str, Any] = {"id": doc_id}
    if carried.get("split") is not None:
        record["split"] = carried["split"]
    notes = carried.get("notes")
    record.update(
        text=text,
        meta=meta,
        spans=span_list,
        relations=rel_list,
        facts=facts,
        notes=notes if isinstance(notes, str) else None,
    )
    out.records.append(record)  # type: ignore[arg-type]
    out.origins.append(origin)
    if dropped:
        out.dropped.setdefault(doc_id, []).extend(dropped)


# -- Label Studio ------------------------------------------------------------------------------
def labelstudio_config() -> str:
    """The Label Studio labeling config (XML) that matches the exported tasks."""
    labels = "\n".join(
        f'    <Label value="{label}" background="{COLORS[label]}"/>' for label in ENTITY_LABELS
    )
    relations = "\n".join(f'    <Relation value="{label}"/>' for label in RELATION_LABELS)
    return (
        f"<View>\n  <Relations>\n{relations}\n  </Relations>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{labels}\n  </Labels>\n'
        f'  <Text name="{TO_NAME}" value="$text"/>\n</View>\n'
    )


def _ls_results(
    text: str,
    spans: Iterable[dict],
    relations: Iterable[dict],
    scores: dict[str, float] | None = None,
) -> list[dict]:
    astral = _has_astral(text)
    results: list[dict] = []
    for span in spans:
        start, end = span["start"], span["end"]
        if astral:
            start, end = py_to_utf16(text, start), py_to_utf16(text, end)
        item = {
            "id": span["id"],
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "value": {"start": start, "end": end, "text": span["text"], "labels": [span["label"]]},
        }
        if scores is not None and span["id"] in scores:
            item["score"] = scores[span["id"]]
        results.append(item)
    for rel in relations:
        results.append(
            {
                "from_id": rel["head"],
                "to_id": rel["tail"],
                "type": "relation",
                "direction": "right",
                "labels": [rel["label"]],
            }
        )
    return results


def _predicted(doc: Doc, prefix: str = "p") -> tuple[list[dict], list[dict]]:
    """Spans and relations of a processed Doc (entities + `doc._.rel`) in record form."""
    spans, by_start = [], {}
    for i, ent in enumerate(doc.ents, start=1):
        span = {
            "id": f"{prefix}{i}",
            "start": ent.start_char,
            "end": ent.end_char,
            "label": ent.label_,
            "text": ent.text,
        }
        spans.append(span)
        by_start[ent.start] = span
    relations = []
    for (head, tail), scores in sorted((doc._.rel or {}).items()):
        if head not in by_start or tail not in by_start:
            continue
        for label, score in sorted(scores.items()):
            if label in RELATION_LABELS and score >= 0.5:
                relations.append(
                    {"head": by_start[head]["id"], "tail": by_start[tail]["id"], "label": label}
                )
    return spans, relations


def to_labelstudio_tasks(
    records: Iterable[Record],
    nlp: Language | None = None,
    *,
    include_annotations: bool = True,
    model_version: str | None = None,
) -> list[dict]:
    """Label Studio tasks for the records.

    Args:
        records: corpus records (annotated or not).
        nlp: when given, the pipeline's entities and links become the task's `predictions`
            (shown to the annotator as pre-annotations).
        include_annotations: put the records' own spans/relations in `annotations` (turn
            off for texts nobody has annotated yet).
        model_version: label of the predictions (default "mchnlp <version>").

    Returns:
        Task dicts: `data` holds text, doc_id, meta fields, facts, notes and the snapshot of
        what the facts were built from (facts come back on import for values whose span
        and links are unchanged).
    """
    records = list(records)
    docs: list[Doc | None] = [None] * len(records)
    if nlp is not None:
        docs = list(nlp.pipe(r["text"] for r in records))
        if model_version is None:
            from mchnlp import __version__

            model_version = f"mchnlp {__version__}"
    tasks = []
    for record, doc in zip(records, docs):
        meta = record.get("meta") or {}
        data = {"text": record["text"], "doc_id": record["id"]}
        data.update({k: meta.get(k) for k in META_KEYS})
        if record.get("split"):
            data["split"] = record["split"]
        data["facts"] = record.get("facts") or []
        data["notes"] = record.get("notes")
        data[SNAPSHOT_KEY] = export_snapshot(record)
        task: dict[str, Any] = {"data": data}
        spans, relations = record.get("spans") or [], record.get("relations") or []
        if include_annotations:  # an empty result is an annotation too: "nothing here"
            task["annotations"] = [
                {
                    "result": _ls_results(record["text"], spans, relations),
                    "was_cancelled": False,
                    "ground_truth": False,
                }
            ]
        if doc is not None:
            p_spans, p_relations = _predicted(doc)
            task["predictions"] = [
                {
                    "model_version": model_version,
                    "result": _ls_results(record["text"], p_spans, p_relations),
                }
            ]
        tasks.append(task)
    return tasks


def write_labelstudio_tasks(path: str | os.PathLike, tasks: list[dict]) -> None:
    """Write tasks as a Label Studio import file (JSON list), atomically."""
    write_atomic(path, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")


def _choose_annotation(
    task: dict, use_predictions: bool, place: str, source: str | None
) -> tuple[list | None, str]:
    annotations = task.get("annotations") or task.get("completions") or []
    if not isinstance(annotations, list):
        raise CorpusFormatError(source, None, "'annotations' must be a list", where=place)
    usable = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    if usable:
        chosen = max(enumerate(usable), key=lambda p: (str(p[1].get("updated_at") or ""), p[0]))[1]
        return chosen.get("result"), "annotation"
    predictions = task.get("predictions") or []
    if use_predictions and isinstance(predictions, list) and predictions:
        return predictions[-1].get("result") if isinstance(
            predictions[-1], dict
        ) else None, "prediction"
    return None, "none"


def parse_labelstudio(
    tasks: Any,
    *,
    source: str | None = None,
    text_key: str = "text",
    use_predictions: bool = False,
    renumber: bool = False,
) -> ImportResult:
    """Records from parsed Label Studio export data (a list of tasks, or one task).

    Args:
        tasks: the parsed JSON export ("JSON" format, with `annotations`).
        source: file name for messages.
        text_key: the data field holding the text (`$text` in the labeling config).
        use_predictions: import predictions of tasks nobody annotated (default: skip them,
            unreviewed model output is not gold).
        renumber: give spans ids s1, s2, … in text order (default: keep the region ids).

    Raises:
        CorpusFormatError: the data is not a list of tasks. What cannot be read inside a
            task goes to `ImportResult.errors` (every error, with the file and task index),
            and the task is left out.
    """
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise CorpusFormatError(source, None, "a Label Studio export is a JSON list of tasks")
    out = ImportResult()
    for index, task in enumerate(tasks):
        try:
            _ls_task(out, index, task, source, text_key, use_predictions, renumber)
        except CorpusFormatError as err:
            out.errors.append(err)
    return out


def _ls_task(out: ImportResult, index: int, task: Any, source: str | None, text_key: str,
             use_predictions: bool, renumber: bool) -> None:
    """Add the record of one task to `out`; its format errors go to `out.errors` (all of
    them: one per bad region or relation) and the task is left out."""
    place = f"task {index}" + (
        f" (id {task.get('id')})" if isinstance(task, dict) and task.get("id") is not None
        else "")
    if not isinstance(task, dict):
        raise CorpusFormatError(source, None, "task is not an object", where=place)
    data = task.get("data")
    if not isinstance(data, dict):
        hint = " (JSON-MIN export? export as JSON)" if text_key in task else ""
        raise CorpusFormatError(source, None, f"task has no 'data' object{hint}", where=place)
    text = data.get(text_key)
    if not isinstance(text, str):
        raise CorpusFormatError(source, None, f"data.{text_key} is not a string", where=place)
    doc_id = (
        data.get("doc_id")
        or (data.get("id") if isinstance(data.get("id"), str) else None)
        or f"ls_{task.get('id', index)}"
    )
    result, origin = _choose_annotation(task, use_predictions, place, source)
    if result is None:
        out.warnings.append(f"{source or '<input>'}: {place}: {doc_id}: no annotation, skipped")
        return
    if not isinstance(result, list):
        raise CorpusFormatError(source, None, f"{origin} 'result' must be a list", where=place)
    errors: list[CorpusFormatError] = []
    spans, relations = _ls_regions(text, result, place, source, errors)
    if errors:
        out.errors.extend(errors)
        return
    _finish(out, f"{source or '<input>'}: {place}", str(doc_id), text, _meta_from(data),
            spans, relations, data, renumber)


def _ls_regions(
    text: str,
    result: list,
    place: str,
    source: str | None,
    errors: list[CorpusFormatError],
) -> tuple[dict[str, dict], list[dict]]:
    """The spans and relations of one annotation; each bad region or relation adds its
    error to `errors` and is left out."""
    astral = _has_astral(text)
    spans: dict[str, dict] = {}
    raw_relations = []
    for position, item in enumerate(result):
        where = f"{place}, result {position}"
        try:
            sid, span = _ls_region(text, item, astral, spans, where, source)
        except CorpusFormatError as err:
            errors.append(err)
            continue
        if sid == "relation":
            raw_relations.append((where, item))
        elif span is not None:
            spans[sid] = span
    relations: list[dict] = []
    seen = set()
    for where, item in raw_relations:
        try:
            labelled = _ls_relation(item, spans, where, source)
        except CorpusFormatError as err:
            errors.append(err)
            continue
        for head, tail, label in labelled:
            if (head, tail, label) not in seen:
                seen.add((head, tail, label))
                relations.append({"head": head, "tail": tail, "label": label})
    return spans, relations


def _ls_region(text: str, item: Any, astral: bool, spans: dict[str, dict], where: str,
               source: str | None) -> tuple[str, dict | None]:
    """(region id, span) of one result item; ("relation", None) for a relation and
    ("", None) for what is not a span (choices, text areas, ratings)."""
    if not isinstance(item, dict):
        raise CorpusFormatError(source, None, "result item is not an object", where=where)
    kind = item.get("type")
    if kind == "relation":
        return "relation", None
    if kind != "labels":
        return "", None
    value = item.get("value")
    sid = item.get("id")
    if not isinstance(value, dict) or not isinstance(sid, str) or not sid:
        raise CorpusFormatError(source, None, "labels result needs an 'id' and a 'value'",
                                where=where)
    labels = value.get("labels")
    if not isinstance(labels, list) or len(labels) != 1:
        raise CorpusFormatError(source, None,
                                f"region {sid} must have exactly one label, got {labels!r}",
                                where=where)
    if sid in spans:
        raise CorpusFormatError(source, None, f"region id {sid} used twice", where=where)
    start, end = value.get("start"), value.get("end")
    if astral and isinstance(start, int) and isinstance(end, int):
        py_start, py_end = utf16_to_py(text, start), utf16_to_py(text, end)
        if py_start is not None and py_end is not None:
            start, end = py_start, py_end
    span = _span(text, sid, start, end, labels[0], where, source)
    if isinstance(value.get("text"), str) and value["text"] != span["text"]:
        raise CorpusFormatError(source, None, f"region {sid}: text {value['text']!r} but the "
                                f"document has {span['text']!r} at {start}-{end}", where=where)
    return sid, span


def _ls_relation(item: dict, spans: dict[str, dict], where: str, source: str | None
                 ) -> list[tuple[str, str, str]]:
    """(head, tail, label) of one relation item, one per label."""
    head, tail = item.get("from_id"), item.get("to_id")
    missing = [x for x in (head, tail) if x not in spans]
    if missing:
        raise CorpusFormatError(source, None,
                                f"relation to unknown region {', '.join(map(str, missing))}",
                                where=where)
    if item.get("direction") == "left":
        head, tail = tail, head
    head, tail = _orient(head, tail, spans)
    return [(head, tail, label)
            for label in _relation_labels(item.get("labels"), spans[tail], where, source)]


def import_labelstudio(path: str | os.PathLike, **kwargs: Any) -> ImportResult:
    """Read a Label Studio JSON export file; arguments as `parse_labelstudio`.

    Raises:
        CorpusFormatError: malformed JSON (`path:line`) or content (`path: task N`).
    """
    return parse_labelstudio(read_json(path), source=str(path), **kwargs)


# -- doccano -----------------------------------------------------------------------------------
def with_predictions(records: Iterable[Record], nlp: Language) -> list[Record]:
    """The records, those without spans pre-annotated with the pipeline's entities and links
    (span ids s1, s2, …; no facts: import rebuilds them from the corrected spans and links)."""
    records = list(records)
    todo = [r for r in records if not r.get("spans")]
    docs = dict(zip((id(r) for r in todo), nlp.pipe(r["text"] for r in todo)))
    out = []
    for record in records:
        doc = docs.get(id(record))
        if doc is None:
            out.append(record)
            continue
        spans, relations = _predicted(doc, prefix="s")
        out.append({**record, "spans": spans, "relations": relations, "facts": []})
    return out


def to_doccano(records: Iterable[Record], nlp: Language | None = None) -> list[dict]:
    """doccano relation-project JSONL rows (`entities` with integer ids, `relations`).

    Span ids of the form s<N> keep N; others get fresh numbers. Facts, notes, doc_id, meta and
    the export snapshot ride along as extra columns (doccano keeps them as metadata). With
    `nlp`, records without spans get the pipeline's entities and links (`with_predictions`):
    doccano has no separate predictions, its pre-annotations are the rows' entities.
    """
    rows = []
    for record in with_predictions(records, nlp) if nlp is not None else records:
        spans = record.get("spans") or []
        numbers: dict[str, int] = {}
        for span in spans:
            sid = span["id"]
            if sid[:1] == "s" and sid[1:].isdigit() and int(sid[1:]) not in numbers.values():
                numbers[sid] = int(sid[1:])
        fresh = max(numbers.values(), default=0)
        for span in spans:
            if span["id"] not in numbers:
                fresh += 1
                numbers[span["id"]] = fresh
        entities = [
            {
                "id": numbers[s["id"]],
                "start_offset": s["start"],
                "end_offset": s["end"],
                "label": s["label"],
            }
            for s in spans
        ]
        relations = [
            {
                "id": i,
                "from_id": numbers[r["head"]],
                "to_id": numbers[r["tail"]],
                "type": r["label"],
            }
            for i, r in enumerate(record.get("relations") or [], 1)
            if r["head"] in numbers and r["tail"] in numbers
        ]
        facts = [
            {**f, "value_span": f"s{numbers[f['value_span']]}"}
            if f.get("value_span") in numbers
            else f
            for f in record.get("facts") or []
        ]
        row = {
            "text": record["text"],
            "entities": entities,
            "relations": relations,
            "doc_id": record["id"],
            "meta": dict(record.get("meta") or {}),
            "facts": facts,
            "notes": record.get("notes"),
            SNAPSHOT_KEY: export_snapshot(record),
        }
        if record.get("split"):
            row["split"] = record["split"]
        rows.append(row)
    return rows


def write_doccano(
    path: str | os.PathLike, records: Iterable[Record], nlp: Language | None = None
) -> int:
    """Write records as doccano JSONL (`to_doccano`), atomically. Returns the number of rows."""
    rows = to_doccano(records, nlp)
    write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    return len(rows)


def parse_doccano(
    rows: Iterable[tuple[int, dict]], *, source: str | None = None, renumber: bool = False
) -> ImportResult:
    """Records from doccano rows given as `(line_number, object)`.

    Accepts `"entities": [{"id", "start_offset", "end_offset", "label"}]` with
    `"relations": [{"from_id", "to_id", "type"}]`, and the sequence-labelling style
    `"label": [[start, end, "LABEL"], ...]` (no relations). The text is in `text` (or `data`).
    Span ids become s<entity id> (s1, s2, … in the list style).

    Every row that cannot be read adds its error (file and line) to `ImportResult.errors`
    and is left out; the other rows are still read.
    """
    out = ImportResult()
    stem = Path(source).stem if source else "doccano"
    for line, row in rows:
        try:
            _doccano_row(out, line, row, source, stem, renumber)
        except CorpusFormatError as err:
            out.errors.append(err)
    return out


def _doccano_row(out: ImportResult, line: int, row: dict, source: str | None, stem: str,
                 renumber: bool) -> None:
    """Add the record of one doccano row to `out`."""
    place = f"line {line}"

    def fail(message: str) -> CorpusFormatError:
        return CorpusFormatError(source, line, message)

    text = row.get("text", row.get("data"))
    if not isinstance(text, str):
        raise fail("row has no string 'text'")
    spans: dict[str, dict] = {}
    entities = row.get("entities")
    listed = row.get("label", row.get("labels"))
    if isinstance(entities, list):
        for entity in entities:
            if not isinstance(entity, dict) or "id" not in entity:
                raise fail(f"entity {entity!r} needs id, start_offset, end_offset, label")
            sid = f"s{entity['id']}"
            if sid in spans:
                raise fail(f"entity id {entity['id']} used twice")
            try:
                spans[sid] = _span(
                    text,
                    sid,
                    entity.get("start_offset"),
                    entity.get("end_offset"),
                    entity.get("label"),
                    place,
                    source,
                )
            except CorpusFormatError as err:
                raise fail(err.message) from None
    elif isinstance(listed, list):
        for number, item in enumerate(listed, start=1):
            if not (isinstance(item, (list, tuple)) and len(item) == 3):
                raise fail(f"label item {item!r} is not [start, end, label]")
            try:
                spans[f"s{number}"] = _span(
                    text, f"s{number}", item[0], item[1], item[2], place, source
                )
            except CorpusFormatError as err:
                raise fail(err.message) from None
    elif entities is not None or listed is not None:
        raise fail("'entities'/'label' must be a list")
    relations: list[dict] = []
    raw_relations = row.get("relations") or []
    if not isinstance(raw_relations, list):
        raise fail("'relations' must be a list")
    if raw_relations and not isinstance(entities, list):
        raise fail("relations need the 'entities' style (entity ids)")
    seen = set()
    for rel in raw_relations:
        if not isinstance(rel, dict):
            raise fail(f"relation {rel!r} is not an object")
        head, tail = f"s{rel.get('from_id')}", f"s{rel.get('to_id')}"
        missing = [x[1:] for x in (head, tail) if x not in spans]
        if missing:
            raise fail(
                f"relation {rel.get('id')} refers to unknown entity {', '.join(missing)}"
            )
        head, tail = _orient(head, tail, spans)
        try:
            labels = _relation_labels(
                rel.get("type", rel.get("label")), spans[tail], place, source
            )
        except CorpusFormatError as err:
            raise fail(err.message) from None
        for label in labels:
            if (head, tail, label) not in seen:
                seen.add((head, tail, label))
                relations.append({"head": head, "tail": tail, "label": label})
    meta_source = row.get("meta") if isinstance(row.get("meta"), dict) else {}
    doc_id = (
        row.get("doc_id")
        or meta_source.get("doc_id")
        or (row["id"] if isinstance(row.get("id"), str) else None)
        or f"{stem}_{row.get('id', line)}"
    )
    carried = {**meta_source, **row}  # doccano may hand extra columns back in `meta`
    _finish(out, f"{source or '<input>'}:{line}", str(doc_id), text, _meta_from(row),
            spans, relations, carried, renumber)


def import_doccano(path: str | os.PathLike, **kwargs: Any) -> ImportResult:
    """Read a doccano JSONL export; arguments as `parse_doccano`.

    Lines that are not JSON objects, like rows that cannot be read, go to
    `ImportResult.errors` as `path:line: message`.
    """
    bad_lines: list[CorpusFormatError] = []
    out = parse_doccano(iter_jsonl(path, bad_lines), source=str(path), **kwargs)
    out.errors = sorted(bad_lines + out.errors, key=lambda err: err.line or 0)
    return out


def import_file(path: str | os.PathLike, fmt: str = "auto", **kwargs: Any) -> ImportResult:
    """Import a Label Studio (.json) or doccano (.jsonl) export; `fmt` overrides the guess."""
    if fmt == "auto":
        fmt = "doccano" if Path(path).suffix == ".jsonl" else "labelstudio"
    if fmt == "labelstudio":
        return import_labelstudio(path, **kwargs)
    if fmt == "doccano":
        kwargs.pop("use_predictions", None)
        kwargs.pop("text_key", None)
        return import_doccano(path, **kwargs)
    raise ValueError(f"unknown exchange format {fmt!r} (labelstudio, doccano)")
