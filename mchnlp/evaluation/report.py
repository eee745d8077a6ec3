"""The evaluation report: `report.md` and a self-contained `report.html` from results.

    from mchnlp.evaluation import evaluate_systems, write_report
    results = evaluate_systems([("model", nlp, "models/x"), ("rules", rules, None)], records)
    write_report(results, "reports/test", context={"command": "mchnlp evaluate", ...})

The first result is the system under test, the others are references (rule baseline,
previous model); each reference gets a comparison section. The HTML has inline CSS and
its charts embedded as base64 PNG (no external files or scripts); the Markdown links the
same charts, written to `figures/`. Every file is written atomically.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import charts
from .compare import HEADLINE, compare_results
from .metrics import FACT_MODES
from ..corpus.schema import ENTITY_LABELS, RELATION_LABELS

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


# -- sections -----------------------------------------------------------------------------------
def _systems(results: Sequence[dict]) -> list[str]:
    return [r["name"] for r in results]


def _summary(results: Sequence[dict], comparisons: list[dict], context: dict) -> Section:
    main = results[0]
    ref = results[1] if len(results) > 1 else None
    s = main["scores"]
    cards = [
        (
            "Strict fact F1",
            s["facts"]["strict"]["micro"],
            "facts/strict/micro:f",
            "indicator + value + unit + location + year",
        ),
        (
            "Core fact F1",
            s["facts"]["core"]["micro"],
            "facts/core/micro:f",
            "indicator + value + unit",
        ),
        ("NER micro F1", s["ner"]["micro"], "ner/micro:f", "exact span and label"),
    ]
    rel = s["relations"]
    if rel.get("gold_entities"):
        cards.append(
            (
                "Relation F1 (gold ents)",
                rel["gold_entities"]["micro"],
                "rel/gold_entities/micro:f",
                "linker alone",
            )
        )
    cards.append(
        (
            "Relation F1 (pred ents)",
            rel["predicted_entities"]["micro"],
            "rel/predicted_entities/micro:f",
            "NER + linker",
        )
    )
    deltas = {row["key"]: row for row in comparisons[0]["rows"]} if comparisons else {}
    html_cards, md_rows = [], []
    for title, score, key, hint in cards:
        row = deltas.get(key)
        delta_html = delta_md = ""
        if row is not None and row["delta"] is not None:
            d = delta_cell(row["delta"])
            delta_html = f'<div class="cmp">{d.to_html()} vs {html.escape(ref["name"])}</div>'
            delta_md = d.md
        ci = fmt_ci(score["ci"]["f"])
        html_cards.append(
            f'<div class="card"><div class="k">{html.escape(title)}</div>'
            f'<div class="v">{fmt(score["f"])}</div><div class="ci">95% CI {ci} · '
            f"P {fmt(score['p'], 2)} · R {fmt(score['r'], 2)}</div>{delta_html}"
            f'<div class="hint">{html.escape(hint)}</div></div>'
        )
        md_rows.append(
            [
                title,
                Cell(fmt(score["f"])),
                Cell(ci),
                Cell(fmt(score["p"])),
                Cell(fmt(score["r"])),
                Cell(delta_md or "–"),
            ]
        )
    n_gold_spans = sum(len(d["gold_spans"]) for d in main["docs"])
    facts_line = (
        f"{main['n_docs']} documents · {main['n_gold_facts']} gold facts · "
        f"{n_gold_spans} gold spans · {main['n_pred_facts']} predicted facts"
    )
    refs = ", ".join(f"{r['name']} ({r['description']})" for r in results[1:]) or "none"
    info = [
        (
            "Model",
            f"{main['name']} — {main['description']}"
            + (f" — {main['model']}" if main.get("model") else ""),
        ),
        ("Compared with", refs),
        (
            "Data",
            (
                f"{context.get('corpus') or 'given records'}, split "
                f"{context.get('split') or '?'}: {facts_line}"
            ),
        ),
        ("Generated", f"{context.get('generated')} · mchnlp {context.get('version', '?')}"),
    ]
    command = context.get("command") or "(called from Python)"
    info_html = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in info
    )
    box_html = (
        f'<div class="summary"><div class="cards">{"".join(html_cards)}</div>'
        f'<table class="info">{info_html}<tr><th>Command</th><td><code>'
        f"{html.escape(command)}</code></td></tr></table></div>"
    )
    table = Table(
        ["Metric", "F1", "95% CI", "P", "R", f"Δ F1 vs {ref['name']}" if ref else "Δ"],
        md_rows,
        numeric={1, 3, 4, 5},
    )
    info_md = "\n".join(f"- **{k}:** {v}" for k, v in info)
    box_md = f"{table.to_md()}\n\n{info_md}\n- **Command:** `{command}`"
    return Section("summary", SECTION_TITLES["summary"], [Raw(box_md, box_html)])


def _facts_section(results: Sequence[dict], figures: bool) -> Section:
    rows = []
    for r in results:
        for mode in FACT_MODES:
            sc = r["scores"]["facts"][mode]["micro"]
            rows.append(
                [
                    r["name"],
                    mode,
                    score_cell(sc, "p"),
                    score_cell(sc, "r"),
                    score_cell(sc, "f"),
                    sc["tp"],
                    sc["fp"],
                    sc["fn"],
                ]
            )
    blocks: list[Any] = [
        Para(
            "A fact counts as correct when indicator, value and unit (core) — and also "
            "location and year (strict) — equal a gold fact of the same document. "
            "Brackets: 95% bootstrap interval over documents.",
            "<p>A fact counts as correct when <b>indicator, value and unit</b> (core) — and "
            "also <b>location and year</b> (strict) — equal a gold fact of the same "
            "document. Small grey numbers: 95% bootstrap interval over documents.</p>",
        ),
        Table(
            ["System", "Mode", "Precision", "Recall", "F1", "TP", "FP", "FN"],
            rows,
            numeric={2, 3, 4, 5, 6, 7},
        ),
    ]
    if figures:
        png = charts.grouped_f1_chart(
            ["strict", "core"],
            _systems(results),
            [[r["scores"]["facts"][m]["micro"] for m in FACT_MODES] for r in results],
            title="Fact F1 (95% CI)",
        )
        blocks.append(Figure("facts_f1", png, "Fact F1 by matching mode and system"))
    return Section("facts", SECTION_TITLES["facts"], blocks)


def _fact_table(rows: list[dict], title: str) -> list[Any]:
    if not rows:
        return [Para(f"**{title}:** none.", f"<p><b>{html.escape(title)}:</b> none.</p>")]
    shown = rows[:LIST_LIMIT]
    table = Table(
        ["Document", "Indicator", "Value", "Unit", "Location", "Year", "Kind", "Text"],
        [
            [
                r["doc"],
                r["indicator"],
                _value(r["value"]),
                r["unit"],
                r["location"],
                _value(r["year"]),
                r["kind"],
                r["text"],
            ]
            for r in shown
        ],
        numeric={2, 5},
        caption=f"{title} ({len(rows)})",
    )
    more = f"… and {len(rows) - len(shown)} more" if len(rows) > len(shown) else ""
    table.caption = None
    md = f"**{title} ({len(rows)})**\n\n{table.to_md()}" + (f"\n\n{more}" if more else "")
    # long lists start folded so the comparison stays one screen long
    opened = " open" if len(rows) <= OPEN_LIMIT else ""
    body = table.to_html() + (f"<p>{more}</p>" if more else "")
    return [
        Raw(
            md,
            f'<details class="facts"{opened}><summary><b>{html.escape(title)}</b> '
            f'<span class="muted">({len(rows)})</span></summary>{body}</details>',
        )
    ]


def _comparison_sections(comparisons: list[dict]) -> list[Section]:
    sections = []
    for comp in comparisons:
        ref, cand = comp["reference"], comp["candidate"]
        rows = comp["rows"]
        better = sum(r["verdict"] == "better" for r in rows)
        worse = sum(r["verdict"] == "worse" for r in rows)
        same = sum(r["verdict"] == "same" for r in rows)
        intro = (
            f"{cand} against {ref}: {better} metrics better, {worse} worse, {same} "
            f"unchanged (|Δ| < 0.005). Δ = {cand} − {ref}; the interval is a paired "
            "bootstrap over documents, * marks a difference whose interval excludes 0."
        )
        headers = ["Group", "Metric", ref, cand, "Δ", "95% CI of Δ", "Verdict"]

        def table(selected: list[dict], caption: str | None = None, headers=headers) -> Table:
            return Table(
                headers,
                [
                    [
                        r["group"],
                        r["metric"],
                        fmt(r["reference"]),
                        fmt(r["candidate"]),
                        delta_cell(r["delta"]),
                        fmt_ci(r["delta_ci"]),
                        verdict_cell(r["verdict"], r["delta_ci"]),
                    ]
                    for r in selected
                ],
                numeric={2, 3, 4, 5},
                caption=caption,
            )

        headline = [r for key in HEADLINE for r in rows if r["key"] == key]
        changed = [r for r in rows if r["key"] not in HEADLINE and r["verdict"] != "same"]
        blocks: list[Any] = [
            Para(intro, f"<p>{html.escape(intro)}</p>"),
            table(headline, "Key metrics"),
        ]
        if changed:
            blocks.append(table(changed, "Other metrics that changed"))
        else:
            text = "No other metric changed."
            blocks.append(Para(text, f"<p>{text}</p>"))
        full = table(rows, "All compared metrics")
        blocks.append(
            Raw(
                "",
                f"<details><summary>All {len(rows)} compared metrics"
                f"</summary>{full.to_html()}</details>",
            )
        )
        mode = comp["mode"]
        changes = (
            f"Changed facts ({mode} matching): gold facts {cand} gets right and {ref} "
            f"does not (newly found) and the reverse (lost); false positives only {cand}"
            f" makes (new spurious) and those only {ref} made (fixed)."
        )
        blocks.append(Para(changes, f"<p>{html.escape(changes)}</p>"))
        blocks += _fact_table(comp["found"], "Newly found")
        blocks += _fact_table(comp["lost"], "Lost")
        blocks += _fact_table(comp["new_spurious"], "New spurious")
        blocks += _fact_table(comp["fixed_spurious"], "Fixed spurious")
        sections.append(
            Section("comparison", f"{SECTION_TITLES['comparison']}: {cand} vs {ref}", blocks)
        )
    return sections


def _ner_section(results: Sequence[dict], figures: bool) -> Section:
    main = results[0]
    labels = [lab for lab in ENTITY_LABELS if lab in main["scores"]["ner"]["labels"]]
    labels += sorted(set(main["scores"]["ner"]["labels"]) - set(labels))
    headers = ["Label", "Gold", "P", "R", f"F1 {main['name']}"]
    headers += [f"F1 {r['name']}" for r in results[1:]]
    rows = []
    for label in labels + ["micro"]:
        sc = (
            main["scores"]["ner"]["micro"]
            if label == "micro"
            else main["scores"]["ner"]["labels"][label]
        )
        row = [
            Cell("micro avg", "<b>micro avg</b>") if label == "micro" else label,
            sc["support"],
            score_cell(sc, "p"),
            score_cell(sc, "r"),
            score_cell(sc, "f"),
        ]
        for r in results[1:]:
            other = (
                r["scores"]["ner"]["micro"]
                if label == "micro"
                else r["scores"]["ner"]["labels"].get(label)
            )
            row.append(score_cell(other, "f"))
        rows.append(row)
    blocks: list[Any] = [
        Para(
            "An entity is correct only with the exact character offsets and label of a gold span.",
            "<p>An entity is correct only with the exact character offsets and "
            "label of a gold span.</p>",
        ),
        Table(headers, rows, numeric=set(range(1, len(headers)))),
    ]
    if figures:
        groups = labels + ["micro"]
        scores = [
            [
                (
                    r["scores"]["ner"]["micro"]
                    if g == "micro"
                    else r["scores"]["ner"]["labels"].get(g)
                )
                for g in groups
            ]
            for r in results
        ]
        blocks.append(
            Figure(
                "ner_f1",
                charts.grouped_f1_chart(
                    groups, _systems(results), scores, title="NER F1 per label (95% CI)"
                ),
                "NER F1 per label, model and references",
            )
        )
        shown = results[:2]
        blocks.append(
            Figure(
                "confusion",
                charts.confusion_chart(
                    main["confusion"]["labels"],
                    [r["confusion"]["matrix"] for r in shown],
                    [r["name"] for r in shown],
                ),
                "Token-level label confusion (rows gold, columns predicted; colour = row share)",
            )
        )
    return Section("ner", SECTION_TITLES["ner"], blocks)


def _relations_section(results: Sequence[dict]) -> Section:
    main = results[0]
    blocks: list[Any] = [
        Para(
            "A relation (value → indicator / location / date) is correct when both ends have the "
            "gold offsets. *Gold entities*: the linker alone, given the gold spans. *Predicted "
            "entities*: the whole pipeline, so entity errors propagate.",
            "<p>A relation (value → indicator / location / date) is correct when both ends have "
            "the gold offsets. <b>Gold entities</b>: the linker alone, given the gold spans. "
            "<b>Predicted entities</b>: the whole pipeline, so entity errors propagate.</p>",
        )
    ]
    for mode, title in (
        ("gold_entities", "With gold entities"),
        ("predicted_entities", "With predicted entities"),
    ):
        block = main["scores"]["relations"].get(mode)
        if block is None:
            text = f"{title}: {main['name']} has no linker component."
            blocks.append(Para(text, f"<p>{html.escape(text)}</p>"))
            continue
        headers = ["Relation", "Gold", "P", "R", f"F1 {main['name']}"]
        headers += [f"F1 {r['name']}" for r in results[1:]]
        rows = []
        for label in list(RELATION_LABELS) + ["micro"]:
            sc = block["micro"] if label == "micro" else block["labels"].get(label)
            row = [
                Cell("micro avg", "<b>micro avg</b>") if label == "micro" else label,
                sc["support"] if sc else 0,
                score_cell(sc, "p"),
                score_cell(sc, "r"),
                score_cell(sc, "f"),
            ]
            for r in results[1:]:
                other = r["scores"]["relations"].get(mode)
                row.append(
                    score_cell(
                        None
                        if other is None
                        else (other["micro"] if label == "micro" else other["labels"].get(label)),
                        "f",
                    )
                )
            rows.append(row)
        blocks.append(Raw(f"### {title}", f"<h3>{html.escape(title)}</h3>"))
        blocks.append(Table(headers, rows, numeric=set(range(1, len(headers)))))
    return Section("relations", SECTION_TITLES["relations"], blocks)


def _breakdown_section(results: Sequence[dict], by: str) -> Section:
    main = results[0]
    strict = main["scores"]["facts"]["strict"][by]
    core = main["scores"]["facts"]["core"][by]
    keys = sorted(
        set(strict) | set(core), key=lambda k: (-(core.get(k) or strict.get(k))["support"], str(k))
    )
    headers = [
        by.capitalize(),
        "Gold",
        "Predicted",
        "Strict P",
        "Strict R",
        f"Strict F1 {main['name']}",
        f"Core F1 {main['name']}",
    ]
    headers += [f"Strict F1 {r['name']}" for r in results[1:]]
    rows = []
    for key in keys:
        st, co = strict.get(key), core.get(key)
        base = co or st
        row = [
            str(key),
            base["support"],
            base["tp"] + base["fp"],
            fmt(st["p"]) if st else "–",  # intervals on F1 only: keeps the table one screen wide
            fmt(st["r"]) if st else "–",
            score_cell(st, "f"),
            score_cell(co, "f"),
        ]
        row += [score_cell(r["scores"]["facts"]["strict"][by].get(key), "f") for r in results[1:]]
        rows.append(row)
    text = (
        f"Facts grouped by the gold fact's {by} (a spurious fact by its own {by}); the "
        "groups come from the same matching as the totals."
    )
    return Section(
        by,
        SECTION_TITLES[by],
        [
            Para(text, f"<p>{html.escape(text)}</p>"),
            Table(headers, rows, numeric=set(range(1, len(headers)))),
        ],
    )


# -- error gallery ------------------------------------------------------------------------------
def _overlaps(a: dict | Sequence, b: dict | Sequence) -> int:
    a0, a1 = (a["start"], a["end"]) if isinstance(a, dict) else (a[0], a[1])
    b0, b1 = (b["start"], b["end"]) if isinstance(b, dict) else (b[0], b[1])
    if a0 is None or b0 is None:
        return 0
    return max(0, min(a1, b1) - max(a0, b0))


def _why(kind: str, gold: dict | None, pred: dict | None, doc: dict) -> str:
    if kind == "wrong":
        diff = [k for k in FACT_COLUMNS[:5] if not _same_field(k, gold, pred)]
        return "wrong " + ", ".join(diff)
    if kind == "missed":
        hits = [s for s in doc["pred_spans"] if _overlaps(s, gold)]
        if not hits:
            return "value not recognised (no entity)"
        exact = [s for s in hits if s[0] == gold.get("start") and s[1] == gold.get("end")]
        if exact:
            return f"value found as {exact[0][2]}, but no fact made from it (no indicator link?)"
        s = hits[0]
        return f"value found as {s[2]} {doc['text'][s[0] : s[1]]!r} (different span)"
    hits = [s for s in doc["gold_spans"] if _overlaps(s, pred)]
    if not hits:
        return "not a gold value (distractor number?)"
    return f"gold marks {doc['text'][hits[0][0] : hits[0][1]]!r} as {hits[0][2]}, no fact here"


def _same_field(key: str, gold: dict, pred: dict) -> bool:
    from .metrics import facts_equal

    return facts_equal(gold, pred, (key,))


def gallery_entries(result: dict, mode: str = GALLERY_MODE) -> list[dict]:
    """The errors of `result` grouped by document and sentence.

    A missed gold fact and a spurious prediction on overlapping value spans are one "wrong"
    error (the fields that differ are named); the rest are "missed" or "spurious".

    Returns:
        [{"doc", "text", "sentences": [{"start", "end", "errors": [{"type", "gold",
        "pred", "why"}]}]}] for documents with at least one error.
    """
    out = []
    for doc in result["docs"]:
        match = doc["matches"][mode]
        missed = list(match["missed"])
        spurious = list(match["spurious"])
        errors = []
        for gi in list(missed):
            gold = doc["gold_facts"][gi]
            options = [pi for pi in spurious if _overlaps(gold, doc["pred_facts"][pi])]
            if options:
                pi = max(options, key=lambda p: _overlaps(gold, doc["pred_facts"][p]))
                spurious.remove(pi)
                missed.remove(gi)
                errors.append(("wrong", gold, doc["pred_facts"][pi]))
        errors += [("missed", doc["gold_facts"][gi], None) for gi in missed]
        errors += [("spurious", None, doc["pred_facts"][pi]) for pi in spurious]
        if not errors:
            continue
        sentences: dict[tuple[int, int], list[dict]] = {}
        for kind, gold, pred in errors:
            fact = gold or pred
            start = fact.get("start") or 0
            sent = next(
                ((s, e) for s, e in doc["sentences"] if s <= start < e), (0, len(doc["text"]))
            )
            end = max(sent[1], min(len(doc["text"]), fact.get("end") or sent[1]))
            sentences.setdefault((sent[0], end), []).append(
                {"type": kind, "gold": gold, "pred": pred, "why": _why(kind, gold, pred, doc)}
            )
        out.append(
            {
                "doc": doc["id"],
                "text": doc["text"],
                "docdata": doc,
                "sentences": [
                    {"start": s, "end": e, "errors": errs}
                    for (s, e), errs in sorted(sentences.items())
                ],
            }
        )
    return out


def _displacy(text: str, start: int, end: int, spans: list, marks: dict) -> str:
    from spacy import displacy

    raw = text[start:end]
    shift = len(raw) - len(raw.lstrip())
    body = raw.strip()
    lo, hi = start + shift, start + shift + len(body)
    ents = []
    spans = [tuple(x) for x in spans]
    covered = {(s, e) for s, e, _ in spans}
    # a fact whose value is no entity of this side (e.g. a gold fact off token boundaries)
    for (s, e), mark in marks.items():
        if (
            (s, e) not in covered
            and s is not None
            and e is not None
            and not any(s < se and ss < e for ss, se, _ in spans)
        ):
            spans.append((s, e, "VALUE"))
    for s, e, label in sorted(spans, key=lambda x: (x[0], x[1])):
        if s >= lo and e <= hi:
            mark = marks.get((s, e))
            ents.append(
                {
                    "start": s - lo,
                    "end": e - lo,
                    "label": f"{label} {ERROR_MARK[mark]}" if mark else label,
                }
            )
    colors = dict(ENTITY_COLORS)
    for label in (*ENTITY_COLORS, "VALUE"):
        for kind, mark in ERROR_MARK.items():
            colors[f"{label} {mark}"] = ERROR_COLORS[kind]
    return displacy.render(
        {"text": body, "ents": ents, "title": None},
        style="ent",
        manual=True,
        page=False,
        options={"colors": colors},
    )


def _error_rows(errors: list[dict]) -> str:
    rows = []
    for err in errors:
        gold, pred = err["gold"], err["pred"]
        label = {"missed": "missed", "spurious": "spurious", "wrong": "wrong fields"}[err["type"]]
        cells_g, cells_p = [], []
        for key in FACT_COLUMNS:
            differs = gold is not None and pred is not None and not _same_field(key, gold, pred)
            cls = ' class="diff"' if differs and key != "kind" else ""
            cells_g.append(f"<td{cls}>{html.escape(_value(gold.get(key)))}</td>" if gold else "")
            cells_p.append(f"<td{cls}>{html.escape(_value(pred.get(key)))}</td>" if pred else "")
        n = len(FACT_COLUMNS)
        g = "".join(cells_g) or f'<td colspan="{n}" class="muted">no gold fact</td>'
        p = "".join(cells_p) or f'<td colspan="{n}" class="muted">not extracted</td>'
        rows.append(
            f'<tr class="first"><td rowspan="2"><span class="etype {err["type"]}">{label}'
            f'</span><div class="why">{html.escape(err["why"])}</div></td>'
            f'<td class="side">gold</td>{g}</tr><tr><td class="side">model</td>{p}</tr>'
        )
    head = "".join(f"<th>{k}</th>" for k in FACT_COLUMNS)
    cols = "".join(f'<col style="width:{w}%">' for w in (20, 6, 18, 8, 15, 19, 6, 8))
    return (
        f'<table class="errors"><colgroup>{cols}</colgroup><thead><tr><th>Error</th>'
        f"<th></th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _marked(text: str, start: int, end: int, fact: dict) -> str:
    s, e = fact.get("start"), fact.get("end")
    body = text[start:end]
    if s is not None and e is not None and start <= s and e <= end:
        body = text[start:s] + "**" + text[s:e] + "**" + text[e:end]
    return " ".join(body.split())


def _fact_md(fact: dict | None) -> str:
    if fact is None:
        return "—"
    return ", ".join(f"{k}={_value(fact.get(k))}" for k in FACT_COLUMNS)


def _gallery_section(result: dict, mode: str = GALLERY_MODE) -> Section:
    entries = gallery_entries(result, mode)
    n_err = sum(len(s["errors"]) for e in entries for s in e["sentences"])
    intro = (
        f"Every fact of {result['name']} that is missed or spurious under {mode} "
        f"matching ({n_err} errors in {len(entries)} documents), in its sentence. Top "
        "line: gold entities; bottom line: the model's. A red label marks the value of "
        "a missed or spurious fact, a yellow one a value whose fact has wrong fields "
        "(highlighted in the table)."
    )
    legend = "".join(
        f'<span class="swatch" style="background:{c}">{html.escape(k)}</span>'
        for k, c in list(ENTITY_COLORS.items())
        + [
            ("✗ missed / spurious", ERROR_COLORS["missed"]),
            ("≠ wrong fields", ERROR_COLORS["wrong"]),
        ]
    )
    parts_html = [f"<p>{html.escape(intro)}</p><div class='legend'>{legend}</div>"]
    parts_md = [intro]
    if not entries:
        parts_html.append("<p><b>No errors.</b></p>")
        parts_md.append("No errors.")
    for entry in entries:
        doc = entry["docdata"]
        counts = {
            k: sum(err["type"] == k for s in entry["sentences"] for err in s["errors"])
            for k in ("missed", "spurious", "wrong")
        }
        label = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        sents_html = []
        parts_md.append(f"### {entry['doc']} ({label})")
        for sent in entry["sentences"]:
            gold_marks, pred_marks = {}, {}
            for err in sent["errors"]:
                if err["gold"] is not None:
                    gold_marks[(err["gold"]["start"], err["gold"]["end"])] = err["type"]
                if err["pred"] is not None:
                    pred_marks[(err["pred"]["start"], err["pred"]["end"])] = err["type"]
            gold_html = _displacy(
                doc["text"], sent["start"], sent["end"], doc["gold_spans"], gold_marks
            )
            pred_html = _displacy(
                doc["text"], sent["start"], sent["end"], doc["pred_spans"], pred_marks
            )
            sents_html.append(
                f'<div class="sentence"><div class="row"><span class="tag">gold</span>'
                f'<div class="render">{gold_html}</div></div><div class="row">'
                f'<span class="tag">model</span><div class="render">{pred_html}</div></div>'
                f"{_error_rows(sent['errors'])}</div>"
            )
            for err in sent["errors"]:
                fact = err["gold"] or err["pred"]
                parts_md.append(
                    f"- **{err['type']}** ({err['why']}): gold: {_fact_md(err['gold'])}; "
                    f"model: {_fact_md(err['pred'])}  \n  > "
                    f"{_marked(doc['text'], sent['start'], sent['end'], fact)}"
                )
        parts_html.append(
            f"<details open><summary><b>{html.escape(str(entry['doc']))}</b> "
            f'<span class="muted">{html.escape(label)}</span></summary>'
            f"{''.join(sents_html)}</details>"
        )
    title = f"{SECTION_TITLES['gallery']}: {result['name']}"
    return Section(
        "gallery",
        title,
        [Raw("\n\n".join(parts_md), '<div class="gallery">' + "".join(parts_html) + "</div>")],
    )


def _method_section(results: Sequence[dict]) -> Section:
    boot = results[0].get("bootstrap") or {}
    items = [
        "Entities: exact character offsets and label; micro average over all labels.",
        (
            "Relations: (value span, target span, label) triples; for each value and relation "
            "the pipeline's best-scoring target is its prediction."
        ),
        (
            "Facts: matched within each document as multisets (each gold fact used once); "
            "values equal within 1e-6, locations compared case-insensitively."
        ),
        (
            f"Confidence intervals: percentile bootstrap, {boot.get('n', '?')} resamples of "
            f"documents (seed {boot.get('seed', '?')}), {int(100 * boot.get('level', 0.95))}% "
            "level; the systems are resampled with the same draws, and comparison intervals "
            "are paired."
        ),
        (
            "Confusion matrix: one count per non-space token, labelled by the entity "
            "containing its first character (O outside entities)."
        ),
    ]
    return Section(
        "method",
        SECTION_TITLES["method"],
        [
            Raw(
                "\n".join(f"- {i}" for i in items),
                "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>",
            )
        ],
    )


# -- assembling -------------------------------------------------------------------------------
def build_sections(
    results: Sequence[dict], context: dict, *, figures: bool = True
) -> list[Section]:
    """All report sections, in order (the first result is the system under test)."""
    if not results:
        raise ValueError("write_report needs at least one evaluation result")
    comparisons = [compare_results(ref, results[0]) for ref in results[1:]]
    sections = [_summary(results, comparisons, context), _facts_section(results, figures)]
    sections += _comparison_sections(comparisons)
    sections += [
        _ner_section(results, figures),
        _relations_section(results),
        _breakdown_section(results, "indicator"),
        _breakdown_section(results, "unit"),
        _gallery_section(results[0]),
        _method_section(results),
    ]
    return sections


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
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>\n" + "\n".join(body) + "</body></html>\n"
    )


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and `os.replace`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        json.dumps({"context": context, "results": list(results)}, ensure_ascii=False, indent=1),
    )
    write_atomic(paths["markdown"], render_markdown(title, sections))
    write_atomic(paths["html"], render_html(title, sections))
    return paths


CSS = """
:root { --ink:#1d232a; --muted:#6b7785; --line:#e3e8ee; --head:#f0f3f7; --accent:#1f5f9e; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: var(--ink); max-width: 1180px; margin: 0 auto; padding: 28px 36px 80px;
  line-height: 1.5; font-size: 15px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 14px; }
