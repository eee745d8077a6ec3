"""The retraining round trip a health-office analyst makes: export tasks to Label Studio, correct
an annotation, fold it in with `mchnlp train --add`, and compare the new model with
`mchnlp evaluate --compare`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mchnlp.cli.app import main

DATA = Path(__file__).parent / "data" / "corpus"


def test_export_edit_train_add_evaluate(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / "mini_corpus.jsonl", corpus / "mch_corpus.jsonl")
    shutil.copy(DATA / "splits.json", corpus / "splits.json")

    # a first model from the corpus as it is
    assert main(["train", "--corpus", str(corpus), "--output", str(tmp_path / "before"),
                 "--epochs", "2"]) == 0
    # long steps say when they start and end; the recognizer reports each epoch
    progress = capsys.readouterr().err
    for line in ("recognizer: up to 2 epochs on 1 documents", "  NER epoch 0 loss",
                 "  NER epoch 1 loss", "linker on rules entities: fitting its C grid",
                 "  done in ", "rules+trained_linker: scoring on dev"):
        assert line in progress, line
    # choosing what to annotate works with the retrained pipeline too (`--model`)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "baru.txt").write_text("Angka kematian bayi di Kota Kupang pada 2023 sebesar 12 per "
                                  "1.000 kelahiran hidup.", encoding="utf-8")
    capsys.readouterr()
    assert main(["corpus", "suggest", str(raw), "--model", str(tmp_path / "before"),
                 "--corpus", str(corpus / "mch_corpus.jsonl"), "-n", "1"]) == 0
    assert "   1  " in capsys.readouterr().out
    # export the training document to Label Studio and "correct" it: the analyst deletes the
    # second fact's value span (and so its relations and fact)
    tasks_file = tmp_path / "tasks.json"
    assert main(["corpus", "export-labelstudio", str(corpus / "mch_corpus.jsonl"),
                 "--output", str(tasks_file), "--ids", "doc_a",
                 "--splits", str(corpus / "splits.json")]) == 0
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    assert len(tasks) == 1
    results = tasks[0]["annotations"][0]["result"]
    value_regions = [r for r in results if r.get("type") == "labels"
                     and r["value"]["labels"] in (["COUNT"], ["RATE"])]
    assert len(value_regions) >= 2
    dropped = value_regions[-1]["id"]
    tasks[0]["annotations"][0]["result"] = [
        r for r in results
        if r.get("id") != dropped and r.get("from_id") != dropped and r.get("to_id") != dropped]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")

    capsys.readouterr()
    assert main(["train", "--corpus", str(corpus), "--add", str(edited),
                 "--output", str(tmp_path / "after"), "--epochs", "2"]) == 0
    out = capsys.readouterr()
    assert "<- chosen" in out.out
    # validated first, then what the addition changes is reported per document
    assert (f"doc_a ({edited}: task 0): replaced: spans 9 -> 8 (-1), relations 6 -> 3 (-3), "
            "facts 2 -> 1 (-1); 0 fact(s) recomputed") in out.err
    assert "  - fact maternal_mortality 18 count" in out.err
    before = json.loads((tmp_path / "before" / "meta.json").read_text())["mchnlp_training"]
    after = json.loads((tmp_path / "after" / "meta.json").read_text())["mchnlp_training"]
    assert after["corpus"]["added"] == ["doc_a"] and before["corpus"]["added"] == []
    assert after["corpus"]["facts"]["train"] == before["corpus"]["facts"]["train"] - 1
    assert after["corpus"]["facts"]["test"] == before["corpus"]["facts"]["test"]

    report = tmp_path / "report"
    assert main(["evaluate", "--compare", str(tmp_path / "before"), str(tmp_path / "after"),
                 "--corpus", str(corpus / "mch_corpus.jsonl"), "--split", "test",
                 "--report", str(report), "--bootstrap", "50"]) == 0
    text = (report / "report.md").read_text(encoding="utf-8")
    assert "## Facts (end to end)" in text and "after" in text and "before" in text
    assert (report / "report.html").exists() and (report / "metrics.json").exists()


def test_train_add_refuses_invalid_annotations_before_training(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / "mini_corpus.jsonl", corpus / "mch_corpus.jsonl")
    shutil.copy(DATA / "splits.json", corpus / "splits.json")
    # a new document whose value has no indicator: no fact can be built for it
    added = tmp_path / "added.json"
    added.write_text(json.dumps([{"id": 3, "data": {
        "text": "Sepanjang 2023 tercatat 9 kasus di Kota Kupang.", "doc_id": "doc_new"},
        "annotations": [{"result": [{"id": "v", "type": "labels", "value": {
            "start": 24, "end": 31, "labels": ["COUNT"]}}]}]}]), encoding="utf-8")
    assert main(["train", "--corpus", str(corpus), "--add", str(added),
                 "--output", str(tmp_path / "out"), "--epochs", "1"]) == 1
    err = capsys.readouterr().err
    assert f"{added}: task 0 (id 3): doc_new: error E307: COUNT span v [24:31] '9 kasus'" in err
    assert "nothing trained" in err and not (tmp_path / "out").exists()
