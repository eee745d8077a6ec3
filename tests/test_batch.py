"""Batch extraction (readers, writers, `run_batch`), DataFrames, `Dataset.map`, aggregation."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
from pathlib import Path

import pytest

import mchnlp
from mchnlp.cli.aggregate import add_aggregate_parser
from mchnlp.cli.extract import add_batch_arguments, run_batch
from mchnlp.facts.aggregate import aggregate
from mchnlp.io import batch, readers
from mchnlp.io.frames import COLUMNS, to_dataframe
from mchnlp.io.readers import Document, read_documents
from mchnlp.knowledge.dates import detect_published

RAW = Path(__file__).resolve().parents[1] / "corpus" / "raw"
SENTENCE = "Pada tahun 2022 kematian ibu di Kabupaten Kupang sebanyak 14 kasus."
OTHER = "Angka kematian bayi di Provinsi Banten pada 2022 sebanyak 1.021 kasus."
RELATIVE = "Tahun lalu kematian ibu di Kabupaten Kupang sebanyak 9 kasus."


def extract_parser() -> argparse.ArgumentParser:
    """The `mchnlp extract` parser as the CLI builds it, with the batch arguments."""
    parser = argparse.ArgumentParser(prog="mchnlp extract")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--format", choices=["table", "jsonl", "csv", "parquet"], default="table")
    parser.add_argument("--published", default=None)
    parser.add_argument("--model", default=None)
    parser.add_argument("--output", "-o", default=None)
    add_batch_arguments(parser)
    return parser


@pytest.fixture
def run(nlp, monkeypatch):
    """run_batch with the session's pipeline instead of loading one per call."""
    monkeypatch.setattr(mchnlp, "load", lambda path=None, **kw: nlp)

    def _run(*argv: str) -> int:
        return run_batch(extract_parser().parse_args([str(a) for a in argv]))

    return _run


