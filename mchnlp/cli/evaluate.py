"""`mchnlp evaluate`: score a pipeline on a corpus split and write the report.

Wired into `mchnlp.cli.app` with `add_evaluate_parser(sub)`.
"""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import sys
from pathlib import Path

from .options import add_aliases_argument

SPLIT_CHOICES = ("train", "dev", "test", "all")
DEFAULT_REPORT = "reports/eval-{split}"
RULES = "rules"
NONE = "none"


def add_evaluate_parser(subparsers) -> argparse.ArgumentParser:
    """Add the `evaluate` sub-command to an argparse sub-parser collection."""
    p = subparsers.add_parser(
        "evaluate",
        help="score a pipeline on a corpus split and write an HTML/Markdown report",
        description="Run a pipeline over the gold documents of one split and write report.md, "
        "a self-contained report.html and metrics.json: per-label NER, relation and fact "
        "P/R/F1 with bootstrap 95%% intervals, breakdowns by indicator and unit, a comparison "
        "with the rule baseline (and/or a previous model) and an error gallery.",
        epilog="examples:\n"
        "  mchnlp evaluate                                   shipped model vs rules, test split\n"
        "  mchnlp evaluate --model training/out --previous models/mchnlp_id\n"
        "  mchnlp evaluate --compare models/mchnlp_id training/out --split dev",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--model",
        default=None,
        metavar="DIR",
        help="pipeline directory to evaluate (default: the shipped pipeline)",
    )
    p.add_argument(
        "--baseline",
        default=None,
        metavar="DIR",
        help=f"reference pipeline directory, '{RULES}' (the rule pipeline built from "
        f"the packaged rules; the default) or '{NONE}'",
    )
    p.add_argument(
        "--previous",
        default=None,
        metavar="DIR",
        help="also compare with a previous model directory",
    )
    p.add_argument(
        "--compare",
        nargs=2,
        default=None,
        metavar=("A", "B"),
        help="compare two pipeline directories: B is scored against A "
        "(no rule baseline unless --baseline is given)",
    )
    p.add_argument(
        "--split",
        choices=SPLIT_CHOICES,
        default="test",
        help="corpus split to score (default: test)",
    )
    p.add_argument(
        "--corpus",
        default=None,
        metavar="PATH",
        help="corpus JSONL or folder of per-document JSON files (default: corpus/mch_corpus.jsonl)",
    )
    p.add_argument(
        "--splits",
        default=None,
        metavar="PATH",
        help="split file for records without a split (default: splits.json beside "
        "the corpus, else corpus/splits.json)",
    )
    p.add_argument(
        "--report",
        default=None,
        metavar="DIR",
        help="report folder (default: reports/eval-<split>)",
    )
    p.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        metavar="N",
        help="bootstrap resamples for the confidence intervals (default: 1000)",
    )
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default: 0)")
    p.add_argument(
        "--gallery",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include the error gallery (default: yes, except on the test split, whose "
        "examples are kept from whoever writes rules)",
    )
    p.add_argument(
        "--learning-curve",
        default=None,
        metavar="JSON",
        help="add the learning curve of training/learning_curve.py (its .png beside it)",
    )
    add_aliases_argument(p)
    p.set_defaults(func=cmd_evaluate)
    return p


def _learning_curve(path: Path) -> dict:
    """The JSON of training/learning_curve.py, with the picture beside it when there is one."""
    curve = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(curve, dict) or not isinstance(curve.get("points"), list):
        raise ValueError("not a learning curve (no 'points' list)")
    picture = path.with_suffix(".png")
    if picture.exists():
        curve["png"] = picture.read_bytes()
    return curve


def _command_line(args: argparse.Namespace) -> str:
    """The command, with the options that were set, as it can be pasted into a shell."""
    argv = ["mchnlp", "evaluate"]
    for flag in ("model", "baseline", "previous", "corpus", "splits", "aliases"):
        value = getattr(args, flag, None)
        if value is not None:
            argv += [f"--{flag}", str(value)]
    if args.compare:
        argv += ["--compare", *map(str, args.compare)]
    argv += ["--split", args.split, "--report", str(_report_dir(args))]
    if args.bootstrap != 1000:
        argv += ["--bootstrap", str(args.bootstrap)]
    if args.seed:
        argv += ["--seed", str(args.seed)]
    if args.gallery is not None:
        argv += ["--gallery" if args.gallery else "--no-gallery"]
    if args.learning_curve:
        argv += ["--learning-curve", str(args.learning_curve)]
    return shlex.join(argv)


def _report_dir(args: argparse.Namespace) -> Path:
    return Path(args.report) if args.report else Path(DEFAULT_REPORT.format(split=args.split))


def _splits_path(args: argparse.Namespace) -> Path | None:
    if args.splits:
        return Path(args.splits)
    if args.corpus:
        corpus = Path(args.corpus)
        for folder in (corpus, corpus.parent) if corpus.is_dir() else (corpus.parent,):
            if (folder / "splits.json").exists():
                return folder / "splits.json"
    return None


def _load_records(args: argparse.Namespace) -> list[dict]:
    from mchnlp.corpus import load_records

    records = load_records(args.corpus, _splits_path(args))
    if args.split != "all":
        records = [r for r in records if r.get("split") == args.split]
    return sorted(records, key=lambda r: str(r["id"]))


def _names(paths: list[str]) -> list[str]:
    """Display names: folder names, or the paths themselves when folder names collide."""
    names = [Path(p).name or str(p) for p in paths]
    return names if len(set(names)) == len(names) else [str(p) for p in paths]


def _systems(args: argparse.Namespace) -> list[tuple[str, object, str | None]]:
    """(name, pipeline, path) of each system to score; --aliases applies to every one."""
    import mchnlp
    from mchnlp.components.local_aliases import apply_aliases
    from mchnlp.knowledge.local_aliases import as_aliases
    from mchnlp.pipeline import build_rule_pipeline, find_pipeline

    aliases = as_aliases(args.aliases) if getattr(args, "aliases", None) else None

    def load(path: str):
        return mchnlp.load(path, aliases=aliases)

    systems: list[tuple[str, object, str | None]] = []
    if args.compare:
        a, b = args.compare
        name_a, name_b = _names([a, b])
        systems = [(name_b, load(b), b), (name_a, load(a), a)]
        baseline = args.baseline
    else:
        model = args.model or str(find_pipeline())
        systems = [(_names([model])[0], load(model), model)]
        baseline = args.baseline or RULES
    if args.previous:
        systems.append(
            (f"previous ({_names([args.previous])[0]})", load(args.previous), args.previous)
        )
    if baseline and baseline.lower() != NONE:
        if baseline.lower() == RULES:
            rules = build_rule_pipeline()
            if aliases is not None:
                apply_aliases(rules, aliases)
            systems.append((RULES, rules, None))
        else:
            systems.append((f"baseline ({_names([baseline])[0]})", load(baseline), baseline))
    return systems


def _progress(label: str):
    def wrap(items):
        try:
            from tqdm import tqdm
        except ImportError:  # pragma: no cover - tqdm comes with spaCy
            return items
        return tqdm(
            items,
            desc=label,
            unit="doc",
            leave=False,
            file=sys.stderr,
            disable=not sys.stderr.isatty(),
        )

    return wrap


def _summary_table(results: list[dict]) -> str:
    def cell(score) -> str:
        if score is None:
            return "–"
        lo, hi = score["ci"]["f"]
        ci = "" if lo is None else f" [{lo:.2f}-{hi:.2f}]"
        return f"{score['f']:.3f}{ci}"

    header = ("system", "strict F1", "core F1", "NER F1", "rel F1 (gold ents)")
    rows = []
    for r in results:
        s = r["scores"]
        gold = s["relations"].get("gold_entities")
        rows.append(
            (
                r["name"],
                cell(s["facts"]["strict"]["micro"]),
                cell(s["facts"]["core"]["micro"]),
                cell(s["ner"]["micro"]),
                cell(gold["micro"] if gold else None),
            )
        )
    widths = [max(len(str(x[i])) for x in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths)) for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Run the evaluation; exit status 0 on success, 2 on unusable input."""
    import mchnlp
    from mchnlp.corpus import CorpusFormatError

    from ..evaluation.report import write_report
    from ..evaluation.runner import evaluate_model

    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    if args.bootstrap < 1:
        print("error: --bootstrap must be at least 1", file=sys.stderr)
        return 2
    try:
        records = _load_records(args)
    except (FileNotFoundError, CorpusFormatError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if not records:
        print(f"error: the {args.split} split of the corpus has no documents", file=sys.stderr)
        return 2
    try:
        systems = _systems(args)
    except (mchnlp.ModelNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    results = []
    for name, nlp, path in systems:
        results.append(
            evaluate_model(
                nlp,
                records,
                name=name,
                model=path,
                n_boot=args.bootstrap,
                seed=args.seed,
                progress=_progress(name),
            )
        )
    corpus = args.corpus or "corpus/mch_corpus.jsonl"
    context = {"command": _command_line(args), "split": args.split, "corpus": str(corpus),
               # examples of test errors would reach whoever writes rules: test reports
               # show tables only unless asked
               "gallery": args.gallery if args.gallery is not None else args.split != "test"}
    if args.learning_curve:
        try:
            context["learning_curve"] = _learning_curve(Path(args.learning_curve))
        except (OSError, ValueError) as err:
            print(f"error: {args.learning_curve}: {err}", file=sys.stderr)
            return 2
    paths = write_report(results, _report_dir(args), context=context)
    print(_summary_table(results))
    print(f"\nreport: {paths['html']}\n        {paths['markdown']}\nmetrics: {paths['metrics']}")
    return 0
