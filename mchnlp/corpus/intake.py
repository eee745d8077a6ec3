"""Taking annotations in: read exports, rebuild stale facts, validate, and say what changes.

`take_in` is what `mchnlp corpus import` and `mchnlp train --add` run on their input files:
Label Studio JSON, doccano JSONL, or records already in the corpus format (JSONL). It imports
them (format errors raise `CorpusFormatError` with file and task or line), rebuilds the facts
of values whose span or links were edited (`corpus.recompute`, with a pipeline), validates the
records with the corpus validator (every issue names the file and task or line), and compares
each record with the corpus's record of the same document (`corpus.diff`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .diff import DocumentDiff, diff_record, format_diff
from .exchange import ImportResult, import_file
from .issues import Issue
from .schema import Record, iter_jsonl
from .validate import validate_records

if TYPE_CHECKING:
    from spacy.language import Language


@dataclass
class Intake:
    """The records taken in, what the validator found, and what they change.

    Attributes:
        records: the records, facts rebuilt where needed.
        origins: per record, its file and task or line.
        issues: the validator's findings (each with the record's origin).
        diffs: per record, its changes against the corpus.
        warnings: skipped tasks, and values for which no fact could be built.
    """

    records: list[Record] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    diffs: list[DocumentDiff] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    def report(self) -> list[str]:
        """The per-document report lines (`corpus.diff.format_diff`)."""
        return [line for d in self.diffs for line in format_diff(d)]


def _broken(record: object) -> bool:
    """A record whose fields, spans or relations are unusable (errors other than those of
    its facts): facts cannot be built for it, nor changes listed."""
    return any(i.is_error and not i.code.startswith("E3")
               for i in validate_records([record]))  # type: ignore[list-item]


def is_corpus_jsonl(path: str | os.PathLike) -> bool:
    """A JSONL file of corpus records (spans as objects with ids), not a doccano export."""
    if Path(path).suffix != ".jsonl":
        return False
    for _, row in iter_jsonl(path):
        spans = row.get("spans")
        return isinstance(spans, list) and "entities" not in row
    return False


def read_file(path: str | os.PathLike, fmt: str = "auto", **kwargs) -> ImportResult:
    """An export (`exchange.import_file`) or a corpus JSONL file, with origins."""
    if fmt in ("auto", "corpus") and (fmt == "corpus" or is_corpus_jsonl(path)):
        out = ImportResult()
        for line, record in iter_jsonl(path, out.errors):
            out.records.append(record)  # type: ignore[arg-type]
            out.origins.append(f"{path}:{line}")
        return out
    return import_file(path, fmt, **kwargs)


def take_in(
    paths: Iterable[str | os.PathLike],
    nlp: Language | None,
    corpus: Iterable[Record] = (),
    *,
    fmt: str = "auto",
    **import_args,
) -> Intake:
    """Read annotation files, rebuild stale facts, validate, and compare with the corpus.

    Args:
        paths: Label Studio JSON, doccano JSONL or corpus JSONL files.
        nlp: the pipeline whose fact view rebuilds the facts of edited values (None: no
            rebuilding; such values then have no fact, which the validator reports, E307).
        corpus: the current records; a record with the same id is what an imported one
            replaces.
        fmt: "auto", "labelstudio", "doccano" or "corpus".
        import_args: passed to the importer (`use_predictions`, `renumber`).

    Every part of a file that cannot be read (a line, a task, a region) is an E001 issue
    with its place, and the rest is still read: all errors at once.

    Raises:
        CorpusFormatError: a file that cannot be read at all (not JSON, not a list of tasks).
    """
    from .recompute import FactBuilder

    builder = FactBuilder(nlp) if nlp is not None else None
    base = {r["id"]: r for r in corpus}
    out = Intake()
    unreadable: list[Issue] = []
    for path in paths:
        result = read_file(path, fmt, **import_args)
        out.warnings.extend(result.warnings)
        unreadable.extend(Issue("E001", err.message, where=err.place) for err in result.errors)
        for record, origin in zip(result.records, result.origins):
            if _broken(record):  # the validator below reports it; nothing to build on
                out.records.append(record)
                out.origins.append(origin)
                continue
            rebuilt = builder.fill(record) if builder is not None else None
            dropped = result.dropped.get(record["id"], [])
            if builder is None:
                out.warnings.extend(
                    f"{origin}: {record['id']}: fact {f.get('text')!r} [{f.get('start')}:"
                    f"{f.get('end')}] not kept because {why}, and not rebuilt (no pipeline)"
                    for f, why in dropped)
            why = {(f.get("start"), f.get("end")): reason for f, reason in dropped}
            spans = {s["id"]: s for s in record.get("spans") or []}
            for sid, reason in rebuilt.unbuilt if rebuilt is not None else []:
                span = spans[sid]
                carried = why.get((span["start"], span["end"]))
                out.warnings.append(
                    f"{origin}: {record['id']}: no fact built for {span['label']} {sid} "
                    f"{span['text']!r} [{span['start']}:{span['end']}]: {reason}"
                    + (f"; its annotated fact was not kept because {carried}" if carried else "")
                    + " (annotate its indicator relation, or enter the fact in the record)")
            out.records.append(record)
            out.origins.append(origin)
            out.diffs.append(diff_record(base.get(record["id"]), record, origin=origin,
                                         recomputed=rebuilt.facts if rebuilt else ()))
    tokenizer = nlp.tokenizer if nlp is not None else None
    out.issues = unreadable + validate_records(out.records, tokenizer=tokenizer,
                                               origins=out.origins)
    return out
