"""What a new user feeds in and gets out: formats from the extension, named columns that must
exist, `id`/`published` columns used unasked, UTF-16 files, empty files, the `published` of
each row, `extract_many` argument errors, and the confidence/warning filters."""

from __future__ import annotations

import csv
import io
import json

import pytest

import mchnlp
from mchnlp.cli import main
from mchnlp.io.readers import Document, input_format_of, read_documents

KUPANG = "Angka kematian ibu di Kabupaten Kupang mencapai 14 kasus pada tahun lalu."
PALU = "Kematian bayi di Kota Palu tercatat 23 kasus pada 2021."
DATELINED = ("Kupang, Kamis, 31 Oktober 2024 - Dinas Kesehatan mencatat kematian ibu di "
             "Kabupaten Kupang sebanyak 9 kasus tahun ini.")
WARNED = ("Prevalensi stunting di Kabupaten Maluku Tengah tercatat 950 persen pada 2022, "
          "sedangkan kematian ibu di Kabupaten Kupang 14 kasus pada 2021.")


def _rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _write_csv(path, rows, encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


# -- formats from the extension; id and published columns ----------------------------------
def test_input_format_from_the_extension(tmp_path):
    assert [input_format_of(p) for p in ("a.csv", "b.JSONL", "c.ndjson", "d.parquet", "e.pq",
                                         "f.txt", "g.md", "-", str(tmp_path))] == [
        "csv", "jsonl", "jsonl", "parquet", "parquet", "text", "text", "text", "text"]


def test_every_format_read_without_input_format(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    _write_csv(tmp_path / "a.csv", [["id", "text", "published"], ["csv-1", KUPANG, "2023-03-01"]])
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "jsonl-1", "text": KUPANG, "published": "2022-06-01"}) + "\n"
        + json.dumps({"text": PALU}) + "\n", encoding="utf-8")
    pq.write_table(pa.table({"id": ["pq-1"], "text": [KUPANG]}), tmp_path / "c.parquet")
    (tmp_path / "d.txt").write_text(KUPANG, encoding="utf-8")
    paths = [str(tmp_path / n) for n in ("a.csv", "b.jsonl", "c.parquet", "d.txt")]
    code = main(["extract", *paths, "--format", "jsonl", "--published", "2025-01-01"])
    rows = _rows(capsys.readouterr().out)
    assert code == 0
    # "tahun lalu" is read against each document's own date: the column's, else --published
    assert [(r["doc"], r["published"], r["year"]) for r in rows] == [
        ("csv-1", "2023-03-01", 2022), ("jsonl-1", "2022-06-01", 2021),
        (f"{tmp_path / 'b.jsonl'}:2", "2025-01-01", 2021), ("pq-1", "2025-01-01", 2024),
        (str(tmp_path / "d.txt"), "2025-01-01", 2024)]


def test_a_named_column_that_does_not_exist_lists_the_columns(tmp_path, capsys):
    _write_csv(tmp_path / "a.csv", [["id", "isi"], ["1", KUPANG]])
    (tmp_path / "b.jsonl").write_text(json.dumps({"url": "u", "text": KUPANG}) + "\n",
                                      encoding="utf-8")
    code = main(["extract", str(tmp_path / "a.csv"), str(tmp_path / "b.jsonl"), "--format",
                 "jsonl", "--text-column", "isi", "--published-column", "tanggal"])
    captured = capsys.readouterr()
    assert code == 1
    assert (f"error: {tmp_path / 'a.csv'}: no column 'tanggal' (columns: id, isi); use "
            "--published-column") in captured.err
    assert (f"error: {tmp_path / 'b.jsonl'}: first record: no column 'isi' (columns: url, "
            "text); use --text-column") in captured.err
    assert _rows(captured.out) == []


def test_a_jsonl_id_column_no_record_has_is_reported(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": KUPANG}) + "\n" + json.dumps({"text": PALU}) + "\n",
                    encoding="utf-8")
    errors: list[str] = []
    docs = list(read_documents([str(path)], id_column="url", errors=errors))
    assert len(docs) == 2
    assert errors == [f"{path}: in no record: no column 'url' (columns: text); use --id-column"]


# -- encodings and empty files ---------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_decoded(tmp_path, encoding):
    bom = {"utf-16-be": "\ufeff"}.get(encoding, "")  # utf-16 and utf-32 write their own
    (tmp_path / "a.txt").write_bytes((bom + KUPANG).encode(encoding))
    _write_csv(tmp_path / "b.csv", [[bom + "id", "text"], ["c1", PALU]], encoding)
    (tmp_path / "c.jsonl").write_bytes(
        (bom + json.dumps({"id": "j1", "text": "Kota Palu, AKB 23 kasus"}, ensure_ascii=False)
         + "\n").encode(encoding))
    errors: list[str] = []
    docs = list(read_documents([str(tmp_path / n) for n in ("a.txt", "b.csv", "c.jsonl")],
                               errors=errors))
    assert errors == []
    assert docs == [Document(str(tmp_path / "a.txt"), KUPANG), Document("c1", PALU),
                    Document("j1", "Kota Palu, AKB 23 kasus")]