def jsonl_rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# -- readers ------------------------------------------------------------------------------------
def test_jsonl_reader_reports_bad_records_and_reads_the_rest(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"url": "a", "body": SENTENCE, "date": "2023-05-01T08:00:00+07:00"}),
        "{not json",
        json.dumps({"url": "b", "other": "x"}),
        json.dumps({"url": "c", "body": 12}),
        "",
        json.dumps({"url": "d", "body": OTHER, "date": "1 Mei 2023"}),
        json.dumps(["a", "list"]),
        json.dumps({"body": None, "date": 2021}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors, warnings = [], []
    docs = list(read_documents([str(path)], "jsonl", text_column="body", id_column="url",
                               published_column="date", errors=errors, warnings=warnings))
    assert docs == [Document("a", SENTENCE, "2023-05-01"), Document("d", OTHER, None),
                    Document(f"{path}:8", "", "2021")]
    assert [e.split(": ", 1)[0] for e in errors] == [f"{path}:{n}" for n in (2, 3, 4, 7)]
    assert "malformed JSON" in errors[0] and "no 'body' field" in errors[1]
    assert "'body' is int" in errors[2] and "expected an object" in errors[3]
    assert any("'1 Mei 2023'" in w for w in warnings)
    assert any(f"{path}:8: empty 'url'" in w for w in warnings)


def test_jsonl_reader_non_utf8_line_is_skipped(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(json.dumps({"text": SENTENCE}).encode() + b"\n"
                     + b'{"text": "caf\xe9"}\n' + json.dumps({"text": OTHER}).encode() + b"\n")
    errors: list[str] = []
    docs = list(read_documents([str(path)], "jsonl", errors=errors))
    assert [d.id for d in docs] == [f"{path}:1", f"{path}:3"]
    assert errors == [f"{path}:2: not UTF-8 (invalid continuation byte at byte 13), skipped"]


def test_csv_reader_long_fields_quotes_and_missing_column(tmp_path):
    long_text = (SENTENCE + "\n\n") + ("kata " * 60_000)  # beyond csv's default field limit
    good = tmp_path / "a.csv"
    with open(good, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "published"])
        writer.writerow(["x1", long_text, "2023"])
        writer.writerow(["x2", 'Kutipan "AKB" dan koma, baris\nbaru', ""])
    bad = tmp_path / "b.csv"
    bad.write_text("judul,isi\na,b\n", encoding="utf-8")
    errors: list[str] = []
    docs = list(read_documents([str(tmp_path)], "csv", id_column="id",
                               published_column="published", published="2020-01-01",
                               errors=errors))
    assert [(d.id, d.published) for d in docs] == [("x1", "2023"), ("x2", "2020-01-01")]
    assert docs[0].text == long_text and docs[1].text.endswith("baris\nbaru")
    assert errors == [f"{bad}: no column 'text', 'id', 'published' (columns: judul, isi); "
                      "use --text-column/--id-column/--published-column"]


def test_csv_with_an_unterminated_quote_is_an_error_not_a_merge(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(f'id,text\n1,"{SENTENCE}\n2,{OTHER}\n', encoding="utf-8")
    errors: list[str] = []
    docs = list(read_documents([str(path)], "csv", errors=errors))
    assert docs == []  # row 2 is not swallowed into row 1's text
    assert errors == [f"{path}: malformed CSV after row 0 (unexpected end of data: a quote "
                      "opened and never closed); rest of the file skipped"]
    path.write_text(f'id,text\n1,"Kutipan ""AKB"", {SENTENCE}"\n2,{OTHER}\n', encoding="utf-8")
    assert [d.id for d in read_documents([str(path)], "csv", errors=errors)] == ["1", "2"]


@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv"])
def test_undecodable_bytes_read_alike_from_stdin_and_from_a_file(tmp_path, monkeypatch, fmt):
    import io
    import sys

    body = {"text": SENTENCE.encode() + b" caf\xe9",
            "jsonl": b'{"text": "' + SENTENCE.encode() + b' caf\xe9"}\n',
            "csv": b"text\n" + SENTENCE.encode() + b" caf\xe9\n"}[fmt]
    path = tmp_path / f"in.{'txt' if fmt == 'text' else fmt}"
    path.write_bytes(body)
    from_file: list[str] = []
    file_docs = list(read_documents([str(path)], fmt, errors=from_file))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body)))
    from_stdin: list[str] = []
    stdin_docs = list(read_documents(["-"], fmt, errors=from_stdin))
    assert [d.text for d in stdin_docs] == [d.text for d in file_docs]
    assert [e.replace("<stdin>", "F") for e in from_stdin] == \
        [e.replace(str(path), "F") for e in from_file]
    if fmt == "text":  # a text falls back to cp1252, whole
        assert [d.text for d in file_docs] == [SENTENCE + " café"]


