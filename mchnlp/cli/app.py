"""The `mchnlp` command line: the parser of every command, and `main`."""

from __future__ import annotations

import argparse
import sys

from .aggregate import add_aggregate_parser
from .corpus import add_corpus_parser
from .evaluate import add_evaluate_parser
from .extract import add_extract_parser
from .show import add_show_parser
from .train import add_train_parser


def build_parser() -> argparse.ArgumentParser:
    from mchnlp import __version__

    parser = argparse.ArgumentParser(
        prog="mchnlp",
        description="Maternal & child health statistics from Indonesian text.",
    )
    parser.add_argument("--version", action="version", version=f"mchnlp {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    add_extract_parser(sub)
    add_show_parser(sub)
    add_aggregate_parser(sub)
    add_train_parser(sub)
    add_evaluate_parser(sub)
    add_corpus_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "published", None):
        from mchnlp.knowledge.dates import coerce_published

        try:
            coerce_published(args.published)
        except ValueError as err:
            parser.error(str(err))
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
