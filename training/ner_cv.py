"""Per-label NER scores: rules only, statistical only, hybrid — on the test split and in
5-fold cross-validation over train+dev (small data: one split can be lucky).

    python training/ner_cv.py [--folds 5] [--epochs N] [--json reports/ner-cv.json]

The statistical NER is `mchnlp.training.train_ner` (the same model `mchnlp train` ships), trained
for a fixed number of epochs in the folds (default: the best epoch of the main training run,
read from the trained pipeline's meta, else 20), so no fold peeks at its own test documents.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mchnlp.evaluation.scoring import prf  # noqa: E402
from mchnlp.pipeline import build_rule_pipeline  # noqa: E402
from mchnlp.training.gold import LABELS, gold_doc, load_records
from mchnlp.training.ner import train_ner  # noqa: E402
from mchnlp.training.pipelines import assemble

SYSTEMS = ("rules", "statistical", "hybrid")


def entity_counts(nlp, golds) -> dict[str, list[int]]:
    """label -> [tp, fp, fn], exact offsets."""
    counts = defaultdict(lambda: [0, 0, 0])
    for g in golds:
        doc = nlp(g.doc.text)
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        gold = {(e.start_char, e.end_char, e.label_) for e in g.doc.ents}
        for label in LABELS:
            p = {x for x in pred if x[2] == label}
            t = {x for x in gold if x[2] == label}
            counts[label][0] += len(p & t)
            counts[label][1] += len(p - t)
            counts[label][2] += len(t - p)
    return counts


def table(counts: dict[str, list[int]]) -> dict:
    out = {label: {k: round(v, 4) for k, v in prf(*counts[label]).items()} for label in LABELS}
    total = [sum(counts[label][i] for label in LABELS) for i in range(3)]
    out["micro"] = {k: round(v, 4) for k, v in prf(*total).items()}
    return out


def systems(rules_nlp, ner_nlp):
    """The three entity sources, each followed by the rule linker (entities are scored)."""
    return {
        "rules": assemble(rules_nlp, use_rules=True, linker="rules"),
        "statistical": assemble(rules_nlp, ner_nlp=ner_nlp, use_rules=False, linker="rules"),
        "hybrid": assemble(rules_nlp, ner_nlp=ner_nlp, use_rules=True, linker="rules"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "mch_corpus.jsonl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    records = load_records(args.corpus)
    rules_nlp = build_rule_pipeline()  # entities do not depend on the syntax layer
    golds = {r["id"]: gold_doc(rules_nlp, r) for r in records}
    by_split = defaultdict(list)
    for r in records:
        by_split[r["split"]].append(r["id"])

    result = {"epochs": args.epochs, "seed": args.seed}
    # the test split: trained on train, best epoch on dev (as `mchnlp train` does)
    train = [golds[i] for i in by_split["train"]]
    dev = [golds[i] for i in by_split["dev"]]
    test = [golds[i] for i in by_split["test"]]
    ner_nlp, info = train_ner(rules_nlp, train, dev, epochs=30, seed=args.seed)
    result["test"] = {name: table(entity_counts(nlp, test))
                      for name, nlp in systems(rules_nlp, ner_nlp).items()}
    result["test_ner_best_epoch"] = info["best_epoch"]

    # k-fold over train+dev, fixed epochs
    ids = sorted(by_split["train"] + by_split["dev"])
    random.Random(args.seed).shuffle(ids)
    folds = [ids[k :: args.folds] for k in range(args.folds)]
    pooled = {name: defaultdict(lambda: [0, 0, 0]) for name in SYSTEMS}
    per_fold = []
    for k, held_out in enumerate(folds):
        fold_train = [golds[i] for i in ids if i not in set(held_out)]
        fold_test = [golds[i] for i in held_out]
        fold = {}
        fold_ner, _ = train_ner(rules_nlp, fold_train, [], epochs=args.epochs, seed=args.seed)
        for name, nlp in systems(rules_nlp, fold_ner).items():
            counts = entity_counts(nlp, fold_test)
            for label, c in counts.items():
                for i in range(3):
                    pooled[name][label][i] += c[i]
            fold[name] = table(counts)["micro"]["f"]
        per_fold.append(fold)
        print(f"fold {k}: " + "  ".join(f"{n} {f:.3f}" for n, f in fold.items()), flush=True)
    result["cv"] = {"folds": args.folds, "documents": len(ids),
                    "pooled": {name: table(c) for name, c in pooled.items()},
                    "micro_f_per_fold": per_fold}
    for where, tables in (("test split", result["test"]), ("5-fold CV", result["cv"]["pooled"])):
        print(f"\n{where}: F1 per label")
        print(f"{'label':10s} " + " ".join(f"{s:>12s}" for s in SYSTEMS))
        for label in (*LABELS, "micro"):
            print(f"{label:10s} " + " ".join(f"{tables[s][label]['f']:12.3f}" for s in SYSTEMS))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.json.with_suffix(".tmp")
        tmp.write_text(json.dumps(result, indent=1) + "\n")
        tmp.replace(args.json)


if __name__ == "__main__":
    main()
