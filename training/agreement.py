"""Inter-annotator agreement between two annotation passes (before adjudication).

    python training/agreement.py corpus/pass1 corpus/pass2 [--json out.json]

Span F1 (exact offsets and label; per label) and fact F1 (strict: indicator, value, unit,
location, year; core: indicator, value, unit), over the documents both passes annotated, with
pass 1 taken as reference (F1 is symmetric).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from mchnlp.evaluation.scoring import CORE_KEYS, STRICT_KEYS, fact_counts, prf

LABELS = ("INDICATOR", "COUNT", "RATE", "LOCATION", "DATE")


def load_dir(path: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(path.glob("*.json"))}


def agreement(a: dict[str, dict], b: dict[str, dict]) -> dict:
    common = sorted(set(a) & set(b))
    spans = {label: [0, 0, 0] for label in LABELS}
    facts = {"strict": [0, 0, 0], "core": [0, 0, 0]}
    for doc_id in common:
        sa = Counter((s["start"], s["end"], s["label"]) for s in a[doc_id].get("spans", []))
        sb = Counter((s["start"], s["end"], s["label"]) for s in b[doc_id].get("spans", []))
        for label in LABELS:
            la = Counter({k: v for k, v in sa.items() if k[2] == label})
            lb = Counter({k: v for k, v in sb.items() if k[2] == label})
            tp = sum((la & lb).values())
            spans[label][0] += tp
            spans[label][1] += sum(lb.values()) - tp
            spans[label][2] += sum(la.values()) - tp
        for mode, keys in (("strict", STRICT_KEYS), ("core", CORE_KEYS)):
            for i, n in enumerate(fact_counts(a[doc_id].get("facts", []),
                                              b[doc_id].get("facts", []), keys)):
                facts[mode][i] += n
    micro = [sum(c[i] for c in spans.values()) for i in range(3)]
    return {
        "documents": len(common),
        "span_f1": prf(*micro)["f"],
        "span_f1_per_label": {label: prf(*c)["f"] for label, c in spans.items()},
        "fact_f1_strict": prf(*facts["strict"])["f"],
        "fact_f1_core": prf(*facts["core"])["f"],
        "facts_pass1": sum(len(a[d].get("facts", [])) for d in common),
        "facts_pass2": sum(len(b[d].get("facts", [])) for d in common),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = agreement(load_dir(args.first), load_dir(args.second))
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
