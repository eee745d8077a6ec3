"""`mchnlp corpus …`: validate, stats, build, docbin, export-labelstudio, export-doccano,
import, suggest, from-spec.

Wired into the main command by `add_corpus_parser(subparsers)` (see `mchnlp/cli.py`). Every
command returns its exit code: 0 fine, 1 problems found in the data, 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..corpus.paths import corpus_dir, corpus_file, repo_root, splits_file
from ..corpus.schema import ENTITY_LABELS, RELATION_LABELS, SPLITS, CorpusFormatError


def _err(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _default_input() -> Path:
    """The frozen corpus when it exists, else the first annotation pass."""
    frozen = corpus_file()
    return frozen if frozen.exists() else corpus_dir() / "pass1"


def _default_splits(arg: str | None) -> Path | None:
    if arg == "none":
        return None
    if arg is not None:
        return Path(arg)
    path = splits_file()
    return path if path.exists() else None


def _load_nlp(model: str | None):
    import mchnlp

    return mchnlp.load(model)


def _tokenizer(args: argparse.Namespace):
    if getattr(args, "no_tokenizer", False):
        return None
    return _load_nlp(args.model).tokenizer


def _print_issues(issues: list, quiet: bool, fmt: str) -> tuple[int, int]:
    n_errors = sum(1 for i in issues if i.is_error)
    n_warnings = len(issues) - n_errors
    shown = [i for i in issues if i.is_error or not quiet]
    if fmt == "json":
        for issue in shown:
            print(json.dumps(issue.to_dict(), ensure_ascii=False))
    else:
        for issue in shown:
            print(issue)
    return n_errors, n_warnings


# -- validate ----------------------------------------------------------------------------------
def cmd_validate(args: argparse.Namespace) -> int:
    from mchnlp.pipeline import ModelNotFoundError

    from ..corpus.validate import validate_path

    path = Path(args.path) if args.path else _default_input()
    if not path.exists():
        _err(f"{path}: no such file or directory")
        return 2
    try:
        tokenizer = _tokenizer(args)
    except ModelNotFoundError as err:
        _err(str(err))
        return 2
    issues = validate_path(
        path,
        splits_path=_default_splits(args.splits),
        tokenizer=tokenizer,
        root=args.root or repo_root(),
    )
    n_errors, n_warnings = _print_issues(issues, args.quiet, args.format)
    docs = len({i.doc for i in issues if i.doc})
    print(
        f"{path}: {n_errors} error(s), {n_warnings} warning(s) in {docs} document(s)"
        + ("" if tokenizer is not None else " (token boundaries not checked)"),
        file=sys.stderr,
    )
    return 1 if n_errors or (args.strict and n_warnings) else 0


# -- stats -------------------------------------------------------------------------------------
def cmd_stats(args: argparse.Namespace) -> int:
    from mchnlp.pipeline import ModelNotFoundError

    from ..corpus.loading import load_records
    from ..corpus.stats import compute_stats, format_stats, stats_as_json

    path = Path(args.path) if args.path else _default_input()
    try:
        records = load_records(path, _default_splits(args.splits) or splits_file())
        tokenizer = _tokenizer(args)
    except (CorpusFormatError, FileNotFoundError, ModelNotFoundError) as err:
        _err(str(err))
        return 2
    stats = compute_stats(records, tokenizer)
    if args.format == "json":
        print(json.dumps(stats_as_json(stats), ensure_ascii=False, indent=1))
    else:
        print(format_stats(stats))
    return 0


# -- build -------------------------------------------------------------------------------------
def cmd_build(args: argparse.Namespace) -> int:
    from mchnlp.pipeline import ModelNotFoundError

    from ..corpus.build import build_corpus, load_splits, write_corpus
    from ..corpus.validate import validate_records

    source = Path(args.src) if args.src else corpus_dir() / "pass1"
    output = Path(args.output) if args.output else corpus_file()
    splits_path = Path(args.splits) if args.splits else splits_file()
    try:
        assignment = load_splits(splits_path)
        tokenizer = _tokenizer(args)
        result = build_corpus(source, assignment)
    except (CorpusFormatError, FileNotFoundError, ModelNotFoundError) as err:
        _err(str(err))
        return 2
    issues = result.issues + validate_records(
        result.records, tokenizer=tokenizer, splits=assignment, root=repo_root()
    )
    n_errors, n_warnings = _print_issues(issues, args.quiet, "text")
    if n_errors and not args.force:
        print(
            f"{source}: {n_errors} error(s), {n_warnings} warning(s); {output} not written "
            "(fix the errors, or --force)",
            file=sys.stderr,
        )
        return 1
    count = write_corpus(result.records, output)
    print(
        f"wrote {count} documents to {output} ({n_errors} error(s), {n_warnings} warning(s))",
        file=sys.stderr,
    )
    return 1 if n_errors else 0


# -- docbin ------------------------------------------------------------------------------------
def cmd_docbin(args: argparse.Namespace) -> int:
    from mchnlp.pipeline import ModelNotFoundError

    from ..corpus.loading import Misalignment, load_records, to_docbin

    path = Path(args.path) if args.path else _default_input()
    try:
        records = load_records(path, _default_splits(args.splits) or splits_file())
        nlp = _load_nlp(args.model)
    except (CorpusFormatError, FileNotFoundError, ModelNotFoundError) as err:
        _err(str(err))
        return 2
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    problems: list[Misalignment] = []
    for split in SPLITS:
        subset = [r for r in records if r["split"] == split]
        docbin = to_docbin(subset, nlp, alignment_mode=args.alignment, problems=problems)
        target = out / f"{split}.spacy"
        docbin.to_disk(target)
        print(f"{target}: {len(subset)} documents", file=sys.stderr)
    for problem in problems:
        print(f"skipped: {problem}", file=sys.stderr)
    return 1 if problems and args.strict else 0


# -- export-labelstudio ------------------------------------------------------------------------
def _records_for_export(path: Path) -> tuple[list[dict], bool]:
    """Records to export, and whether they are raw texts (not annotated yet)."""
    from ..corpus.build import read_records
    from ..corpus.schema import new_record

    texts: list[Path] = []
    if path.is_file() and path.suffix == ".txt":
        texts = [path]
    elif path.is_dir() and not any(path.glob("*.json")) and not any(path.glob("*.jsonl")):
        texts = sorted(path.glob("*.txt"))
    if texts:
        return [
            new_record(
                p.stem,
                p.read_text(encoding="utf-8"),
                {"source": str(p), "url": None, "title": None, "published": None},
            )
            for p in texts
        ], True
    loaded = read_records(path)
    if loaded.failures:
        raise loaded.failures[0]
    return loaded.records, False


def _selected_records(args: argparse.Namespace) -> tuple[list[dict], bool]:
    """The records an export command chose (path, --split, --ids), sorted by id, and whether
    they are raw texts."""
    from ..corpus.build import load_splits

    path = Path(args.path) if args.path else _default_input()
    records, raw_texts = _records_for_export(path)
    if args.split:
        splits = _default_splits(args.splits)
        assignment = load_splits(splits) if splits else None
        records = [
            r
            for r in records
            if (r.get("split") or (assignment.split_of(r["id"]) if assignment else None))
            in args.split
        ]
    if args.ids:
        wanted = set(args.ids)
        records = [r for r in records if r["id"] in wanted]
    return sorted(records, key=lambda r: r["id"]), raw_texts


def _export_inputs(args: argparse.Namespace) -> tuple[list[dict], bool, Any] | None:
    """The records to export, whether they are raw texts, and the pipeline for --predict;
    None (error printed) when they cannot be read."""
    from mchnlp.pipeline import ModelNotFoundError

    try:
        records, raw_texts = _selected_records(args)
        return records, raw_texts, _load_nlp(args.model) if args.predict else None
    except (CorpusFormatError, FileNotFoundError, ModelNotFoundError) as err:
        _err(str(err))
        return None


def cmd_export_labelstudio(args: argparse.Namespace) -> int:
    from ..corpus.exchange import labelstudio_config, to_labelstudio_tasks, write_labelstudio_tasks
    from ..corpus.schema import write_atomic

    chosen = _export_inputs(args)
    if chosen is None:
        return 2
    records, raw_texts, nlp = chosen
    tasks = to_labelstudio_tasks(
        records,
        nlp,
        include_annotations=not (args.no_annotations or raw_texts),
    )
    write_labelstudio_tasks(args.output, tasks)
    print(
        f"wrote {len(tasks)} tasks to {args.output}"
        + (" with model predictions" if nlp is not None else ""),
        file=sys.stderr,
    )
    if args.config:
        write_atomic(args.config, labelstudio_config())
        print(f"wrote the labeling config to {args.config}", file=sys.stderr)
    return 0


def cmd_export_doccano(args: argparse.Namespace) -> int:
    from ..corpus.exchange import write_doccano

    chosen = _export_inputs(args)
    if chosen is None:
        return 2
    records, _, nlp = chosen
    count = write_doccano(args.output, records, nlp)
    print(
        f"wrote {count} rows to {args.output}"
        + (" (texts without spans pre-annotated by the pipeline)" if nlp is not None else "")
        + "; import them into a doccano relation project (labels: "
        + ", ".join(ENTITY_LABELS) + "; relations: " + ", ".join(RELATION_LABELS) + ")",
        file=sys.stderr,
    )
    return 0


# -- suggest -----------------------------------------------------------------------------------
def _raw_records(raw_dir: Path, annotated: set[str]) -> tuple[list[dict], list[str]]:
    """Records of the .txt files in `raw_dir` not annotated yet, and the unreadable files."""
    from mchnlp.io.readers import InputError, read_text

    from ..corpus.schema import new_record

    records, problems = [], []
    paths = [raw_dir] if raw_dir.is_file() else sorted(raw_dir.glob("*.txt"))
    for path in paths:
        if path.stem in annotated:
            continue
        try:
            text = read_text(path)
        except InputError as err:
            problems.append(str(err))
            continue
        records.append(new_record(path.stem, text, {"source": str(path), "url": None,
                                                    "title": None, "published": None}))
    return records, problems


def cmd_suggest(args: argparse.Namespace) -> int:
    from mchnlp.pipeline import ModelNotFoundError

    from ..corpus.exchange import labelstudio_config, to_labelstudio_tasks, write_labelstudio_tasks
    from ..corpus.schema import write_atomic
    from ..corpus.suggest import rank_texts

    raw_dir = Path(args.raw_dir)
    if not raw_dir.exists():
        _err(f"{raw_dir}: no such file or directory")
        return 2
    if args.n < 1 or not 0.0 < args.low <= 1.0:
        _err("-n must be at least 1 and --low between 0 and 1")
        return 2
    try:
        annotated = {r["id"] for r in _corpus_records(args.corpus)}
        records, problems = _raw_records(raw_dir, annotated)
        nlp = _load_nlp(args.model)
    except (CorpusFormatError, FileNotFoundError, ModelNotFoundError) as err:
        _err(str(err))
        return 2
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if not records:
        _err(f"{raw_dir}: no unannotated .txt file ({len(annotated)} ids already in the corpus)")
        return 2
    ranked = rank_texts(records, nlp, low=args.low)
    chosen = ranked[: args.n]
    print(f"{'rank':>4}  {'doubts':>6}  {'words':>6}  document: reasons")
    for number, suggestion in enumerate(chosen, start=1):
        print(f"{number:>4}  {suggestion.score:>6}  {suggestion.words:>6}  "
              f"{suggestion.doc_id}: {suggestion.reasons()}")
    if not any(s.has_rule_spans for s in ranked):
        print("note: the pipeline has no trained recognizer, so entities cannot disagree with "
              "the rules; ranked on links and values only", file=sys.stderr)
    print(f"{len(chosen)} of {len(ranked)} unannotated texts chosen", file=sys.stderr)
    if args.output:
        by_id = {r["id"]: r for r in records}
        tasks = to_labelstudio_tasks([by_id[s.doc_id] for s in chosen], nlp,
                                     include_annotations=False)
        write_labelstudio_tasks(args.output, tasks)
        print(f"wrote {len(tasks)} tasks with model predictions to {args.output}",
              file=sys.stderr)
        if args.config:
            write_atomic(args.config, labelstudio_config())
            print(f"wrote the labeling config to {args.config}", file=sys.stderr)
    return 0


# -- import ------------------------------------------------------------------------------------
def _corpus_records(arg: str | None) -> list[dict]:
    """The records an import is compared with: --corpus, else the frozen corpus if built."""
    from ..corpus.schema import read_jsonl

    if arg == "none":
        return []
    path = Path(arg) if arg else corpus_file()
    if arg is None and not path.exists():
        return []
    return read_jsonl(path)


def print_intake(intake, quiet: bool = False) -> None:
    """Validation issues, then per document what the import adds, replaces or changes."""
    for warning in intake.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for issue in intake.issues:
        if issue.is_error or not quiet:
            print(issue, file=sys.stderr)
    for line in intake.report():
        print(line, file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from mchnlp.pipeline import ModelNotFoundError

    from ..corpus.intake import take_in
    from ..corpus.schema import dumps, write_document, write_jsonl

    try:
        base = _corpus_records(args.corpus)
        nlp = None if args.no_recompute else _load_nlp(args.model)
        intake = take_in([args.file], nlp, base, fmt=args.format,
                         use_predictions=args.use_predictions, renumber=args.renumber)
    except (CorpusFormatError, FileNotFoundError, ModelNotFoundError) as err:
        _err(str(err))
        return 2
    print_intake(intake, args.quiet)
    n_errors = len(intake.errors)
    if n_errors and not args.force:
        print(f"{args.file}: read {len(intake.records)} document(s), {n_errors} error(s); "
              "nothing written (fix them in the annotation tool and export again, or --force)",
              file=sys.stderr)
        return 1
    if args.outdir:
        outdir = Path(args.outdir)
        for record in intake.records:
            write_document(outdir / f"{record['id']}.json", record)
        where = str(outdir)
    elif args.output and args.output != "-":
        write_jsonl(args.output, intake.records)
        where = args.output
    else:
        sys.stdout.write("".join(dumps(r) + "\n" for r in intake.records))
        where = "stdout"
    recomputed = sum(d.recomputed for d in intake.diffs)
    print(
        f"imported {len(intake.records)} documents to {where} ({recomputed} fact(s) "
        f"recomputed, {n_errors} error(s), {len(intake.issues) - n_errors} warning(s))",
        file=sys.stderr,
    )
    return 1 if n_errors else 0


# -- from-spec ---------------------------------------------------------------------------------
def cmd_from_spec(args: argparse.Namespace) -> int:
    from mchnlp.pipeline import ModelNotFoundError

    from ..corpus.spec import build_spec_files, read_sources

    try:
        tokenizer = _tokenizer(args)
    except ModelNotFoundError as err:
        _err(str(err))
        return 2
    specs = [p for arg in args.specs
             for p in (sorted(Path(arg).glob("*.json")) if Path(arg).is_dir() else [Path(arg)])]
    meta = read_sources(Path(args.sources), args.source_dir) if args.sources else {}
    results = build_spec_files(specs, Path(args.raw_dir), Path(args.outdir), meta,
                               tokenizer=tokenizer, check_codes=args.check_codes)
    for result in results:
        for problem in result.problems:
            print(f"{result.path}: {result.doc_id}: {problem}")
        for issue in result.issues:
            if issue.is_error or not args.quiet:
                print(issue)
        if result.written:
            record = result.record
            print(f"{result.path}: {result.doc_id}: {len(record['spans'])} spans, "
                  f"{len(record['relations'])} relations, {len(record['facts'])} facts",
                  file=sys.stderr)
    written = sum(r.written for r in results)
    print(f"{written} of {len(results)} spec(s) written to {args.outdir}", file=sys.stderr)
    return 0 if written == len(results) else 1


# -- parser ------------------------------------------------------------------------------------
def add_corpus_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register `corpus` and its subcommands on the main parser's subparsers.

    Each subcommand sets `func`, which takes the parsed namespace and returns the exit code.
    """
    corpus = subparsers.add_parser(
        "corpus",
        help="validate, build, inspect and exchange the annotated corpus",
        description="The annotated MCH corpus (format: corpus/README.md).",
    )
    sub = corpus.add_subparsers(dest="corpus_command", required=True)

    def model_args(p: argparse.ArgumentParser, tokenizer_only: bool = False) -> None:
        p.add_argument(
            "--model", default=None, help="pipeline directory (default: the shipped one)"
        )
        if tokenizer_only:
            p.add_argument(
                "--no-tokenizer",
                action="store_true",
                help="skip the token-boundary check (no pipeline load)",
            )

    splits_help = "split file (default: corpus/splits.json; 'none' to skip split checks)"
    default_in = "default: corpus/mch_corpus.jsonl, else corpus/pass1/"

    p = sub.add_parser(
        "validate",
        help="check spans, relations, facts and splits",
        description="Check a corpus JSONL file or a folder of per-document "
        "JSON files. Exit 1 on errors.",
    )
    p.add_argument("path", nargs="?", help=f"corpus file or folder ({default_in})")
    p.add_argument("--splits", default=None, help=splits_help)
    p.add_argument(
        "--root", default=None, help="directory meta.source is relative to (default: the checkout)"
    )
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    p.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    p.add_argument("--format", choices=["text", "json"], default="text")
    model_args(p, tokenizer_only=True)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("stats", help="documents, tokens, spans, relations, facts per split")
    p.add_argument("path", nargs="?", help=f"corpus file or folder ({default_in})")
    p.add_argument("--splits", default=None, help=splits_help)
    p.add_argument("--format", choices=["table", "json"], default="table")
    model_args(p, tokenizer_only=True)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser(
        "build",
        help="merge corpus/pass1/*.json into corpus/mch_corpus.jsonl",
        description="Merge per-document files (sorted by id, split from the "
        "split file), validate, and write the frozen corpus atomically.",
    )
    p.add_argument("--src", default=None, help="folder of <id>.json (default: corpus/pass1)")
    p.add_argument("--splits", default=None, help="split file (default: corpus/splits.json)")
    p.add_argument(
        "--output", "-o", default=None, help="output JSONL (default: corpus/mch_corpus.jsonl)"
    )
    p.add_argument("--force", action="store_true", help="write even when there are errors")
    p.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    model_args(p, tokenizer_only=True)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("docbin", help="write train/dev/test .spacy files (gold Docs)")
    p.add_argument("path", nargs="?", help=f"corpus file or folder ({default_in})")
    p.add_argument("--output", "-o", required=True, help="output folder")
    p.add_argument("--splits", default=None, help=splits_help)
    p.add_argument(
        "--alignment",
        choices=["strict", "contract", "expand"],
        default="strict",
        help="spans off token boundaries: skip (strict) or snap",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 when spans were skipped")
    model_args(p)
    p.set_defaults(func=cmd_docbin)

    def selection_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("path", nargs="?",
                       help=f"corpus file, folder, or .txt file(s) ({default_in})")
        p.add_argument("--split", nargs="+", choices=list(SPLITS), default=None)
        p.add_argument("--splits", default=None, help=splits_help)
        p.add_argument("--ids", nargs="+", default=None, help="only these document ids")

    p = sub.add_parser(
        "export-labelstudio", help="Label Studio tasks, optionally pre-annotated by the pipeline"
    )
    selection_args(p)
    p.add_argument("--output", "-o", required=True, help="tasks JSON file")
    p.add_argument(
        "--predict",
        action="store_true",
        help="add the pipeline's entities and links as predictions",
    )
    p.add_argument(
        "--no-annotations",
        action="store_true",
        help="leave out the records' own spans and relations",
    )
    p.add_argument("--config", default=None, help="also write the labeling config (XML)")
    model_args(p)
    p.set_defaults(func=cmd_export_labelstudio)

    p = sub.add_parser(
        "export-doccano",
        help="doccano relation-project JSONL, optionally pre-annotated by the pipeline",
        description="Write records as doccano JSONL (entities, relations; facts, meta and "
        "the export snapshot as extra columns). `mchnlp corpus import` reads the export back.")
    selection_args(p)
    p.add_argument("--output", "-o", required=True, help="JSONL file")
    p.add_argument("--predict", action="store_true",
                   help="texts without spans get the pipeline's entities and links")
    model_args(p)
    p.set_defaults(func=cmd_export_doccano)

    p = sub.add_parser(
        "import",
        help="read a Label Studio JSON or doccano JSONL export, rebuild edited facts, validate",
        description="Import an annotation tool's export: facts of values whose span or links "
        "were edited are rebuilt from the spans and relations by the pipeline's fact view "
        "(unchanged ones keep the annotator's fields), the records are validated, and each "
        "document's changes against the corpus are listed. Exit 1 (nothing written) on "
        "validation errors.")
    p.add_argument("file", help="export file (.json Label Studio, .jsonl doccano)")
    p.add_argument("--format", choices=["auto", "labelstudio", "doccano"], default="auto")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--output", "-o", default=None, help="JSONL output (default: stdout)")
    target.add_argument("--outdir", default=None, help="write one <id>.json per document")
    p.add_argument(
        "--use-predictions",
        action="store_true",
        help="import predictions of tasks nobody annotated (Label Studio)",
    )
    p.add_argument("--renumber", action="store_true", help="span ids s1, s2, … in text order")
    p.add_argument("--corpus", default=None,
                   help="corpus JSONL the import is compared with (default: "
                   "corpus/mch_corpus.jsonl when built; 'none' for no comparison)")
    p.add_argument("--no-recompute", action="store_true",
                   help="do not rebuild facts (no pipeline load; edited values stay without "
                   "a fact, E307)")
    p.add_argument("--force", action="store_true", help="write even when there are errors")
    p.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    model_args(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "suggest",
        help="rank unannotated texts by how unsure the pipeline is, export the top ones",
        description="Run the pipeline over the .txt files of RAW_DIR that the corpus does not "
        "hold yet and rank them by their doubts: links scored below --low, entities that "
        "disagree with the rule matches (pipelines with a trained recognizer), and facts "
        "with warnings (implausible values). Prints the ranking with the reasons; -o writes "
        "the chosen texts as Label Studio tasks pre-annotated by the pipeline.")
    p.add_argument("raw_dir", help="folder of .txt files (or one .txt file)")
    p.add_argument("-n", type=int, default=20, help="how many texts to choose (default: 20)")
    p.add_argument("--output", "-o", default=None, help="Label Studio tasks JSON file")
    p.add_argument("--config", default=None, help="also write the labeling config (XML)")
    p.add_argument("--low", type=float, default=0.6,
                   help="a link scored below this is a doubt (default: 0.6)")
    p.add_argument("--corpus", default=None,
                   help="corpus JSONL whose documents count as annotated (default: "
                   "corpus/mch_corpus.jsonl when built; 'none')")
    model_args(p)
    p.set_defaults(func=cmd_suggest)

    p = sub.add_parser(
        "from-spec",
        help="build records from compact annotation specs (spans named by their text)",
        description="Turn spec files (format: mchnlp/corpus/spec.py) into per-document "
        "records, validate them, and write the clean ones to --outdir.",
    )
    p.add_argument("specs", nargs="+", help="spec files or folders of <id>.json")
    p.add_argument("--raw-dir", required=True, help="folder holding <id>.txt")
    p.add_argument("--sources", default=None, help="SOURCES.tsv for the meta fields")
    p.add_argument(
        "--source-dir", default="corpus/raw", help="meta.source prefix (default: corpus/raw)"
    )
    p.add_argument("--outdir", required=True, help="folder for the <id>.json records")
    p.add_argument(
        "--no-check-codes", dest="check_codes", action="store_false",
        help="skip the Kemendagri code check (W304)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    model_args(p, tokenizer_only=True)
    p.set_defaults(func=cmd_from_spec)
    return corpus

