"""`mchnlp train`: retrain the recognizer, the indicator codes and the linker from the corpus
(plus new annotations), and write the variant best on dev."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from .options import add_aliases_argument

DEFAULT_CORPUS = Path("corpus")


def add_train_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "train", help="retrain the recognizer, indicator codes and linker from the corpus",
        description="Merge new annotations, train the entity recognizer (rule matches as a "
        "feature), the indicator codes and the relation linker, score every pipeline variant "
        "on dev, compare the best with the shipped model on dev, and write it.")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                   help="folder with mch_corpus.jsonl and splits.json (default: corpus)")
    p.add_argument("--add", nargs="*", default=[], type=Path,
                   help="extra annotations: Label Studio JSON, doccano JSONL or mchnlp JSONL; "
                   "validated first (nothing is trained on errors), facts of edited values "
                   "rebuilt, and what each document changes printed; new documents go to "
                   "train unless splits.json names them")
    p.add_argument("--output", type=Path, required=True, help="pipeline directory to write")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--epochs", type=int, default=40, help="recognizer epochs (best on dev kept)")
    p.add_argument("--syntax", action="store_true",
                   help="keep the UD syntax layer in the trained pipeline (slower; the linker "
                   "then also reads dependency paths)")
    p.add_argument("--no-rule-features", action="store_true",
                   help="train the recognizer without the rule matches as a feature (ablation)")
    p.add_argument("--variants", nargs="+", default=None,
                   help="variants to build (default: all: rules, rules+trained_linker, "
                   "ner+trained_linker, ner+arbiter+rule_linker, ner+arbiter+trained_linker, "
                   "ner+arbiter+rule_values+trained_linker (values from the rules), "
                   "ner+arbiter+rule_values+rule_fallback+trained_linker (also the rules' "
                   "areas and periods the arbiter leaves uncovered), "
                   "rules+ner_indicators+trained_linker, the last with the recognizer's "
                   "indicators where the rules have none)")
    p.add_argument("--keep-variants", action="store_true",
                   help="also write every variant to <output>-variants/<name> (for evaluation)")
    p.add_argument("--install", action="store_true",
                   help="also replace the shipped models/mchnlp_id with the result, unless it "
                   "is worse than the shipped model on dev")
    p.add_argument("--force", action="store_true",
                   help="with --install: install even when dev strict fact F1 drops")
    add_aliases_argument(p)
    p.set_defaults(func=cmd_train)


def _take_in(paths: list[Path], nlp, records: list[dict]):
    """The added annotations, validated and with their edited facts rebuilt; the report of
    what each changes goes to stderr. None when they have errors."""
    from mchnlp.corpus.intake import take_in

    from .corpus import print_intake

    intake = take_in(paths, nlp, records)
    print_intake(intake)
    if intake.errors:
        print(f"error: {len(intake.errors)} error(s) in the added annotations; nothing trained "
              "(fix them and export again)", file=sys.stderr)
        return None
    return intake


def _aliases(args: argparse.Namespace):
    from mchnlp.knowledge.local_aliases import LocalAliases, read_aliases

    return read_aliases(args.aliases) if getattr(args, "aliases", None) else LocalAliases()


def _print_choice(choice: dict) -> None:
    """Why the chosen variant, and the indicator codes of the training annotations it cannot
    produce (a variant of rule entities finds only the packaged table's indicators)."""
    if choice["chosen"] != choice["best_on_dev"]:
        print(f"chose {choice['chosen']} over {choice['best_on_dev']}: {choice['reason']}")
    missing = choice["missing_codes"].get(choice["chosen"])
    if not missing:
        return
    able = choice["producing_all"]
    print(f"warning: {choice['chosen']} cannot produce the indicator code(s) "
          f"{', '.join(missing)} of the training annotations: its entities come from the rules, "
          "whose indicator table lacks them; "
          + (f"{', '.join(able)} can, but is below it on dev beyond noise" if able else
             "build a variant whose recognizer fills in for the rules "
             "(--variants rules+trained_linker rules+ner_indicators+trained_linker)"),
          file=sys.stderr)


def cmd_train(args: argparse.Namespace) -> int:
    import mchnlp
    from mchnlp.components.local_aliases import apply_aliases, pipeline_aliases
    from mchnlp.corpus.build import load_splits
    from mchnlp.pipeline import (
        PIPELINE_NAME,
        ModelNotFoundError,
        build_rule_pipeline,
        find_pipeline,
        install_pipeline,
        load_syntax_layer,
        save_pipeline,
    )
    from mchnlp.training.gold import gold_doc, load_records
    from mchnlp.training.ner import NerSettings
    from mchnlp.training.run import TrainingSettings, fact_scores, run_training

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    corpus_file = args.corpus / "mch_corpus.jsonl"
    splits_file = args.corpus / "splits.json"
    for needed in (corpus_file, splits_file):
        if not needed.exists():
            print(f"error: {needed} not found", file=sys.stderr)
            return 2
    try:
        load_splits(splits_file)  # a malformed split file is reported here, not raised later
        records = load_records(corpus_file)
        aliases = _aliases(args)
    except (ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        shipped = mchnlp.load()
    except ModelNotFoundError:
        shipped = None
    additions = []
    if args.add:
        try:
            intake = _take_in(args.add, shipped or build_rule_pipeline(), records)
        except (ValueError, OSError) as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        if intake is None:
            return 1
        additions = intake.records
    splits = json.loads(splits_file.read_text(encoding="utf-8"))
    known = {r["id"] for r in records}
    for record in additions:
        if record["id"] in known:
            records = [r for r in records if r["id"] != record["id"]]  # a correction replaces
        records.append(record)
        if not any(record["id"] in splits.get(s, []) for s in ("train", "dev", "test")):
            splits.setdefault("train", []).append(record["id"])
    syntax = None
    if args.syntax:
        try:
            syntax = load_syntax_layer()
        except ModelNotFoundError as err:
            print(f"error: --syntax needs the shipped syntax layer: {err}", file=sys.stderr)
            return 2
    rules_nlp = build_rule_pipeline(syntax)
    # local aliases: the shipped pipeline's and --aliases, in the rules every variant is
    # built from, and kept by the saved pipelines
    if shipped is not None:
        aliases = pipeline_aliases(shipped).merged(aliases)
    apply_aliases(rules_nlp, aliases)
    settings = TrainingSettings(seed=args.seed, syntax=args.syntax, ner=NerSettings(
        rule_features=not args.no_rule_features, epochs=args.epochs))
    result = run_training(records, {s: splits.get(s, []) for s in ("train", "dev")}, rules_nlp,
                          settings=settings, variants=args.variants,
                          report=lambda line: print(line, file=sys.stderr, flush=True))
    chosen = result["chosen"]
    nlp = result["pipelines"][chosen]
    chosen_dev = result["variants"][chosen]["dev"]["facts"]
    shipped_dev = None
    if shipped is not None:
        by_id = {r["id"]: r for r in records}
        dev = [gold_doc(rules_nlp, by_id[i]) for i in splits.get("dev", []) if i in by_id]
        shipped_dev = fact_scores(shipped, dev)
    nlp.meta["mchnlp_training"] = {
        "chosen": chosen, "choice": result["choice"], "settings": result["settings"],
        "variants": result["variants"],
        "linker": result["linker"], "ner": result["ner"] and {
            k: result["ner"][k] for k in ("best_epoch", "dev_ents_f", "settings")},
        "indicator_codes": result["indicator_codes"] and result["indicator_codes"]["dev"],
        "shipped_dev": shipped_dev,
        "corpus": {
            "documents": len(records), "train_documents": result["train_documents"],
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
    print("dev strict / core fact F1 of every variant (test is for `mchnlp evaluate`):")
    for name, scores in result["variants"].items():
        facts = scores["dev"]["facts"]
        mark = "  <- chosen" if name == chosen else ""
        print(f"  {name:24s} {facts['strict']['f']:.3f} / {facts['core']['f']:.3f}{mark}")
    if shipped_dev is not None:
        print(f"  {'shipped model':24s} {shipped_dev['strict']['f']:.3f} / "
              f"{shipped_dev['core']['f']:.3f}")
    _print_choice(result["choice"])
    print(f"wrote {args.output}")
    if args.install:
        worse = shipped_dev is not None and (
            chosen_dev["strict"]["f"] < shipped_dev["strict"]["f"])
        if worse and not args.force:
            print(f"not installed: dev strict fact F1 {chosen_dev['strict']['f']:.3f} is below "
                  f"the shipped model's {shipped_dev['strict']['f']:.3f} (--force installs "
                  "anyway)", file=sys.stderr)
            return 1
        target = install_pipeline(args.output, find_pipeline(PIPELINE_NAME))
        print(f"installed into {target}")
    return 0