def test_empty_files_are_reported(tmp_path, capsys):
    for name, content in [("a.txt", b""), ("b.txt", b" \n\n"), ("c.csv", b""),
                          ("d.csv", b"id,text\n"), ("e.jsonl", b"\n")]:
        (tmp_path / name).write_bytes(content)
    (tmp_path / "f.txt").write_text(KUPANG, encoding="utf-8")
    code = main(["extract", *sorted(str(p) for p in tmp_path.iterdir()), "--format", "jsonl"])
    captured = capsys.readouterr()
    assert code == 1
    err = captured.err.splitlines()
    assert f"error: {tmp_path / 'a.txt'}: empty file, nothing to extract" in err
    assert f"error: {tmp_path / 'b.txt'}: empty file, nothing to extract" in err
    assert f"error: {tmp_path / 'c.csv'}: empty file (no CSV header)" in err
    assert f"error: {tmp_path / 'd.csv'}: no records (a header only)" in err
    assert f"error: {tmp_path / 'e.jsonl'}: empty file (no records)" in err
    assert [r["doc"] for r in _rows(captured.out)] == [str(tmp_path / "f.txt")]


# -- each row's publication date ---------------------------------------------------------------
def test_rows_carry_the_publication_date_that_was_used(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(DATELINED, encoding="utf-8")
    (tmp_path / "b.txt").write_text(PALU, encoding="utf-8")
    assert main(["extract", str(tmp_path), "--format", "jsonl"]) == 0
    rows = _rows(capsys.readouterr().out)
    # found in the dateline, and "tahun ini" read against it; none where the text has none
    assert [(r["published"], r["year"], r["value"]) for r in rows] == [
        ("2024-10-31", 2024, 9.0), (None, 2021, 23.0)]
    out = tmp_path / "facts.csv"
    assert main(["extract", str(tmp_path / "a.txt"), "--published", "2023-05-02", "--format",
                 "csv", "-o", str(out)]) == 0
    with open(out, encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["doc"], row["published"]) == (str(tmp_path / "a.txt"), "2023-05-02")


# -- extract_many arguments --------------------------------------------------------------------
def test_extract_many_wants_a_list(nlp):
    with pytest.raises(TypeError, match="list .* of texts, got a single str"):
        mchnlp.extract_many(KUPANG, nlp=nlp)
    with pytest.raises(TypeError, match="item 1 is int"):
        list(mchnlp.extract_many([KUPANG, 5], nlp=nlp))
    with pytest.raises(ValueError, match="item 2: .*31-31"):
        list(mchnlp.extract_many([KUPANG, PALU, PALU], ["2023", None, "2023-31-31"], nlp=nlp))
    with pytest.raises(ValueError, match="no date for item 1"):
        list(mchnlp.extract_many([KUPANG, PALU], ["2023-01-01"], nlp=nlp))


def test_extract_many_takes_one_date_for_all(nlp):
    results = list(mchnlp.extract_many([KUPANG, KUPANG], "2020-07-01", nlp=nlp))
    assert [[f.year for f in facts] for facts in results] == [[2019], [2019]]


# -- filters -----------------------------------------------------------------------------------
def test_filters_in_python(nlp):
    every = mchnlp.extract(WARNED, nlp=nlp) + mchnlp.extract(PALU + " " + KUPANG, nlp=nlp)
    assert any(f.warnings for f in every) and any(not f.warnings for f in every)
    kept = mchnlp.extract(WARNED, nlp=nlp, drop_warned=True)
    assert kept == [f for f in mchnlp.extract(WARNED, nlp=nlp) if not f.warnings]
    assert [f.value for f in kept] == [14.0]
    confidences = sorted({f.confidence for f in every})
    assert len(confidences) > 1
    threshold = (confidences[0] + confidences[1]) / 2  # drops the least sure, keeps the rest
    for text in (WARNED, PALU + " " + KUPANG):
        assert mchnlp.extract(text, nlp=nlp, min_confidence=threshold) == [
            f for f in mchnlp.extract(text, nlp=nlp) if f.confidence >= threshold]
    many = list(mchnlp.extract_many([WARNED, PALU + " " + KUPANG], nlp=nlp,
                                    min_confidence=threshold, drop_warned=True))
    assert sum(map(len, many)) == len([f for f in every if f.confidence >= threshold
                                       and not f.warnings]) < len(every)
    with pytest.raises(ValueError, match="between 0 and 1"):
        mchnlp.extract(WARNED, nlp=nlp, min_confidence=1.5)


def test_filters_on_the_command_line(tmp_path, capsys, nlp):
    path = tmp_path / "a.txt"
    path.write_text(WARNED, encoding="utf-8")
    assert main(["extract", str(path), "--format", "jsonl", "--drop-warned"]) == 0
    assert [r["value"] for r in _rows(capsys.readouterr().out)] == [14.0]
    facts = mchnlp.extract(WARNED, nlp=nlp)
    top = max(f.confidence for f in facts)
    assert main(["extract", str(path), "--format", "jsonl", "--min-confidence", str(top)]) == 0
    assert [r["value"] for r in _rows(capsys.readouterr().out)] == [
        f.value for f in facts if f.confidence >= top]
    with pytest.raises(SystemExit):
        main(["extract", str(path), "--min-confidence", "2"])
    assert "expected a number from 0 to 1" in capsys.readouterr().err
