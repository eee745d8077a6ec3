"""The annotation round trip: export, edit in the tool, import. Facts of edited values are
rebuilt from the edited spans and relations; unchanged ones keep the annotator's fields; the
import validates and reports per document what changed. Texts composed for these tests."""

from __future__ import annotations

import copy
import json

import pytest

from mchnlp.corpus.exchange import (
    parse_doccano,
    parse_labelstudio,
    to_doccano,
    to_labelstudio_tasks,
)
from mchnlp.corpus.intake import take_in
from mchnlp.corpus.recompute import FactBuilder
from mchnlp.corpus.schema import read_jsonl, write_jsonl
from mchnlp.corpus.spec import build_record
from mchnlp.corpus.validate import validate_records

TEXT = (
    "Maumere (ANTARA) - Dinas Kesehatan Kabupaten Sikka mencatat kematian bayi sebanyak 21 kasus "
    "pada tahun 2023, turun dari 25 kasus pada 2022.\n\nAngka kematian ibu di Kota Kupang "
    "mencapai 120 per 100.000 kelahiran hidup pada 2023. Di Kota Kupang juga tercatat 40 kasus "
    "kematian bayi.\n"
)
SPANS = [
    ("l1", "LOCATION", "Kabupaten Sikka", 1),
    ("i1", "INDICATOR", "kematian bayi", 1),
    ("c1", "COUNT", "21 kasus", 1),
    ("d1", "DATE", "tahun 2023", 1),
    ("c2", "COUNT", "25 kasus", 1),
    ("d2", "DATE", "2022", 1),
    ("i2", "INDICATOR", "Angka kematian ibu", 1),
    ("l2", "LOCATION", "Kota Kupang", 1),
    ("r1", "RATE", "120 per 100.000 kelahiran hidup", 1),
    ("d3", "DATE", "2023", 2),
]
LINKS = [
    ("c1", "i1", "indicator"), ("c1", "l1", "location"), ("c1", "d1", "date"),
    ("c2", "i1", "indicator"), ("c2", "l1", "location"), ("c2", "d2", "date"),
    ("r1", "i2", "indicator"), ("r1", "l2", "location"), ("r1", "d3", "date"),
]


def fact(sid: str, record: dict, **fields) -> dict:
    span = next(s for s in record["spans"] if s["id"] == sid)
    out = {"indicator": None, "value": None, "value_max": None, "qualifier": None, "unit": None,
           "location": None, "location_code": None, "year": None, "kind": "observed",
           "facility": None}
    out.update(fields)
    out.update(text=span["text"], start=span["start"], end=span["end"], value_span=sid)
    return out


def annotated() -> dict:
    """One annotated document; the fact of c1 carries a manual correction (qualifier) that the
    fact view would not make, so that keeping it is visible."""
    spec = {"id": "rt_sikka", "spans": [
        {"id": sid, "label": label, "text": text, "occurrence": n}
        for sid, label, text, n in SPANS]}
    record, problems = build_record(spec, TEXT, {"source": None, "url": None, "title": None,
                                                 "published": "2024-02-10"})
    assert problems == []
    record["relations"] = [{"head": h, "tail": t, "label": label} for h, t, label in LINKS]
    sikka = {"location": "Kabupaten Sikka", "location_code": "53.07"}
    record["facts"] = [
        fact("c1", record, indicator="infant_mortality", value=21.0, unit="count", year=2023,
             qualifier="approx", **sikka),
        fact("c2", record, indicator="infant_mortality", value=25.0, unit="count", year=2022,
             **sikka),
        fact("r1", record, indicator="maternal_mortality", value=120.0,
             unit="per_100000_live_births", location="Kota Kupang", location_code="53.71",
             year=2023),
    ]
    return record


def start_of(text: str, occurrence: int = 1) -> int:
    at = -1
    for _ in range(occurrence):
        at = TEXT.index(text, at + 1)
    return at


