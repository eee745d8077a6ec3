"""Benchmark: speed, memory, load time and model size of the mchnlp pipeline, in one run.

Run: `python benchmarks/bench.py [--repeat N] [--syntax auto|spacy|none] [--model DIR] [--json]`.

Prints:
- words/s of `mchnlp.extract_many` and of `spacy.blank("id")` (tokenizer only) on the same
  texts (the corpus articles × `--repeat`) and their ratio, by CPU time of this process (what
  one core does, whatever else runs on the machine) and by wall-clock time. The two are timed
  in turn, one pass over the articles each, `--repeat` times; besides the ratio over all
  passes, the first pass's (texts the tokenizers have not seen, after the same 40-article
  warm-up) and the later passes' (the fastest of each: the tokenizer's cache then holds every
  word, which speeds up the tokenizer alone about twice) are printed;
- facts found, with a digest of all their fields, so that a speed-up that loses or changes
  facts shows;
- `import spacy` time and resident memory, and whether torch got imported;
- load time (wall and CPU) of the pipeline beyond `import spacy`, and peak RSS (VmHWM) after
  load, both in a fresh interpreter; peak RSS after the first 40 articles and after all the
  articles in this one (before the blank pipeline is made);
- the first 40 articles' time (includes one-time reads such as the village table);
- model size on disk;
- the gazetteer: a fresh `Gazetteer()` load, its first kecamatan/desa lookup, and 1,000
  resolutions of mixed mentions;
- scaling: `extract` on a long text (a sentence × 200) and on ten times that text;
- a 1 MB text (the corpus articles joined and repeated), in a fresh interpreter: peak RSS,
  CPU time and facts of `extract` (skip with `--no-megabyte`).

The process pins itself to one core (`--cpu 0`, the default; `--cpu -1` leaves the affinity
as it is), like `taskset -c 0`; the subprocesses inherit it.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIRST_ARTICLES = 40
# a sentence composed for the scaling run (not from the corpus)
SCALING_SENTENCE = "Pada tahun 2022 kematian ibu di Kabupaten Kupang sebanyak 14 kasus. "
GAZETTEER_MENTIONS = [
    "Kab. Kupang", "Kupang", "NTT", "Jatim", "Kota Serang", "Deliserdang", "Indonesia",
    "Puskesmas Oebobo", "Kecamatan Sukorambi", "kelurahan Antirogo", "Desa Oelnasi",
    "Desa Sukamaju", "Kota Adm. Jakarta Utara", "Kupang, NTT", "RSUD Dr. Soetomo",
]

_LOAD_PROBE = """
import json, sys, time
t0, c0 = time.perf_counter(), time.process_time()
import spacy
spacy_s, spacy_cpu_s = time.perf_counter() - t0, time.process_time() - c0
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
spacy_rss = status("VmRSS")
t0, c0 = time.perf_counter(), time.process_time()
import mchnlp
nlp = mchnlp.load(sys.argv[1] or None, syntax=sys.argv[2])
load_s, load_cpu_s = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"spacy_import_s": spacy_s, "spacy_import_cpu_s": spacy_cpu_s,
                  "spacy_import_rss_mb": spacy_rss, "load_s": load_s,
                  "load_cpu_s": load_cpu_s, "peak_rss_after_load_mb": status("VmHWM"),
                  "torch_imported": "torch" in sys.modules}))
