"""Profile: where the time of `mchnlp.extract_many` goes, per pipeline component and per Python
function, over the corpus texts.

Run: `taskset -c 0 python benchmarks/profile_pipeline.py [--syntax spacy|none] [--model DIR]
[--repeat N] [--top N]`. Prints Markdown tables (the ones in `benchmarks/README.md`):

1. per component: each component's `pipe` run over the whole batch in pipeline order, then the
   fact view (`doc._.facts`), in CPU µs per word and as a share of the total;
2. per mchnlp module: cProfile's own time (tottime) of the functions of each module of the
   package, and of spaCy/thinc/numpy code, during `extract_many`;
3. per function: the `--top` functions by own time, with their cumulative time.

The gazetteer's village table and the lexicon caches are warmed on five texts first (their
one-time cost is in `bench.py`). cProfile slows Python code down more than compiled code, so
tables 2 and 3 overstate the Python part; table 1 is measured without the profiler.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _corpus_texts(repeat: int) -> list[str]:
    paths = sorted((ROOT / "corpus" / "raw").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths] * repeat


def component_times(nlp, texts: list[str], batch_size: int = 64) -> dict[str, float]:
    """CPU seconds spent by each component (in pipeline order) and by the fact view: CPU time,
    not wall time, so that other processes on a shared machine do not count."""
    times: dict[str, float] = {}
    start = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    times["tokenizer"] = time.process_time() - start
    for name, component in nlp.pipeline:
        start = time.process_time()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        times[name] = time.process_time() - start
    start = time.process_time()
    for doc in docs:
        doc._.facts  # noqa: B018  (the view is computed on access)
    times["doc._.facts (fact view)"] = time.process_time() - start
    return times


def _module_of(filename: str) -> str:
    """'…/mchnlp/components/linker.py' -> 'mchnlp.components.linker'; libraries by name."""
    path = Path(filename)
    parts = path.with_suffix("").parts
    if "mchnlp" in parts and "site-packages" not in parts:
        return ".".join(parts[len(parts) - 1 - parts[::-1].index("mchnlp") :])
    for library in ("spacy", "thinc", "numpy", "srsly", "cymem", "preshed"):
        if library in parts:
            return f"({library})"
    if filename.startswith("~") or filename == "":
        return "(builtins)"
    return "(python stdlib / other)"


def profile_functions(nlp, texts: list[str], batch_size: int = 64) -> pstats.Stats:
    """cProfile statistics of `mchnlp.extract_many` over `texts`."""
    import mchnlp

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in mchnlp.extract_many(texts, nlp=nlp, batch_size=batch_size):
        pass
    profiler.disable()
    return pstats.Stats(profiler)


def module_table(stats: pstats.Stats) -> list[tuple[str, float]]:
    """(module, own seconds) per mchnlp module and per library, largest first."""
    own: dict[str, float] = defaultdict(float)
    entries = stats.stats.items()  # type: ignore[attr-defined]
    for (filename, _, _), (_, _, tottime, _, _) in entries:
        own[_module_of(filename)] += tottime
    return sorted(own.items(), key=lambda item: -item[1])


def function_table(stats: pstats.Stats, top: int) -> list[tuple[str, int, float, float]]:
    """(function, calls, own seconds, cumulative seconds) of the `top` functions by own time."""
    rows = []
    entries = stats.stats.items()  # type: ignore[attr-defined]
    for (filename, line, func), (_, calls, tottime, cumtime, _) in entries:
        where = f"{_module_of(filename)}:{func}" if "mchnlp" in filename else (
            f"{Path(filename).name}:{line}({func})" if filename != "~" else func)
        rows.append((where, calls, tottime, cumtime))
    rows.sort(key=lambda row: -row[2])
    return rows[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--syntax", choices=("spacy", "none"), default="spacy")
    parser.add_argument("--model", default=None, help="pipeline directory (default: shipped)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus texts")
    parser.add_argument("--top", type=int, default=25, help="functions in the last table")
    args = parser.parse_args()

    import mchnlp

    nlp = mchnlp.load(args.model, syntax=args.syntax)
    texts = _corpus_texts(args.repeat)
    words = sum(len(t.split()) for t in texts)
    list(mchnlp.extract_many(texts[:5], nlp=nlp))  # one-time table reads

    times = component_times(nlp, texts)
    total = sum(times.values())
    print(f"{len(texts)} texts, {words:,} words, pipeline {' > '.join(nlp.pipe_names)}\n")
    print("| component | s | µs/word | share |\n| --- | ---: | ---: | ---: |")
    for name, seconds in times.items():
        print(f"| {name} | {seconds:.2f} | {1e6 * seconds / words:.1f} | "
              f"{100 * seconds / total:.1f}% |")
    print(f"| **total** | {total:.2f} | {1e6 * total / words:.1f} | "
          f"{words / total:,.0f} words/s |\n")

    stats = profile_functions(nlp, texts)
    profiled = sum(seconds for _, seconds in module_table(stats))
    print("| module (own time under cProfile) | s | share |\n| --- | ---: | ---: |")
    for module, seconds in module_table(stats):
        if seconds / profiled >= 0.005:
            print(f"| {module} | {seconds:.2f} | {100 * seconds / profiled:.1f}% |")
    print(f"| **total** | {profiled:.2f} | |\n")
    print("| function | calls | own s | cumulative s |\n| --- | ---: | ---: | ---: |")
    for where, calls, tottime, cumtime in function_table(stats, args.top):
        print(f"| `{where}` | {calls:,} | {tottime:.2f} | {cumtime:.2f} |")


if __name__ == "__main__":
    main()
