"""Extraction over a Dask bag or dataframe, for archives larger than one machine handles.

    import dask.dataframe as dd
    from distributed import Client
    import mchnlp.io.dask

    client = Client("scheduler:8786")
    mchnlp.io.dask.preload(client)                    # optional: load the model as workers start
    articles = dd.read_parquet("archive/*.parquet")
    facts = mchnlp.io.dask.extract_dataframe(articles, text_column="body", id_column="url",
                                          published_column="published")
    facts.to_parquet("facts/", schema=mchnlp.io.frames.arrow_schema())

Each worker process loads the pipeline once and keeps it in a module-level cache keyed by the
model path; every task on that worker reuses it. Threads of one worker share the pipeline and
take turns (a lock), since spaCy pipelines are not thread-safe and the work is bound by the
GIL anyway: run workers with one thread each (`dask worker --nthreads 1 --nworkers N`).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .batch import extract_documents
from .frames import fact_row, to_dataframe
from .readers import Document, _missing, normalize_published, publication_date

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    import pandas as pd
    from spacy.language import Language

try:  # WorkerPlugin needs distributed; the bag/dataframe functions need dask only
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover - distributed is part of mchnlp[scale]
    WorkerPlugin = object  # type: ignore[assignment,misc]

logger = logging.getLogger(__name__)

_PIPELINES: dict[str, tuple[Language, threading.Lock]] = {}
_CACHE_LOCK = threading.Lock()


def _model_key(model: str | os.PathLike | None) -> str:
    from ..pipeline import find_pipeline

    return os.path.abspath(model if model is not None else find_pipeline())


def get_pipeline(model: str | os.PathLike | None = None) -> tuple[Language, threading.Lock]:
    """This process's pipeline for `model` (default: the shipped one), loaded on first use,
    with the lock its users hold while they run it."""
    key = _model_key(model)
    with _CACHE_LOCK:
        if key not in _PIPELINES:
            from ..pipeline import load

            logger.info("loading mchnlp pipeline %s in process %d", key, os.getpid())
            _PIPELINES[key] = (load(key), threading.Lock())
        return _PIPELINES[key]


def loaded_pipelines() -> list[str]:
    """The model paths loaded in this process (for tests and diagnostics)."""
    return sorted(_PIPELINES)


class ModelPlugin(WorkerPlugin):  # type: ignore[misc,valid-type]
    """A `distributed.WorkerPlugin` that loads the pipeline when a worker starts, so the
    first tasks do not pay for it (and a broken model shows at start-up)."""

    def __init__(self, model: str | None = None):
        self.model = model

    def setup(self, worker: Any) -> None:
        get_pipeline(self.model)


def preload(client: Any, model: str | None = None) -> None:
    """Register `ModelPlugin` on `client`: current and future workers load `model`."""
    client.register_plugin(ModelPlugin(model), name=f"mchnlp-model-{model or 'default'}")


def _document(item: Any, index: int, text_key: str, id_key: str, published_key: str,
              published: str | None) -> Document | None:
    if isinstance(item, str):
        return Document(f"#{index}", item, published)
    if isinstance(item, Mapping):
        text = item.get(text_key)
        doc_id = item.get(id_key)
        pub = item.get(published_key)
    elif isinstance(item, (tuple, list)) and len(item) in (2, 3):
        doc_id, text = item[0], item[1]
        pub = item[2] if len(item) == 3 else None
    else:
        logger.warning("skipped bag item %d: expected str, mapping or (id, text[, published]), "
                       "got %s", index, type(item).__name__)
        return None
    if _missing(text):
        text = ""
    if not isinstance(text, str):
        logger.warning("skipped document %s: text is %s", doc_id, type(text).__name__)
        return None
    try:
        pub = normalize_published(pub) or published
    except (TypeError, ValueError) as err:
        logger.warning("document %s: %s; date detected from the text instead", doc_id, err)
        pub = None
    return Document(f"#{index}" if doc_id is None else str(doc_id), text, pub)


def _extract(docs: Iterable[Document], model: str | None, batch_size: int
             ) -> list[tuple[Document, list]]:
    nlp, lock = get_pipeline(model)
    errors: list[str] = []
    with lock:
        results = list(extract_documents(docs, nlp=nlp, batch_size=batch_size, errors=errors))
    for message in errors:
        logger.error("%s", message)
    return results


def extract_partition(items: Iterable[Any], *, model: str | None = None,
                      text_key: str = "text", id_key: str = "id",
                      published_key: str = "published", published: str | None = None,
                      batch_size: int = 32, per_document: bool = False) -> list:
    """Extract from one partition of a bag (used by `extract_bag`; callable on its own).

    Returns fact rows (`frames.COLUMNS` dicts), or one list of rows per input item when
    `per_document` (an item that cannot be read gives an empty list there, and a warning).
    """
    items = list(items)
    docs = [_document(item, i, text_key, id_key, published_key, published)
            for i, item in enumerate(items)]
    results = {id(doc): facts for doc, facts in
               _extract([d for d in docs if d is not None], model, batch_size)}
    per_item = [_rows(doc, results.get(id(doc), [])) if doc is not None else []
                for doc in docs]
    if per_document:
        return per_item
    return [row for rows in per_item for row in rows]


def _rows(doc: Document, facts: list) -> list[dict]:
    published = publication_date(doc) if facts else None
    return [fact_row(f, doc=doc.id, published=published) for f in facts]


def extract_bag(bag: dask.bag.Bag, *, model: str | None = None, text_key: str = "text",
                id_key: str = "id", published_key: str = "published",
                published: str | None = None, batch_size: int = 32,
                per_document: bool = False) -> dask.bag.Bag:
    """Map extraction over a `dask.bag`.

    Args:
        bag: items are texts (str), mappings with `text_key` and optional `id_key` and
            `published_key`, or `(id, text)` / `(id, text, published)` tuples. Texts without
            an id are named `#<position in partition>`: give ids for anything you aggregate.
        model: pipeline directory as seen by the workers (default: their shipped one).
        published: publication date for items that carry none.
        batch_size: documents per `nlp.pipe` batch within a partition.
        per_document: yield one list of fact rows per item instead of a flat bag of rows.
    Returns:
        A lazy bag of fact rows (dicts with the keys `mchnlp.io.frames.COLUMNS`).
    """
    return bag.map_partitions(extract_partition, model=model, text_key=text_key,
                              id_key=id_key, published_key=published_key,
                              published=published, batch_size=batch_size,
                              per_document=per_document)


def _frame_partition(frame: pd.DataFrame, text_column: str, id_column: str | None,
                     published_column: str | None, published: str | None, model: str | None,
                     batch_size: int) -> pd.DataFrame:
    ids = frame[id_column] if id_column is not None else frame.index
    pubs = frame[published_column] if published_column is not None else [None] * len(frame)
    items = [{"id": doc_id, "text": text, "published": pub}
             for doc_id, text, pub in zip(ids, frame[text_column], pubs)]
    rows = extract_partition(items, model=model, published=published, batch_size=batch_size)
    return to_dataframe(rows)


def extract_dataframe(frame: dask.dataframe.DataFrame, *, text_column: str = "text",
                      id_column: str | None = None, published_column: str | None = None,
                      published: str | None = None, model: str | None = None,
                      batch_size: int = 32) -> dask.dataframe.DataFrame:
    """Map extraction over a `dask.dataframe` of documents.

    Args:
        frame: one row per document.
        text_column: column of article texts.
        id_column: column naming the documents (default: the index).
        published_column: column of publication dates (dates, "YYYY-MM-DD", "YYYY-MM", "YYYY"
            or ISO datetimes).
        published: publication date for rows without one.
        model: pipeline directory as seen by the workers (default: their shipped one).
        batch_size: documents per `nlp.pipe` batch within a partition.
    Returns:
        A lazy dataframe of facts with the columns and dtypes of `mchnlp.io.frames.to_dataframe`
        (`doc` holds the id); write it with `.to_parquet(path, schema=frames.arrow_schema())`.
    Raises:
        KeyError: a named column is not in `frame`.
    """
    for column in (text_column, id_column, published_column):
        if column is not None and column not in frame.columns:
            raise KeyError(f"column {column!r} not in dataframe (columns: "
                           f"{', '.join(map(str, frame.columns))})")
    return frame.map_partitions(_frame_partition, text_column, id_column, published_column,
                                published, model, batch_size, meta=to_dataframe([]))
