"""The `mchnlp` command line."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
FIELDS = ["doc", "indicator", "value", "value_max", "qualifier", "unit", "location",
          "location_code", "year", "kind", "text", "start", "end", "confidence", "sentence"]


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
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_parser() -> argparse.ArgumentParser:
    from mchnlp import __version__

    parser = argparse.ArgumentParser(
        prog="mchnlp",
        description="Maternal & child health statistics from Indonesian text.",
    )
    parser.add_argument("--version", action="version", version=f"mchnlp {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    extract = sub.add_parser("extract", help="extract facts from files, folders or stdin",
                             description="Extract MCH facts from text files, folders of "
                             "them, or stdin (-).")
    extract.add_argument("paths", nargs="+", help="files, folders, or - for stdin")
    extract.add_argument("--format", choices=["table", "jsonl", "csv", "parquet"],
                         default="table", help="output format (parquet needs --output)")
    extract.add_argument("--published", default=None,
                         help="publication date YYYY-MM-DD (for 'tahun ini'/'tahun lalu')")
    extract.add_argument("--model", default=None, help="pipeline directory (default: shipped)")
    extract.add_argument("--output", "-o", default=None, help="output file (default: stdout)")
    from mchnlp.aggregate import add_aggregate_parser
    from mchnlp.batch import add_batch_arguments, run_batch

    add_batch_arguments(extract)
    extract.set_defaults(func=run_batch)
    add_aggregate_parser(sub)
    from mchnlp.train_cli import add_train_parser

    add_train_parser(sub)
    from mchnlp.evaluation.cli import add_evaluate_parser

    add_evaluate_parser(sub)
    from mchnlp.corpus.cli import add_corpus_parser

    add_corpus_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "published", None):
        from mchnlp.dates import coerce_published

        try:
            coerce_published(args.published)
        except ValueError as err:
            parser.error(str(err))
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