def region(rid: str, label: str, text: str, occurrence: int = 1) -> dict:
    start = start_of(text, occurrence)
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + len(text), "text": text, "labels": [label]}}


def relation(head: str, tail: str, label: str) -> dict:
    return {"from_id": head, "to_id": tail, "type": "relation", "direction": "right",
            "labels": [label]}


def edit(task: dict) -> None:
    """What an annotator does in Label Studio: the date of c2 moves to "tahun 2023", the
    rate r1 is deleted with its links, and "40 kasus" is annotated with its indicator and area.
    c1 is left alone."""
    result = task["annotations"][0]["result"]
    for item in result:
        if item.get("from_id") == "c2" and item.get("to_id") == "d2":
            item["to_id"] = "d1"
    result[:] = [r for r in result if "r1" not in (r.get("id"), r.get("from_id"))]
    result += [region("n1", "COUNT", "40 kasus"), region("n2", "INDICATOR", "kematian bayi", 2),
               region("n3", "LOCATION", "Kota Kupang", 2),
               relation("n1", "n2", "indicator"), relation("n1", "n3", "location")]


def by_span(record: dict) -> dict[str, dict]:
    return {f["value_span"]: f for f in record["facts"]}


@pytest.fixture(scope="module")
def builder(nlp):
    return FactBuilder(nlp)


def test_fixture_is_valid_and_the_view_rebuilds_it(builder, nlp):
    record = annotated()
    assert validate_records([record], tokenizer=nlp.tokenizer) == []
    rebuilt = builder.facts(record)
    for sid, annotated_fact in by_span(record).items():
        expected = {**annotated_fact, "qualifier": None}  # the manual correction aside
        assert rebuilt[sid] == [expected]


def test_unchanged_round_trip_keeps_the_annotators_facts(builder):
    record = annotated()
    tasks = json.loads(json.dumps(to_labelstudio_tasks([record])))
    result = parse_labelstudio(tasks, source="tasks.json")
    assert result.dropped == {} and result.origins == ["tasks.json: task 0"]
    back = result.records[0]
    assert back["facts"] == record["facts"]  # the qualifier correction survives
    assert builder.fill(back).facts == []


def test_edited_values_get_facts_rebuilt_from_spans_and_relations(builder, nlp):
    record = annotated()
    tasks = json.loads(json.dumps(to_labelstudio_tasks([record])))
    edit(tasks[0])
    result = parse_labelstudio(tasks)
    back = result.records[0]
    # carried: only c1 (span and links unchanged); c2's links changed, r1 is gone
    assert [f["value_span"] for f in back["facts"]] == ["c1"]
    assert [(f["value_span"], why) for f, why in result.dropped["rt_sikka"]] == [
        ("c2", "the links of its value changed"), ("r1", "its value span was changed or removed")]
    assert "E307" in {i.code for i in validate_records([back])}  # before rebuilding
    rebuilt = builder.fill(back)
    assert rebuilt.unbuilt == []
    facts = by_span(back)
    assert facts["c1"]["qualifier"] == "approx"  # kept as annotated
    assert facts["c2"]["year"] == 2023 and facts["c2"]["value"] == 25.0  # the moved date
    new = facts["n1"]
    assert (new["indicator"], new["value"], new["unit"], new["location_code"]) == (
        "infant_mortality", 40.0, "count", "53.71")
    assert (new["text"], new["start"]) == ("40 kasus", start_of("40 kasus"))
    assert "r1" not in facts
    assert [f["value_span"] for f in rebuilt.facts] == ["c2", "n1"]
    assert validate_records([back], tokenizer=nlp.tokenizer) == []


