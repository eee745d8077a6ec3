"""Rendering the report sections as Markdown and HTML, and writing the report files."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...atomic import write_atomic
from .blocks import FIGURES_DIR, Figure, Section, Table
from .sections import build_sections


def _block_md(block: Any) -> str:
    if isinstance(block, (Table, Figure)):
        return block.to_md()
    return block.md


def _block_html(block: Any) -> str:
    if isinstance(block, (Table, Figure)):
        return block.to_html()
    return block.html


def _anchor(i: int, section: Section) -> str:
    return f"s{i}-{section.key}"


def render_markdown(title: str, sections: Sequence[Section]) -> str:
    out = [f"# {title}", ""]
    for section in sections:
        out += [f"{'#' * section.level} {section.title}", ""]
        for block in section.blocks:
            out += [_block_md(block), ""]
    return "\n".join(out).rstrip() + "\n"


def _css() -> str:
    return (Path(__file__).parent / "report.css").read_text(encoding="utf-8")


def render_html(title: str, sections: Sequence[Section]) -> str:
    nav = "".join(
        f'<a href="#{_anchor(i, s)}">{html.escape(s.title)}</a>'
        for i, s in enumerate(sections)
        if s.key != "summary"
    )
    body = []
    for i, section in enumerate(sections):
        blocks = "\n".join(_block_html(b) for b in section.blocks)
        body.append(
            f'<section id="{_anchor(i, section)}"><h{section.level}>'
            f"{html.escape(section.title)}</h{section.level}>\n{blocks}</section>"
        )
        if section.key == "summary":
            body.append(f'<nav class="toc">{nav}</nav>')
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_css()}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>\n" + "\n".join(body) + "</body></html>\n"
    )


def _serializable(context: dict) -> dict:
    """The context as metrics.json keeps it: a learning curve without its picture."""
    curve = context.get("learning_curve")
    if isinstance(curve, dict) and "png" in curve:
        context = {**context, "learning_curve": {k: v for k, v in curve.items() if k != "png"}}
    return context


def write_report(
    results: Sequence[dict],
    out_dir: str | os.PathLike,
    *,
    context: dict | None = None,
    title: str | None = None,
    figures: bool = True,
) -> dict[str, Path]:
    """Write `report.md`, `report.html`, `metrics.json` and `figures/*.png` to `out_dir`.

    Args:
        results: evaluation results; the first is the system under test, the rest are the
            references it is compared with.
        out_dir: the report folder (created if missing).
        context: what produced the numbers: "command", "split", "corpus" (shown in the
            summary box); "generated" and "version" are filled in when absent.
        title: the report title (default: "mchnlp evaluation: <model> on <split>").
        figures: draw the matplotlib charts (off for a quick text-only report).
    Returns:
        {"markdown", "html", "metrics"} paths.
    """
    from mchnlp import __version__

    out = Path(out_dir)
    context = dict(context or {})
    context.setdefault("generated", dt.date.today().isoformat())
    context.setdefault("version", __version__)
    title = title or (
        f"mchnlp evaluation: {results[0]['name']}"
        + (f" on {context['split']}" if context.get("split") else "")
    )
    sections = build_sections(results, context, figures=figures)
    for section in sections:
        for block in section.blocks:
            if isinstance(block, Figure):
                write_atomic(out / FIGURES_DIR / f"{block.name}.png", block.png)
    paths = {
        "markdown": out / "report.md",
        "html": out / "report.html",
        "metrics": out / "metrics.json",
    }
    write_atomic(
        paths["metrics"],
        json.dumps({"context": _serializable(context), "results": list(results)},
                   ensure_ascii=False, indent=1),
    )
    write_atomic(paths["markdown"], render_markdown(title, sections))
    write_atomic(paths["html"], render_html(title, sections))
    return paths
