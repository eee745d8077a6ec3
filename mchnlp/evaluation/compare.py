"""Comparing two evaluation results on the same documents: metric deltas and changed facts."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import metrics

# |delta| below this is reported as unchanged (one fact in a few hundred)
SAME = 0.005
# the rows every comparison shows first, whatever changed
HEADLINE = (
    "facts/strict/micro:f",
    "facts/core/micro:f",
    "ner/micro:f",
    "rel/gold_entities/micro:f",
    "rel/predicted_entities/micro:f",
)


def _rows(result: dict) -> list[tuple[str, str, dict]]:
    """(group, metric name, tally key) of the metrics shown in a comparison."""
    scores = result["scores"]
    names = {"p": "precision", "r": "recall", "f": "F1"}
    rows = [
        ("Facts", f"{mode} {names[m]}", f"facts/{mode}/micro:{m}")
        for mode in ("strict", "core")
        for m in ("p", "r", "f")
    ]
    rows.append(("NER", "micro F1", "ner/micro:f"))
    rows += [("NER", f"{label} F1", f"ner/{label}:f") for label in scores["ner"]["labels"]]
    for mode, title in (("gold_entities", "gold ents"), ("predicted_entities", "pred ents")):
        block = scores["relations"].get(mode)
        if block is None:
            continue
        rows.append(("Relations", f"{title} micro F1", f"rel/{mode}/micro:f"))
        rows += [
            ("Relations", f"{title} {label} F1", f"rel/{mode}/{label}:f")
            for label in block["labels"]
        ]
    for ind in scores["facts"]["strict"]["indicator"]:
        rows.append(("Facts by indicator", f"{ind} strict F1", f"facts/strict/indicator/{ind}:f"))
    return rows


def _lookup(result: dict, key: str) -> float | None:
    name, metric = key.rsplit(":", 1)
    parts = name.split("/")
    s = result["scores"]
    try:
        if parts[0] == "ner":
            node = s["ner"]["micro"] if parts[1] == "micro" else s["ner"]["labels"][parts[1]]
        elif parts[0] == "rel":
            block = s["relations"][parts[1]]
            node = block["micro"] if parts[2] == "micro" else block["labels"][parts[2]]
        else:
            node = (
                s["facts"][parts[1]]["micro"]
                if parts[2] == "micro"
                else s["facts"][parts[1]][parts[2]][parts[3]]
            )
    except (KeyError, TypeError):
        return None
    return node[metric]


def _fact_row(doc: dict, fact: dict) -> dict[str, Any]:
    return {
        "doc": doc["id"],
        **{
            k: fact.get(k)
            for k in (
                "indicator",
                "value",
                "unit",
                "location",
                "year",
                "kind",
                "text",
                "start",
                "end",
            )
        },
    }


def compare_results(reference: dict, candidate: dict, *, mode: str = "strict") -> dict:
    """What changed from `reference` (baseline / previous model) to `candidate`.

    Both must have been evaluated on the same documents in the same order.

    Returns:
        {"reference", "candidate", "rows": [{"key", "group", "metric", "reference", "candidate",
        "delta", "delta_ci", "verdict"}], "found": [...], "lost": [...],
        "new_spurious": [...], "fixed_spurious": [...], "mode"}; verdict is "better",
        "worse" or "same" (|delta| < 0.005); `delta_ci` is a paired document-bootstrap
        interval when both results carry per-document tallies.
    """
    if reference.get("doc_ids") != candidate.get("doc_ids"):
        raise ValueError(
            "cannot compare results on different documents: "
            f"{reference.get('name')} and {candidate.get('name')}"
        )
    boot = candidate.get("bootstrap") or {}
    tallies_a, tallies_b = reference.get("tallies") or {}, candidate.get("tallies") or {}
    rows = []
    seen = set()
    for group, label, key in _rows(candidate) + _rows(reference):
        if key in seen:
            continue
        seen.add(key)
        a, b = _lookup(reference, key), _lookup(candidate, key)
        delta = None if a is None or b is None else b - a
        tally_key, metric = key.rsplit(":", 1)
        ci = None
        if tally_key in tallies_a and tally_key in tallies_b and delta is not None:
            ci = metrics.paired_delta_ci(
                np.asarray(tallies_a[tally_key]),
                np.asarray(tallies_b[tally_key]),
                metric=metric,
                n_boot=boot.get("n", metrics.N_BOOTSTRAP),
                seed=boot.get("seed", 0),
                level=boot.get("level", metrics.CONFIDENCE),
            )
        if delta is None:
            verdict = "new" if a is None else "gone"
        elif abs(delta) < SAME:
            verdict = "same"
        else:
            verdict = "better" if delta > 0 else "worse"
        rows.append(
            {
                "key": key,
                "group": group,
                "metric": label,
                "reference": a,
                "candidate": b,
                "delta": delta,
                "delta_ci": ci,
                "verdict": verdict,
            }
        )
    found, lost, new_spurious, fixed_spurious = [], [], [], []
    for doc_a, doc_b in zip(reference["docs"], candidate["docs"]):
        hit_a = {g for g, _ in doc_a["matches"][mode]["pairs"]}
        hit_b = {g for g, _ in doc_b["matches"][mode]["pairs"]}
        gold = doc_b["gold_facts"]
        found += [_fact_row(doc_b, gold[g]) for g in sorted(hit_b - hit_a)]
        lost += [_fact_row(doc_b, gold[g]) for g in sorted(hit_a - hit_b)]
        spur_a = [doc_a["pred_facts"][p] for p in doc_a["matches"][mode]["spurious"]]
        spur_b = [doc_b["pred_facts"][p] for p in doc_b["matches"][mode]["spurious"]]
        keys = metrics.FACT_MODES[mode]
        new = metrics.match_facts(spur_a, spur_b, keys)  # spur_a as "gold": unmatched b are new
        new_spurious += [_fact_row(doc_b, spur_b[p]) for p in new.spurious]
        fixed_spurious += [_fact_row(doc_a, spur_a[g]) for g in new.missed]
    return {
        "reference": reference["name"],
        "candidate": candidate["name"],
        "mode": mode,
        "rows": rows,
        "found": found,
        "lost": lost,
        "new_spurious": new_spurious,
        "fixed_spurious": fixed_spurious,
    }
