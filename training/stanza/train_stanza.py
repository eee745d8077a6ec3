"""Train small Indonesian Stanza models on the same UD files, and compare with spaCy.

Stanza's own training modules (`stanza.models.tokenizer`, `mwt_expander`, `tagger`,
`lemmatizer`, `parser`) are run on the split that `training/syntax/convert.py` makes:
GSD dev + CSUI train minus the carved dev set (`corpus/split.json`) for training, the dev
set for early stopping, GSD test and CSUI test for evaluation. No pretrained word vectors
or character LMs (`--no_pretrain`, nothing can be downloaded here) and reduced sizes and
step counts, so that all five models train on one CPU thread in about an hour.

Evaluation is end to end from raw text (the test sentences' `# text`, ten sentences to a
paragraph as in the spaCy DocBins) with the CoNLL 2018 shared-task scorer that ships with
Stanza (`udtools.udeval`), for Stanza *and* for the trained spaCy pipeline, so both are
scored on the same words by the same code. The scorer works on syntactic words: spaCy keeps
"bukunya" as one token where the gold has "buku" + "nya", which costs spaCy those words (about
2 % of the words); `training/syntax/metrics.json` has spaCy's own token-level scores.

Usage::

    python training/stanza/train_stanza.py            # prepare, train, evaluate
    python training/stanza/train_stanza.py --tiny     # a tiny model for tests (minutes)

Models go to `training/stanza/models/` (not committed); scores to
`training/stanza/metrics.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
UD = ROOT / "training" / "ud"
SYNTAX = ROOT / "training" / "syntax"
TRAIN_FILES = ("GSD_id_gsd-ud-dev.conllu", "CSUI_id_csui-ud-train.conllu")
TEST_FILES = {"gsd_test": "GSD_id_gsd-ud-test.conllu", "csui_test": "CSUI_id_csui-ud-test.conllu"}
SHORTHAND = "id_mch"
N_SENTS = 10  # sentences per paragraph, as in convert.py

# (component, steps-or-epochs flag, full value, tiny value) plus size options
# the full values are the run reported in models/README.md (about 50 min on one CPU thread;
# the tagger dominates at ~5 s per batch of 100 sentences)
SCHEDULE = {
    "tokenizer": ["--steps", "1000", "50"],
    "mwt": ["--num_epoch", "5", "1"],
    "pos": ["--max_steps", "300", "10"],
    "lemma": ["--num_epoch", "8", "1"],
    "depparse": ["--max_steps", "300", "10"],
}


def _blocks(path: Path) -> list[str]:
    return [b for b in path.read_text(encoding="utf8").strip().split("\n\n") if b.strip()]


def _sent_id(block: str) -> str:
    for line in block.splitlines():
        if line.startswith("# sent_id"):
            return line.split("=", 1)[1].strip()
    raise ValueError(f"no sent_id in block starting {block[:80]!r}")


def _text(block: str) -> str:
    for line in block.splitlines():
        if line.startswith("# text ="):
            return line.split("=", 1)[1].strip()
    raise ValueError(f"no text in block starting {block[:80]!r}")


def write_split(blocks: list[str], stem: Path) -> None:
    """Write `stem.conllu`, the raw text `stem.txt` and Stanza's tokenizer labels."""
    from stanza.utils.datasets import prepare_tokenizer_data

    stem.with_suffix(".conllu").write_text("\n\n".join(blocks) + "\n\n", encoding="utf8")
    paragraphs = [
        " ".join(_text(b) for b in blocks[i : i + N_SENTS]) for i in range(0, len(blocks), N_SENTS)
    ]
    stem.with_suffix(".txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf8")
    prepare_tokenizer_data.main(
        [
            str(stem.with_suffix(".txt")),
            str(stem.with_suffix(".conllu")),
            "-o",
            str(stem.with_suffix(".toklabels")),
            "-m",
            str(stem.with_suffix(".mwt.json")),
        ]
    )


def prepare(data: Path, limit: int | None = None) -> None:
    """Write train/dev/test files with the dev set carved by convert.py (split.json);
    `limit` keeps the first sentences of each (for a quick model in the tests)."""
    split_path = SYNTAX / "corpus" / "split.json"
    if not split_path.exists():
        subprocess.run([sys.executable, str(SYNTAX / "convert.py")], check=True)
    dev_ids = set(json.loads(split_path.read_text())["dev_sent_ids"])
    data.mkdir(parents=True, exist_ok=True)
    blocks = [b for name in TRAIN_FILES for b in _blocks(UD / name)]
    cut = slice(None) if limit is None else slice(limit)
    write_split([b for b in blocks if _sent_id(b) not in dev_ids][cut], data / "train")
    write_split([b for b in blocks if _sent_id(b) in dev_ids][cut], data / "dev")
    for split, name in TEST_FILES.items():
        write_split(_blocks(UD / name)[cut], data / split)


