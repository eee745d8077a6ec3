"""How often the fact view rebuilds the annotated facts from the annotated spans and relations.

    python training/recompute_fidelity.py [--split train dev] [--model DIR] [--json OUT]

An annotation round trip rebuilds the facts of edited values with the pipeline's fact view
(`mchnlp.corpus.recompute`); unchanged values keep the annotator's facts. This measures what
rebuilding would give for every value: each gold fact is paired with a rebuilt fact of the same
value span (the one agreeing on most fields) and counted as identical, differing (per field),
or missing (no fact built for its value; with why: no indicator relation, a linked indicator
span without a code, or a coded indicator whose value the view still declines, e.g. by its unit
rules); rebuilt facts left unpaired are extra. Train and dev only by default: test stays
unread.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure(records: list[dict], nlp) -> dict:
    from mchnlp.corpus.recompute import FACT_FIELDS, FactBuilder

    builder = FactBuilder(nlp)
    counts: Counter = Counter()
    fields: Counter = Counter()
    missing: Counter = Counter()
    for record in records:
        built = builder.facts(record)
        codes = {e.start_char: e.ent_id_ for e in builder.doc(record).ents}
        spans = {s["id"]: s for s in record.get("spans") or []}
        indicator_of = {r["head"]: spans[r["tail"]] for r in record.get("relations") or []
                        if r["label"] == "indicator" and r["tail"] in spans}
        gold: dict[str, list[dict]] = {}
        for fact in record.get("facts") or []:
            gold.setdefault(fact["value_span"], []).append(fact)
        for sid, facts in gold.items():
            candidates = list(built.get(sid, []))
            for fact in facts:
                counts["gold"] += 1
                if not candidates:
                    counts["missing"] += 1
                    indicator = indicator_of.get(sid)
                    missing["no indicator relation" if indicator is None else
                            "indicator span without a code" if not codes.get(indicator["start"])
                            else "declined by the fact view"] += 1
                    continue
                best = max(candidates,
                           key=lambda f: sum(f.get(k) == fact.get(k) for k in FACT_FIELDS))
                candidates.remove(best)
                differing = [k for k in FACT_FIELDS if best.get(k) != fact.get(k)]
                counts["identical" if not differing else "differing"] += 1
                fields.update(differing)
            counts["extra"] += len(candidates)
    return {"documents": len(records), "facts": dict(counts), "missing": dict(missing),
            "differing_fields": dict(fields)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", nargs="+", default=["train", "dev"],
                        choices=["train", "dev", "test"])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--model", default=None, help="pipeline (default: the shipped one)")
    parser.add_argument("--json", type=Path, default=None, help="also write the counts here")
    args = parser.parse_args(argv)

    import mchnlp
    from mchnlp.corpus.schema import read_jsonl, write_atomic

    splits = json.loads((args.corpus / "splits.json").read_text(encoding="utf-8"))
    wanted = {doc_id for split in args.split for doc_id in splits.get(split, [])}
    if "test" not in args.split:
        wanted -= set(splits.get("test", []))
    records = [r for r in read_jsonl(args.corpus / "mch_corpus.jsonl") if r["id"] in wanted]
    result = measure(records, mchnlp.load(args.model))
    result["splits"] = args.split
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        write_atomic(args.json, text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