def test_parquet_reader_types_and_missing_column(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "a.parquet"
    pq.write_table(pa.table({"id": [7, 8], "text": [SENTENCE, None],
                             "published": [dt.date(2023, 2, 1), None]}), path)
    errors: list[str] = []
    docs = list(read_documents([str(path)], "parquet", id_column="id",
                               published_column="published", errors=errors))
    assert docs == [Document("7", SENTENCE, "2023-02-01"), Document("8", "", None)]
    assert errors == []
    list(read_documents([str(path)], "parquet", text_column="body", errors=errors))
    assert "no column 'body' (columns: id, text, published)" in errors[0]


def test_missing_paths_and_empty_folders_are_reported(tmp_path):
    errors: list[str] = []
    (tmp_path / "empty").mkdir()
    docs = list(read_documents([str(tmp_path / "nope.jsonl"), str(tmp_path / "empty")],
                               "jsonl", errors=errors))
    assert docs == []
    assert errors == [f"{tmp_path / 'nope.jsonl'}: no such file or directory",
                      f"{tmp_path / 'empty'}: folder holds no jsonl files (.jsonl, .ndjson)"]


def test_normalize_published():
    assert readers.normalize_published(dt.datetime(2023, 5, 1, 23, 0)) == "2023-05-01"
    assert readers.normalize_published(2021) == "2021"
    assert readers.normalize_published(" 2021-03 ") == "2021-03"
    assert readers.normalize_published("2023-05-01T08:00:00Z") == "2023-05-01"
    assert readers.normalize_published(float("nan")) is None
    pd = pytest.importorskip("pandas")
    assert readers.normalize_published(pd.NaT) is None and readers.normalize_published(pd.NA) is None
    assert readers.normalize_published(pd.Timestamp("2023-06-01 10:00")) == "2023-06-01"
    with pytest.raises(ValueError, match="'kemarin'"):
        readers.normalize_published("kemarin")


# -- extraction ---------------------------------------------------------------------------------
def test_extract_documents_matches_extract(nlp, seed_texts):
    docs = [Document(name, text) for name, text in seed_texts.items()]
    docs.append(Document("empty", ""))
    got = {d.id: [f.to_dict() for f in facts]
           for d, facts in batch.extract_documents(docs, nlp=nlp, batch_size=2)}
    assert got["empty"] == []
    for name, text in seed_texts.items():
        assert got[name] == [f.to_dict() for f in mchnlp.extract(text, nlp=nlp)]


def test_published_per_document(nlp):
    docs = [Document("a", RELATIVE, "2023-06-01"), Document("b", RELATIVE, None)]
    years = {d.id: [f.year for f in facts] for d, facts in batch.extract_documents(docs, nlp=nlp)}
    assert years == {"a": [2022], "b": [None]}


def test_n_process_gives_the_same_facts_in_order(nlp, seed_texts):
    docs = [Document(name, text) for name, text in seed_texts.items()] * 2
    single = [(d.id, [f.to_dict() for f in facts])
              for d, facts in batch.extract_documents(docs, nlp=nlp, batch_size=3)]
    multi = [(d.id, [f.to_dict() for f in facts])
             for d, facts in batch.extract_documents(docs, nlp=nlp, batch_size=3, n_process=2)]
    assert multi == single


def test_a_failing_document_does_not_stop_its_batch(nlp_failing_on_boom):
    nlp = nlp_failing_on_boom
    errors: list[str] = []
    docs = [Document("ok", SENTENCE), Document("bad", "BOOM"), Document("ok2", OTHER)]
    out = list(batch.extract_documents(docs, nlp=nlp, errors=errors))
    assert [d.id for d, _ in out] == ["ok", "ok2"] and all(facts for _, facts in out)
    assert errors == ["bad: extraction failed (ValueError: cannot)"]


# -- run_batch / writers ------------------------------------------------------------------------
def test_text_folder_to_jsonl_matches_per_file_extraction(run, nlp, seed_texts, capsys):
    assert run(RAW, "--format", "jsonl", "--batch-size", "4") == 0
    rows = jsonl_rows(capsys.readouterr().out)
    for name, text in seed_texts.items():
        path = next(RAW.glob(f"{name}.txt"))
        expected = [f.to_dict() for f in mchnlp.extract(text, nlp=nlp)]
        got = [{k: v for k, v in r.items() if k not in ("doc", "published")}
               for r in rows if r["doc"] == str(path)]
        assert got == expected
        found = detect_published(text)
        assert {r["published"] for r in rows if r["doc"] == str(path)} <= {
            found.isoformat() if found else None}
    assert list(rows[0]) == list(COLUMNS)


def test_jsonl_in_parquet_out(run, tmp_path, capsys):
    pd = pytest.importorskip("pandas")
    source = tmp_path / "archive.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": SENTENCE}, {"id": "b", "text": RELATIVE, "pub": "2023-01-09"},
        {"id": "c", "text": OTHER}, {"id": "d"}]) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "facts.parquet"
    code = run(source, "--input-format", "jsonl", "--id-column", "id", "--published-column",
               "pub", "--format", "parquet", "-o", out, "--progress")
    err = capsys.readouterr().err
    assert code == 1 and f"{source}:4: no 'text' field" in err and "3doc" in err
    frame = pd.read_parquet(out)
    assert list(frame.columns) == list(COLUMNS)
    assert sorted(zip(frame.doc, frame.value, frame.year)) == [
        ("a", 14.0, 2022), ("b", 9.0, 2022), ("c", 1021.0, 2022)]
    assert list(frame.warnings[0]) == []
    assert sorted(p.name for p in out.parent.iterdir()) == ["facts.parquet"]


