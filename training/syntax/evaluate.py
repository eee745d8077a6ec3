"""Evaluate the trained Indonesian syntax pipeline and write metrics.json.

Scores, each on GSD test and CSUI test separately, with the *runtime* tokenizer (the
Corpus reader re-tokenizes the raw text and aligns it to the gold tokens, so tokenization
errors cost points as they would in production):

- UPOS (`pos_acc`), FEATS (`morph_acc`), lemma accuracy (`lemma_acc`), UAS/LAS, sentence
  P/R/F1 and token accuracy, from `nlp.evaluate`;
- lemma accuracy of the lookup lemmatizer from spacy-lookups-data (`id_lemma_lookup`), put in
  place of the trainable lemmatizer, so the two can be compared on the same tokens;
- words/s of the whole pipeline over the test texts (`nlp.pipe`, after a warm-up pass);
- sentence-boundary F1 on the hand-annotated news articles in `sentence_gold.jsonl`.

Usage::

    python training/syntax/evaluate.py --model training/syntax/model-best
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Corpus

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TEST_SPLITS = ("gsd_test", "csui_test")
KEYS = (
    "token_acc",
    "pos_acc",
    "morph_acc",
    "lemma_acc",
    "dep_uas",
    "dep_las",
    "sents_p",
    "sents_r",
    "sents_f",
)


def ud_scores(nlp: Language, path: Path) -> dict[str, float]:
    """Return the pipeline's scores (percentages) on a DocBin of gold documents."""
    examples = list(Corpus(path, gold_preproc=False)(nlp))
    scores = nlp.evaluate(examples)
    return {k: round(100 * scores[k], 2) for k in KEYS if scores.get(k) is not None}


def lookup_lemma_acc(nlp: Language, path: Path) -> float | None:
    """Lemma accuracy with spacy-lookups-data's lookup table instead of the trained model.

    Returns None when spacy-lookups-data is not installed.
    """
    try:
        import spacy_lookups_data  # noqa: F401
    except ImportError:
        return None
    lookup = spacy.blank("id", config={"nlp": {"tokenizer": nlp.config["nlp"]["tokenizer"]}})
    lemmatizer = lookup.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize()
    examples = list(Corpus(path, gold_preproc=False)(lookup))
    return round(100 * lookup.evaluate(examples)["lemma_acc"], 2)


def words_per_second(nlp: Language, texts: list[str], repeats: int = 3) -> dict[str, float]:
    """Time `nlp.pipe` over `texts`; return the median words/s over `repeats` passes."""
    list(nlp.pipe(texts[:20]))  # warm-up
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        n_words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
        rates.append(n_words / (time.perf_counter() - start))
    return {"words": n_words, "words_per_s": round(statistics.median(rates))}


def _starts(doc: Doc) -> set[int]:
    """Character offsets of the first non-space token of each predicted sentence."""
    starts = set()
    for sent in doc.sents:
        first = next((t for t in sent if not t.is_space), None)
        if first is not None:
            starts.add(first.idx)
    return starts


def break_paragraphs(doc: Doc) -> Doc:
    """Mark a sentence start after every line break; leave other tokens to the parser."""
    for i, token in enumerate(doc[:-1]):
        if "\n" in token.text_with_ws and not doc[i + 1].is_space:
            doc[i + 1].is_sent_start = True
    return doc


def boundary_f1(nlp: Language, gold_path: Path, line_breaks: bool) -> dict[str, object]:
    """Sentence-start P/R/F1 on the hand-annotated articles (document start excluded).

    Args:
        nlp: the pipeline; it must set sentence boundaries.
        gold_path: JSONL with `file` (relative to the repository) and `sent_starts`
            (character offsets into the file's text).
        line_breaks: set a sentence start after each line break before the pipeline runs.

    Returns:
        Micro-averaged precision, recall and F1 (percent) and per-file counts.
    """
    tp = fp = fn = 0
    per_file = {}
    for line in gold_path.read_text(encoding="utf8").splitlines():
        record = json.loads(line)
        text = (ROOT / record["file"]).read_text(encoding="utf8")
        doc = nlp.make_doc(text)
        if line_breaks:
            doc = break_paragraphs(doc)
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        pred = _starts(doc) - {0}
        gold = set(record["sent_starts"]) - {0}
        f_tp, f_fp, f_fn = len(pred & gold), len(pred - gold), len(gold - pred)
        tp, fp, fn = tp + f_tp, fp + f_fp, fn + f_fn
        per_file[Path(record["file"]).name] = {
            "gold": len(gold),
            "tp": f_tp,
            "fp": f_fp,
            "fn": f_fn,
        }
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "p": round(100 * p, 2),
        "r": round(100 * r, 2),
        "f": round(100 * f, 2),
        "files": per_file,
    }


def model_size_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=HERE / "model-best")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--sentence-gold", type=Path, default=HERE / "sentence_gold.jsonl")
    parser.add_argument("--output", type=Path, default=HERE / "metrics.json")
    parser.add_argument("--train-seconds", type=float, default=None)
    parser.add_argument(
        "--no-lookup", action="store_true", help="skip the lookup-lemmatizer comparison"
    )
    args = parser.parse_args()

    nlp = spacy.load(args.model)
    metrics: dict[str, object] = {
        "model": str(
            args.model.relative_to(ROOT) if args.model.is_relative_to(ROOT) else args.model
        ),
        "pipeline": nlp.pipe_names,
        "model_size_mb": model_size_mb(args.model),
        "train_seconds": args.train_seconds,
        "seed": nlp.config["system"]["seed"],
    }
    texts: list[str] = []
    for split in TEST_SPLITS:
        path = args.corpus / f"{split}.spacy"
        metrics[split] = ud_scores(nlp, path)
        if not args.no_lookup:
            metrics[split]["lemma_acc_lookup"] = lookup_lemma_acc(nlp, path)
        texts += [ex.reference.text for ex in Corpus(path)(nlp)]
    metrics["speed"] = words_per_second(nlp, texts)
    metrics["news_sentences"] = {
        "pipeline": boundary_f1(nlp, args.sentence_gold, line_breaks=False),
        "pipeline+line_breaks": boundary_f1(nlp, args.sentence_gold, line_breaks=True),
    }
    rule = spacy.blank("id", config={"nlp": {"tokenizer": nlp.config["nlp"]["tokenizer"]}})
    rule.add_pipe("sentencizer")
    metrics["news_sentences"]["sentencizer+line_breaks (rule baseline)"] = boundary_f1(
        rule, args.sentence_gold, line_breaks=True
    )
    args.output.write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in metrics.items() if k != "news_sentences"}, indent=2))
    for name, res in metrics["news_sentences"].items():
        print(f"news sentence starts, {name}: P {res['p']} R {res['r']} F {res['f']}")


if __name__ == "__main__":
    main()
