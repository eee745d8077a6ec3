"""Reading inputs: text files and folders, JSONL, CSV and Parquet records, and fact files.

Everything streams and nothing stops on a bad record: each unreadable input or record is
reported with its file and line in the caller's `errors` list and skipped.
"""


from __future__ import annotations

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


class _Columns:
    """The column names of a structured input and the conversion of one record."""

    def __init__(self, text: str, id: str | None, published: str | None,
                 default_published: str | None):
        self.text, self.id, self.published = text, id, published
        self.default_published = default_published

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
        if self.id is not None:
            value = record.get(self.id)
            if value is None or value == "":
                warnings.append(f"{where}: empty {self.id!r}, using {where!r} as id")
            else:
                doc_id = str(value)
        published = self.default_published
        if self.published is not None:
            try:
                published = normalize_published(record.get(self.published)) or published
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


def _read_jsonl(handle: IO[bytes], name: str, columns: _Columns, errors: list[str],
                warnings: list[str]) -> Iterator[Document]:
    for line_no, raw in enumerate(handle, 1):
        where = f"{name}:{line_no}"
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
        except UnicodeDecodeError as err:
            errors.append(f"{where}: not UTF-8 ({err.reason} at byte {err.start}), skipped")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            errors.append(f"{where}: malformed JSON ({err.msg} at column {err.colno}), skipped")
            continue
        doc = columns.document(record, where, errors, warnings)
        if doc is not None:
            yield doc


def _read_csv(handle: IO[bytes], name: str, columns: _Columns, errors: list[str],
              warnings: list[str]) -> Iterator[Document]:
    # articles are long: lift the csv module's 128 KiB field limit
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    sample = handle.read(4096)
    if b"\x00" in sample:
        errors.append(f"{name}: looks like a binary file, skipped")
        return
    rest = io.BufferedReader(_Prepend(sample, handle))  # type: ignore[arg-type]
    text = io.TextIOWrapper(rest, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    row_no = 0
    try:
        if reader.fieldnames is None:
            errors.append(f"{name}: empty CSV file (no header)")
            return
        if columns.text not in reader.fieldnames:
            errors.append(f"{name}: no {columns.text!r} column (columns: "
                          f"{', '.join(reader.fieldnames)}); use --text-column")
            return
        for row_no, row in enumerate(reader, 1):
            where = f"{name}:row {row_no}"
            if None in row:
                warnings.append(f"{where}: more fields than the header, extra ignored")
                row.pop(None)
            doc = columns.document(row, where, errors, warnings)
            if doc is not None:
                yield doc
    except UnicodeDecodeError as err:
        errors.append(f"{name}: not UTF-8 after row {row_no} ({err.reason}); rest of the file "
                      "skipped")
    except csv.Error as err:
        errors.append(f"{name}: malformed CSV after row {row_no} ({err}); rest of the file "
                      "skipped")


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
    wanted = [c for c in (columns.text, columns.id, columns.published) if c is not None]
    missing = [c for c in wanted if c not in names]
    if missing:
        errors.append(f"{path}: no {', '.join(map(repr, missing))} column (columns: "
                      f"{', '.join(names)}); use --text-column/--id-column/--published-column")
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


def read_documents(paths: Iterable[str], input_format: str = "text", *,
                   text_column: str = "text", id_column: str | None = None,
                   published_column: str | None = None, published: str | None = None,
                   errors: list[str] | None = None,
                   warnings: list[str] | None = None) -> Iterator[Document]:
    """Stream the documents of files, folders or stdin (`-`).

    Args:
        paths: files, folders (searched recursively for files of `input_format`), or "-".
        input_format: "text" (one document per file), "jsonl", "csv" or "parquet" (one per
            record).
        text_column: field holding the text (structured formats).
        id_column: field holding the document id; default `path:line` (JSONL) or
            `path:row N` (CSV/Parquet, counting data rows from 1).
        published_column: field holding the publication date; malformed dates are
            reported in `warnings` and the date is then detected from the text.
        published: publication date for documents that carry none.
        errors: receives one message per input skipped (missing, unreadable, malformed).
        warnings: receives messages about inputs read with a fallback.
    Yields:
        Documents, in input order.
    """
    errors = [] if errors is None else errors
    warnings = [] if warnings is None else warnings
    if input_format not in INPUT_FORMATS:
        raise ValueError(f"input format must be one of {', '.join(INPUT_FORMATS)}, "
                         f"got {input_format!r}")
    if input_format == "text":
        for name, text in iter_inputs(list(paths), errors):
            yield Document(name, text, published)
        return
    columns = _Columns(text_column, id_column, published_column, published)
    for raw in paths:
        if raw == "-":
            if input_format == "parquet":
                errors.append("-: Parquet cannot be read from stdin; give a file")
                continue
            reader = _read_jsonl if input_format == "jsonl" else _read_csv
            yield from reader(sys.stdin.buffer, "<stdin>", columns, errors, warnings)
            continue
        for path in _structured_files(raw, input_format, errors):
            if input_format == "parquet":
                yield from _read_parquet(path, columns, errors, warnings)
                continue
            reader = _read_jsonl if input_format == "jsonl" else _read_csv
            try:
                with open(path, "rb") as handle:
                    yield from reader(handle, str(path), columns, errors, warnings)
            except OSError as err:
                errors.append(f"{path}: cannot read ({err.strerror or err})")


TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}


class InputError(Exception):
    """An input that cannot be read; reported with its path, the run goes on."""


def read_text(path: Path) -> str:
    """Read a text file as UTF-8 (with BOM), falling back to cp1252 for legacy files.

    Raises InputError for binary or unreadable files."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from err
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path}: looks like a binary file, skipped")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as err:
            raise InputError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from err
        print(f"warning: {path}: not valid UTF-8, decoded as cp1252", file=sys.stderr)
        return text


def iter_inputs(paths: list[str], errors: list[str]) -> Iterator[tuple[str, str]]:
    """Yield (name, text) for every file, folder member and `-` (stdin); record failures."""
    for raw in paths:
        if raw == "-":
            yield "<stdin>", sys.stdin.read()
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
