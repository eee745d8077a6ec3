"""Options several commands share."""

from __future__ import annotations

import argparse


def add_aliases_argument(parser: argparse.ArgumentParser) -> None:
    """--aliases FILE: extra place and indicator aliases (JSON; format in the README)."""
    parser.add_argument("--aliases", default=None, metavar="FILE",
                        help="JSON file of extra place and indicator aliases, added to the "
                        "pipeline (format: README, 'Local aliases')")