h2 { font-size: 20px; margin: 40px 0 10px; padding-bottom: 5px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 6px; }
p { margin: 6px 0 10px; max-width: 70em; }
code { background: #eef1f5; padding: 2px 6px; border-radius: 4px; font-size: 13px;
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.summary { background: #f4f7fb; border: 1px solid #d6e0ec; border-radius: 10px;
  padding: 16px 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 12px; }
.card { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: 10px 14px;
  flex: 1 1 180px; }
.card .k { font-size: 13px; color: var(--muted); font-weight: 600; }
.card .v { font-size: 30px; font-weight: 650; color: var(--accent); line-height: 1.2; }
.card .ci, .card .hint, .card .cmp { font-size: 12px; color: var(--muted); }
.card .cmp { margin-top: 2px; }
table.info { margin: 0; font-size: 14px; }
table.info th { background: none; width: 130px; vertical-align: top; color: var(--muted);
  white-space: nowrap; }
table.info td, table.info th { border: none; padding: 2px 8px; }
nav.toc { margin: 16px 0 4px; display: flex; flex-wrap: wrap; gap: 6px 14px; font-size: 14px; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
.tablewrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 18px; font-size: 14px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; }
th { background: var(--head); font-weight: 600; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.ci { color: #8a94a0; font-size: 12px; margin-left: 6px; }
.muted { color: var(--muted); }
.delta.up { color: #1a7f37; font-weight: 600; }
.delta.down { color: #c62828; font-weight: 600; }
.delta.flat { color: var(--muted); }
.verdict.better { color: #1a7f37; font-weight: 600; }
.verdict.worse { color: #c62828; font-weight: 600; }
.verdict.same { color: var(--muted); }
.sure { color: #1d232a; font-weight: 700; margin-left: 2px; }
figure { margin: 10px 0 22px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px; }
figcaption { font-size: 13px; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 12px; }
.swatch { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 5px; }
details { border-top: 1px solid var(--line); padding: 6px 0; }
summary { cursor: pointer; font-size: 15px; padding: 4px 0; }
.sentence { border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px 2px;
  margin: 8px 0 14px; background: #fcfdfe; }
.sentence .row { display: flex; gap: 10px; align-items: flex-start;
  border-bottom: 1px dashed var(--line); }
.sentence .tag { flex: none; width: 46px; font-size: 11px; font-weight: 700; color: var(--muted);
  text-transform: uppercase; padding-top: 12px; }
.sentence .render { flex: 1; font-size: 14px; }
.sentence .entities { line-height: 2.3 !important; }
table.errors { margin: 8px 0; font-size: 13px; width: 100%; table-layout: fixed; }
table.errors td { overflow-wrap: anywhere; }
table.errors td, table.errors th { padding: 3px 8px; }
table.errors tr.first td { border-top: 2px solid var(--line); }
table.errors td.side { color: var(--muted); font-size: 11px; text-transform: uppercase; }
table.errors td.diff { background: #fff3c4 !important; font-weight: 600; }
.etype { font-weight: 700; font-size: 12px; padding: 1px 6px; border-radius: 4px; }
.etype.missed, .etype.spurious { background: #ffcdd2; }
.etype.wrong { background: #ffe082; }
.why { font-size: 12px; color: var(--muted); max-width: 260px; }
@media print { details { page-break-inside: avoid; } }
"""
