"""Reading inputs: text files and folders, JSONL, CSV and Parquet records, and fact files.

Everything streams and nothing stops on a bad record: each unreadable input or record is
reported with its file and line in the caller's `errors` list and skipped.
"""


from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import math
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

INPUT_FORMATS = ("text", "jsonl", "csv", "parquet")


SUFFIXES = {"jsonl": (".jsonl", ".ndjson"), "csv": (".csv",), "parquet": (".parquet", ".pq")}


@dataclass(frozen=True)
class Document:
    """One input document: its id (file name, `path:line` or the id column), text and
    publication date (ISO "YYYY[-MM[-DD]]" or None)."""

    id: str
    text: str
    published: str | None = None


def publication_date(document: Document) -> str | None:
    """The publication date a document's relative years are read against: its own, else
    the date in its dateline (as `mchnlp.extract` finds it), else None."""
    if document.published is not None:
        return document.published
    from ..knowledge.dates import detect_published

    found = detect_published(document.text)
    return found.isoformat() if found is not None else None


# -- reading -----------------------------------------------------------------------------------
def _missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA (the empty cells of a DataFrame)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NaTType", "NAType")  # pandas' missing values


def normalize_published(value: Any) -> str | None:
    """A publication date from an input column as "YYYY-MM-DD", "YYYY-MM" or "YYYY".

    Accepts dates, datetimes (also pandas Timestamps), years as int, and the strings
    `mchnlp.extract` accepts plus ISO datetimes ("2023-05-01T08:00:00+07:00"). Empty values
    give None.

    Raises:
        ValueError: a string in no accepted format. TypeError: a value of another type.
    """
    from ..knowledge.dates import coerce_published

    if _missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise TypeError(f"published must be a date or a string, got {type(value).__name__} "
                        f"{value!r}")
    text = value.strip()
    if not text:
        return None
    try:
        coerce_published(text)
        return text
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        raise ValueError(f"published must be YYYY-MM-DD, YYYY-MM, YYYY or an ISO datetime, "
                         f"got {value!r}") from None


AUTO_ID, AUTO_PUBLISHED = "id", "published"


class _Columns:
    """The column names of a structured input and the conversion of one record. A named
    column must exist in each file; without a name, an `id` and a `published` column are
    used where a record has them."""

    def __init__(self, text: str, id: str | None, published: str | None,
                 default_published: str | None):
        self.text, self.id, self.published = text, id, published
        self.default_published = default_published

    def missing(self, fields: list[str], where: str) -> str | None:
        """An error naming the named columns absent from `fields` (a header or the first
        record), with the columns there are; None when all are present."""
        named = [("text", self.text), ("id", self.id), ("published", self.published)]
        absent = [(option, c) for option, c in named if c is not None and c not in fields]
        if not absent:
            return None
        columns = ", ".join(map(str, fields[:30])) or "none"
        options = "/".join(f"--{option}-column" for option, _ in absent)
        return (f"{where}: no column {', '.join(repr(c) for _, c in absent)} (columns: "
                f"{columns}); use {options}")

    def document(self, record: Any, where: str, errors: list[str],
                 warnings: list[str]) -> Document | None:
        if not isinstance(record, dict):
            errors.append(f"{where}: expected an object, got {type(record).__name__}")
            return None
        if self.text not in record:
            errors.append(f"{where}: no {self.text!r} field (fields: "
                          f"{', '.join(map(str, list(record)[:10])) or 'none'}); use "
                          "--text-column")
            return None
        text = record[self.text]
        if text is None:
            text = ""
        if not isinstance(text, str):
            errors.append(f"{where}: {self.text!r} is {type(text).__name__}, not text")
            return None
        doc_id = where
        id_column = self.id if self.id is not None else AUTO_ID
        value = record.get(id_column)
        if _missing(value) or value == "":
            if self.id is not None:
                warnings.append(f"{where}: empty {self.id!r}, using {where!r} as id")
        else:
            doc_id = str(value)
        published = self.default_published
        published_column = self.published if self.published is not None else AUTO_PUBLISHED
        if published_column in record:
            try:
                published = normalize_published(record[published_column]) or published
            except (TypeError, ValueError) as err:
                warnings.append(f"{where}: {err}; date detected from the text instead")
                published = None
        return Document(doc_id, text, published)


