"""`mchnlp aggregate`: agreeing and conflicting sources across fact files."""


from __future__ import annotations

import argparse
import json
import sys

from ..facts.aggregate import STATUSES


def add_aggregate_parser(subparsers) -> None:
    """Add `mchnlp aggregate` to the CLI's subparsers."""
    p = subparsers.add_parser(
        "aggregate", help="compare facts across documents: agreeing and conflicting sources",
        description="Group facts (from `mchnlp extract --format jsonl|csv|parquet`) by "
        "indicator, area, year, unit and kind, and report which documents agree on a value "
        "and which report conflicting values.")
    p.add_argument("paths", nargs="+", help="fact files (.jsonl, .csv, .parquet) or - (JSONL)")
    p.add_argument("--format", choices=["table", "jsonl"], default="table")
    p.add_argument("--output", "-o", default=None, help="output file (default: stdout)")
    p.add_argument("--kind", action="append", choices=["observed", "target", "change"],
                   help="only facts of this kind (repeatable; default all)")
    p.add_argument("--status", action="append", choices=list(STATUSES),
                   help="only groups with this status (repeatable; e.g. --status conflict)")
    p.add_argument("--include-incomplete", action="store_true",
                   help="also group facts without an area or a year")
    p.set_defaults(func=cmd_aggregate)


def cmd_aggregate(args: argparse.Namespace) -> int:
    """Run `mchnlp aggregate`; 1 when some input could not be read (reported), else 0."""
    from ..facts.aggregate import aggregate, format_groups
    from ..io.readers import read_facts
    from ..io.writers import write_output

    errors: list[str] = []
    skipped: list[dict] = []
    rows = (row for path in args.paths for row in read_facts(path, errors))
    groups = aggregate(rows, kinds=args.kind, include_incomplete=args.include_incomplete,
                       skipped=skipped)
    if args.status:
        groups = [g for g in groups if g.status in args.status]
    if args.format == "jsonl":
        body = "".join(json.dumps(g.to_dict(), ensure_ascii=False) + "\n" for g in groups)
    else:
        body = format_groups(groups, len(skipped))
    write_output(body, args.output)
    for message in errors:
        print(f"error: {message}", file=sys.stderr)
    return 1 if errors else 0
