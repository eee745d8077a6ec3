"""Loading the corpus as a `datasets.DatasetDict`, and converting records to spaCy Docs.

`datasets` is imported inside `load` only, so `import mchnlp` and `import mchnlp.corpus` stay
cheap. Nothing here touches the network: the DatasetDict is built in memory from the local
JSONL file.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .build import load_splits, read_records
from .paths import corpus_file, splits_file
from .schema import (
    FACT_KEYS,
    META_KEYS,
    RELATION_LABELS,
    SPLITS,
    VALUE_LABELS,
    CorpusFormatError,
    Record,
)

if TYPE_CHECKING:
    from datasets import DatasetDict, Features
    from spacy.language import Language
    from spacy.tokens import Doc, DocBin

logger = logging.getLogger(__name__)

# record key -> user_data key of the converted Doc (plain keys survive DocBin)
DOC_ID_KEY = "mchnlp_doc_id"


def features() -> Features:
    """The `datasets` schema of a corpus record (fixed, so empty splits still have columns)."""
    from datasets import Features, Value

    string, integer = Value("string"), Value("int32")
    fact = {k: string for k in FACT_KEYS}
    fact.update(
        value=Value("float64"), value_max=Value("float64"), year=integer, start=integer, end=integer
    )
    return Features(
        {
            "id": string,
            "split": string,
            "text": string,
            "meta": {k: string for k in META_KEYS},
            "spans": [
                {"id": string, "start": integer, "end": integer, "label": string, "text": string}
            ],
            "relations": [{"head": string, "tail": string, "label": string}],
            "facts": [fact],
            "notes": string,
        }
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def normalize(record: Record) -> dict[str, Any]:
    """The record reduced to the documented fields with fixed types (what `features()` holds);
    undocumented fact fields are dropped."""
    meta = record.get("meta") or {}
    facts = []
    for fact in record.get("facts") or []:
        row = {k: fact.get(k) for k in FACT_KEYS}
        row["value"] = _float(row["value"])
        row["value_max"] = _float(row["value_max"])
        facts.append(row)
    return {
        "id": record["id"],
        "split": record.get("split"),
        "text": record["text"],
        "meta": {k: meta.get(k) for k in META_KEYS},
        "spans": [
            {k: s.get(k) for k in ("id", "start", "end", "label", "text")}
            for s in record.get("spans") or []
        ],
        "relations": [
            {k: r.get(k) for k in ("head", "tail", "label")} for r in record.get("relations") or []
        ],
        "facts": facts,
        "notes": record.get("notes"),
    }


def load_records(
    path: str | os.PathLike | None = None, splits_path: str | os.PathLike | None = None
) -> list[Record]:
    """Read corpus records; records without a `split` get theirs from the split file.

    Args:
        path: the corpus JSONL (default `corpus/mch_corpus.jsonl`), or a folder of
            per-document JSON files.
        splits_path: split file used for records without `split` (default
            `corpus/splits.json`).

    Raises:
        CorpusFormatError: malformed input (`path:line: message`), or a record without a
            split that the split file does not list either.
        FileNotFoundError: the corpus is missing.
    """
    target = Path(path) if path is not None else corpus_file()
    if not target.exists():
        raise FileNotFoundError(
            f"{target}: corpus not found (build it with `mchnlp corpus build`, or set "
            "MCHNLP_CORPUS_DIR)"
        )
    loaded = read_records(target)
    if loaded.failures:
        raise loaded.failures[0]
    assignment = None
    records = []
    for record, origin in zip(loaded.records, loaded.origins):
        for key in ("id", "text"):
            if not isinstance(record.get(key), str):
                raise CorpusFormatError(origin, None, f"record needs a string {key!r}")
        if record.get("split") is None:
            if assignment is None:
                sp = Path(splits_path) if splits_path is not None else splits_file()
                assignment = load_splits(sp)
            split = assignment.split_of(record["id"])
            if split is None:
                raise CorpusFormatError(
                    origin,
                    None,
                    f"document {record['id']!r} has no split and "
                    f"{assignment.path} does not list it",
                )
            record = {**record, "split": split}
        elif record["split"] not in SPLITS:
            raise CorpusFormatError(origin, None, f"unknown split {record['split']!r}")
        records.append(record)
    return records


def load(
    path: str | os.PathLike | None = None, splits_path: str | os.PathLike | None = None
) -> DatasetDict:
    """The corpus as a `datasets.DatasetDict` with splits train, dev and test.

    Built from local files only (no download, no cache directory). Columns: id, split, text,
    meta{source,url,title,published}, spans, relations, facts, notes.

    Args:
        path: the corpus JSONL (default `corpus/mch_corpus.jsonl`) or a folder of
            per-document files.
        splits_path: split file for records without `split` (default `corpus/splits.json`).
    """
    from datasets import Dataset, DatasetDict

    records = load_records(path, splits_path)
    schema = features()
    by_split: dict[str, list] = {split: [] for split in SPLITS}
    for record in sorted(records, key=lambda r: r["id"]):
        by_split[record["split"]].append(normalize(record))
    return DatasetDict(
        {split: Dataset.from_list(rows, features=schema) for split, rows in by_split.items()}
    )


@dataclass(frozen=True)
class Misalignment:
    """A span that could not become an entity of the converted Doc."""

    doc: str
    span: str
    start: int
    end: int
    text: str
    label: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.doc}: span {self.span} at offset {self.start}-{self.end} "
            f"{self.text!r} ({self.label}): {self.reason}"
        )


def _record_doc(
    record: Record, nlp: Language, alignment_mode: str, problems: list[Misalignment]
) -> Doc:
    from spacy.tokens import Span

    from mchnlp.facts.extensions import register_extensions

    register_extensions()
    doc_id = str(record.get("id"))
    text = record.get("text") or ""
    doc = nlp.make_doc(text)
    # gold INDICATOR spans carry the indicator code of the facts linked to them (`ent_id_`,
    # as the indicator ruler sets it), so `doc._.facts` can be derived from gold Docs
    fact_of = {f.get("value_span"): f for f in record.get("facts") or [] if isinstance(f, dict)}
    codes: dict[str, str] = {}
    for relation in record.get("relations") or []:
        fact = fact_of.get(relation.get("head"))
        if relation.get("label") == "indicator" and fact and fact.get("indicator"):
            codes.setdefault(relation.get("tail"), fact["indicator"])
    candidates: list[tuple[str, Span]] = []
    for raw in record.get("spans") or []:
        sid, start, end = raw.get("id"), raw.get("start"), raw.get("end")
        label = raw.get("label")

        def problem(reason: str, raw: dict = raw) -> None:
            problems.append(
                Misalignment(
                    doc_id,
                    str(raw.get("id")),
                    raw.get("start", -1),
                    raw.get("end", -1),
                    str(raw.get("text")),
                    str(raw.get("label")),
                    reason,
                )
            )

        if not (
            isinstance(start, int)
            and isinstance(end, int)
            and 0 <= start < end <= len(text)
            and isinstance(label, str)
            and label
        ):
            problem("bad offsets or label")
            continue
        span = doc.char_span(
            start, end, label=label, alignment_mode=alignment_mode, span_id=codes.get(sid, 0)
        )
        if span is None or not len(span):
            problem("not on token boundaries")
            continue
        candidates.append((sid, span))
    candidates.sort(key=lambda item: (item[1].start, -item[1].end))
    kept: dict[str, Span] = {}
    last_end = -1
    for sid, span in candidates:
        if span.start < last_end:
            problems.append(
                Misalignment(
                    doc_id,
                    str(sid),
                    span.start_char,
                    span.end_char,
                    span.text,
                    span.label_,
                    "overlaps another span",
                )
            )
            continue
        kept[sid] = span
        last_end = span.end
    doc.set_ents(list(kept.values()), default="outside")
    rel: dict[tuple[int, int], dict[str, float]] = {}
    for relation in record.get("relations") or []:
        head, tail = kept.get(relation.get("head")), kept.get(relation.get("tail"))
        label = relation.get("label")
        if head is None or tail is None or label not in RELATION_LABELS:
            continue
        if head.label_ not in VALUE_LABELS:
            continue
        rel.setdefault((head.start, tail.start), {})[label] = 1.0
    doc._.rel = rel
    attrs: dict[int, dict] = {}
    for fact in record.get("facts") or []:
        span = kept.get(fact.get("value_span"))
        if span is None:
            continue
        entry = {"kind": fact.get("kind") or "observed"}
        if fact.get("indicator"):
            entry["indicator"] = fact["indicator"]
        if fact.get("qualifier"):
            entry["qualifier"] = fact["qualifier"]
        attrs[span.start] = entry
    doc._.value_attrs = attrs
    doc._.published = (record.get("meta") or {}).get("published")
    doc.user_data[DOC_ID_KEY] = doc_id
    return doc


def docs_from_records(
    records: Iterable[Record],
    nlp: Language,
    *,
    alignment_mode: str = "strict",
    problems: list[Misalignment] | None = None,
) -> Iterator[Doc]:
    """Gold Docs from corpus records, tokenized by `nlp`'s tokenizer (no pipes run).

    Spans become `doc.ents`; relations become `doc._.rel` as
    `{(head_token_start, tail_token_start): {label: 1.0}}`; facts give `doc._.value_attrs`
    (kind, indicator, qualifier per value) and the `ent_id_` (indicator code) of the INDICATOR
    spans they link to, so `doc._.facts` works on the gold Doc; `meta.published` gives `doc._.published`; the
    record id is in `doc.user_data["mchnlp_doc_id"]`.

    Args:
        records: corpus records.
        nlp: the pipeline whose tokenizer defines the tokens.
        alignment_mode: "strict" skips spans that do not fall on token boundaries;
            "contract"/"expand" snap them to the tokens inside/around them.
        problems: receives a `Misalignment` for every span skipped (misaligned, bad offsets,
            overlapping after alignment). Without it, a summary is logged.

    Yields:
        One Doc per record; never raises for span problems.
    """
    sink: list[Misalignment] = [] if problems is None else problems
    for record in records:
        before = len(sink)
        doc = _record_doc(record, nlp, alignment_mode, sink)
        if problems is None and len(sink) > before:
            logger.warning(
                "%s: %d span(s) skipped: %s",
                record.get("id"),
                len(sink) - before,
                "; ".join(str(p) for p in sink[before:]),
            )
        yield doc


def to_docbin(
    records: Iterable[Record],
    nlp: Language,
    *,
    alignment_mode: str = "strict",
    problems: list[Misalignment] | None = None,
) -> DocBin:
    """A `DocBin` (with user data, so `doc._.rel` survives) of the records' gold Docs.

    Arguments as `docs_from_records`.
    """
    from spacy.tokens import DocBin

    docbin = DocBin(store_user_data=True)
    for doc in docs_from_records(records, nlp, alignment_mode=alignment_mode, problems=problems):
        docbin.add(doc)
    return docbin
