"""Reading corpus inputs, the split file, and building the frozen `corpus/mch_corpus.jsonl`.

Annotators write one JSON file per document (`corpus/pass1/<id>.json`); `build_corpus` merges
them, sorted by id, with each record's `split` taken from `corpus/splits.json`.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .issues import Issue, file_name_mismatch
from .schema import SPLITS, CorpusFormatError, Record, iter_jsonl, read_json, write_jsonl


@dataclass
class Loaded:
    """Records read from a file or folder, with where each came from and what failed."""

    records: list[Record] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)  # "path" or "path:line", per record
    failures: list[CorpusFormatError] = field(default_factory=list)

    def issues(self) -> list[Issue]:
        return [
            Issue(
                "E001",
                err.message + (f" ({err.where})" if err.where else ""),
                where=f"{err.path}:{err.line}" if err.line else err.path,
            )
            for err in self.failures
        ]


def read_records(path: str | os.PathLike) -> Loaded:
    """Read corpus records from a JSONL file, a per-document JSON file, or a folder of them.

    Unreadable parts are collected in `Loaded.failures` (with file and line) and skipped, so
    one broken annotation file does not hide the problems of the others.

    Raises:
        FileNotFoundError: when `path` does not exist.
    """
    path = Path(path)
    out = Loaded()
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix == ".json" and p.is_file() and not p.name.startswith(".")
        )
        for file in files:
            _read_json_file(file, out)
        for file in sorted(path.glob("*.jsonl")):
            _read_jsonl_file(file, out)
    elif not path.exists():
        raise FileNotFoundError(f"{path}: no such file or directory")
    elif path.suffix == ".jsonl":
        _read_jsonl_file(path, out)
    else:
        _read_json_file(path, out)
    return out


def _read_jsonl_file(path: Path, out: Loaded) -> None:
    for line, record in iter_jsonl(path, errors=out.failures):
        out.records.append(record)  # type: ignore[arg-type]
        out.origins.append(f"{path}:{line}")


def _read_json_file(path: Path, out: Loaded) -> None:
    try:
        data = read_json(path)
    except CorpusFormatError as err:
        out.failures.append(err)
        return
    except OSError as err:
        out.failures.append(CorpusFormatError(path, None, f"cannot read ({err.strerror})"))
        return
    items = data if isinstance(data, list) else [data]
    for index, record in enumerate(items):
        if not isinstance(record, dict):
            out.failures.append(
                CorpusFormatError(
                    path,
                    None,
                    f"expected a JSON object, got {type(record).__name__}",
                    where=f"item {index}" if isinstance(data, list) else None,
                )
            )
            continue
        out.records.append(record)  # type: ignore[arg-type]
        out.origins.append(str(path) if not isinstance(data, list) else f"{path}: item {index}")


@dataclass
class SplitAssignment:
    """The frozen split file: doc id -> split, plus any id listed more than once."""

    by_doc: dict[str, str]
    repeated: dict[str, list[str]]  # doc id -> every split listing it, when > 1 listing
    path: str | None = None

    def split_of(self, doc_id: str) -> str | None:
        return self.by_doc.get(doc_id)


def load_splits(path: str | os.PathLike) -> SplitAssignment:
    """Read `corpus/splits.json` (keys train/dev/test with lists of doc ids; other keys such as
    `seed` and `method` are documentation and ignored).

    Raises:
        CorpusFormatError: malformed JSON, a missing split key, or a non-string id.
    """
    data = read_json(path)
    if not isinstance(data, dict):
        raise CorpusFormatError(path, None, "split file must be a JSON object")
    listed: dict[str, list[str]] = {}
    for split in SPLITS:
        ids = data.get(split)
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise CorpusFormatError(path, None, f"key {split!r} must be a list of document ids")
        for doc_id in ids:
            listed.setdefault(doc_id, []).append(split)
    by_doc = {doc_id: splits[0] for doc_id, splits in listed.items()}
    repeated = {doc_id: splits for doc_id, splits in listed.items() if len(splits) > 1}
    return SplitAssignment(by_doc, repeated, str(path))


@dataclass
class BuildResult:
    records: list[Record]
    issues: list[Issue]


def build_corpus(
    source: str | os.PathLike,
    splits: str | os.PathLike | SplitAssignment,
) -> BuildResult:
    """Merge per-document annotation files into corpus records, sorted by id, with splits.

    Args:
        source: folder of `<id>.json` files (or a JSONL file).
        splits: the split file, or an already loaded assignment.

    Returns:
        The records (each with `split`; None when the split file does not list it) and the
        issues found while merging (unreadable files, id/file-name mismatches, duplicate ids,
        documents without a split). Run `validate_records` for the content checks.
    """
    loaded = read_records(source)
    assignment = splits if isinstance(splits, SplitAssignment) else load_splits(splits)
    issues = loaded.issues()
    counts = Counter(r.get("id") for r in loaded.records)
    out: list[Record] = []
    for record, origin in zip(loaded.records, loaded.origins):
        doc_id = record.get("id")
        if not isinstance(doc_id, str) or not doc_id:
            issues.append(Issue("E002", "record has no string 'id'", where=origin))
            continue
        mismatch = file_name_mismatch(doc_id, origin)
        if mismatch is not None:
            issues.append(mismatch)
        if counts[doc_id] > 1:
            issues.append(
                Issue("E003", f"id {doc_id!r} occurs {counts[doc_id]} times", doc_id, origin)
            )
        merged = dict(record)
        merged["split"] = assignment.split_of(doc_id)
        out.append(merged)  # type: ignore[arg-type]
    out.sort(key=lambda r: r["id"])
    return BuildResult(out, issues)


def write_corpus(records: list[Record], path: str | os.PathLike) -> int:
    """Write the frozen corpus atomically, sorted by id. Returns the number of records."""
    return write_jsonl(path, sorted(records, key=lambda r: r["id"]))
