"""One function per report section: summary, facts, comparisons, entities, relations,
breakdowns and method; `build_sections` puts them in order."""


from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from ...corpus.schema import ENTITY_LABELS, RELATION_LABELS
from .. import charts
from ..compare import HEADLINE, compare_results
from ..metrics import FACT_MODES
from .blocks import (
    LIST_LIMIT,
    OPEN_LIMIT,
    SECTION_TITLES,
    Cell,
    Figure,
    Para,
    Raw,
    Section,
    Table,
    _value,
    delta_cell,
    fmt,
    fmt_ci,
    score_cell,
    verdict_cell,
)
from .extra_sections import attribution_section, learned_section, learning_curve_section
from .gallery import _gallery_section


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
    """All report sections, in order (the first result is the system under test). The context
    may hold "learning_curve" (the JSON of training/learning_curve.py, with its "png") and
    "gallery": False to leave out the error gallery (test reports: examples of test errors
    would reach whoever writes rules)."""
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
    ]
    for extra in (attribution_section(results), learned_section(results),
                  learning_curve_section(context.get("learning_curve"), figures)):
        if extra is not None:
            sections.append(extra)
    if context.get("gallery", True):
        sections.append(_gallery_section(results[0]))
    sections.append(_method_section(results))
    return sections