def test_doccano_round_trip_rebuilds_edited_facts(builder):
    record = annotated()
    row = json.loads(json.dumps(to_doccano([record])[0]))
    unchanged = parse_doccano([(1, copy.deepcopy(row))]).records[0]["facts"]
    assert [{**f, "value_span": None} for f in unchanged] == [
        {**f, "value_span": None} for f in record["facts"]]  # doccano numbers the spans
    c2 = next(e["id"] for e in row["entities"] if e["start_offset"] == start_of("25 kasus"))
    d1 = next(e["id"] for e in row["entities"] if e["start_offset"] == start_of("tahun 2023"))
    for rel in row["relations"]:
        if rel["from_id"] == c2 and rel["type"] == "date":
            rel["to_id"] = d1
    # doccano may hand the extra columns back inside `meta`
    row["meta"] = {**row["meta"], "mchnlp_export": row.pop("mchnlp_export")}
    back = parse_doccano([(1, row)]).records[0]
    builder.fill(back)
    years = {f["text"]: f["year"] for f in back["facts"]}
    assert years == {"21 kasus": 2023, "25 kasus": 2023, "120 per 100.000 kelahiran hidup": 2023}
    assert next(f for f in back["facts"] if f["text"] == "21 kasus")["qualifier"] == "approx"


def test_publication_date_change_or_missing_snapshot_rebuilds_every_fact(builder):
    record = annotated()
    task = to_labelstudio_tasks([record])[0]
    task["data"]["published"] = "2025-01-05"
    result = parse_labelstudio([task])
    assert {why for _, why in result.dropped["rt_sikka"]} == {"the publication date changed"}
    del task["data"]["mchnlp_export"]
    task["data"]["published"] = "2024-02-10"
    result = parse_labelstudio([task])
    assert len(result.dropped["rt_sikka"]) == 3 and result.records[0]["facts"] == []
    builder.fill(result.records[0])
    assert by_span(result.records[0])["c1"]["qualifier"] is None  # rebuilt, not carried


def test_take_in_reports_per_document_and_validates_with_places(nlp, tmp_path):
    record = annotated()
    tasks = json.loads(json.dumps(to_labelstudio_tasks([record])))
    edit(tasks[0])
    # a second task: a new document whose value has no indicator relation
    tasks.append({"id": 7, "data": {"text": "Tercatat 9 kasus di Kota Kupang.", "doc_id": "rt_new"},
                  "annotations": [{"result": [
                      {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
                       "value": {"start": 9, "end": 16, "labels": ["COUNT"]}}]}]})
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    intake = take_in([path], nlp, [record])
    assert [i.code for i in intake.errors] == ["E307"]
    assert str(intake.errors[0]).startswith(f"{path}: task 1 (id 7): rt_new: error E307")
    assert any(f"{path}: task 1 (id 7): rt_new: no fact built for COUNT a '9 kasus'" in w
               for w in intake.warnings)
    report = "\n".join(intake.report())
    assert (f"rt_sikka ({path}: task 0): replaced: spans 10 -> 12 (+3, -1), relations 9 -> 8 "
            "(+3, -4), facts 3 -> 3 (+1, -1, 1 changed); 2 fact(s) recomputed") in report
    assert "~ fact infant_mortality 25 count, Kabupaten Sikka (53.07), 2023, observed — " \
           f"'25 kasus' [{start_of('25 kasus')}:{start_of('25 kasus') + 8}]: year 2022 -> 2023 " \
           "(recomputed)" in report
    assert "+ fact infant_mortality 40 count, Kota Kupang (53.71)" in report
    assert "- fact maternal_mortality 120 per_100000_live_births" in report
    assert "- relation date: '25 kasus' -> '2022'" in report
    assert "rt_new" in report and "added: 1 spans, 0 relations, 0 facts" in report


