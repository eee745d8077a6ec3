"""Compact annotation specs become valid corpus records."""

import pytest

from mchnlp.corpus.spec import SpecError, build_record, locate
from mchnlp.corpus.validate import validate_records

TEXT = (
    "Kematian ibu di Kabupaten Kupang 14 kasus pada 2021.\n"
    "Kota Magelang dan Kota Surakarta, masing-masing satu kasus kematian ibu pada 2021."
)


def _spec() -> dict:
    return {
        "id": "doc_x",
        "spans": [
            {"id": "i1", "label": "INDICATOR", "text": "Kematian ibu"},
            {"id": "l1", "label": "LOCATION", "text": "Kabupaten Kupang"},
            {"id": "c1", "label": "COUNT", "text": "14 kasus"},
            {"id": "d1", "label": "DATE", "text": "2021", "occurrence": 1},
            {"id": "l2", "label": "LOCATION", "text": "Kota Magelang"},
            {"id": "l3", "label": "LOCATION", "text": "Kota Surakarta"},
            {"id": "c2", "label": "COUNT", "text": "satu kasus"},
            {"id": "i2", "label": "INDICATOR", "text": "kematian ibu", "context": "kasus kematian ibu pada"},
            {"id": "d2", "label": "DATE", "text": "2021", "context": "ibu pada 2021."},
        ],
        "facts": [
            {"value_span": "c1", "indicator": "maternal_mortality", "value": 14, "unit": "count",
             "location": "Kabupaten Kupang", "location_code": "53.01", "year": 2021,
             "links": {"indicator": "i1", "location": "l1", "date": "d1"}},
            {"value_span": "c2", "indicator": "maternal_mortality", "value": 1, "unit": "count",
             "location": "Kota Magelang", "location_code": "33.71", "year": 2021,
             "links": {"indicator": "i2", "location": "l2", "date": "d2"}},
            {"value_span": "c2", "indicator": "maternal_mortality", "value": 1, "unit": "count",
             "location": "Kota Surakarta", "location_code": "33.72", "year": 2021,
             "links": {"indicator": "i2", "location": "l3", "date": "d2"}},
        ],
    }


def test_spec_builds_a_valid_record_with_a_distributed_value():
    record, problems = build_record(_spec(), TEXT, {"source": None, "url": None,
                                                    "title": None, "published": "2022-01-05"})
    assert problems == []
    spans = {s["id"]: s for s in record["spans"]}
    assert TEXT[spans["d2"]["start"]:spans["d2"]["end"]] == "2021"
    assert spans["d2"]["start"] > spans["d1"]["start"]
    assert spans["i2"]["start"] == TEXT.index("kasus kematian ibu") + len("kasus ")
    assert record["facts"][0]["value"] == 14.0 and record["facts"][0]["kind"] == "observed"
    assert {r["tail"] for r in record["relations"] if r["head"] == "c2"} == {"i2", "l2", "l3", "d2"}
    errors = [i for i in validate_records([record]) if i.is_error]
    assert errors == []


def test_same_area_twice_on_one_value_is_still_an_error():
    spec = _spec()
    spec["facts"][2]["location"] = "Kota Magelang"
    spec["facts"][2]["location_code"] = "33.71"
    record, _ = build_record(spec, TEXT)
    assert "E306" in {i.code for i in validate_records([record])}


def test_ambiguous_text_names_its_occurrences():
    with pytest.raises(SpecError, match="occurs 2 times"):
        locate(TEXT, {"id": "d9", "text": "2021"})
    with pytest.raises(SpecError, match="not in the text"):
        locate(TEXT, {"id": "d9", "text": "2030"})
    with pytest.raises(SpecError, match="not inside its context"):
        locate(TEXT, {"id": "d9", "text": "2030", "context": "ibu pada 2021."})


def test_unlocatable_span_and_dangling_link_are_reported_not_written():
    spec = _spec()
    spec["spans"].append({"id": "x1", "label": "DATE", "text": "1999"})
    spec["facts"][0]["links"]["date"] = "x1"
    record, problems = build_record(spec, TEXT)
    assert any("x1" in p for p in problems)
    assert all(r["tail"] != "x1" for r in record["relations"])


def test_from_spec_command_writes_clean_records_and_reports_bad_ones(tmp_path, capsys):
    import json

    from mchnlp.cli.app import main

    raw, specs, out = tmp_path / "raw", tmp_path / "specs", tmp_path / "out"
    raw.mkdir()
    specs.mkdir()
    (raw / "doc_x.txt").write_text(TEXT, encoding="utf-8")
    (raw / "doc_y.txt").write_text(TEXT, encoding="utf-8")
    (specs / "doc_x.json").write_text(json.dumps(_spec()), encoding="utf-8")
    bad = _spec()
    bad["id"] = "doc_y"
    bad["spans"][0]["text"] = "Kematian anak"  # not in the text
    (specs / "doc_y.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "SOURCES.tsv").write_text("file\turl\ttitle\tpublished\n"
                                          "doc_x.txt\thttps://x\tX\t2022-01-05\n",
                                          encoding="utf-8")
    code = main(["corpus", "from-spec", str(specs), "--raw-dir", str(raw), "--outdir", str(out),
                 "--sources", str(tmp_path / "SOURCES.tsv"), "--no-tokenizer"])
    assert code == 1
    assert [p.name for p in out.iterdir()] == ["doc_x.json"]
    record = json.loads((out / "doc_x.json").read_text(encoding="utf-8"))
    assert record["meta"]["published"] == "2022-01-05"
    assert len(record["facts"]) == 3
    assert "'Kematian anak': not in the text" in capsys.readouterr().out
