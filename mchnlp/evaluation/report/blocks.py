"""The report's building blocks (cells, tables, paragraphs, figures, sections) and number
formatting, each rendered as Markdown and as HTML."""


from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

FIGURES_DIR = "figures"


GALLERY_MODE = "strict"


LIST_LIMIT = 200  # rows of a changed-facts list shown before "… and N more"


OPEN_LIMIT = 15  # longer lists are folded in the HTML


ENTITY_COLORS = {
    "INDICATOR": "#c8e6c9",
    "COUNT": "#bbdefb",
    "RATE": "#d1c4e9",
    "LOCATION": "#ffe0b2",
    "DATE": "#e0e0e0",
}


ERROR_MARK = {"missed": "✗ missed", "spurious": "✗ spurious", "wrong": "≠ wrong"}


ERROR_COLORS = {"missed": "#ef9a9a", "spurious": "#ef9a9a", "wrong": "#ffd54f"}


FACT_COLUMNS = ("indicator", "value", "unit", "location", "year", "kind")


SECTION_TITLES = {
    "summary": "Summary",
    "facts": "Facts (end to end)",
    "comparison": "Comparison",
    "ner": "Entities (NER)",
    "relations": "Relations",
    "indicator": "Breakdown by indicator",
    "unit": "Breakdown by unit",
    "attribution": "Area and year of core-correct facts",
    "learned": "Indicators learned from annotations",
    "learning_curve": "Learning curve",
    "gallery": "Error gallery",
    "method": "Method",
}


# -- small renderable blocks -------------------------------------------------------------------
@dataclass
class Cell:
    """A table cell with its Markdown text and (optionally richer) HTML."""

    md: str
    html: str | None = None
    cls: str = ""

    def to_html(self) -> str:
        return self.html if self.html is not None else html.escape(self.md)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]
    numeric: set[int] = field(default_factory=set)
    caption: str | None = None

    @staticmethod
    def _cell(value: Any) -> Cell:
        return value if isinstance(value, Cell) else Cell("" if value is None else str(value))

    def to_md(self) -> str:
        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        lines = [
            "| " + " | ".join(esc(h) for h in self.headers) + " |",
            "| "
            + " | ".join("---:" if i in self.numeric else "---" for i in range(len(self.headers)))
            + " |",
        ]
        for row in self.rows:
            lines.append("| " + " | ".join(esc(self._cell(c).md) for c in row) + " |")
        out = "\n".join(lines)
        return (f"*{self.caption}*\n\n" + out) if self.caption else out

    def to_html(self) -> str:
        head = "".join(
            f'<th class="{"num" if i in self.numeric else ""}">{html.escape(h)}</th>'
            for i, h in enumerate(self.headers)
        )
        body = []
        for row in self.rows:
            cells = []
            for i, value in enumerate(row):
                cell = self._cell(value)
                cls = " ".join(c for c in ("num" if i in self.numeric else "", cell.cls) if c)
                cells.append(f'<td class="{cls}">{cell.to_html()}</td>')
            body.append("<tr>" + "".join(cells) + "</tr>")
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return (
            f'<div class="tablewrap"><table>{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>"
        )


@dataclass
class Para:
    md: str
    html: str


@dataclass
class Figure:
    name: str
    png: bytes
    caption: str

    def to_md(self) -> str:
        return f"![{self.caption}]({FIGURES_DIR}/{self.name}.png)\n\n*{self.caption}*"

    def to_html(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return (
            f'<figure><img alt="{html.escape(self.caption)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{html.escape(self.caption)}'
            "</figcaption></figure>"
        )


@dataclass
class Raw:
    md: str
    html: str


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Any] = field(default_factory=list)
    level: int = 2


# -- formatting ---------------------------------------------------------------------------------
def fmt(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def fmt_ci(ci: Sequence[float | None] | None) -> str:
    if not ci or ci[0] is None or ci[1] is None:
        return "–"
    return f"{ci[0]:.2f}–{ci[1]:.2f}"


def score_cell(score: dict | None, metric: str = "f") -> Cell:
    """`0.812 [0.74–0.88]`: a point estimate with its bootstrap interval."""
    if score is None:
        return Cell("–")
    value = score[metric]
    ci = (score.get("ci") or {}).get(metric)
    if score["tp"] + score["fp"] + score["fn"] == 0:
        return Cell("–", '<span class="muted">–</span>')
    return Cell(f"{value:.3f} [{fmt_ci(ci)}]", f'{value:.3f}<span class="ci">{fmt_ci(ci)}</span>')


def delta_cell(delta: float | None) -> Cell:
    if delta is None:
        return Cell("–")
    arrow = "▲" if delta >= 0.005 else "▼" if delta <= -0.005 else "="
    cls = "up" if delta >= 0.005 else "down" if delta <= -0.005 else "flat"
    text = f"{arrow} {delta:+.3f}"
    return Cell(text, f'<span class="delta {cls}">{html.escape(text)}</span>', "")


def verdict_cell(verdict: str, ci: Sequence[float | None] | None) -> Cell:
    sure = bool(ci and ci[0] is not None and ci[1] is not None and (ci[0] > 0 or ci[1] < 0))
    text = verdict + (" (CI excludes 0)" if sure and verdict in ("better", "worse") else "")
    return Cell(
        text,
        f'<span class="verdict {verdict}">{html.escape(verdict)}</span>'
        + (
            '<span class="sure" title="95% CI of the difference excludes 0">*</span>'
            if sure and verdict in ("better", "worse")
            else ""
        ),
    )


def code(text: str) -> Cell:
    return Cell(f"`{text}`", f"<code>{html.escape(text)}</code>")


def _value(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "–" if v is None else str(v)
