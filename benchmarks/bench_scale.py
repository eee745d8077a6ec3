"""Benchmark: words/s of batch extraction in one process, with `n_process=2`, and on a Dask
LocalCluster with 1 and 2 worker processes, over the corpus texts repeated.

Run: `python benchmarks/bench_scale.py [--repeat N] [--batch-size B] [--json]`

Every configuration extracts the same documents and must find the same number of facts. Model
loading is left out of the timings (the Dask workers load it through `mchnlp.io.dask.preload`
before the clock starts; worker start-up is reported separately); the n_process figure
includes starting the worker processes, which fork from the loaded parent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _texts(repeat: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))]
    return texts * repeat


def _local(texts: list[str], nlp, batch_size: int, n_process: int) -> tuple[float, int]:
    from mchnlp.io.batch import extract_documents
    from mchnlp.io.readers import Document

    docs = (Document(str(i), t) for i, t in enumerate(texts))
    start = time.perf_counter()
    n_facts = sum(len(f) for _, f in extract_documents(docs, nlp=nlp, batch_size=batch_size,
                                                       n_process=n_process))
    return time.perf_counter() - start, n_facts


def _dask(texts: list[str], workers: int, batch_size: int) -> tuple[float, int, float]:
    import dask.bag as db
    from distributed import Client, LocalCluster

    import mchnlp.io.dask

    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        mchnlp.io.dask.preload(client)
        startup = time.perf_counter() - start
        bag = db.from_sequence([{"id": str(i), "text": t} for i, t in enumerate(texts)],
                               npartitions=8 * workers)
        bag = client.persist(bag)  # the texts are on the workers before the clock starts
        client.wait_for_workers(workers)
        start = time.perf_counter()
        n_facts = mchnlp.io.dask.extract_bag(bag, batch_size=batch_size).count().compute()
        return time.perf_counter() - start, n_facts, startup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10, help="passes over the corpus texts")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()

    import mchnlp

    nlp = mchnlp.load()
    texts = _texts(args.repeat)
    words = sum(len(t.split()) for t in texts)
    _local(texts[:20], nlp, args.batch_size, 1)  # warm caches (gazetteer, lexicon)

    runs: dict[str, dict] = {}
    for name, n_process in (("single process", 1), ("n_process=2", 2)):
        seconds, n_facts = _local(texts, nlp, args.batch_size, n_process)
        runs[name] = {"seconds": seconds, "facts": n_facts}
    if not args.skip_dask:
        for workers in (1, 2):
            seconds, n_facts, startup = _dask(texts, workers, args.batch_size)
            runs[f"dask {workers} worker{'s' if workers > 1 else ''}"] = {
                "seconds": seconds, "facts": n_facts, "startup_seconds": startup}
    for run in runs.values():
        run["words_per_second"] = words / run["seconds"]
    result = {"texts": len(texts), "words": words, "cpus": os.cpu_count(),
              "python": platform.python_version(), "runs": runs}
    if len({r["facts"] for r in runs.values()}) != 1:
        raise SystemExit(f"configurations disagree on the number of facts: {result}")
    if args.json:
        print(json.dumps(result, indent=2))
        return
    base = runs["single process"]["words_per_second"]
    print(f"{len(texts)} texts, {words} words, {os.cpu_count()} CPUs, "
          f"{next(iter(runs.values()))['facts']} facts per configuration")
    print(f"{'configuration':18s} {'seconds':>8s} {'words/s':>9s} {'speed-up':>9s}")
    for name, run in runs.items():
        extra = (f"   (cluster start + model load {run['startup_seconds']:.1f} s)"
                 if "startup_seconds" in run else "")
        print(f"{name:18s} {run['seconds']:8.2f} {run['words_per_second']:9.0f} "
              f"{run['words_per_second'] / base:8.2f}x{extra}")


if __name__ == "__main__":
    main()
