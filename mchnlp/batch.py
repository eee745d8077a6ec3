"""Batch extraction: read many documents, extract in batches, write the facts as they come.

    from mchnlp.batch import read_documents, extract_documents, open_writer

    errors: list[str] = []
    docs = read_documents(["archive.jsonl"], "jsonl", text_column="body", id_column="url",
                          errors=errors)
    with open_writer("parquet", "facts.parquet") as out:
        for doc, facts in extract_documents(docs, n_process=2, errors=errors):
            out.write(doc.id, facts)

Inputs are text files and folders of them (read with the CLI's `read_text`, so encodings are
handled alike everywhere), JSONL, CSV and Parquet files with a text column and optional id and
published columns. Everything streams: documents are read lazily, extracted `batch_size` at a
time, and facts are written batch by batch, so an archive never has to fit in memory. Bad
records are reported with their file and line and skipped; the run goes on. Output files are
written to a temporary sibling and renamed when complete.

`mchnlp extract` calls `add_batch_arguments` and `run_batch`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import logging
import math
import multiprocessing
import os
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .frames import COLUMNS, LIST_COLUMNS, fact_row

if TYPE_CHECKING:
    from spacy.language import Language
    from typing_extensions import Self

    from .facts import Fact

logger = logging.getLogger(__name__)

INPUT_FORMATS = ("text", "jsonl", "csv", "parquet")
OUTPUT_FORMATS = ("table", "jsonl", "csv", "parquet")
SUFFIXES = {"jsonl": (".jsonl", ".ndjson"), "csv": (".csv",), "parquet": (".parquet", ".pq")}
PARQUET_ROW_GROUP = 50_000


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
    from .dates import coerce_published

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
    from .cli import iter_inputs

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


# -- extracting --------------------------------------------------------------------------------
def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for doc in documents:
        chunk.append(doc)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_chunk(nlp: Language, docs: list[Document], batch_size: int = 32
                  ) -> tuple[list[list[Fact] | None], list[str]]:
    """Facts of a list of documents (one `nlp.pipe` pass); a document that makes the pipeline
    raise gets None and an error message instead of stopping the others."""
    from .api import extract, extract_many

    try:
        results = list(extract_many([d.text for d in docs], [d.published for d in docs],
                                    nlp=nlp, batch_size=batch_size))
        return results, []  # type: ignore[return-value]
    except Exception:  # find the culprit: the rest of the batch is still extracted
        logger.debug("batch of %d failed, extracting one by one", len(docs), exc_info=True)
    out: list[list[Fact] | None] = []
    errors = []
    for doc in docs:
        try:
            out.append(extract(doc.text, doc.published, nlp=nlp))
        except Exception as err:  # noqa: BLE001 - reported with the document's id
            out.append(None)
            errors.append(f"{doc.id}: extraction failed ({type(err).__name__}: {err})")
    return out, errors


_WORKER_NLP: Language | None = None


def _init_worker(nlp_or_path: Language | str | None) -> None:
    global _WORKER_NLP
    from .pipeline import load

    if nlp_or_path is None or isinstance(nlp_or_path, (str, os.PathLike)):
        _WORKER_NLP = load(nlp_or_path)
    else:
        _WORKER_NLP = nlp_or_path


def _worker_chunk(docs: list[Document], batch_size: int
                  ) -> tuple[list[list[Fact] | None], list[str]]:
    assert _WORKER_NLP is not None
    return extract_chunk(_WORKER_NLP, docs, batch_size)


def _pool(nlp: Language, n_process: int) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        # the children inherit the loaded pipeline: nothing is pickled or loaded again
        return ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_init_worker, initargs=(nlp,))
    source: Language | str = str(nlp.path) if nlp.path is not None else nlp
    return ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(source,))


def extract_documents(documents: Iterable[Document], *, nlp: Language | None = None,
                      batch_size: int = 32, n_process: int = 1,
                      errors: list[str] | None = None) -> Iterator[tuple[Document, list[Fact]]]:
    """Extract the facts of a stream of documents, in order.

    Args:
        documents: the documents (read lazily, `batch_size` at a time).
        nlp: the pipeline (default: the shipped one).
        batch_size: documents per `nlp.pipe` batch.
        n_process: worker processes (-1: one per CPU). Each worker holds one copy of the
            pipeline, inherited from this process where the platform forks; documents go
            to the workers `batch_size` at a time, at most two batches ahead per worker.
        errors: receives a message for each document whose extraction failed.
    Yields:
        (document, facts) per document, in input order; failed documents are left out.
    """
    from .pipeline import load_cached

    nlp = nlp or load_cached()
    errors = [] if errors is None else errors
    if n_process < 0:
        n_process = os.cpu_count() or 1
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if n_process <= 1:
        for chunk in _chunks(documents, batch_size):
            results, chunk_errors = extract_chunk(nlp, chunk, batch_size)
            errors.extend(chunk_errors)
            yield from ((d, f) for d, f in zip(chunk, results) if f is not None)
        return
    # nlp.pipe(n_process=...) cannot be used: it sends Docs back through Doc.to_bytes, which
    # does not restore the tuple keys of doc._.rel. Workers return facts instead, so the
    # fact derivation runs in parallel too.
    pending: deque[tuple[list[Document], Future]] = deque()
    with _pool(nlp, n_process) as pool:
        for chunk in _chunks(documents, batch_size):
            pending.append((chunk, pool.submit(_worker_chunk, chunk, batch_size)))
            if len(pending) >= 2 * n_process:
                yield from _collect(pending.popleft(), errors)
        while pending:
            yield from _collect(pending.popleft(), errors)


def _collect(item: tuple[list[Document], Future], errors: list[str]
             ) -> Iterator[tuple[Document, list[Fact]]]:
    chunk, future = item
    results, chunk_errors = future.result()
    errors.extend(chunk_errors)
    yield from ((d, f) for d, f in zip(chunk, results) if f is not None)


# -- writing -----------------------------------------------------------------------------------
class _Target:
    """A text or binary output: stdout, or a temporary file renamed onto `path` on commit."""

    def __init__(self, path: str | None, binary: bool = False):
        self.path = None if path in (None, "-") else Path(path)
        self.tmp: Path | None = None
        if self.path is None:
            self.handle: IO = sys.stdout.buffer if binary else sys.stdout
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        self.tmp = Path(tmp)
        self.handle = (os.fdopen(fd, "wb") if binary
                       else os.fdopen(fd, "w", encoding="utf-8", newline=""))

    def commit(self) -> None:
        if self.tmp is None:
            self.handle.flush()
            return
        self.handle.close()
        os.replace(self.tmp, self.path)  # type: ignore[arg-type]
        self.tmp = None

    def abort(self) -> None:
        if self.tmp is not None:
            self.handle.close()
            self.tmp.unlink(missing_ok=True)
            self.tmp = None


class FactWriter:
    """Writes fact rows in one format; use as a context manager (`open_writer`). The output
    appears only when the block completes: an exception leaves an existing file untouched."""

    def __init__(self, output: str | None):
        self.output = output
        self.rows_written = 0

    def write(self, doc_id: str, facts: Iterable[Fact]) -> None:
        rows = [fact_row(f, doc=doc_id) for f in facts]
        self.write_rows(rows)
        self.rows_written += len(rows)

    def write_rows(self, rows: list[dict]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


class JsonlWriter(FactWriter):
    def __init__(self, output: str | None):
        super().__init__(output)
        self.target = _Target(output)

    def write_rows(self, rows: list[dict]) -> None:
        self.target.handle.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))

    def close(self) -> None:
        self.target.commit()

    def abort(self) -> None:
        self.target.abort()


class CsvWriter(FactWriter):
    """CSV with the columns `frames.COLUMNS`; `period` and `warnings` are JSON lists."""

    def __init__(self, output: str | None):
        super().__init__(output)
        self.target = _Target(output)
        self.writer = csv.DictWriter(self.target.handle, fieldnames=list(COLUMNS))
        self.writer.writeheader()

    def write_rows(self, rows: list[dict]) -> None:
        for row in rows:
            for column in LIST_COLUMNS:
                if row[column] is not None:
                    row[column] = json.dumps(row[column], ensure_ascii=False)
        self.writer.writerows(rows)

    def close(self) -> None:
        self.target.commit()

    def abort(self) -> None:
        self.target.abort()


class ParquetWriter(FactWriter):
    """Parquet with the schema `frames.arrow_schema()`, one row group per 50 000 facts."""

    def __init__(self, output: str | None):
        import pyarrow.parquet as pq

        from .frames import arrow_schema

        super().__init__(output)
        if output in (None, "-"):
            raise ValueError("Parquet output needs a file: give --output")
        self.schema = arrow_schema()
        self.target = _Target(output, binary=True)
        self.writer = pq.ParquetWriter(self.target.handle, self.schema)
        self.buffer: list[dict] = []

    def write_rows(self, rows: list[dict]) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= PARQUET_ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.buffer:
            self.writer.write_table(pa.Table.from_pylist(self.buffer, schema=self.schema))
            self.buffer = []

    def close(self) -> None:
        self._flush()
        self.writer.close()
        self.target.commit()

    def abort(self) -> None:
        try:
            self.writer.close()
        finally:
            self.target.abort()


class TableWriter(FactWriter):
    """The human-readable table of `mchnlp extract` (collected, written at the end)."""

    def __init__(self, output: str | None):
        super().__init__(output)
        self.rows: list[dict] = []

    def write_rows(self, rows: list[dict]) -> None:
        self.rows.extend(rows)

    def close(self) -> None:
        from .cli import format_table, write_output

        write_output(format_table(self.rows) + "\n", self.output)

    def abort(self) -> None:
        self.rows = []


def open_writer(fmt: str, output: str | None) -> FactWriter:
    """A writer for `fmt` ("table", "jsonl", "csv", "parquet") to `output` (None/"-": stdout).

    Raises:
        ValueError: unknown format, or Parquet to stdout.
    """
    writers = {"table": TableWriter, "jsonl": JsonlWriter, "csv": CsvWriter,
               "parquet": ParquetWriter}
    if fmt not in writers:
        raise ValueError(f"output format must be one of {', '.join(writers)}, got {fmt!r}")
    return writers[fmt](output)


# -- command line ------------------------------------------------------------------------------
def _positive_or_all(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(f"expected a positive integer or -1, got {value}")
    return value


def _positive(text: str) -> int:
    value = _positive_or_all(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the batch options to the `mchnlp extract` parser (which owns paths, --format,
    --published, --model and --output)."""
    group = parser.add_argument_group("batch input and processing")
    group.add_argument("--input-format", choices=INPUT_FORMATS, default="text",
                       help="how to read the inputs: text files (default) or JSONL/CSV/Parquet "
                       "records; folders are searched for files of that format")
    group.add_argument("--text-column", default="text",
                       help="field holding the text in JSONL/CSV/Parquet (default: text)")
    group.add_argument("--id-column", default=None,
                       help="field holding the document id (default: path:line or path:row N)")
    group.add_argument("--published-column", default=None,
                       help="field holding the publication date (YYYY-MM-DD, YYYY-MM, YYYY or "
                       "an ISO datetime); --published is used where it is empty")
    group.add_argument("--n-process", type=_positive_or_all, default=1,
                       help="worker processes (-1: one per CPU; default 1)")
    group.add_argument("--batch-size", type=_positive, default=32,
                       help="documents per nlp.pipe batch (default 32)")
    group.add_argument("--progress", action="store_true",
                       help="show a progress bar on stderr")


