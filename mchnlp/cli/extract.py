"""`mchnlp extract`: files, folders, stdin or JSONL/CSV/Parquet records in, facts out."""

from __future__ import annotations

import argparse
import os
import sys

from ..io.readers import INPUT_FORMATS
from .options import add_aliases_argument


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


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value}")
    return value


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    """--min-confidence and --drop-warned (the `min_confidence=`/`drop_warned=` of
    `mchnlp.extract`)."""
    group = parser.add_argument_group("filters")
    group.add_argument("--min-confidence", type=_confidence, default=None, metavar="P",
                       help="keep only facts whose confidence is at least P (0 to 1)")
    group.add_argument("--drop-warned", action="store_true",
                       help="leave out facts with warnings (ambiguous place, unit the "
                       "indicator does not take, implausible size)")


def add_extract_parser(subparsers) -> None:
    """Add `mchnlp extract` to the CLI's subparsers."""
    extract = subparsers.add_parser(
        "extract", help="extract facts from files, folders or stdin",
        description="Extract MCH facts from text files, folders of them, or stdin (-).")
    extract.add_argument("paths", nargs="+", help="files, folders, or - for stdin")
    extract.add_argument("--format", choices=["table", "jsonl", "csv", "parquet"],
                         default="table", help="output format (parquet needs --output)")
    extract.add_argument("--published", default=None,
                         help="publication date YYYY-MM-DD (for 'tahun ini'/'tahun lalu')")
    extract.add_argument("--model", default=None, help="pipeline directory (default: shipped)")
    add_aliases_argument(extract)
    extract.add_argument("--output", "-o", default=None, help="output file (default: stdout)")
    add_filter_arguments(extract)
    add_batch_arguments(extract)
    extract.set_defaults(func=run_batch)


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the batch options to the `mchnlp extract` parser (which owns paths, --format,
    --published, --model and --output)."""
    group = parser.add_argument_group("batch input and processing")
    group.add_argument("--input-format", choices=("auto", *INPUT_FORMATS), default="auto",
                       help="how to read the inputs: text files or JSONL/CSV/Parquet records; "
                       "default: by extension (.jsonl/.ndjson, .csv, .parquet/.pq, others as "
                       "text; folders and stdin as text); a folder is searched for files of "
                       "the format given")
    group.add_argument("--text-column", default="text",
                       help="field holding the text in JSONL/CSV/Parquet (default: text)")
    group.add_argument("--id-column", default=None,
                       help="field holding the document id (default: 'id' where there is one, "
                       "else path:line or path:row N)")
    group.add_argument("--published-column", default=None,
                       help="field holding the publication date (YYYY-MM-DD, YYYY-MM, YYYY or "
                       "an ISO datetime; default: 'published' where there is one); "
                       "--published is used where it is empty")
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

    from ..api import filter_facts
    from ..io.batch import extract_documents
    from ..io.readers import publication_date, read_documents
    from ..io.writers import open_writer

    fmt = getattr(args, "format", "table")
    output = getattr(args, "output", None)
    if fmt == "parquet" and output in (None, "-"):
        print("error: --format parquet writes a file: give --output", file=sys.stderr)
        return 2
    try:
        nlp = mchnlp.load(getattr(args, "model", None), aliases=getattr(args, "aliases", None))
    except (ModelNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    errors: list[str] = []
    warnings: list[str] = []
    documents = read_documents(
        args.paths, getattr(args, "input_format", "auto"),
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
                facts = filter_facts(facts, getattr(args, "min_confidence", None),
                                     getattr(args, "drop_warned", False))
                writer.write(doc.id, facts, publication_date(doc))
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
