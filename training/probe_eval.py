"""Score a pipeline on a probe set (`corpus/probes/*.jsonl`: articles with gold facts written
for probing, outside the corpus splits) and compare it with an earlier run.

    python training/probe_eval.py corpus/probes/probe_set_1.jsonl --out run.json
    python training/probe_eval.py corpus/probes/probe_set_1.jsonl --against old_run.json

`--out` writes the per-article (tp, fp, fn) counts, strict and core; `--against` reads such a
file (from a checkout of an older commit, so the old model runs with its own code) and prints
the paired bootstrap interval of the difference over articles.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

import mchnlp
from mchnlp.atomic import write_atomic
from mchnlp.evaluation.metrics import paired_delta_ci
from mchnlp.evaluation.scoring import CORE_KEYS, STRICT_KEYS, fact_counts

LEVELS = {"strict": STRICT_KEYS, "core": CORE_KEYS}


def score(path: Path, model: str | None) -> dict[str, dict[str, list[int]]]:
    """{level: {article id: [tp, fp, fn]}} of the pipeline on the probe articles."""
    nlp = mchnlp.load(model) if model else mchnlp.load()
    out: dict[str, dict[str, list[int]]] = {level: {} for level in LEVELS}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            article = json.loads(line)
        except json.JSONDecodeError as error:
            raise SystemExit(f"{path}:{number}: not JSON ({error.msg})") from None
        predicted = [f.to_dict() for f in
                     mchnlp.extract(article["text"], article.get("published"), nlp=nlp)]
        for level, keys in LEVELS.items():
            out[level][article["id"]] = list(fact_counts(article["facts"], predicted, keys))
    return out


def _f1(counts: np.ndarray) -> float:
    tp, fp, fn = counts.sum(axis=0)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("probes", type=Path)
    parser.add_argument("--model", default=None, help="pipeline directory (default: shipped)")
    parser.add_argument("--out", type=Path, help="write the per-article counts here (JSON)")
    parser.add_argument("--against", type=Path, help="per-article counts of an earlier run")
    args = parser.parse_args(argv)
    counts = score(args.probes, args.model)
    if args.out:
        write_atomic(args.out, json.dumps(counts, indent=1))
    earlier = json.loads(args.against.read_text()) if args.against else None
    for level, per_article in counts.items():
        ids = sorted(per_article)
        now = np.array([per_article[i] for i in ids])
        line = f"{level}: F1 {_f1(now):.3f} (tp/fp/fn {'/'.join(map(str, now.sum(axis=0)))})"
        if earlier is not None:
            before = np.array([earlier[level][i] for i in ids])
            lo, hi = paired_delta_ci(before, now)
            line += (f"; earlier {_f1(before):.3f}, difference {_f1(now) - _f1(before):+.3f} "
                     f"[{lo:+.3f}, {hi:+.3f}] over {len(ids)} articles")
        print(line)


if __name__ == "__main__":
    main()