"""


_MEGABYTE_PROBE = """
import json, sys, time
from pathlib import Path
import mchnlp
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
nlp = mchnlp.load(sys.argv[1] or None, syntax=sys.argv[2])
after_load = peak()
articles = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[3]).glob("*.txt"))]
text = "\\n\\n".join(articles * (1 + 1_000_000 // sum(map(len, articles))))[:1_000_000]
c0 = time.process_time()
facts = mchnlp.extract(text, nlp=nlp)
print(json.dumps({"megabyte_text_cpu_s": time.process_time() - c0,
                  "megabyte_text_facts": len(facts),
                  "megabyte_text_peak_rss_mb (fresh process, incl. load)": peak(),
                  "megabyte_text_peak_rss_after_load_mb": after_load}))
"""


def _peak_rss_mb() -> float:
    """VmHWM of this process in MB (the peak resident set size so far)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class _Clock:
    """CPU and wall seconds of a block."""

    def __enter__(self) -> _Clock:
        self._cpu, self._wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu = time.process_time() - self._cpu
        self.wall = time.perf_counter() - self._wall


def _facts_digest(fact_lists: list[list]) -> str:
    payload = json.dumps([[f.to_dict() for f in facts] for facts in fact_lists],
                         sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:12]


def _probe_load(model: str | None, syntax: str) -> dict:
    """Import spacy, then load the pipeline, in a fresh interpreter."""
    argv = [sys.executable, "-c", _LOAD_PROBE, model or "", syntax]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"loading the pipeline failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _probe_megabyte(model: str | None, syntax: str) -> dict:
    """`extract` of a 1 MB text in a fresh interpreter (its peak RSS is its own)."""
    argv = [sys.executable, "-c", _MEGABYTE_PROBE, model or "", syntax,
            str(ROOT / "corpus" / "raw")]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the 1 MB text failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _gazetteer_timings() -> dict:
    from mchnlp.knowledge.places import Gazetteer

    gc.collect()  # a full collection of the pipeline's objects would land in these timings
    with _Clock() as load:
        fresh = Gazetteer()  # not the cached instance: reads the files again
    with _Clock() as first_lower:
        fresh.resolve("Desa Oelnasi")
    context = (fresh.get("53"),)
    with _Clock() as resolves:
        for i in range(1000):
            fresh.resolve(GAZETTEER_MENTIONS[i % len(GAZETTEER_MENTIONS)],
                          context=context if i % 2 else ())
    return {"gazetteer_load_cpu_s": load.cpu,
            "gazetteer_first_village_lookup_cpu_s (reads the kecamatan/desa table)":
                first_lower.cpu,
            "gazetteer_1000_resolutions_cpu_s": resolves.cpu}


def _scaling(nlp) -> dict:
    import mchnlp

    base = SCALING_SENTENCE * 200
    mchnlp.extract(base, nlp=nlp)  # warm-up
    with _Clock() as small:
        n_small = len(mchnlp.extract(base, nlp=nlp))
    with _Clock() as large:
        n_large = len(mchnlp.extract(base * 10, nlp=nlp))
    return {"scaling_1x_cpu_s": small.cpu, "scaling_10x_cpu_s": large.cpu,
            "scaling_ratio_10x_over_1x": large.cpu / small.cpu,
            "scaling_facts_1x_10x": [n_small, n_large]}


def run(repeat: int, syntax: str, model: str | None, megabyte: bool = True) -> dict:
    """Every measurement of the module docstring, as a dict."""
    load = _probe_load(model, syntax)

    import spacy

    import mchnlp

    nlp = mchnlp.load(model, syntax=syntax)
    rss_after_load = _peak_rss_mb()
    articles = [p.read_text(encoding="utf-8")
                for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))]
    texts = articles * repeat
    pass_words = sum(len(t.split()) for t in articles)
    words = pass_words * repeat

    with _Clock() as first:
        list(mchnlp.extract_many(articles[:FIRST_ARTICLES], nlp=nlp, batch_size=64))
    rss_after_first = _peak_rss_mb()
    # the first pass over all articles, before the blank pipeline exists (its tokenizer
    # exceptions would count in the peak RSS)
    with _Clock() as extract_pass:
        fact_lists = list(mchnlp.extract_many(articles, nlp=nlp, batch_size=64))
    rss_after_texts = _peak_rss_mb()
    extract_passes = [extract_pass]

    blank = spacy.blank("id")
    for _ in blank.pipe(articles[:FIRST_ARTICLES]):  # the same warm-up as the pipeline's
        pass
    blank_passes = []
    # then the two in turn, one pass over the articles each: a shared machine's core drifts
    # in speed within a run, and a tokenizer is faster on texts it has seen (it caches the
    # words it split), so the first pass and the later ones are shown apart
    for n in range(repeat):
        with _Clock() as blank_pass:
            for _ in blank.pipe(articles, batch_size=64):
                pass
        blank_passes.append(blank_pass)
        if n:
            with _Clock() as extract_pass:
                fact_lists += mchnlp.extract_many(articles, nlp=nlp, batch_size=64)
            extract_passes.append(extract_pass)
    extract_cpu = sum(clock.cpu for clock in extract_passes)
    blank_cpu = sum(clock.cpu for clock in blank_passes)
    later = slice(1, None) if repeat > 1 else slice(None)
    warm_ratio = (min(clock.cpu for clock in blank_passes[later])
                  / min(clock.cpu for clock in extract_passes[later]))

    model_dir = Path(model) if model else mchnlp.find_pipeline()
    result = {
        "pipeline": nlp.pipe_names,
        "texts": len(texts),
        "words": words,
        "extract_words_per_cpu_s": words / extract_cpu,
        "blank_id_words_per_cpu_s": words / blank_cpu,
        "ratio_extract_over_blank": blank_cpu / extract_cpu,
        "ratio_first_pass (texts new to both tokenizers)": blank_passes[0].cpu
        / extract_passes[0].cpu,
        "ratio_later_passes (fastest pass of each)": warm_ratio,
        "ratio_per_pass": [round(b.cpu / e.cpu, 3) for b, e in zip(blank_passes, extract_passes)],
        "extract_words_per_wall_s": words / sum(clock.wall for clock in extract_passes),
        "blank_id_words_per_wall_s": words / sum(clock.wall for clock in blank_passes),
        "facts": sum(len(facts) for facts in fact_lists),
        "facts_digest": _facts_digest(fact_lists),
        "spacy_import_s": load["spacy_import_s"],
        "spacy_import_cpu_s": load["spacy_import_cpu_s"],
        "spacy_import_rss_mb": load["spacy_import_rss_mb"],
        "torch_imported": load["torch_imported"],
        "load_s_beyond_spacy_import": load["load_s"],
        "load_cpu_s_beyond_spacy_import": load["load_cpu_s"],
        "peak_rss_after_load_mb (fresh process)": load["peak_rss_after_load_mb"],
        "peak_rss_after_load_mb": rss_after_load,
        f"peak_rss_after_{FIRST_ARTICLES}_articles_mb": rss_after_first,
        "peak_rss_after_all_articles_mb": rss_after_texts,
        f"first_{FIRST_ARTICLES}_articles_cpu_s (incl. one-time reads)": first.cpu,
        "model_mb": _dir_size(model_dir) / 2**20,
    }
    result.update(_gazetteer_timings())
    result.update(_scaling(nlp))
    if megabyte:
        result.update(_probe_megabyte(model, syntax))
    result["cpus_allowed"] = sorted(os.sched_getaffinity(0))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus texts")
    parser.add_argument("--syntax", choices=("auto", "spacy", "none"), default="auto",
                        help="the UD syntax layer of the pipeline, or none")
    parser.add_argument("--model", default=None, help="pipeline directory (default: shipped)")
    parser.add_argument("--cpu", type=int, default=0,
                        help="core to pin this process to (-1: leave the affinity as it is)")
    parser.add_argument("--no-megabyte", action="store_true", help="skip the 1 MB text")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.cpu >= 0:
        os.sched_setaffinity(0, {args.cpu})

    result = run(args.repeat, args.syntax, args.model, megabyte=not args.no_megabyte)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        if isinstance(value, float):
            value = f"{value:,.0f}" if value >= 100 else f"{value:.3f}"
        print(f"{key:50s} {value}")


if __name__ == "__main__":
    main()
