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
    assert "<- chosen" in capsys.readouterr().out
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
