"""`mchnlp show`: an HTML view of one article (entities highlighted, each fact's links)."""

from __future__ import annotations

import argparse
import sys

from .options import add_aliases_argument


def add_show_parser(subparsers) -> None:
    """Add `mchnlp show` to the CLI's subparsers."""
    p = subparsers.add_parser(
        "show", help="write an HTML view of an article: entities and each fact's links",
        description="Process one article and write a self-contained HTML page for review: the "
        "text with its entities highlighted, then every fact with its fields, the links from "
        "its value to the indicator, place, date and unit (with scores), and its warnings.")
    p.add_argument("article", help="a text file, or - for stdin")
    p.add_argument("--output", "-o", default=None,
                   help="HTML file to write, atomically (default: stdout)")
    p.add_argument("--published", default=None,
                   help="publication date YYYY-MM-DD (for 'tahun ini'/'tahun lalu')")
    p.add_argument("--model", default=None, help="pipeline directory (default: shipped)")
    add_aliases_argument(p)
    p.add_argument("--title", default=None, help="page title (default: the first line)")
    p.set_defaults(func=cmd_show)


def cmd_show(args: argparse.Namespace) -> int:
    """Run `mchnlp show`: 0 when written, 1 when the article cannot be read, 2 when the model
    cannot be loaded."""
    from ..io.readers import read_documents
    from ..io.render import render
    from ..pipeline import ModelNotFoundError, load

    errors: list[str] = []
    documents = list(read_documents([args.article], "text", errors=errors))
    if not documents:
        for message in errors:
            print(f"error: {message}", file=sys.stderr)
        return 1
    try:
        nlp = load(args.model, aliases=getattr(args, "aliases", None))
    except (ModelNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    page = render(documents[0].text, nlp=nlp, published=args.published, title=args.title,
                  output=args.output if args.output not in (None, "-") else None)
    if args.output in (None, "-"):
        sys.stdout.write(page)
    else:
        print(f"wrote {args.output}", file=sys.stderr)
    return 0
