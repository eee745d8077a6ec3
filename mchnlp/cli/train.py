"""`mchnlp train`: retrain the NER and the linker from the corpus (plus new annotations)."""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
from pathlib import Path

from .options import add_aliases_argument

DEFAULT_CORPUS = Path("corpus")


def add_train_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "train", help="retrain NER and linker from the annotated corpus",
        description="Merge new annotations, train the statistical NER and the relation linker, "
        "score every pipeline variant on dev and test, and write the pipeline chosen on dev.")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                   help="folder with mch_corpus.jsonl and splits.json (default: corpus)")
    p.add_argument("--add", nargs="*", default=[], type=Path,
                   help="extra annotations: Label Studio JSON, doccano JSONL or mchnlp JSONL; "
                   "new documents go to train unless splits.json names them")
    p.add_argument("--output", type=Path, required=True, help="pipeline directory to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--epochs", type=int, default=30, help="NER epochs (best on dev is kept)")
    p.add_argument("--cv-folds", type=int, default=5,
                   help="tune the linker's C and thresholds by k-fold cross-validation over "
                   "train+dev documents (1: on dev only; default 5)")
    p.add_argument("--keep-variants", action="store_true",
                   help="also write every variant to <output>-variants/<name> (for evaluation)")
    p.add_argument("--install", action="store_true",
                   help="also replace models/mchnlp_id with the result")
    add_aliases_argument(p)
    p.set_defaults(func=cmd_train)


def _read_additions(paths: list[Path]) -> list[dict]:
    from mchnlp.corpus import exchange
    from mchnlp.corpus.schema import read_jsonl

    records = []
    for path in paths:
        if path.suffix == ".jsonl" and '"spans"' in path.read_text(encoding="utf-8")[:100_000]:
            records.extend(read_jsonl(path))  # already in the mchnlp corpus format
        else:
            result = exchange.import_file(path)
            for warning in result.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            records.extend(result.records)
    return records


def _aliases(args: argparse.Namespace):
    from mchnlp.knowledge.local_aliases import LocalAliases, read_aliases

    return read_aliases(args.aliases) if getattr(args, "aliases", None) else LocalAliases()


def cmd_train(args: argparse.Namespace) -> int:
    import mchnlp
    from mchnlp.atomic import atomic_directory
    from mchnlp.components.local_aliases import apply_aliases, pipeline_aliases
    from mchnlp.pipeline import save_pipeline
    from mchnlp.training.gold import load_records
    from mchnlp.training.run import run_training

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    corpus_file = args.corpus / "mch_corpus.jsonl"
    splits_file = args.corpus / "splits.json"
    for needed in (corpus_file, splits_file):
        if not needed.exists():
            print(f"error: {needed} not found", file=sys.stderr)
            return 2
    try:
        records = load_records(corpus_file)
        additions = _read_additions(args.add) if args.add else []
        aliases = _aliases(args)
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    splits = json.loads(splits_file.read_text())
    known = {r["id"] for r in records}
    for record in additions:
        if record["id"] in known:
            records = [r for r in records if r["id"] != record["id"]]  # a correction replaces
        records.append(record)
        if not any(record["id"] in splits.get(s, []) for s in ("train", "dev", "test")):
            splits.setdefault("train", []).append(record["id"])
    from mchnlp.pipeline import SYNTAX_PIPES, build_rule_pipeline

    # the trained pipelines keep the shipped syntax layer (the linker reads dependency paths)
    shipped = mchnlp.load()
    has_syntax = all(name in shipped.pipe_names for name in SYNTAX_PIPES)
    rules_nlp = build_rule_pipeline(shipped if has_syntax else None)
    # local aliases: the shipped pipeline's and --aliases, in the rules every variant is
    # built from, and kept by the saved pipelines
    aliases = pipeline_aliases(shipped).merged(aliases)
    apply_aliases(rules_nlp, aliases)
    result = run_training(records, {s: splits[s] for s in ("train", "dev", "test")}, rules_nlp,
                          seed=args.seed, ner_epochs=args.epochs, progress=True,
                          cv_folds=args.cv_folds)
    chosen = result["chosen"]
    nlp = result["pipelines"][chosen]
    nlp.meta["mchnlp_training"] = {
        "chosen": chosen, "seed": args.seed, "variants": result["variants"],
        "linker": result["linker"], "ner_best_epoch": result["ner"]["best_epoch"],
        "linker_syntax_ablation": result["linker_syntax_ablation"],
        "corpus": {
            "documents": len(records),
            "facts": {split: sum(len(r.get("facts", [])) for r in records if r["id"] in set(ids))
                      for split, ids in splits.items() if split in ("train", "dev", "test")},
            "added": [r["id"] for r in additions],
        },
    }
    for name, variant in result["pipelines"].items():
        skipped = apply_aliases(variant, aliases, strict=False)
        if skipped and name == chosen:
            print(f"warning: {chosen} has no {', '.join(skipped)}: the aliases are kept for "
                  "places to resolve, but add no entity patterns", file=sys.stderr)
    save_pipeline(nlp, args.output)
    if args.keep_variants:
        for name, variant in result["pipelines"].items():
            save_pipeline(variant, args.output.with_name(f"{args.output.name}-variants") / name)
    print(f"chosen on dev: {chosen}")
    for name, scores in result["variants"].items():
        dev = scores["dev"]["facts"]["strict"]["f"]
        test = scores.get("test", {}).get("facts", {}).get("strict", {}).get("f", float("nan"))
        print(f"  {name:24s} dev strict F1 {dev:.3f}   test strict F1 {test:.3f}")
    linker = result["linker"]
    if linker.get("cv"):
        print(f"linker, {linker['cv_folds']}-fold cross-validation over train+dev (strict / core "
              f"fact F1): trained {linker['cv'][0]:.3f} / {linker['cv'][1]:.3f}, rules "
              f"{linker['cv_rules'][0]:.3f} / {linker['cv_rules'][1]:.3f}")
    for entities, table in result["linker_syntax_ablation"].items():
        print(f"linker relation F1, {entities.replace('_', ' ')} (dev / test):")
        for name, scores in table.items():
            if "dev" not in scores:
                continue
            dev = scores["dev"]["micro"]
            test = scores.get("test", {}).get("micro", float("nan"))
            print(f"  {name:24s} {dev:.3f} / {test:.3f}")
    print(f"wrote {args.output}")
    if args.install:
        target = Path(mchnlp.pipeline.__file__).resolve().parents[1] / "models" / "mchnlp_id"
        with atomic_directory(target) as tmp:
            shutil.copytree(args.output, tmp, dirs_exist_ok=True)
        print(f"installed into {target}")
    return 0
