"""`mchnlp.io.dask` on a small in-process LocalCluster (two workers, one thread each)."""

from __future__ import annotations

import os

import pytest

import mchnlp

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import dask.bag as db
import dask.dataframe as dd

import mchnlp.io.dask as mdask
from mchnlp.io.frames import COLUMNS, arrow_schema, to_dataframe

SENTENCE = "Pada tahun 2022 kematian ibu di Kabupaten Kupang sebanyak 14 kasus."
RELATIVE = "Tahun lalu kematian ibu di Kabupaten Kupang sebanyak 9 kasus."


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                       dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture
def load_count(monkeypatch):
    """Empty the worker cache and count pipeline loads."""
    import mchnlp.pipeline

    monkeypatch.setattr(mdask, "_PIPELINES", {})
    calls: list[str] = []
    real_load = mchnlp.pipeline.load

    def counting_load(path=None, **kwargs):
        calls.append(str(path))
        return real_load(path, **kwargs)

    monkeypatch.setattr(mchnlp.pipeline, "load", counting_load)
    return calls


def expected_rows(nlp, items: dict[str, str]) -> list[tuple]:
    return sorted((doc, f.indicator, f.value, f.year) for doc, text in items.items()
                  for f in mchnlp.extract(text, nlp=nlp))


def test_bag_of_records_matches_single_process(client, nlp, seed_texts, load_count):
    bag = db.from_sequence([{"id": k, "text": v} for k, v in seed_texts.items()] * 2,
                           npartitions=4)
    rows = mdask.extract_bag(bag, batch_size=2).compute()
    got = sorted((r["doc"], r["indicator"], r["value"], r["year"]) for r in rows)
    assert got == sorted(expected_rows(nlp, seed_texts) * 2)
    assert set(rows[0]) == set(COLUMNS)
    # four partitions on two workers that share this process: the model is loaded once
    assert len(load_count) == 1 and len(mdask.loaded_pipelines()) == 1


def test_bag_item_shapes_and_bad_items(client):
    bag = db.from_sequence([SENTENCE, ("t1", RELATIVE, "2023-06-01"), {"id": "x", "text": 5},
                            42, {"id": "d", "text": RELATIVE, "published": "kemarin"}],
                           npartitions=1)
    per_doc = mdask.extract_bag(bag, per_document=True).compute()
    assert [[(r["doc"], r["value"], r["year"]) for r in rows] for rows in per_doc] == [
        [("#0", 14.0, 2022)], [("t1", 9.0, 2022)], [], [], [("d", 9.0, None)]]


def test_dataframe_with_ids_and_dates(client, nlp):
    frame = pd.DataFrame({"url": ["u1", "u2", "u3"], "body": [SENTENCE, RELATIVE, ""],
                          "date": [None, pd.Timestamp("2023-06-01"), None]})
    ddf = dd.from_pandas(frame, npartitions=2)
    facts = mdask.extract_dataframe(ddf, text_column="body", id_column="url",
                                    published_column="date")
    assert list(facts.columns) == list(COLUMNS)
    result = facts.compute()
    assert result.dtypes.equals(to_dataframe([]).dtypes)
    assert sorted(zip(result.doc, result.value, result.year)) == [("u1", 14.0, 2022),
                                                                   ("u2", 9.0, 2022)]
    by_index = mdask.extract_dataframe(ddf, text_column="body").compute()
    assert sorted(by_index.doc) == ["0", "1"]
    with pytest.raises(KeyError, match="'text'"):
        mdask.extract_dataframe(ddf)


def test_dataframe_to_parquet(client, tmp_path):
    frame = pd.DataFrame({"text": [SENTENCE, "", RELATIVE]})
    facts = mdask.extract_dataframe(dd.from_pandas(frame, npartitions=3))
    facts.to_parquet(tmp_path / "facts", schema=arrow_schema(), write_index=False)
    back = pd.read_parquet(tmp_path / "facts")
    assert sorted(back.value) == [9.0, 14.0] and list(back.columns) == list(COLUMNS)


def test_preload_plugin_loads_on_every_worker(client, load_count):
    mdask.preload(client)
    assert len(load_count) == 1  # both workers live in this process and share the cache
    assert mdask.loaded_pipelines() == [os.path.abspath(mchnlp.find_pipeline())]