def _structured_files(raw: str, fmt: str, errors: list[str]) -> list[Path]:
    path = Path(raw)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file()
                       and p.suffix.lower() in SUFFIXES[fmt] and not p.name.startswith("."))
        if not files:
            errors.append(f"{path}: folder holds no {fmt} files "
                          f"({', '.join(SUFFIXES[fmt])})")
        return files
    if not path.exists():
        errors.append(f"{path}: no such file or directory")
        return []
    return [path]


def _bom_encoding(head: bytes) -> str | None:
    """"utf-32" or "utf-16" when `head` starts with such a byte-order mark (Python's codecs
    of those names read the mark and the byte order from it); None otherwise."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _jsonl_lines(handle: IO[bytes], name: str, errors: list[str]
                 ) -> Iterator[tuple[int, str]]:
    """(line number, text) of the non-blank lines; UTF-8 lines that do not decode are
    reported and skipped, a UTF-16/32 file (with its BOM) is decoded whole."""
    head = handle.read(4)
    stream = io.BufferedReader(_Prepend(head, handle))  # type: ignore[arg-type]
    encoding = _bom_encoding(head)
    if encoding is not None:
        text = io.TextIOWrapper(stream, encoding=encoding)
        try:
            for line_no, line in enumerate(text, 1):
                if line.strip():
                    yield line_no, line
        except UnicodeDecodeError as err:
            errors.append(f"{name}: not {encoding.upper()} ({err.reason}); rest of the file "
                          "skipped")
        return
    for line_no, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            yield line_no, raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
        except UnicodeDecodeError as err:
            errors.append(f"{name}:{line_no}: not UTF-8 ({err.reason} at byte {err.start}), "
                          "skipped")


def _read_jsonl(handle: IO[bytes], name: str, columns: _Columns, errors: list[str],
                warnings: list[str]) -> Iterator[Document]:
    # JSON records may leave out an optional field: a named id or date column is an error
    # only when no record has it (reported at the end); the text column must be in each,
    # so a misspelt one is one error for the file, not one per record
    text_only = _Columns(columns.text, None, None, None)
    first = True
    lines = 0
    fields: dict[str, None] = {}
    for line_no, line in _jsonl_lines(handle, name, errors):
        lines += 1
        where = f"{name}:{line_no}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            errors.append(f"{where}: malformed JSON ({err.msg} at column {err.colno}), skipped")
            continue
        if isinstance(record, dict):
            if first:
                first = False
                problem = text_only.missing(list(record), f"{name}: first record")
                if problem:
                    errors.append(problem)
                    return
            fields.update(dict.fromkeys(record))
        doc = columns.document(record, where, errors, warnings)
        if doc is not None:
            yield doc
    if not lines:
        errors.append(f"{name}: empty file (no records)")
    elif fields:
        problem = columns.missing(list(fields), f"{name}: in no record")
        if problem:
            errors.append(problem)


def _read_csv(handle: IO[bytes], name: str, columns: _Columns, errors: list[str],
              warnings: list[str]) -> Iterator[Document]:
    # articles are long: lift the csv module's 128 KiB field limit
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    sample = handle.read(4096)
    encoding = _bom_encoding(sample)
    if encoding is None and b"\x00" in sample:
        errors.append(f"{name}: looks like a binary file, skipped")
        return
    rest = io.BufferedReader(_Prepend(sample, handle))  # type: ignore[arg-type]
    text = io.TextIOWrapper(rest, encoding=encoding or "utf-8-sig", newline="")
    # strict: a quote left open would otherwise swallow every later row into one field
    reader = csv.DictReader(text, strict=True)
    row_no = 0
    try:
        if reader.fieldnames is None:
            errors.append(f"{name}: empty file (no CSV header)")
            return
        problem = columns.missing(list(reader.fieldnames), name)
        if problem:
            errors.append(problem)
            return
        for row_no, row in enumerate(reader, 1):
            where = f"{name}:row {row_no}"
            if None in row:
                warnings.append(f"{where}: more fields than the header, extra ignored")
                row.pop(None)
            doc = columns.document(row, where, errors, warnings)
            if doc is not None:
                yield doc
        if row_no == 0:
            errors.append(f"{name}: no records (a header only)")
    except UnicodeDecodeError as err:
        errors.append(f"{name}: not {(encoding or 'utf-8').upper()} after row {row_no} "
                      f"({err.reason}); rest of the file skipped")
    except csv.Error as err:
        hint = ": a quote opened and never closed" if "unexpected end of data" in str(err) else ""
        errors.append(f"{name}: malformed CSV after row {row_no} ({err}{hint}); rest of the "
                      "file skipped")


class _Prepend(io.RawIOBase):
    """A readable stream: `head` bytes, then the rest of `tail` (sniffing stdin loses nothing)."""

    def __init__(self, head: bytes, tail: IO[bytes]):
        self.head, self.tail = head, tail

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.tail.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_parquet(path: Path, columns: _Columns, errors: list[str],
                  warnings: list[str]) -> Iterator[Document]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as err:  # noqa: BLE001 - pyarrow raises several types for a broken file
        errors.append(f"{path}: not a readable Parquet file ({err})")
        return
    names = parquet.schema_arrow.names
    problem = columns.missing(list(names), str(path))
    if problem:
        errors.append(problem)
        return
    wanted = [columns.text, columns.id or AUTO_ID, columns.published or AUTO_PUBLISHED]
    wanted = [c for c in wanted if c in names]
    if parquet.metadata.num_rows == 0:
        errors.append(f"{path}: no records")
        return
    row_no = 0
    try:
        for batch in parquet.iter_batches(batch_size=1024, columns=list(dict.fromkeys(wanted))):
            for record in batch.to_pylist():
                row_no += 1
                doc = columns.document(record, f"{path}:row {row_no}", errors, warnings)
                if doc is not None:
                    yield doc
    except Exception as err:  # noqa: BLE001 - as above, for a file broken half-way
        errors.append(f"{path}: unreadable after row {row_no} ({err}); rest of the file skipped")


def input_format_of(path: str) -> str:
    """The input format a path's extension names: "jsonl" (.jsonl, .ndjson), "csv",
    "parquet" (.parquet, .pq), else "text" (also folders and stdin)."""
    suffix = Path(path).suffix.lower() if path != "-" else ""
    for fmt, suffixes in SUFFIXES.items():
        if suffix in suffixes and not Path(path).is_dir():
            return fmt
    return "text"


def read_documents(paths: Iterable[str], input_format: str | None = None, *,
                   text_column: str = "text", id_column: str | None = None,
                   published_column: str | None = None, published: str | None = None,
                   errors: list[str] | None = None,
                   warnings: list[str] | None = None) -> Iterator[Document]:
    """Stream the documents of files, folders or stdin (`-`).

    Args:
        paths: files, folders (searched recursively for files of `input_format`), or "-".
        input_format: "text" (one document per file), "jsonl", "csv" or "parquet" (one per
            record); None or "auto": each path by its extension (`input_format_of`), folders
            and stdin as text.
        text_column: field holding the text (structured formats).
        id_column: field holding the document id; default: the `id` field where a record
            has one, else `path:line` (JSONL) or `path:row N` (CSV/Parquet, counting data
            rows from 1).
        published_column: field holding the publication date; default: the `published`
            field where a record has one. Malformed dates are reported in `warnings` and
            the date is then detected from the text.
        published: publication date for documents that carry none.
        errors: receives one message per input skipped (missing, unreadable, empty,
            malformed, or without a named column: the message lists the columns there are).
        warnings: receives messages about inputs read with a fallback.
    Yields:
        Documents, in input order. Text, CSV and JSONL are read as UTF-8 or, with a byte
        order mark, UTF-16/UTF-32.
    """
    errors = [] if errors is None else errors
    warnings = [] if warnings is None else warnings
    if input_format not in (None, "auto", *INPUT_FORMATS):
        raise ValueError(f"input format must be one of auto, {', '.join(INPUT_FORMATS)}, "
                         f"got {input_format!r}")
    columns = _Columns(text_column, id_column, published_column, published)
    for raw in paths:
        fmt = input_format_of(raw) if input_format in (None, "auto") else input_format
        if fmt == "text":
            for name, text in iter_inputs([raw], errors):
                yield Document(name, text, published)
            continue
        if raw == "-":
            if fmt == "parquet":
                errors.append("-: Parquet cannot be read from stdin; give a file")
                continue
            reader = _read_jsonl if fmt == "jsonl" else _read_csv
            yield from reader(sys.stdin.buffer, "<stdin>", columns, errors, warnings)
            continue
        for path in _structured_files(raw, fmt, errors):
            if fmt == "parquet":
                yield from _read_parquet(path, columns, errors, warnings)
                continue
            reader = _read_jsonl if fmt == "jsonl" else _read_csv
            try:
                with open(path, "rb") as handle:
                    yield from reader(handle, str(path), columns, errors, warnings)
            except OSError as err:
                errors.append(f"{path}: cannot read ({err.strerror or err})")


TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}


class InputError(Exception):
    """An input that cannot be read; reported with its path, the run goes on."""


def decode_text(raw: bytes, name: str) -> str:
    """The text of a file's bytes: UTF-8 (with or without BOM), UTF-16/UTF-32 with a BOM,
    else cp1252 for legacy files (with a warning on stderr).

    Raises:
        InputError: binary, undecodable or empty (only blank) content, named by `name`.
    """
    encoding = _bom_encoding(raw[:4])
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as err:
            raise InputError(f"{name}: not {encoding.upper()} text ({err.reason})") from err
    elif b"\x00" in raw[:4096]:
        raise InputError(f"{name}: looks like a binary file, skipped")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError as err:
                raise InputError(f"{name}: not UTF-8 text ({err.reason} at byte "
                                 f"{err.start})") from err
            print(f"warning: {name}: not valid UTF-8, decoded as cp1252", file=sys.stderr)
    if not text.strip():
        raise InputError(f"{name}: empty file, nothing to extract")
    return text


def read_text(path: Path) -> str:
    """Read a text file (see `decode_text`).

    Raises InputError for binary, unreadable or empty files."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from err
    return decode_text(raw, str(path))


