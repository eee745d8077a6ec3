"""Entity scores per label: the rules, the trained recognizer (rule matches as a feature) and the
arbiter between them — in 5-fold cross-validation over train+dev and on the test split, with a
paired bootstrap interval for the difference to the rules.

    python training/ner_cv.py [--folds 5] [--epochs 30] [--json reports/ner-cv.json]

Cross-validation: for each fold a recognizer is trained on the other folds for a fixed number of
epochs (no fold chooses anything on its own documents); its output on the held-out fold is that
fold's recognizer prediction. The arbiter of a fold is fitted on the held-out predictions of the
other folds (honest candidates: no recognizer saw the document it proposed entities for).
Test: the recognizer trained on train with its best epoch on dev (as `mchnlp train` does), the
arbiter fitted on every train+dev held-out prediction. `--no-rule-features` adds the recognizer
without the rule feature (the ablation; five more trainings).
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from mchnlp.components.entity_arbiter import EntityArbiter, candidates
from mchnlp.evaluation.metrics import paired_delta_ci
from mchnlp.evaluation.scoring import prf
from mchnlp.pipeline import build_rule_pipeline
from mchnlp.training.gold import LABELS, gold_doc, load_records
from mchnlp.training.ner import NerSettings, train_ner

ROOT = Path(__file__).resolve().parents[1]
RULE_PIPES = ("indicator_ruler", "place_date_ruler", "mch_area_typos", "mch_indicator_typos",
              "sentencizer", "mch_paragraph_breaks", "mch_values")


def keys(doc) -> set[tuple[int, int, str]]:
    return {(e.start, e.end, e.label_) for e in doc.ents}


def counts(pred: set, gold: set) -> dict[str, list[int]]:
    out = {}
    for label in LABELS:
        p = {x for x in pred if x[2] == label}
        t = {x for x in gold if x[2] == label}
        out[label] = [len(p & t), len(p - t), len(t - p)]
    return out


def table(per_doc: list[dict[str, list[int]]]) -> dict:
    total = {label: [sum(d[label][i] for d in per_doc) for i in range(3)] for label in LABELS}
    out = {label: {k: round(v, 4) for k, v in prf(*total[label]).items()} for label in LABELS}
    micro = [sum(total[label][i] for label in LABELS) for i in range(3)]
    out["micro"] = {k: round(v, 4) for k, v in prf(*micro).items()}
    return out


def micro(per_doc: list[dict]) -> list[tuple[int, int, int]]:
    return [tuple(sum(d[label][i] for label in LABELS) for i in range(3)) for d in per_doc]


def fit_arbiter(docs_and_gold: list) -> EntityArbiter:
    arbiter = EntityArbiter(None)
    arbiter.fit([(f, key in gold) for doc, gold in docs_and_gold
                 for key, f in candidates(doc).items()])
    best, best_f = 0.5, -1.0
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        arbiter.cfg["threshold"] = threshold
        c = [counts(keys(arbiter(doc.copy())), gold) for doc, gold in docs_and_gold]
        f = table(c)["micro"]["f"]
        if f > best_f:
            best, best_f = threshold, f
    arbiter.cfg["threshold"] = best
    return arbiter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "mch_corpus.jsonl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=30, help="fixed epochs in the folds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-rule-features", action="store_true",
                        help="also score the recognizer without the rule feature (ablation)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    records = load_records(args.corpus)
    rules_nlp = build_rule_pipeline()
    golds = {r["id"]: gold_doc(rules_nlp, r) for r in records}
    by_split = defaultdict(list)
    for r in records:
        by_split[r["split"]].append(r["id"])
    with rules_nlp.select_pipes(enable=list(RULE_PIPES)):
        rule_keys = {i: keys(rules_nlp(g.doc.text)) for i, g in golds.items()}
    gold_keys = {i: keys(g.doc) for i, g in golds.items()}
    systems = ["rules", "recognizer", "arbiter"] + (
        ["recognizer_without_rule_features"] if args.no_rule_features else [])

    ids = sorted(by_split["train"] + by_split["dev"])
    random.Random(args.seed).shuffle(ids)
    folds = [ids[k :: args.folds] for k in range(args.folds)]
    fixed = NerSettings(epochs=args.epochs, patience=args.epochs)
    held_docs = {}
    plain_keys = {}
    for k, held_out in enumerate(folds):
        fit = [golds[i] for i in ids if i not in set(held_out)]
        ner_nlp, _ = train_ner(rules_nlp, fit, [], settings=fixed, seed=args.seed)
        for i in held_out:
            held_docs[i] = ner_nlp(golds[i].doc.text)
        if args.no_rule_features:
            plain, _ = train_ner(rules_nlp, fit, [], seed=args.seed,
                                 settings=NerSettings(epochs=args.epochs, patience=args.epochs,
                                                      rule_features=False))
            for i in held_out:
                plain_keys[i] = keys(plain(golds[i].doc.text))
        print(f"fold {k + 1}/{args.folds} trained", flush=True)
    cv = {name: [] for name in systems}
    for k, held_out in enumerate(folds):
        arbiter = fit_arbiter([(held_docs[i], gold_keys[i]) for i in ids
                               if i not in set(held_out)])
        for i in held_out:
            cv["rules"].append(counts(rule_keys[i], gold_keys[i]))
            cv["recognizer"].append(counts(keys(held_docs[i]), gold_keys[i]))
            cv["arbiter"].append(counts(keys(arbiter(held_docs[i].copy())), gold_keys[i]))
            if args.no_rule_features:
                cv["recognizer_without_rule_features"].append(counts(plain_keys[i],
                                                                     gold_keys[i]))

    train = [golds[i] for i in by_split["train"]]
    dev = [golds[i] for i in by_split["dev"]]
    ner_nlp, info = train_ner(rules_nlp, train, dev, settings=NerSettings(), seed=args.seed)
    arbiter = fit_arbiter([(held_docs[i], gold_keys[i]) for i in ids])
    test = {name: [] for name in systems if name != "recognizer_without_rule_features"}
    for i in by_split["test"]:
        doc = ner_nlp(golds[i].doc.text)
        test["rules"].append(counts(rule_keys[i], gold_keys[i]))
        test["recognizer"].append(counts(keys(doc), gold_keys[i]))
        test["arbiter"].append(counts(keys(arbiter(doc.copy())), gold_keys[i]))

    result = {"folds": args.folds, "epochs": args.epochs, "seed": args.seed,
              "cv_documents": len(ids), "test_documents": len(by_split["test"]),
              "test_recognizer_best_epoch": info["best_epoch"],
              "arbiter_threshold_test": arbiter.cfg["threshold"], "cv": {}, "test": {}}
    for where, per_system in (("cv", cv), ("test", test)):
        for name, per_doc in per_system.items():
            result[where][name] = table(per_doc)
        base = micro(per_system["rules"])
        for name in per_system:
            if name != "rules":
                ci = paired_delta_ci(base, micro(per_system[name]), n_boot=1000,
                                     seed=args.seed)
                delta = result[where][name]["micro"]["f"] - result[where]["rules"]["micro"]["f"]
                result[where][name]["micro_vs_rules"] = {"delta": round(delta, 4), "ci": ci}
        print(f"\n{where}: F1 per label")
        print(f"{'label':10s} " + " ".join(f"{s[:12]:>12s}" for s in per_system))
        for label in (*LABELS, "micro"):
            print(f"{label:10s} " + " ".join(f"{result[where][s][label]['f']:12.3f}"
                                              for s in per_system))
        for name in per_system:
            if name != "rules":
                print(f"  {name} - rules, micro F1: {result[where][name]['micro_vs_rules']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.json.with_suffix(".tmp")
        tmp.write_text(json.dumps(result, indent=1) + "\n")
        tmp.replace(args.json)


if __name__ == "__main__":
    main()
