"""The `mchnlp` command line: argument parsing only; each command calls the library."""

from .app import main

__all__ = ["main"]
