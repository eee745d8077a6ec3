"""Learning curve: train on 25/50/75/100% of the training documents and score dev and test.

    python training/learning_curve.py --json reports/learning-curve.json --plot reports/learning-curve.png

For each fraction (a seeded sample of the train documents; `--repeats` seeds per fraction) the
whole training run is made (`mchnlp.training.run_training`: recognizer, indicator codes, linker)
and each trained pipeline of `--systems` (default: the trained linker on the rule entities, and
the recognizer with the trained linker) is scored beside the rule baseline: entity micro F1 and
strict / core fact F1 on dev and on test. Test is only reported here, never used to choose.
It tells whether annotating more documents is worth it: a curve still rising at 100% says yes.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from mchnlp.corpus.schema import read_jsonl
from mchnlp.pipeline import build_rule_pipeline
from mchnlp.training.gold import gold_doc
from mchnlp.training.run import TrainingSettings, fact_scores, ner_scores, run_training

ROOT = Path(__file__).resolve().parents[1]
SYSTEMS = ("rules+trained_linker", "ner+trained_linker")


def score(nlp, golds) -> dict:
    facts = fact_scores(nlp, golds)
    return {"ner_micro_f": ner_scores(nlp, golds)["ents_f"],
            "fact_strict_f": facts["strict"]["f"], "fact_core_f": facts["core"]["f"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "mch_corpus.jsonl")
    parser.add_argument("--splits", type=Path, default=ROOT / "corpus" / "splits.json")
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.25, 0.5, 0.75, 1.0])
    parser.add_argument("--repeats", type=int, default=1, help="seeds per fraction")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS))
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--plot", type=Path, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    records = read_jsonl(args.corpus)
    by_id = {r["id"]: r for r in records}
    splits = json.loads(args.splits.read_text(encoding="utf-8"))
    rules_nlp = build_rule_pipeline()
    golds = {s: [gold_doc(rules_nlp, by_id[i]) for i in splits[s] if i in by_id]
             for s in ("dev", "test")}
    baseline = {s: score(rules_nlp, golds[s]) for s in ("dev", "test")}
    points = []
    for fraction in args.fractions:
        for seed in range(args.repeats):
            from mchnlp.training.ner import NerSettings

            settings = TrainingSettings(seed=seed, train_fraction=fraction,
                                        ner=NerSettings(epochs=args.epochs))
            result = run_training(records, {s: splits[s] for s in ("train", "dev")}, rules_nlp,
                                  settings=settings, variants=args.systems,
                                  report=lambda line: print(line, file=sys.stderr, flush=True))
            point = {"fraction": fraction, "seed": seed,
                     "train_documents": result["train_documents"],
                     "systems": {name: {s: score(result["pipelines"][name], golds[s])
                                        for s in ("dev", "test")} for name in args.systems}}
            points.append(point)
            print(json.dumps(point), flush=True)
    out = {"systems": args.systems, "rules": baseline, "points": points,
           "command": "python training/learning_curve.py " + " ".join(sys.argv[1:])}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    if args.plot:
        plot(out, args.plot)


def plot(data: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = (("ner_micro_f", "entity micro F1"), ("fact_strict_f", "strict fact F1"),
               ("fact_core_f", "core fact F1"))
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6), sharex=True)
    for ax, (key, title) in zip(axes, metrics):
        for split, style in (("dev", "o-"), ("test", "s--")):
            for name in data["systems"]:
                by_n: dict[int, list[float]] = {}
                for p in data["points"]:
                    by_n.setdefault(p["train_documents"], []).append(p["systems"][name][split][key])
                xs = sorted(by_n)
                ax.plot(xs, [sum(by_n[x]) / len(by_n[x]) for x in xs], style,
                        label=f"{name}, {split}")
            ax.axhline(data["rules"][split][key], linestyle=":", color="grey" if split == "dev"
                       else "black", label=f"rules, {split}")
        ax.set_title(title)
        ax.set_xlabel("training documents")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


if __name__ == "__main__":
    main()
