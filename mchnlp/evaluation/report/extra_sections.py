"""Report sections about where the remaining errors are and what training learned: the area
and year of core-correct facts by cause, the indicators learned from annotations, and the
learning curve."""

from __future__ import annotations

import html
from collections.abc import Sequence

from .blocks import SECTION_TITLES, Figure, Para, Section, Table, fmt


def _para(text: str) -> Para:
    return Para(text, f"<p>{html.escape(text)}</p>")


def _share(right: int, n: int) -> str:
    return f"{right}/{n} = {100 * right / n:.1f}%" if n else "-"


def attribution_section(results: Sequence[dict]) -> Section | None:
    blocks: list = []
    for result in results:
        data = result.get("attribution") or {}
        n = data.get("core_correct") or 0
        if not n:
            continue
        blocks.append(_para(
            f"{result['name']}: {n} facts have indicator, value and unit right; area and year "
            f"both right in {fmt(data['both_right'])} of them (area {fmt(data['area_right'])}, "
            f"year {fmt(data['year_right'])})."))
        for field, title in (("location", "area"), ("year", "year")):
            causes = data["by_cause"].get(field, {})
            rows = [[cause, c["n"], _share(c["right"], c["n"])] for cause, c in causes.items()]
            blocks.append(Table([f"where the gold {title} comes from", "facts",
                                 f"{title} right"], rows, numeric={1, 2},
                                caption=f"{result['name']}: {title} by cause"))
    if not blocks:
        return None
    return Section("attribution", SECTION_TITLES["attribution"], blocks)


def learned_section(results: Sequence[dict]) -> Section | None:
    learned = results[0].get("learned_indicators") or {}
    if not learned:
        return None
    rows = []
    for code, info in sorted(learned.items(), key=lambda kv: -kv[1].get("spans", 0)):
        units = ", ".join(f"{u} ({n})" for u, n in (info.get("units") or {}).items())
        forms = "; ".join(info.get("surface_forms", [])[:6])
        rows.append([code, "table" if info.get("in_table") else "learned only",
                     info.get("documents", 0), info.get("spans", 0), units, forms])
    new = [r[0] for r in rows if r[1] == "learned only"]
    intro = ("The indicator codes the pipeline learned from the annotations "
             "(`mch_indicator_codes`): its training spans, the units of their facts and the "
             "surface forms it saw. " + (f"Not in the packaged table: {', '.join(new)}." if new
                                         else "All are in the packaged indicator table."))
    return Section("learned", SECTION_TITLES["learned"], [
        _para(intro),
        Table(["code", "source", "documents", "spans", "units", "surface forms seen"], rows,
              numeric={2, 3})])


def learning_curve_section(curve: dict | None, figures: bool) -> Section | None:
    if not curve or not curve.get("points"):
        return None
    metrics = ("ner_micro_f", "fact_strict_f", "fact_core_f")
    rows = []
    for p in curve["points"]:
        for name, scores in p["systems"].items():
            rows.append([name, p["train_documents"], p.get("seed", 0),
                         *(fmt(scores[s][k]) for s in ("dev", "test") for k in metrics)])
    rules = curve.get("rules") or {}
    if rules:
        rows.append(["rules", "", "", *(fmt(rules[s][k]) for s in ("dev", "test")
                                        for k in metrics)])
    blocks: list = [
        _para("Each trained pipeline trained on a share of the training documents (seeded "
              f"sample), scored on dev and test; command: {curve.get('command', '')}"),
        Table(["pipeline", "train docs", "seed", "dev entity F1", "dev strict F1", "dev core F1",
               "test entity F1", "test strict F1", "test core F1"], rows,
              numeric=set(range(3, 9))),
    ]
    if figures and curve.get("png"):
        blocks.append(Figure("learning_curve", curve["png"], "learning curve"))
    return Section("learning_curve", SECTION_TITLES["learning_curve"], blocks)
