"""Corpus statistics (`mchnlp corpus stats`): counts per split as a readable table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from .schema import ENTITY_LABELS, RELATION_LABELS, SPLITS, UNITS, Record

Tokenizer = Callable[[str], Any]
ALL = "all"
NO_SPLIT = "(none)"


def compute_stats(
    records: Sequence[Record],
    tokenizer: Tokenizer | None = None,
) -> dict[str, dict[str, Counter]]:
    """Count documents, tokens, spans, relations and facts, overall and per split.

    Args:
        records: corpus records.
        tokenizer: the pipeline tokenizer for the token counts (whitespace split without it).

    Returns:
        `{column: {section: Counter}}` with columns "all", then "train"/"dev"/"test" (and
        "(none)" for records without a split); sections "documents", "tokens", "spans",
        "relations", "facts", "indicator", "unit", "kind".
    """
    columns: dict[str, dict[str, Counter]] = {}

    def column(name: str) -> dict[str, Counter]:
        return columns.setdefault(
            name,
            {
                k: Counter()
                for k in (
                    "documents",
                    "tokens",
                    "spans",
                    "relations",
                    "facts",
                    "indicator",
                    "unit",
                    "kind",
                )
            },
        )

    column(ALL)
    for split in SPLITS:
        column(split)
    for record in records:
        text = record.get("text") or ""
        tokens = len(tokenizer(text)) if tokenizer is not None else len(text.split())
        split = record.get("split") or NO_SPLIT
        for name in (ALL, split):
            col = column(name)
            col["documents"]["documents"] += 1
            col["documents"]["with facts"] += bool(record.get("facts"))
            col["tokens"]["tokens"] += tokens
            for span in record.get("spans") or []:
                col["spans"][span.get("label")] += 1
            for rel in record.get("relations") or []:
                col["relations"][rel.get("label")] += 1
            for fact in record.get("facts") or []:
                col["facts"]["facts"] += 1
                col["indicator"][fact.get("indicator")] += 1
                col["unit"][fact.get("unit")] += 1
                col["kind"][fact.get("kind")] += 1
    return columns


def _ordered(keys: set, preferred: Sequence[str]) -> list:
    first = [k for k in preferred if k in keys]
    return first + sorted((k for k in keys if k not in preferred), key=str)


def format_stats(stats: dict[str, dict[str, Counter]]) -> str:
    """Render `compute_stats` output as a fixed-width table, one column per split."""
    cols = list(stats)

    def row(label: str, section: str, key: Any) -> list[str]:
        return [label] + [str(stats[c][section][key]) for c in cols]

    def keys_of(section: str, preferred: Sequence[str]) -> list:
        present = set().union(*(stats[c][section].keys() for c in cols))
        return _ordered(present | set(preferred), preferred)

    rows: list[list[str]] = [
        row("documents", "documents", "documents"),
        row("documents with facts", "documents", "with facts"),
        row("tokens", "tokens", "tokens"),
        [],
    ]
    for section, preferred in (("spans", ENTITY_LABELS), ("relations", RELATION_LABELS)):
        rows += [row(f"{section} {key}", section, key) for key in keys_of(section, preferred)]
        rows.append([f"{section} (all)"] + [str(sum(stats[c][section].values())) for c in cols])
        rows.append([])
    rows.append(row("facts", "facts", "facts"))
    for section, preferred in (
        ("indicator", ()),
        ("unit", UNITS),
        ("kind", ("observed", "target", "change")),
    ):
        rows.append([f"facts by {section}"] + [""] * len(cols))
        rows += [row(f"  {key}", section, key) for key in keys_of(section, preferred)]
    header = [""] + cols
    widths = [max(len(r[i]) for r in [header] + [r for r in rows if r]) for i in range(len(header))]

    def render(cells: list[str]) -> str:
        return "  ".join(
            [cells[0].ljust(widths[0])] + [v.rjust(w) for v, w in zip(cells[1:], widths[1:])]
        ).rstrip()

    lines = [render(header), "  ".join("-" * w for w in widths)]
    lines += [render(r) if r else "" for r in rows]
    return "\n".join(lines)


def stats_as_json(stats: dict[str, dict[str, Counter]]) -> dict[str, dict[str, dict]]:
    """JSON-ready form of `compute_stats` output (None keys become "null")."""
    return {
        col: {sec: {str(k): v for k, v in counter.items()} for sec, counter in secs.items()}
        for col, secs in stats.items()
    }
