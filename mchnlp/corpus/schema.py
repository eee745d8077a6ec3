"""The corpus record format, and reading/writing it.

One record per document, stored one per line in `corpus/mch_corpus.jsonl` (the frozen corpus)
or one per file in `corpus/pass1/<id>.json` (annotation passes)::

    {"id": "pool_001", "split": "test", "text": "...",
     "meta": {"source": "corpus/raw/pool_001.txt", "url": ..., "title": ..., "published": ...},
     "spans": [{"id": "s1", "start": 10, "end": 18, "label": "COUNT", "text": "14 kasus"}],
     "relations": [{"head": "s1", "tail": "s2", "label": "indicator"}],
     "facts": [{"indicator": "maternal_mortality", "value": 14.0, ..., "value_span": "s1"}],
     "notes": "..."}

Records are plain dicts (JSON-ready, what `datasets` wants); the TypedDicts below document
their shape for type checkers and readers. `corpus/README.md` documents the format for
annotators.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from typing import Any, TypedDict

from .. import atomic

ENTITY_LABELS: tuple[str, ...] = ("INDICATOR", "COUNT", "RATE", "LOCATION", "DATE")
VALUE_LABELS: frozenset[str] = frozenset({"COUNT", "RATE"})
RELATION_LABELS: tuple[str, ...] = ("indicator", "location", "date")
# the entity label a relation's tail must have
RELATION_TAIL: dict[str, str] = {"indicator": "INDICATOR", "location": "LOCATION", "date": "DATE"}
UNITS: tuple[str, ...] = ("count", "per_1000_live_births", "per_100000_live_births", "percent")
KINDS: tuple[str, ...] = ("observed", "target", "change")
QUALIFIERS: tuple[str | None, ...] = (None, "approx", "more_than", "less_than")
SPLITS: tuple[str, ...] = ("train", "dev", "test")

RECORD_KEYS: tuple[str, ...] = (
    "id",
    "split",
    "text",
    "meta",
    "spans",
    "relations",
    "facts",
    "notes",
)
META_KEYS: tuple[str, ...] = ("source", "url", "title", "published")
SPAN_KEYS: tuple[str, ...] = ("id", "start", "end", "label", "text")
RELATION_KEYS: tuple[str, ...] = ("head", "tail", "label")
FACT_KEYS: tuple[str, ...] = (
    "indicator",
    "value",
    "value_max",
    "qualifier",
    "unit",
    "location",
    "location_code",
    "year",
    "kind",
    "facility",
    "text",
    "start",
    "end",
    "value_span",
)


class Meta(TypedDict, total=False):
    source: str | None  # path of the raw text, relative to the repository root
    url: str | None
    title: str | None
    published: str | None  # "YYYY-MM-DD", "YYYY-MM" or null


class SpanRecord(TypedDict):
    id: str
    start: int  # character offset, inclusive
    end: int  # character offset, exclusive
    label: str  # one of ENTITY_LABELS
    text: str  # == record["text"][start:end]


class RelationRecord(TypedDict):
    head: str  # id of a COUNT/RATE span
    tail: str  # id of an INDICATOR/LOCATION/DATE span
    label: str  # one of RELATION_LABELS


class FactRecord(TypedDict, total=False):
    """`mchnlp.Fact.to_dict()` fields that annotators fill, plus the value span's id."""

    indicator: str
    value: float
    value_max: float | None
    qualifier: str | None
    unit: str
    location: str | None
    location_code: str | None
    year: int | None
    kind: str
    facility: str | None
    text: str
    start: int
    end: int
    value_span: str


class Record(TypedDict, total=False):
    id: str
    split: str | None  # set by `build` from corpus/splits.json; absent in pass files
    text: str
    meta: Meta
    spans: list[SpanRecord]
    relations: list[RelationRecord]
    facts: list[FactRecord]
    notes: str | None


class CorpusFormatError(ValueError):
    """Input that cannot be read as corpus data; carries the file and line (or task index)."""

    def __init__(
        self,
        path: str | os.PathLike | None,
        line: int | None,
        message: str,
        where: str | None = None,
    ):
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        self.where = where  # e.g. "task 3", when a line number does not say enough
        super().__init__(self._render())

    @property
    def place(self) -> str:
        """`path:line` or `path: task N`."""
        place = self.path or "<input>"
        if self.line is not None:
            place += f":{self.line}"
        if self.where:
            place += f": {self.where}"
        return place

    def _render(self) -> str:
        return f"{self.place}: {self.message}"