def train(data: Path, models: Path, tiny: bool, steps: dict[str, str] | None = None,
          only: set[str] | None = None) -> dict[str, float]:
    """Train the five Stanza models; return the seconds each took."""
    models.mkdir(parents=True, exist_ok=True)
    common = ["--shorthand", SHORTHAND, "--save_dir", str(models)]
    small = ["--hidden_dim", "100", "--char_hidden_dim", "100", "--deep_biaff_hidden_dim", "100"]
    if tiny:
        small = ["--hidden_dim", "16", "--char_hidden_dim", "16", "--deep_biaff_hidden_dim", "16"]
    d = {k: str(data / k) for k in ("train", "dev")}
    commands = {
        "tokenizer": [
            "stanza.models.tokenizer", "--lang", "id",
            "--txt_file", d["train"] + ".txt", "--label_file", d["train"] + ".toklabels",
            "--mwt_json_file", d["train"] + ".mwt.json",
            "--dev_txt_file", d["dev"] + ".txt", "--dev_label_file", d["dev"] + ".toklabels",
            "--dev_conll_gold", d["dev"] + ".conllu", "--conll_file", str(data / "tok.pred.conllu"),
            "--save_name", "tokenizer.pt", "--eval_steps", "200",
        ],
        "mwt": [
            "stanza.models.mwt_expander", "--lang", "id",
            "--train_file", d["train"] + ".conllu", "--eval_file", d["dev"] + ".conllu",
            "--gold_file", d["dev"] + ".conllu", "--output_file", str(data / "mwt.pred.conllu"),
            "--save_name", "mwt.pt",
        ],
        "pos": [
            "stanza.models.tagger", "--lang", "id", "--no_pretrain",
            "--train_file", d["train"] + ".conllu", "--eval_file", d["dev"] + ".conllu",
            "--output_file", str(data / "pos.pred.conllu"), "--save_name", "pos.pt",
            "--batch_size", "200" if tiny else "100", "--eval_interval", "10" if tiny else "100",
            *small,
        ],
        "lemma": [
            "stanza.models.lemmatizer",
            "--train_file", d["train"] + ".conllu", "--eval_file", d["dev"] + ".conllu",
            "--output_file", str(data / "lemma.pred.conllu"), "--save_name", "lemma.pt",
        ],
        "depparse": [
            "stanza.models.parser", "--lang", "id", "--no_pretrain",
            "--train_file", d["train"] + ".conllu", "--eval_file", d["dev"] + ".conllu",
            "--output_file", str(data / "depparse.pred.conllu"), "--save_name", "depparse.pt",
            "--batch_size", "200" if tiny else "2000", "--eval_interval", "10" if tiny else "100",
            *small,
        ],
    }  # fmt: skip
    # the tagger ran 100 steps in 26 min with torch's default threading on this 2-core box
    # (mostly system time): pin the child processes to 2 threads
    threads = os.environ.get("STANZA_THREADS", "2")
    env = {**os.environ, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
    seconds = {}
    for name, cmd in commands.items():
        if only and name not in only:
            continue
        flag, full, small_value = SCHEDULE[name]
        full = (steps or {}).get(name, full)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                *cmd,
                *common,
                flag,
                small_value if tiny else full,
                "--seed",
                "0",
            ],
            check=True,
            env=env,
        )
        seconds[name] = round(time.perf_counter() - start, 1)
    return seconds


def stanza_pipeline(models: Path):
    """Stanza with whichever of the five models exist in `models` (tokenize is required)."""
    from mchnlp.components.stanza_syntax import stanza_pipeline as load_stanza

    return load_stanza(models, partial=True)


