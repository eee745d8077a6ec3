"""Facts as tables: pandas DataFrames, Arrow schemas and a `datasets.Dataset.map` helper.

    import mchnlp
    from mchnlp.io.frames import to_dataframe, map_extract

    df = to_dataframe({name: mchnlp.extract(text) for name, text in texts.items()})
    ds = map_extract(dataset, text_column="text", published_column="published")

One column order and one set of types is used everywhere (`COLUMNS`): the DataFrame, the
CSV/Parquet files written by `mchnlp extract`, and the Dask frames of `mchnlp.io.dask`. pandas,
pyarrow and datasets are imported inside the functions that need them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..facts.fact import Fact

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    from datasets import Dataset, Features
    from spacy.language import Language

# The output columns: `doc` (the document's id) and `published` (the publication date the
# relative years were read against: given, or found in the dateline), then the
# `Fact.to_dict()` keys.
COLUMNS: tuple[str, ...] = (
    "doc", "published", "indicator", "value", "value_max", "qualifier", "unit", "location", "location_code",
    "year", "kind", "text", "start", "end", "confidence", "sentence", "location_level", "facility",
    "period", "warnings",
)
FLOAT_COLUMNS = ("value", "value_max", "confidence")
INT_COLUMNS = ("year", "start", "end")
LIST_COLUMNS = ("period", "warnings")
STRING_COLUMNS = tuple(c for c in COLUMNS
                       if c not in FLOAT_COLUMNS + INT_COLUMNS + LIST_COLUMNS)

FactLike = Fact | Mapping[str, Any]


def fact_row(fact: FactLike, doc: str | None = None,
             published: str | None = None) -> dict[str, Any]:
    """One output row (all `COLUMNS`) from a Fact or a fact dict; `doc` and `published`
    override the dict's."""
    row = fact.to_dict() if isinstance(fact, Fact) else dict(fact)
    if doc is not None or "doc" not in row:
        row["doc"] = doc
    if published is not None or "published" not in row:
        row["published"] = published
    out = {column: row.get(column) for column in COLUMNS}
    for column in LIST_COLUMNS:
        if isinstance(out[column], tuple):
            out[column] = list(out[column])
    return out


def iter_rows(facts: Iterable[FactLike] | Mapping[str, Iterable[FactLike]]
              ) -> Iterable[dict[str, Any]]:
    """Rows from facts, fact dicts, or a mapping of document id -> facts."""
    if isinstance(facts, Mapping):
        for doc, doc_facts in facts.items():
            for fact in doc_facts:
                yield fact_row(fact, doc=str(doc))
    else:
        for fact in facts:
            yield fact_row(fact)


def pandas_dtypes() -> dict[str, Any]:
    """The pandas dtype of every column (nullable, so empty and full frames agree)."""
    import pandas as pd

    dtypes: dict[str, Any] = {c: pd.StringDtype() for c in STRING_COLUMNS}
    dtypes.update({c: "float64" for c in FLOAT_COLUMNS})
    dtypes.update({c: "Int64" for c in INT_COLUMNS})
    dtypes.update({c: "object" for c in LIST_COLUMNS})
    return dtypes


def to_dataframe(facts: Iterable[FactLike] | Mapping[str, Iterable[FactLike]]) -> pd.DataFrame:
    """A pandas DataFrame with one row per fact.

    Args:
        facts: `Fact` objects or their `to_dict()` dicts (a `doc` key is kept), or a mapping
            of document id -> facts (e.g. `{path: mchnlp.extract(text)}`).
    Returns:
        A DataFrame with the columns `COLUMNS` in that order; `doc` is missing (<NA>) when
        the input does not name documents. Types are fixed and nullable: strings as
        `string`, `year`/`start`/`end` as `Int64`, `value`/`value_max`/`confidence` as
        float, `period`/`warnings` as lists.
    """
    import pandas as pd

    frame = pd.DataFrame.from_records(list(iter_rows(facts)), columns=list(COLUMNS))
    return frame.astype(pandas_dtypes())