def _decode_error(
    path: str | os.PathLike,
    err: json.JSONDecodeError,
    line_offset: int = 0,
) -> CorpusFormatError:
    return CorpusFormatError(
        path, err.lineno + line_offset, f"invalid JSON: {err.msg} (column {err.colno})"
    )


def iter_jsonl(
    path: str | os.PathLike,
    errors: list[CorpusFormatError] | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield `(line_number, record)` for every non-blank line of a JSONL file.

    Args:
        path: the JSONL file.
        errors: when given, bad lines are appended to it and skipped instead of raised
            (validation reports every bad line, not only the first).

    Raises:
        CorpusFormatError: at a line that is not a JSON object (`path:line: message`), unless
            `errors` is given.
        FileNotFoundError: when `path` does not exist.
    """
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                problem = CorpusFormatError(
                    path, number, f"not UTF-8 ({err.reason} at byte {err.start})"
                )
                if errors is None:
                    raise problem from None
                errors.append(problem)
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                problem = CorpusFormatError(
                    path, number, f"invalid JSON: {err.msg} (column {err.colno})"
                )
            else:
                if isinstance(record, dict):
                    yield number, record
                    continue
                problem = CorpusFormatError(
                    path, number, f"expected a JSON object, got {type(record).__name__}"
                )
            if errors is None:
                raise problem
            errors.append(problem)


def read_jsonl(path: str | os.PathLike) -> list[Record]:
    """Read a JSONL corpus file into a list of records (plain dicts).

    Raises:
        CorpusFormatError: for malformed JSON or a line that is not an object, as
            `path:line: message`.
    """
    return [record for _, record in iter_jsonl(path)]  # type: ignore[misc]


def read_json(path: str | os.PathLike) -> Any:
    """Read one JSON document; malformed JSON raises CorpusFormatError with its line."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return json.load(handle)
    except json.JSONDecodeError as err:
        raise _decode_error(path, err) from None
    except UnicodeDecodeError as err:
        raise CorpusFormatError(
            path, None, f"not UTF-8 ({err.reason} at byte {err.start})"
        ) from None


def read_document(path: str | os.PathLike) -> Record:
    """Read a per-document annotation file (`corpus/pass1/<id>.json`)."""
    record = read_json(path)
    if not isinstance(record, dict):
        raise CorpusFormatError(path, 1, f"expected a JSON object, got {type(record).__name__}")
    return record  # type: ignore[return-value]


def canonical(record: Record) -> dict[str, Any]:
    """The record with its keys in the documented order (stable diffs); unknown keys last."""
    out = {key: record[key] for key in RECORD_KEYS if key in record}  # type: ignore[literal-required]
    out.update((k, v) for k, v in record.items() if k not in out)
    return out


def dumps(record: Record) -> str:
    """One record as a JSON line (UTF-8 text, keys in documented order, no trailing newline)."""
    return json.dumps(canonical(record), ensure_ascii=False)


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write `text` to `path` through a temporary sibling file and a rename (flushed to disk,
    "\\n" line ends)."""
    atomic.write_atomic(path, text, newline="\n", fsync=True)


def write_jsonl(path: str | os.PathLike, records: Iterable[Record]) -> int:
    """Write records as JSONL atomically (readers never see a half-written file).

    Returns:
        The number of records written.
    """
    lines = [dumps(r) + "\n" for r in records]
    write_atomic(path, "".join(lines))
    return len(lines)


def write_document(path: str | os.PathLike, record: Record) -> None:
    """Write one record as a pretty-printed per-document JSON file, atomically."""
    write_atomic(path, json.dumps(canonical(record), ensure_ascii=False, indent=1) + "\n")


def span_index(record: Record) -> dict[str, SpanRecord]:
    """Span id -> span (first one wins when ids repeat; `validate` reports repeats)."""
    out: dict[str, SpanRecord] = {}
    for span in record.get("spans") or []:
        if isinstance(span, dict) and isinstance(span.get("id"), str):
            out.setdefault(span["id"], span)
    return out


def new_record(doc_id: str, text: str, meta: Meta | None = None) -> Record:
    """An empty (unannotated) record."""
    return {
        "id": doc_id,
        "text": text,
        "meta": dict(meta) if meta else {k: None for k in META_KEYS},  # type: ignore[typeddict-item]
        "spans": [],
        "relations": [],
        "facts": [],
        "notes": None,
    }
