"""The error gallery: each wrong fact with its sentence, the gold and predicted entities drawn
with displaCy, and why the two differ."""


from __future__ import annotations

import html
from collections.abc import Sequence

from .blocks import (
    ENTITY_COLORS,
    ERROR_COLORS,
    ERROR_MARK,
    FACT_COLUMNS,
    GALLERY_MODE,
    SECTION_TITLES,
    Raw,
    Section,
    _value,
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
    from ..metrics import facts_equal

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