def test_csv_output_columns_and_lists(run, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(SENTENCE, encoding="utf-8")
    out = tmp_path / "facts.csv"
    assert run(source, "--format", "csv", "-o", out) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["value"] == "14.0" and json.loads(rows[0]["period"]) == ["2022", "2022"]


def test_parquet_to_stdout_and_bad_model_are_usage_errors(tmp_path, capsys):
    source = tmp_path / "a.txt"
    source.write_text(SENTENCE, encoding="utf-8")
    args = extract_parser().parse_args([str(source), "--format", "parquet"])
    assert run_batch(args) == 2
    assert "give --output" in capsys.readouterr().err
    args = extract_parser().parse_args([str(source), "--model", str(tmp_path / "no-model")])
    assert run_batch(args) == 2
    assert "model directory does not exist" in capsys.readouterr().err


def test_failed_run_leaves_existing_output_untouched(run, tmp_path, monkeypatch):
    source = tmp_path / "a.txt"
    source.write_text(SENTENCE, encoding="utf-8")
    out = tmp_path / "facts.jsonl"
    out.write_text("previous\n", encoding="utf-8")

    def crash(*args, **kwargs):
        yield Document("a", SENTENCE), []
        raise OSError("disk gone")

    monkeypatch.setattr(batch, "extract_documents", crash)
    with pytest.raises(OSError):
        run(source, "--format", "jsonl", "-o", out)
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_n_process_flag_validation():
    parser = extract_parser()
    assert parser.parse_args(["x", "--n-process", "-1"]).n_process == -1
    with pytest.raises(SystemExit):
        parser.parse_args(["x", "--n-process", "0"])


def test_cli_wiring_when_present(tmp_path, capsys):
    """Once `mchnlp extract` calls run_batch, the new options work end to end."""
    from mchnlp.cli import app as cli

    if "--input-format" not in cli.build_parser().format_help() + _extract_help(cli):
        pytest.skip("mchnlp/cli.py does not call add_batch_arguments yet")
    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"text": SENTENCE}) + "\n", encoding="utf-8")
    assert cli.main(["extract", str(source), "--input-format", "jsonl", "--format", "jsonl"]) == 0
    assert [r["value"] for r in jsonl_rows(capsys.readouterr().out)] == [14.0]


def _extract_help(cli) -> str:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices["extract"].format_help()


# -- frames -------------------------------------------------------------------------------------
def test_to_dataframe_types_are_fixed(nlp):
    pd = pytest.importorskip("pandas")
    empty = to_dataframe([])
    full = to_dataframe({"a.txt": mchnlp.extract(SENTENCE, nlp=nlp), "b.txt": []})
    assert list(empty.columns) == list(full.columns) == list(COLUMNS)
    assert empty.dtypes.equals(full.dtypes)
    assert full.doc.tolist() == ["a.txt"] and full.year.tolist() == [2022]
    rows = to_dataframe([{**f.to_dict(), "doc": "x"} for f in mchnlp.extract(OTHER, nlp=nlp)])
    assert rows.doc.tolist() == ["x"] and rows.value.tolist() == [1021.0]
    assert pd.isna(to_dataframe(mchnlp.extract(OTHER, nlp=nlp)).doc[0])


def test_map_extract_on_a_dataset(nlp):
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_dict({"text": [SENTENCE, "", RELATIVE, OTHER],
                                     "date": [None, None, "2023-06-01", "2022"]})
    from mchnlp.io.frames import map_extract

    out = map_extract(ds, text_column="text", published_column="date", nlp=nlp, batch_size=2)
    facts = out["facts"]
    assert [[f["value"] for f in row] for row in facts] == [[14.0], [], [9.0], [1021.0]]
    assert facts[2][0]["year"] == 2022 and facts[0][0]["period"] == ["2022", "2022"]
    with pytest.raises(KeyError, match="'body'"):
        map_extract(ds, text_column="body", nlp=nlp)


# -- aggregation --------------------------------------------------------------------------------
def _fact(doc, value, year=2022, code="53.01", indicator="maternal_mortality", **extra):
    return {"doc": doc, "indicator": indicator, "value": value, "value_max": None,
            "unit": "count", "location": "Kabupaten Kupang", "location_code": code,
            "year": year, "kind": "observed", "sentence": f"{doc}: {value}", **extra}


