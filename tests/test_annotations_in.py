"""Annotations from other people and tools: every error reported with its place, nothing
trained or written on them, and facts that contradict their own spans caught."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mchnlp.cli.app import main
from mchnlp.corpus.fact_spans import (
    indicator_contradicts,
    named_unit,
    span_numbers,
    value_contradicts,
)
from mchnlp.corpus.intake import take_in
from mchnlp.corpus.validate import validate_path, validate_records

DATA = Path(__file__).parent / "data" / "corpus"
TEXT = "Angka Kematian Ibu di Kupang 93 per 100 ribu kelahiran hidup pada 2021."
SPANS = [
    {"id": "s1", "start": 0, "end": 18, "label": "INDICATOR", "text": "Angka Kematian Ibu"},
    {"id": "s2", "start": 22, "end": 28, "label": "LOCATION", "text": "Kupang"},
    {"id": "s3", "start": 29, "end": 60, "label": "RATE",
     "text": "93 per 100 ribu kelahiran hidup"},
]


def record(doc_id: str = "p1", **fact_fields) -> dict:
    fact = {"indicator": "maternal_mortality", "value": 93.0, "value_max": None,
            "unit": "per_100000_live_births", "location": "Kupang", "location_code": None,
            "facility": None, "year": 2021, "kind": "observed", "qualifier": None,
            "value_span": "s3", "start": 29, "end": 60, "text": SPANS[2]["text"]}
    fact.update(fact_fields)
    return {"id": doc_id, "text": TEXT, "meta": {"source": None, "url": None, "title": None,
                                                 "published": None},
            "spans": [dict(s) for s in SPANS],
            "relations": [{"head": "s3", "tail": "s1", "label": "indicator"},
                          {"head": "s3", "tail": "s2", "label": "location"}],
            "facts": [fact], "notes": None}


def error_codes(records: list[dict]) -> list[str]:
    return [i.code for i in validate_records(records, areas={}) if i.is_error]


# -- a fact that contradicts its spans -----------------------------------------------------------
def test_a_consistent_fact_is_clean():
    assert error_codes([record()]) == []


def test_value_unit_and_indicator_contradicting_the_spans_are_errors():
    assert error_codes([record(value=99999.0)]) == ["E308"]
    assert error_codes([record(unit="percent")]) == ["E309"]
    assert error_codes([record(indicator="stunting", unit="per_100000_live_births")]) == ["E310"]


def test_what_the_guidelines_leave_to_the_annotator_is_not_a_contradiction():
    assert not value_contradicts(50.0, "Separuh")  # a fraction as percent
    assert not value_contradicts(31.0, "31 kejadian dari seribu kelahiran hidup")
    assert not value_contradicts(89248.0, "89. 248 balita")  # a space after the separator
    assert not value_contradicts(36.26, "36 26 per 1000 kelahiran hidup")  # a lost comma
    assert value_contradicts(99999.0, "93 per 100 ribu")
    assert span_numbers("Sebanyak") == set()  # no number: nothing to contradict
    assert named_unit("93 per 100 ribu") == "per_100000_live_births"
    assert named_unit("4,07%") is None  # "%" for a per-mille rate is the annotator's call
    assert indicator_contradicts("wasting", "Gizi kurang") is None  # one scale
    assert indicator_contradicts("stunting", "Angka Kematian Ibu") == "maternal_mortality"


def test_file_name_and_id_mismatch_is_reported_by_validate(tmp_path):
    (tmp_path / "p1.json").write_text(json.dumps(record("p1")), encoding="utf-8")
    (tmp_path / "other.json").write_text(json.dumps(record("p2")), encoding="utf-8")
    issues = validate_path(tmp_path, areas={})
    assert [(i.code, i.doc) for i in issues if i.is_error] == [("E004", "p2")]


# -- import: all errors, with their place --------------------------------------------------------
def _region(rid: str, start: int, end: int, label: str) -> dict:
    return {"id": rid, "type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": end, "labels": [label]}}


def _task(number: int, result: list[dict]) -> dict:
    return {"id": number, "data": {"text": TEXT, "doc_id": f"t{number}"},
            "annotations": [{"result": result}]}


def test_import_reports_every_error_and_reads_the_rest(tmp_path):
    tasks = [
        _task(0, [_region("a", 0, 18, "INDICATOR")]),
        _task(1, [_region("a", 0, 999, "INDICATOR"), _region("b", 5, 2, "DATE")]),
        _task(2, [_region("a", 0, 18, "INDICATOR"),
                  {"type": "relation", "from_id": "a", "to_id": "zz", "labels": []}]),
        _task(3, [_region("a", 0, 18, "PER"), _region("b", 22, 28, "ORG")]),  # foreign config
        _task(4, [_region("a", 0, 18, "INDICATOR")]),
    ]
    tasks[4]["data"]["doc_id"] = "t0"  # a duplicated id
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    intake = take_in([path], None)
    found = {(i.code, i.where.split(": ", 1)[1].split(",")[0]) for i in intake.errors}
    assert {("E001", "task 1 (id 1)"), ("E001", "task 2 (id 2)")} <= found
    assert len([i for i in intake.errors if "task 1 (id 1)" in i.where]) == 2  # both regions
    assert ("E105", "task 3 (id 3)") in found
    assert ("E003", "task 0 (id 0)") in found and ("E003", "task 4 (id 4)") in found
    assert [r["id"] for r in intake.records] == ["t0", "t3", "t0"]


def test_corpus_import_says_what_it_read_when_it_stops(tmp_path, corpus_main, capsys):
    path = tmp_path / "export.json"
    path.write_text(json.dumps([_task(0, [_region("a", 0, 18, "INDICATOR")]),
                                _task(1, [_region("a", 0, 999, "INDICATOR")]),
                                _task(2, [_region("a", 0, 99, "INDICATOR")])]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert corpus_main(["import", str(path), "-o", str(out), "--no-recompute"]) == 1
    err = capsys.readouterr().err
    assert "task 1 (id 1), result 0: error E001" in err
    assert "task 2 (id 2), result 0: error E001" in err
    assert "read 1 document(s), 2 error(s); nothing written" in err and not out.exists()


# -- train --add: validated first --------------------------------------------------------------
def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / "mini_corpus.jsonl", corpus / "mch_corpus.jsonl")
    shutil.copy(DATA / "splits.json", corpus / "splits.json")
    return corpus


def test_train_add_stops_on_bad_annotations_before_training(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    bad = [record("x1"), record("x1"), record("x2", value=99999.0)]
    bad[1]["spans"].append({"id": "s4", "start": 60, "end": 99, "label": "DATE", "text": "x"})
    bad[1]["spans"].append({"id": "s5", "start": 5, "end": 20, "label": "TIME",
                            "text": TEXT[5:20]})
    bad[1]["relations"].append({"head": "s3", "tail": "s9", "label": "date"})
    added = tmp_path / "added.jsonl"
    added.write_text("".join(json.dumps(r) + "\n" for r in bad), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["train", "--corpus", str(corpus), "--add", str(added), "--output", str(out),
                 "--epochs", "1"]) == 1
    err = capsys.readouterr().err
    for code in ("E003", "E101", "E104", "E105", "E201", "E308"):
        assert f"{added}:" in err and f"error {code}" in err, code
    assert "nothing trained" in err and not out.exists()


def test_train_reports_a_malformed_split_file(tmp_path, capsys):
    corpus = _corpus(tmp_path)
    (corpus / "splits.json").write_text('{"train": ["doc_a"], "dev": "doc_b"', encoding="utf-8")
    assert main(["train", "--corpus", str(corpus), "--output", str(tmp_path / "out")]) == 2
    assert f"error: {corpus / 'splits.json'}:1: invalid JSON" in capsys.readouterr().err
    (corpus / "splits.json").write_text('{"train": ["doc_a"], "dev": "doc_b", "test": []}',
                                        encoding="utf-8")
    assert main(["train", "--corpus", str(corpus), "--output", str(tmp_path / "out")]) == 2
    assert "key 'dev' must be a list of document ids" in capsys.readouterr().err
