"""How well LOCATION spans are grounded to Kemendagri codes, on a corpus split.

    python training/grounding.py --split test [--json reports/grounding-test.json]

Two measurements, both on the gold annotation so that NER and linking errors do not blur them:

1. Coverage: every gold LOCATION span is resolved in document order by the gazetteer (with
   the level word before it and the areas resolved earlier in the document as context, as
   the pipeline does) into: an area code, Indonesia / the world (no code by design), a health
   facility, ambiguous (several areas fit; reported with candidates) or unknown.
2. Accuracy: for every gold fact with a `location_code` whose location relation points at a
   span, the code resolved for that span against the gold code (exact, and "same or
   containing area" for when the gold names a more specific area than the span, e.g. a
   facility's kabupaten).

And end to end: the facts the shipped pipeline extracts, matched to gold facts by value span,
with the share whose `location_code` equals the gold one.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mchnlp.corpus.build import load_splits  # noqa: E402
from mchnlp.corpus.schema import read_jsonl  # noqa: E402
from mchnlp.facts.areas import LEVEL_HINTS  # noqa: E402
from mchnlp.knowledge.places import Gazetteer  # noqa: E402

NATIONAL = {"indonesia", "nasional", "tanah air", "ri", "republik indonesia"}
WORLD = {"dunia", "global"}


def resolve_spans(record: dict, gazetteer: Gazetteer) -> dict[str, tuple[str, object]]:
    """span id -> (outcome, area or candidates), in document order with growing context."""
    text = record["text"]
    context: list = []
    out = {}
    for span in sorted(record["spans"], key=lambda s: s["start"]):
        if span["label"] != "LOCATION":
            continue
        mention = span["text"]
        low = mention.lower().strip()
        if low in NATIONAL:
            out[span["id"]] = ("national", None)
            continue
        if low in WORLD:
            out[span["id"]] = ("world", None)
            continue
        before = text[: span["start"]].split()
        hint = LEVEL_HINTS.get(before[-1].lower()) if before else None
        resolution = gazetteer.resolve(mention, level_hint=hint, context=context)
        if resolution.area is not None:
            context.append(resolution.area)
            out[span["id"]] = ("code", resolution.area)
        elif resolution.facility:
            out[span["id"]] = ("facility", None)
        elif resolution.ambiguous:
            out[span["id"]] = ("ambiguous", resolution.candidates)
        else:
            out[span["id"]] = ("unknown", None)
    return out


def _contains(outer: str, inner: str) -> bool:
    return inner == outer or inner.startswith(outer + ".")


def evaluate(records: list[dict], with_pipeline: bool = True) -> dict:
    gazetteer = Gazetteer.load()
    outcomes: Counter = Counter()
    exact = lenient = linked = 0
    misses = []
    for record in records:
        resolved = resolve_spans(record, gazetteer)
        outcomes.update(kind for kind, _ in resolved.values())
        location_of = {r["head"]: r["tail"] for r in record["relations"]
                       if r["label"] == "location"}
        for fact in record["facts"]:
            code = fact.get("location_code")
            tail = location_of.get(fact["value_span"])
            if not code or tail not in resolved:
                continue
            linked += 1
            kind, area = resolved[tail]
            got = area.code if kind == "code" else None
            exact += got == code
            lenient += got is not None and (_contains(got, code) or _contains(code, got))
            if got != code:
                span_text = next(s["text"] for s in record["spans"] if s["id"] == tail)
                misses.append({"doc": record["id"], "span": span_text, "gold": code,
                               "gold_name": fact["location"], "resolved": got, "outcome": kind})
    total = sum(outcomes.values())
    result = {
        "documents": len(records),
        "location_spans": total,
        "outcomes": dict(outcomes),
        "resolved_to_code_share": round(outcomes["code"] / total, 4) if total else None,
        "grounded_share": round((outcomes["code"] + outcomes["national"] + outcomes["world"]
                                 + outcomes["facility"]) / total, 4) if total else None,
        "linked_fact_locations": linked,
        "code_accuracy_exact": round(exact / linked, 4) if linked else None,
        "code_accuracy_same_or_containing": round(lenient / linked, 4) if linked else None,
        "misses": misses,
    }
    if with_pipeline:
        result["end_to_end"] = end_to_end(records)
    return result


def end_to_end(records: list[dict]) -> dict:
    import mchnlp
    from mchnlp.api import process

    nlp = mchnlp.load(syntax="none")
    matched = correct = with_code = 0
    for record in records:
        published = (record.get("meta") or {}).get("published")
        if published and len(published) == 7:
            published += "-01"
        predicted = [f.to_dict() for f in process(nlp, record["text"], published)]
        for gold in record["facts"]:
            if not gold.get("location_code"):
                continue
            hit = next((p for p in predicted if p["start"] == gold["start"]
                        and p["end"] == gold["end"]), None)
            if hit is None:
                continue
            matched += 1
            with_code += bool(hit.get("location_code"))
            correct += hit.get("location_code") == gold["location_code"]
    return {"matched_facts_with_gold_code": matched,
            "predicted_with_a_code": with_code,
            "code_accuracy": round(correct / matched, 4) if matched else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "mch_corpus.jsonl")
    parser.add_argument("--split", default="test", choices=("train", "dev", "test", "all"))
    parser.add_argument("--json", type=Path, default=None, help="write the result here")
    parser.add_argument("--no-pipeline", action="store_true", help="skip the end-to-end part")
    args = parser.parse_args()
    records = read_jsonl(args.corpus)
    if args.split != "all":
        splits = load_splits(ROOT / "corpus" / "splits.json")
        records = [r for r in records if (r.get("split") or splits.split_of(r["id"])) == args.split]
    result = evaluate(records, with_pipeline=not args.no_pipeline)
    shown = {k: v for k, v in result.items() if k != "misses"}
    print(json.dumps(shown, indent=1, ensure_ascii=False))
    print(f"{len(result['misses'])} linked locations resolved differently from the gold:")
    for miss in result["misses"][:40]:
        print(f"  {miss['doc']}: {miss['span']!r} -> {miss['resolved']} ({miss['outcome']}), "
              f"gold {miss['gold']} {miss['gold_name']}")
    if args.json:
        tmp = args.json.with_suffix(".tmp")
        args.json.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str) + "\n")
        tmp.replace(args.json)


if __name__ == "__main__":
    main()