def run_batch(args: argparse.Namespace) -> int:
    """Run `mchnlp extract` with the parsed arguments.

    Returns:
        0 when every input was processed, 1 when some were skipped or failed (each reported
        on stderr, the others processed), 2 when nothing could run (model, output format).
    """
    import mchnlp
    from mchnlp.pipeline import ModelNotFoundError

    fmt = getattr(args, "format", "table")
    output = getattr(args, "output", None)
    if fmt == "parquet" and output in (None, "-"):
        print("error: --format parquet writes a file: give --output", file=sys.stderr)
        return 2
    try:
        nlp = mchnlp.load(getattr(args, "model", None))
    except ModelNotFoundError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    errors: list[str] = []
    warnings: list[str] = []
    documents = read_documents(
        args.paths, getattr(args, "input_format", "text"),
        text_column=getattr(args, "text_column", "text"),
        id_column=getattr(args, "id_column", None),
        published_column=getattr(args, "published_column", None),
        published=getattr(args, "published", None), errors=errors, warnings=warnings)
    progress = None
    if getattr(args, "progress", False):
        from tqdm import tqdm

        progress = tqdm(unit="doc", desc="extract", file=sys.stderr, dynamic_ncols=True)
    n_facts = 0
    reported = 0
    try:
        with open_writer(fmt, output) as writer:
            for doc, facts in extract_documents(
                    documents, nlp=nlp, batch_size=getattr(args, "batch_size", 32),
                    n_process=getattr(args, "n_process", 1), errors=errors):
                writer.write(doc.id, facts)
                n_facts += len(facts)
                if progress is not None:
                    progress.update(1)
                    progress.set_postfix(facts=n_facts, errors=len(errors), refresh=False)
                    # problems are shown as they happen, above the bar
                    while reported < len(warnings):
                        progress.write(f"warning: {warnings[reported]}", file=sys.stderr)
                        reported += 1
    except KeyboardInterrupt:
        print("interrupted: output not written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of stdout went away (`| head`): stop quietly, as Python's docs advise
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    finally:
        if progress is not None:
            progress.close()
    for message in warnings[reported:]:
        print(f"warning: {message}", file=sys.stderr)
    for message in errors:
        print(f"error: {message}", file=sys.stderr)
    return 1 if errors else 0
