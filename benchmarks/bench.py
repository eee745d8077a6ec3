"""Benchmark: words/s of `mchnlp.extract` and of `spacy.blank("id")` on the same texts (after
a warm-up on five of them), load time, peak RSS and model size.
Run: `python benchmarks/bench.py [--repeat N] [--model DIR]`.

Single process; pin it to one core with `taskset -c 0` for a one-core figure.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="passes over the corpus texts")
    parser.add_argument("--model", default=None, help="pipeline directory (default: shipped)")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()

    spacy_import = subprocess.run(
        [sys.executable, "-c", "import time; t=time.perf_counter(); import spacy; "
         "print(time.perf_counter()-t)"], capture_output=True, text=True, check=True)
    load_run = subprocess.run(
        [sys.executable, "-c", "import time; import spacy; t=time.perf_counter(); "
         "import mchnlp; mchnlp.load(" + (repr(args.model) if args.model else "") + "); "
         "print(time.perf_counter()-t)"], capture_output=True, text=True, check=True)

    import spacy

    import mchnlp

    nlp = mchnlp.load(args.model)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))]
    texts = texts * args.repeat
    words = sum(len(t.split()) for t in texts)

    blank = spacy.blank("id")
    t0 = time.perf_counter()
    for _ in blank.pipe(texts, batch_size=64):
        pass
    blank_s = time.perf_counter() - t0

    # first use: the village/district table of the gazetteer is read on the first mention
    # that needs it; a one-time cost, reported apart from the throughput
    t0 = time.perf_counter()
    list(mchnlp.extract_many(texts[:5], nlp=nlp))
    first_use_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_facts = sum(len(f) for f in mchnlp.extract_many(texts, nlp=nlp, batch_size=64))
    full_s = time.perf_counter() - t0

    model_dir = Path(args.model) if args.model else mchnlp.find_pipeline()
    result = {
        "texts": len(texts),
        "words": words,
        "extract_words_per_s": round(words / full_s),
        "blank_id_words_per_s": round(words / blank_s),
        "facts": n_facts,
        "spacy_import_s": round(float(spacy_import.stdout), 3),
        "load_s_beyond_spacy_import": round(float(load_run.stdout), 3),
        "first_5_texts_s (incl. one-time table reads)": round(first_use_s, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "model_mb": round(_dir_size(model_dir) / 2**20, 2),
        "pipeline": nlp.pipe_names,
    }
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:46s} {value}")


if __name__ == "__main__":
    main()