def test_cli_doccano_export_edit_import(corpus_main, tmp_path, capsys):
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(corpus, [annotated()])
    exported = tmp_path / "doccano.jsonl"
    assert corpus_main(["export-doccano", str(corpus), "-o", str(exported)]) == 0
    rows = read_jsonl(exported)
    c2 = next(e["id"] for e in rows[0]["entities"] if e["start_offset"] == start_of("25 kasus"))
    rows[0]["relations"] = [r for r in rows[0]["relations"]
                            if not (r["from_id"] == c2 and r["type"] == "date")]
    write_jsonl(exported, rows)
    out = tmp_path / "imported.jsonl"
    capsys.readouterr()
    assert corpus_main(["import", str(exported), "-o", str(out),
                            "--corpus", str(corpus)]) == 0
    err = capsys.readouterr().err
    assert f"rt_sikka ({exported}:1): replaced:" in err
    assert "year 2022 -> 2023 (recomputed)" in err  # no date: the year of the figure before
    assert "imported 1 documents" in err and "1 fact(s) recomputed" in err
    assert len(read_jsonl(out)[0]["facts"]) == 3
    # raw texts: the pipeline's entities and links become the rows' entities
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "baru.txt").write_text("Kematian ibu di Kota Serang 4 kasus pada 2023.",
                                  encoding="utf-8")
    assert corpus_main(["export-doccano", str(raw), "-o", str(exported), "--predict"]) == 0
    row = read_jsonl(exported)[0]
    assert row["doc_id"] == "baru" and {"COUNT", "INDICATOR"} <= {
        e["label"] for e in row["entities"]} and row["relations"]
    assert corpus_main(["import", str(exported), "-o", str(out)]) == 0
    assert read_jsonl(out)[0]["facts"][0]["value"] == 4.0
    # every rebuilt fact is named, also one that comes out as it was
    write_jsonl(tmp_path / "with_baru.jsonl", read_jsonl(out))
    capsys.readouterr()
    assert corpus_main(["import", str(exported), "-o", str(out),
                        "--corpus", str(tmp_path / "with_baru.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "baru (" in err and ": unchanged: " in err
    assert "  = fact maternal_mortality 4 count, Kota Serang" in err
    assert "(recomputed, as before)" in err


def test_cli_import_refuses_invalid_annotations(corpus_main, tmp_path, capsys):
    task = {"data": {"text": "Tercatat 9 kasus di Kota Kupang.", "doc_id": "rt_new"},
            "annotations": [{"result": [
                {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": 9, "end": 16, "labels": ["COUNT"]}}]}]}
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert corpus_main(["import", str(path), "-o", str(out), "--corpus", "none"]) == 1
    err = capsys.readouterr().err
    assert f"{path}: task 0: rt_new: error E307" in err and "nothing written" in err
    assert not out.exists()
    assert corpus_main(["import", str(path), "-o", str(out), "--corpus", "none",
                            "--force"]) == 1
    assert read_jsonl(out)[0]["id"] == "rt_new"


def test_take_in_reports_broken_corpus_records_without_crashing(nlp, tmp_path):
    broken = annotated()
    broken["spans"][2] = {"id": "c1", "label": "COUNT"}  # no offsets, no text
    del broken["relations"][0]["tail"]
    path = tmp_path / "additions.jsonl"
    write_jsonl(path, [broken])
    intake = take_in([path], nlp)
    assert intake.diffs == [] and {"E002", "E101"} & {i.code for i in intake.errors}
    assert all(str(i).startswith(f"{path}:1: rt_sikka: ") for i in intake.errors)


def test_without_a_pipeline_dropped_facts_are_named(tmp_path):
    record = annotated()
    tasks = json.loads(json.dumps(to_labelstudio_tasks([record])))
    edit(tasks[0])
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    intake = take_in([path], None, [record])
    assert [w.removeprefix(f"{path}: task 0: rt_sikka: ") for w in intake.warnings] == [
        "fact '25 kasus' [120:128] not kept because the links of its value changed, and not "
        "rebuilt (no pipeline)",
        "fact '120 per 100.000 kelahiran hidup' [184:215] not kept because its value span was "
        "changed or removed, and not rebuilt (no pipeline)"]
    assert {i.code for i in intake.errors} == {"E307"}  # 25 kasus and 40 kasus have no fact