def iter_inputs(paths: list[str], errors: list[str]) -> Iterator[tuple[str, str]]:
    """Yield (name, text) for every file, folder member and `-` (stdin); record failures."""
    for raw in paths:
        if raw == "-":
            try:
                yield "<stdin>", decode_text(sys.stdin.buffer.read(), "<stdin>")
            except InputError as err:
                errors.append(str(err))
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix.lower() in TEXT_SUFFIXES)
            if not files:
                errors.append(f"{path}: folder holds no text files ({', '.join(sorted(TEXT_SUFFIXES))})")
            for file in files:
                try:
                    yield str(file), read_text(file)
                except InputError as err:
                    errors.append(str(err))
        elif not path.exists():
            errors.append(f"{path}: no such file or directory")
        else:
            try:
                yield str(path), read_text(path)
            except InputError as err:
                errors.append(str(err))


# -- reading fact files ------------------------------------------------------------------------
def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row with the types of a JSONL row."""
    out: dict[str, Any] = {k: (None if v == "" else v) for k, v in row.items()}
    for key in ("value", "value_max", "confidence"):
        if out.get(key) is not None:
            out[key] = float(out[key])
    for key in ("year", "start", "end"):
        if out.get(key) is not None:
            out[key] = int(float(out[key]))
    return out


def read_facts(path: str, errors: list[str]) -> Iterator[dict[str, Any]]:
    """Fact rows from a JSONL (also `-`), CSV or Parquet file written by `mchnlp extract`;
    unreadable lines are reported in `errors` with their place and skipped."""
    if path == "-":
        yield from _jsonl_rows(sys.stdin, "<stdin>", errors)
        return
    file = Path(path)
    if not file.is_file():
        errors.append(f"{file}: no such file" if not file.exists() else f"{file}: not a file")
        return
    suffix = file.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            for batch in pq.ParquetFile(file).iter_batches():
                yield from batch.to_pylist()
        elif suffix == ".csv":
            with open(file, encoding="utf-8-sig", newline="") as handle:
                for line_no, row in enumerate(csv.DictReader(handle), 2):
                    try:
                        yield _typed(row)
                    except (TypeError, ValueError) as err:
                        errors.append(f"{file}:{line_no}: bad value ({err}), skipped")
        else:
            with open(file, encoding="utf-8-sig") as handle:
                yield from _jsonl_rows(handle, str(file), errors)
    except UnicodeDecodeError as err:
        errors.append(f"{file}: not UTF-8 ({err.reason}); rest of the file skipped")
    except Exception as err:  # noqa: BLE001 - a broken Parquet file raises pyarrow's own errors
        errors.append(f"{file}: cannot read ({type(err).__name__}: {err})")


REQUIRED = ("indicator", "value", "unit")


def _jsonl_rows(handle, name: str, errors: list[str]) -> Iterator[dict[str, Any]]:
    for line_no, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            errors.append(f"{name}:{line_no}: malformed JSON ({err.msg}), skipped")
            continue
        missing = [k for k in REQUIRED if not isinstance(row, dict) or row.get(k) is None]
        if missing:
            errors.append(f"{name}:{line_no}: not a fact (missing {', '.join(missing)}), "
                          "skipped")
            continue
        yield row
