"""Writing facts: JSONL, CSV, Parquet and a plain table, always atomically (a temporary
sibling renamed onto the target when complete, so an interrupted run leaves no half file)."""


from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..atomic import AtomicFile, write_atomic
from .frames import COLUMNS, LIST_COLUMNS, fact_row

if TYPE_CHECKING:
    from typing_extensions import Self

    from ..facts.fact import Fact

OUTPUT_FORMATS = ("table", "jsonl", "csv", "parquet")


PARQUET_ROW_GROUP = 50_000


# -- writing -----------------------------------------------------------------------------------
class FactWriter:
    """Writes fact rows in one format; use as a context manager (`open_writer`). The output
    appears only when the block completes: an exception leaves an existing file untouched."""

    def __init__(self, output: str | None):
        self.output = output
        self.rows_written = 0

    def write(self, doc_id: str, facts: Iterable[Fact], published: str | None = None) -> None:
        """Write the facts of one document, each row with the document's id and the
        publication date its relative years were read against."""
        rows = [fact_row(f, doc=doc_id, published=published) for f in facts]
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
        self.target = AtomicFile(output)

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
        self.target = AtomicFile(output)
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
        self.target = AtomicFile(output, binary=True)
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


def format_table(rows: list[dict]) -> str:
    cols = ["doc", "indicator", "value", "unit", "location", "year", "kind", "text"]
    table = [[("" if r.get(c) is None else str(r.get(c))) for c in cols] for r in rows]
    for r in table:
        r[0] = Path(r[0]).name[:28]
        r[2] = r[2].removesuffix(".0")
    widths = [max([len(c)] + [len(r[i]) for r in table]) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths)) for r in table]
    out.append(f"{len(rows)} facts")
    return "\n".join(out)


def write_output(text: str, output: str | None) -> None:
    """Write to stdout, or atomically to a file (temporary file, then rename)."""
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    write_atomic(output, text)
