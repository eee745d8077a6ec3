"""Choosing what to annotate next (`mchnlp corpus suggest`): texts ranked by the pipeline's
doubts, with the reasons, and the chosen ones exported with pre-annotations. Texts composed
for these tests."""

from __future__ import annotations

import json

import pytest
from spacy.tokens import Span

from mchnlp.corpus.suggest import doubts, rank_texts

SURE = "Kematian ibu di Kabupaten Kupang sebanyak 14 kasus pada tahun 2021."
IMPLAUSIBLE = ("Prevalensi stunting di Kabupaten Timor Tengah Selatan pada tahun 2022 mencapai "
               "480 persen.")
NOTHING = "Bupati meresmikan gedung posyandu baru di desa itu pada Senin."


def record(doc_id: str, text: str) -> dict:
    return {"id": doc_id, "text": text, "meta": {"published": "2023-05-02"}, "spans": [],
            "relations": [], "facts": [], "notes": None}


def test_implausible_value_ranks_first_with_its_reason(nlp):
    ranked = rank_texts([record("sure", SURE), record("odd", IMPLAUSIBLE), record("none", NOTHING)],
                  nlp)
    assert [s.doc_id for s in ranked][0] == "odd"
    odd = ranked[0]
    assert odd.score >= 1 and "480 persen" in odd.warned[0]
    assert odd.reasons().startswith("1 implausible value (stunting '480 persen': implausible")
    none = next(s for s in ranked if s.doc_id == "none")
    assert none.score == 0 and none.reasons() == "no doubts"


def test_low_confidence_links_and_entity_disagreements_are_doubts(nlp):
    doc = nlp(SURE)
    value = next(e for e in doc.ents if e.label_ == "COUNT")
    place = next(e for e in doc.ents if e.label_ == "LOCATION")
    doc._.rel = {(value.start, place.start): {"location": 0.41}}
    assert doubts(doc, low=0.6).low_links == ["location '14 kasus' -> 'Kabupaten Kupang' 0.41"]
    assert doubts(doc, low=0.4).low_links == []
    # a pipeline with a trained recognizer keeps the rule matches: compare
    indicator = next(e for e in doc.ents if e.label_ == "INDICATOR")
    date = next(e for e in doc.ents if e.label_ == "DATE")
    doc.spans["mch_rules"] = [
        indicator, place, value,
        Span(doc, date.start, date.end, label="COUNT"),  # rules: a number, entity: a date
        Span(doc, 0, 1, label="LOCATION"),  # a rule match the entities dropped
    ]
    found = doubts(doc)
    assert found.has_rule_spans
    assert found.disagreements == [
        "rules: LOCATION 'Kematian', not an entity",
        "rules: COUNT 'tahun 2021', not an entity",
        "entity DATE 'tahun 2021', rules say COUNT",
    ]
    assert found.score == 1 + 3


@pytest.fixture
def raw_dir(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in (("sure", SURE), ("odd", IMPLAUSIBLE), ("none", NOTHING),
                       ("done", SURE)):
        (raw / f"{name}.txt").write_text(text, encoding="utf-8")
    (raw / "empty.txt").write_text("  \n", encoding="utf-8")
    return raw


def test_cli_suggest_prints_ranking_and_exports_tasks(corpus_main, raw_dir, tmp_path, capsys):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps(record("done", SURE)) + "\n", encoding="utf-8")
    tasks = tmp_path / "tasks.json"
    assert corpus_main(["suggest", str(raw_dir), "-n", "2", "-o", str(tasks),
                            "--corpus", str(corpus)]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0].split() == ["rank", "doubts", "words", "document:", "reasons"]
    assert lines[1].split()[:2] == ["1", "1"] and "odd: 1 implausible value" in lines[1]
    assert len(lines) == 3 and "done" not in out.out  # annotated already
    assert "empty.txt: empty file" in out.err and "2 of 3 unannotated texts chosen" in out.err
    exported = json.loads(tasks.read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in exported] == [lines[1].split()[3].rstrip(":"),
                                                       lines[2].split()[3].rstrip(":")]
    assert all("annotations" not in t and t["predictions"] for t in exported)
    assert corpus_main(["suggest", str(tmp_path / "nowhere")]) == 2