def arrow_schema() -> pa.Schema:
    """The pyarrow schema of the output rows (Parquet output, Dask `to_parquet(schema=...)`)."""
    import pyarrow as pa

    types = {c: pa.string() for c in STRING_COLUMNS}
    types.update({c: pa.float64() for c in FLOAT_COLUMNS})
    types.update({"year": pa.int32(), "start": pa.int64(), "end": pa.int64()})
    types.update({c: pa.list_(pa.string()) for c in LIST_COLUMNS})
    return pa.schema([(c, types[c]) for c in COLUMNS])


# -- Hugging Face datasets --------------------------------------------------------------------
def fact_features() -> Features:
    """The `datasets` feature of a column holding one list of fact dicts per row."""
    from datasets import Value

    string = Value("string")
    fact: dict[str, Any] = {c: string for c in STRING_COLUMNS if c != "doc"}
    fact.update({c: Value("float64") for c in FLOAT_COLUMNS})
    fact.update(year=Value("int32"), start=Value("int64"), end=Value("int64"))
    fact.update({c: [string] for c in LIST_COLUMNS})
    return [fact]  # type: ignore[return-value]


def _published_value(value: Any) -> dt.date | str | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    text = str(value).strip()
    return text or None


def map_extract(dataset: Dataset, *, text_column: str = "text",
                published_column: str | None = None, output_column: str = "facts",
                nlp: Language | None = None, model: str | None = None, batch_size: int = 32,
                **map_kwargs: Any) -> Dataset:
    """Add a column of extracted facts to a Hugging Face `datasets.Dataset`.

    Args:
        dataset: the dataset; rows need a string `text_column`.
        text_column: column holding the article text.
        published_column: optional column of publication dates (date, "YYYY-MM-DD",
            "YYYY-MM", "YYYY"), used to resolve "tahun ini"/"tahun lalu".
        output_column: name of the new column (a list of fact dicts per row, typed by
            `fact_features()`).
        nlp: a loaded pipeline. Leave it None with `num_proc` > 1: every process then loads
            `model` (default: the shipped pipeline) once.
        model: pipeline directory used when `nlp` is None.
        batch_size: rows per `map` batch, also the `nlp.pipe` batch size.
        **map_kwargs: passed to `Dataset.map` (e.g. `num_proc`, `desc`).
    Returns:
        The dataset with `output_column` added.
    Raises:
        KeyError: a named column does not exist. ValueError: a malformed published date.
    """
    from datasets import Features

    from ..api import extract_many
    from ..pipeline import load_cached

    for column in (text_column, published_column):
        if column is not None and column not in dataset.column_names:
            raise KeyError(f"column {column!r} not in dataset (columns: "
                           f"{', '.join(dataset.column_names)})")

    def extract_batch(batch: dict[str, list]) -> dict[str, list]:
        pipeline = nlp or load_cached(model)
        texts = ["" if t is None else t for t in batch[text_column]]
        published = ([_published_value(p) for p in batch[published_column]]
                     if published_column else None)
        results = extract_many(texts, published, nlp=pipeline, batch_size=batch_size)
        return {output_column: [[f.to_dict() for f in facts] for facts in results]}

    features = Features({**dataset.features, output_column: fact_features()})
    # the fingerprint is derived from the arguments, so `datasets` never hashes a pipeline
    seed = repr((getattr(dataset, "_fingerprint", None), text_column, published_column,
                 output_column, model, None if nlp is None else (nlp.meta.get("name"),
                                                                 nlp.meta.get("version"),
                                                                 str(nlp.path))))
    map_kwargs.setdefault("new_fingerprint", hashlib.sha256(seed.encode()).hexdigest()[:16])
    return dataset.map(extract_batch, batched=True, batch_size=batch_size, features=features,
                       **map_kwargs)