def spacy_conllu(nlp, text: str) -> str:
    """spaCy output as CoNLL-U, one word per spaCy token (no MWT split)."""
    lines = []
    for paragraph in text.split("\n\n"):
        doc = nlp(paragraph.strip())
        for sent in doc.sents:
            tokens = [t for t in sent if not t.is_space]
            index = {t.i: n for n, t in enumerate(tokens, 1)}
            for n, t in enumerate(tokens, 1):
                head = 0 if t.head.i == t.i or t.head.i not in index else index[t.head.i]
                dep = "root" if head == 0 else t.dep_
                feats = str(t.morph) or "_"
                lines.append(
                    f"{n}\t{t.text}\t{t.lemma_ or '_'}\t{t.pos_ or 'X'}\t_\t{feats}\t{head}\t{dep}\t_\t_"
                )
            lines.append("")
    return "\n".join(lines) + "\n"


def score(gold: Path, system: Path) -> dict[str, float]:
    from stanza.models.common.utils import ud_scores

    ev = ud_scores(str(gold), str(system))
    keys = ("Tokens", "Sentences", "Words", "UPOS", "UFeats", "Lemmas", "UAS", "LAS")
    return {k: round(100 * ev[k].f1, 2) for k in keys}


def evaluate(data: Path, models: Path, spacy_model: Path | None) -> dict[str, object]:
    """Score Stanza (and the spaCy pipeline, if given) end to end on both test sets."""
    from stanza.utils.conll import CoNLL

    results: dict[str, object] = {}
    nlp_stanza = stanza_pipeline(models)
    nlp_spacy = None
    if spacy_model is not None and spacy_model.exists():
        import spacy

        nlp_spacy = spacy.load(spacy_model)
    for split in TEST_FILES:
        text = (data / f"{split}.txt").read_text(encoding="utf8")
        gold = data / f"{split}.conllu"
        start = time.perf_counter()
        doc = nlp_stanza(text)
        elapsed = time.perf_counter() - start
        out = data / f"{split}.stanza.conllu"
        CoNLL.write_doc2conll(doc, str(out))
        n_words = sum(len(s.words) for s in doc.sentences)
        stanza_scores = score(gold, out)
        for key, model in (("UPOS", "pos.pt"), ("UFeats", "pos.pt"), ("Lemmas", "lemma.pt"),
                           ("UAS", "depparse.pt"), ("LAS", "depparse.pt")):
            if not (models / model).exists():
                stanza_scores[key] = None  # not trained: not a score of zero
        results[split] = {"stanza": {**stanza_scores, "words_per_s": round(n_words / elapsed)}}
        if nlp_spacy is not None:
            nlp_spacy(text[:2000])  # warm-up
            start = time.perf_counter()
            conllu = spacy_conllu(nlp_spacy, text)
            elapsed = time.perf_counter() - start
            out = data / f"{split}.spacy.conllu"
            out.write_text(conllu, encoding="utf8")
            n_words = sum(1 for line in conllu.splitlines() if line and line[0].isdigit())
            results[split]["spacy"] = {
                **score(gold, out),
                "words_per_s": round(n_words / elapsed),
            }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--models", type=Path, default=HERE / "models")
    parser.add_argument("--spacy-model", type=Path, default=SYNTAX / "model-best")
    parser.add_argument("--output", type=Path, default=HERE / "metrics.json")
    parser.add_argument("--tiny", action="store_true", help="tiny sizes and steps (for tests)")
    parser.add_argument("--skip-train", action="store_true")
    parser.add_argument("--skip-eval", action="store_true")
    parser.add_argument("--limit", type=int, default=None,
                        help="use only the first N sentences of each split")
    parser.add_argument("--only", default="",
                        help="train only these components, e.g. pos,lemma,depparse")
    parser.add_argument("--steps", default="",
                        help="override step/epoch counts, e.g. pos=400,depparse=400")
    args = parser.parse_args()

    import torch

    torch.set_num_threads(2)
    torch.manual_seed(0)
    prepare(args.data, args.limit)
    steps = dict(item.split("=") for item in args.steps.split(",") if item)
    only = {name for name in args.only.split(",") if name} or None
    seconds = None if args.skip_train else train(args.data, args.models, args.tiny, steps, only)
    if args.skip_eval:
        return
    results = evaluate(args.data, args.models, args.spacy_model)
    sizes = {p.name: round(p.stat().st_size / 2**20, 2) for p in sorted(args.models.glob("*.pt"))}
    metrics = {"tiny": args.tiny, "limit": args.limit, "steps": steps or None,
               "train_seconds": seconds, "model_mb": sizes, **results}
    args.output.write_text(json.dumps(metrics, indent=2) + "\n")
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
