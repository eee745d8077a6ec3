"""An HTML view of one article for reviewers: the entities highlighted (displaCy "ent"), and
for each fact its row and its links drawn from the value to the indicator, place, date and
unit spans it was linked to (displaCy arcs). One self-contained file: no script, no
stylesheet or font fetched.

    import mchnlp
    html = mchnlp.render("Kematian ibu di Kabupaten Kupang 14 kasus pada 2021.",
                         output="view.html")
"""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from ..facts.fact import Fact

COLORS = {"INDICATOR": "#f6c26b", "COUNT": "#9fd3a8", "RATE": "#8cc5e8", "LOCATION": "#d6b4f0",
          "DATE": "#f2a5a5"}
LINK_ORDER = ("indicator", "location", "date", "unit")
_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;
color:#222;line-height:1.5}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.fact{border-top:1px solid #ddd;margin-top:1rem;padding-top:.5rem}
.warn{color:#a40000}.note{color:#555;font-size:.9rem}.arcs{overflow-x:auto}
.legend span{border-radius:.3rem;margin-right:.4rem;padding:.1rem .4rem}
"""


@dataclass
class _Link:
    label: str
    span: Span
    score: float


def _links(doc: Doc, value: Span) -> list[_Link]:
    """The value's best link per label in `doc._.rel` (what the fact view reads)."""
    ents = {e.start: e for e in doc.ents}
    best: dict[str, _Link] = {}
    for (head, tail), scores in (doc._.rel or {}).items():
        if head != value.start or tail not in ents:
            continue
        for label, score in scores.items():
            if label not in best or score > best[label].score:
                best[label] = _Link(label, ents[tail], score)
    return sorted(best.values(), key=lambda link: LINK_ORDER.index(link.label)
                  if link.label in LINK_ORDER else len(LINK_ORDER))


def _arcs_svg(value: Span, links: list[_Link]) -> str:
    """The value and its linked spans in text order, with an arc from the value to each."""
    from spacy import displacy

    spans = sorted([value, *(link.span for link in links)], key=lambda s: s.start)
    unique = list({(s.start, s.end): s for s in spans}.values())
    index = {(s.start, s.end): i for i, s in enumerate(unique)}
    words = [{"text": s.text, "tag": s.label_} for s in unique]
    here = index[(value.start, value.end)]
    arcs = []
    for link in links:
        there = index[(link.span.start, link.span.end)]
        if there == here:
            continue
        arcs.append({"start": min(here, there), "end": max(here, there),
                     "label": f"{link.label} {link.score:.2f}",
                     "dir": "right" if there > here else "left"})
    longest = max(len(w["text"]) for w in words)
    # words are centred on their slot: room for the longest on the left edge
    options = {"distance": max(130, 9 * longest), "offset_x": 10 + 5 * longest,
               "word_spacing": 30, "arrow_spacing": 14, "bg": "#ffffff", "color": "#222222",
               "font": "system-ui, sans-serif"}
    return displacy.render({"words": words, "arcs": arcs}, style="dep", manual=True,
                           page=False, minify=True, options=options)


def _fact_table(fact: Fact) -> str:
    where = fact.location or "—"
    if fact.location_code:
        where += f" ({fact.location_code})"
    if fact.facility:
        where += f", facility {fact.facility}"
    value = f"{fact.value:g}" + (f"–{fact.value_max:g}" if fact.value_max is not None else "")
    cells = [("indicator", fact.indicator), ("value", f"{value} {fact.unit}"),
             ("location", where), ("year", "—" if fact.year is None else str(fact.year)),
             ("kind", fact.kind), ("confidence", f"{fact.confidence:.3f}")]
    head = "".join(f"<th>{html.escape(name)}</th>" for name, _ in cells)
    body = "".join(f"<td>{html.escape(text)}</td>" for _, text in cells)
    return f"<table><tr>{head}</tr><tr>{body}</tr></table>"


def _fact_block(number: int, doc: Doc, fact: Fact, offset: int) -> str:
    value = next((e for e in doc.ents if e.start_char == fact.start - offset
                  and e.end_char == fact.end - offset), None)
    parts = [f'<div class="fact" id="fact-{number}"><b>Fact {number}</b>: '
             f"<q>{html.escape(fact.text)}</q> at {fact.start}–{fact.end}",
             _fact_table(fact)]
    links = _links(doc, value) if value is not None else []
    labels = {link.label for link in links}
    if value is not None and links:
        parts.append(f'<div class="arcs">{_arcs_svg(value, links)}</div>')
    unlinked = [label for label in ("location", "date") if label not in labels]
    if unlinked:
        parts.append(f'<p class="note">no {" or ".join(unlinked)} link: taken from the '
                     "document (its area, the year before, or none)</p>")
    parts += [f'<p class="warn">⚠ {html.escape(w)}</p>' for w in fact.warnings]
    parts.append("</div>")
    return "\n".join(parts)


def _entities_html(doc: Doc) -> str:
    from spacy import displacy

    options = {"ents": list(COLORS), "colors": COLORS}
    return displacy.render(doc, style="ent", page=False, minify=True, options=options)


def render(doc_or_text: Doc | str, *, nlp: Language | None = None,
           published: dt.date | str | None = None, title: str | None = None,
           output: str | os.PathLike | None = None) -> str:
    """An HTML page showing what was found in one article.

    Args:
        doc_or_text: a Doc processed by an mchnlp pipeline, or the article's text (processed
            here, in chunks as `mchnlp.extract` does).
        nlp: the pipeline for a text; the shipped one by default.
        published: publication date for a text (as in `mchnlp.extract`).
        title: the page title (default: the first line of the article).
        output: also write the page there, atomically.
    Returns:
        The page: the article with its entities highlighted, then each fact with its fields,
        its links drawn from the value to the spans they point at (with their scores), and
        its warnings. Self-contained (inline styles and SVG only).
    Raises:
        TypeError: neither a Doc nor a str. ValueError: a malformed `published`.
    """
    from spacy.tokens import Doc

    from ..api import process_docs
    from ..atomic import write_atomic
    from ..pipeline import load_cached

    if isinstance(doc_or_text, Doc):
        docs = [(0, doc_or_text)]
    else:
        docs = list(process_docs(nlp or load_cached(), doc_or_text, published))
    text = "".join(doc.text for _, doc in docs)
    if title is None:
        title = next((line.strip() for line in text.splitlines() if line.strip()),
                     "(empty article)")
        title = title if len(title) <= 100 else title[:99].rstrip() + "…"
    blocks: list[str] = []
    number = 0
    for offset, doc in docs:
        for fact in doc._.facts:
            number += 1
            shifted = fact if offset == 0 else _shifted(fact, offset)
            blocks.append(_fact_block(number, doc, shifted, offset))
    legend = "".join(f'<span style="background:{color}">{label}</span>'
                     for label, color in COLORS.items())
    body = [f"<h1>{html.escape(title)}</h1>",
            f'<p class="legend">{legend}</p>',
            f"<p>{number} fact{'s' if number != 1 else ''}.</p>",
            "<h2>Article</h2>",
            *(_entities_html(doc) for _, doc in docs),
            "<h2>Facts and their links</h2>",
            *(blocks or ["<p>No facts found.</p>"])]
    page = ('<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
    if output is not None:
        write_atomic(output, page)
    return page


def _shifted(fact: Fact, offset: int) -> Fact:
    from dataclasses import replace

    return replace(fact, start=fact.start + offset, end=fact.end + offset)