def test_aggregate_agree_conflict_single():
    rows = [_fact("a", 14), _fact("b", 14.0), _fact("b", 14), _fact("c", 15),
            _fact("a", 3, year=2021), _fact("d", 7, year=2021, code="53.02"),
            _fact("e", 9, year=None), _fact("a", 20, year=2021, kind="target")]
    skipped: list[dict] = []
    groups = aggregate(rows, skipped=skipped)
    summary = [(g.status, g.year, g.area, g.kind, [(r.value, r.documents) for r in g.readings])
               for g in groups]
    assert summary == [
        ("conflict", 2022, "53.01", "observed", [(14.0, ["a", "b"]), (15.0, ["c"])]),
        ("single", 2021, "53.01", "observed", [(3.0, ["a"])]),
        ("single", 2021, "53.01", "target", [(20.0, ["a"])]),
        ("single", 2021, "53.02", "observed", [(7.0, ["d"])]),
    ]
    assert groups[0].readings[0].mentions == 3 and [r["doc"] for r in skipped] == ["e"]
    only_observed = aggregate(rows, kinds=["observed"], include_incomplete=True)
    assert {g.kind for g in only_observed} == {"observed"} and len(only_observed) == 4
    agree = aggregate([_fact("a", 14), _fact("b", 14)])
    assert [g.status for g in agree] == ["agree"]


def test_aggregate_command(tmp_path, capsys):
    facts = tmp_path / "facts.jsonl"
    facts.write_text("\n".join([json.dumps(_fact("a.txt", 14)), "{broken",
                                json.dumps({"doc": "z"}), json.dumps(_fact("b.txt", 15)),
                                json.dumps(_fact("c.txt", 15))]) + "\n", encoding="utf-8")
    parser = argparse.ArgumentParser(prog="mchnlp")
    add_aggregate_parser(parser.add_subparsers(dest="command", required=True))

    args = parser.parse_args(["aggregate", str(facts)])
    assert args.func(args) == 1
    captured = capsys.readouterr()
    assert f"{facts}:2: malformed JSON" in captured.err
    assert f"{facts}:3: not a fact (missing indicator, value, unit)" in captured.err
    assert "conflict" in captured.out and "15 (b.txt, c.txt) | 14 (a.txt)" in captured.out
    out = tmp_path / "groups.jsonl"
    args = parser.parse_args(["aggregate", str(facts), "--format", "jsonl", "-o", str(out),
                              "--status", "conflict"])
    args.func(args)
    (group,) = jsonl_rows(out.read_text(encoding="utf-8"))
    assert group["status"] == "conflict" and group["documents"] == ["a.txt", "b.txt", "c.txt"]
    assert [r["documents"] for r in group["readings"]] == [["b.txt", "c.txt"], ["a.txt"]]


def test_aggregate_reads_what_extract_writes(run, tmp_path):
    for name, text in (("a.txt", SENTENCE), ("b.txt", SENTENCE.replace("14", "16"))):
        (tmp_path / name).write_text(text, encoding="utf-8")
    parser = argparse.ArgumentParser(prog="mchnlp")
    add_aggregate_parser(parser.add_subparsers(dest="command", required=True))
    for fmt in ("jsonl", "csv", "parquet"):
        out = tmp_path / f"facts.{fmt}"
        assert run(tmp_path / "a.txt", tmp_path / "b.txt", "--format", fmt, "-o", out) == 0
        result = tmp_path / f"groups-{fmt}.jsonl"
        args = parser.parse_args(["aggregate", str(out), "--format", "jsonl", "-o", str(result)])
        assert args.func(args) == 0
        (group,) = jsonl_rows(result.read_text(encoding="utf-8"))
        assert (group["status"], group["year"], group["location_code"]) == ("conflict", 2022,
                                                                            "53.01")
        assert sorted(r["value"] for r in group["readings"]) == [14.0, 16.0]


def test_outputs_cover_every_fact_key(nlp):
    (fact,) = mchnlp.extract(SENTENCE, nlp=nlp)
    assert set(fact.to_dict()) | {"doc", "published"} == set(COLUMNS)
