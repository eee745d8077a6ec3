"""Batch extraction: documents in, (document, facts) out, in batches and worker processes.

    from mchnlp.io.readers import read_documents
    from mchnlp.io.batch import extract_documents
    from mchnlp.io.writers import open_writer

    errors: list[str] = []
    docs = read_documents(["archive.jsonl"], "jsonl", text_column="body", id_column="url",
                          errors=errors)
    with open_writer("parquet", "facts.parquet") as out:
        for doc, facts in extract_documents(docs, n_process=2, errors=errors):
            out.write(doc.id, facts)

Documents are read lazily, extracted `batch_size` at a time and written batch by batch, so an
archive never has to fit in memory; a document that makes the pipeline fail is reported and
the others go on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING

from .readers import Document

if TYPE_CHECKING:
    from spacy.language import Language

    from ..facts.fact import Fact

logger = logging.getLogger(__name__)


# -- extracting --------------------------------------------------------------------------------
def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for doc in documents:
        chunk.append(doc)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def extract_chunk(nlp: Language, docs: list[Document], batch_size: int = 32
                  ) -> tuple[list[list[Fact] | None], list[str]]:
    """Facts of a list of documents (one `nlp.pipe` pass); a document that makes the pipeline
    raise gets None and an error message instead of stopping the others."""
    from ..api import extract_batch

    out: list[list[Fact] | None] = []
    errors = []
    results = extract_batch(nlp, [(d.text, d.published) for d in docs], batch_size)
    for doc, facts in zip(docs, results):
        if isinstance(facts, Exception):
            out.append(None)
            errors.append(f"{doc.id}: extraction failed ({type(facts).__name__}: {facts})")
        else:
            out.append(facts)
    return out, errors


_WORKER_NLP: Language | None = None


def _init_worker(nlp_or_path: Language | str | None) -> None:
    global _WORKER_NLP
    from ..pipeline import load

    if nlp_or_path is None or isinstance(nlp_or_path, (str, os.PathLike)):
        _WORKER_NLP = load(nlp_or_path)
    else:
        _WORKER_NLP = nlp_or_path


def _worker_chunk(docs: list[Document], batch_size: int
                  ) -> tuple[list[list[Fact] | None], list[str]]:
    assert _WORKER_NLP is not None
    return extract_chunk(_WORKER_NLP, docs, batch_size)


def _pool(nlp: Language, n_process: int) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods:
        # the children inherit the loaded pipeline: nothing is pickled or loaded again
        return ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_init_worker, initargs=(nlp,))
    source: Language | str = str(nlp.path) if nlp.path is not None else nlp
    return ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(source,))


def extract_documents(documents: Iterable[Document], *, nlp: Language | None = None,
                      batch_size: int = 32, n_process: int = 1,
                      errors: list[str] | None = None) -> Iterator[tuple[Document, list[Fact]]]:
    """Extract the facts of a stream of documents, in order.

    Args:
        documents: the documents (read lazily, `batch_size` at a time).
        nlp: the pipeline (default: the shipped one).
        batch_size: documents per `nlp.pipe` batch.
        n_process: worker processes (-1: one per CPU). Each worker holds one copy of the
            pipeline, inherited from this process where the platform forks; documents go
            to the workers `batch_size` at a time, at most two batches ahead per worker.
        errors: receives a message for each document whose extraction failed.
    Yields:
        (document, facts) per document, in input order; failed documents are left out.
    """
    from ..pipeline import load_cached

    nlp = nlp or load_cached()
    errors = [] if errors is None else errors
    if n_process < 0:
        n_process = os.cpu_count() or 1
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if n_process <= 1:
        for chunk in _chunks(documents, batch_size):
            results, chunk_errors = extract_chunk(nlp, chunk, batch_size)
            errors.extend(chunk_errors)
            yield from ((d, f) for d, f in zip(chunk, results) if f is not None)
        return
    # nlp.pipe(n_process=...) cannot be used: it sends Docs back through Doc.to_bytes, which
    # does not restore the tuple keys of doc._.rel. Workers return facts instead, so the
    # fact derivation runs in parallel too.
    pending: deque[tuple[list[Document], Future]] = deque()
    with _pool(nlp, n_process) as pool:
        for chunk in _chunks(documents, batch_size):
            pending.append((chunk, pool.submit(_worker_chunk, chunk, batch_size)))
            if len(pending) >= 2 * n_process:
                yield from _collect(pending.popleft(), errors)
        while pending:
            yield from _collect(pending.popleft(), errors)


def _collect(item: tuple[list[Document], Future], errors: list[str]
             ) -> Iterator[tuple[Document, list[Fact]]]:
    chunk, future = item
    results, chunk_errors = future.result()
    errors.extend(chunk_errors)
    yield from ((d, f) for d, f in zip(chunk, results) if f is not None)



