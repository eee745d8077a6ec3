"""The corpus package: format, validation, build, stats, loading, DocBin, exchange formats.

Fixtures in tests/data/corpus/ are tiny hand-made documents (not the real annotations, which
are still changing): `pass/` per-document files, `mini_corpus.jsonl` their built corpus,
`splits.json`, and tool exports (`labelstudio_export.json`, `doccano_*.jsonl`).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mchnlp.cli import corpus as corpus_cli
from mchnlp.corpus.build import build_corpus, load_splits
from mchnlp.corpus.exchange import (
    import_doccano,
    import_file,
    import_labelstudio,
    labelstudio_config,
    parse_doccano,
    parse_labelstudio,
    py_to_utf16,
    to_doccano,
    to_labelstudio_tasks,
    write_doccano,
    write_labelstudio_tasks,
)
from mchnlp.corpus.issues import CODES, Issue
from mchnlp.corpus.loading import DOC_ID_KEY, docs_from_records, load, load_records, to_docbin
from mchnlp.corpus.schema import CorpusFormatError, read_document, read_jsonl, write_jsonl
from mchnlp.corpus.stats import compute_stats, format_stats
from mchnlp.corpus.validate import validate_path, validate_records

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "corpus"
PASS = DATA / "pass"
CORPUS = DATA / "mini_corpus.jsonl"
SPLITS = DATA / "splits.json"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return read_jsonl(CORPUS)


@pytest.fixture(scope="module")
def tokenizer(nlp):
    return nlp.tokenizer


def by_id(records: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in records}


def codes(issues: list[Issue]) -> set[str]:
    return {i.code for i in issues}


def structure(record: dict) -> tuple:
    """Spans and relations by offsets (independent of span ids)."""
    spans = {s["id"]: (s["start"], s["end"], s["label"], s["text"]) for s in record["spans"]}
    rels = sorted((spans[r["head"]], spans[r["tail"]], r["label"]) for r in record["relations"])
    return sorted(spans.values()), rels


# -- reading and writing ---------------------------------------------------------------------
def test_read_jsonl(records):
    assert [r["id"] for r in records] == ["doc_a", "doc_b", "doc_c", "doc_d"]
    assert records[0]["split"] == "train"
    assert records[0]["spans"][0] == {
        "id": "s1",
        "start": 0,
        "end": 12,
        "label": "INDICATOR",
        "text": "Kematian Ibu",
    }


def test_malformed_jsonl_reports_file_and_line():
    path = DATA / "malformed.jsonl"
    with pytest.raises(CorpusFormatError) as info:
        read_jsonl(path)
    assert info.value.line == 3 and info.value.path == str(path)
    assert str(info.value).startswith(f"{path}:3: invalid JSON")


def test_non_object_line_and_bad_utf8(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": ""}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=r"c\.jsonl:2: expected a JSON object"):
        read_jsonl(path)
    path.write_bytes(b'{"id": "a", "text": ""}\n{"id": "\xff"}\n')
    with pytest.raises(CorpusFormatError, match=r"c\.jsonl:2: not UTF-8"):
        read_jsonl(path)


def test_malformed_document_file_reports_line(tmp_path):
    path = tmp_path / "pool_001.json"
    path.write_text('{\n "id": "pool_001",\n "text": "x",\n "spans": [,]\n}\n', encoding="utf-8")
    with pytest.raises(CorpusFormatError) as info:
        read_document(path)
    assert str(info.value).startswith(f"{path}:4: invalid JSON")


def test_write_jsonl_is_atomic(tmp_path, records):
    target = tmp_path / "out" / "corpus.jsonl"
    assert write_jsonl(target, records) == 4
    assert read_jsonl(target) == records
    before = target.read_bytes()
    with pytest.raises(TypeError):
        write_jsonl(target, [{"id": "x", "text": object()}])
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["corpus.jsonl"]


# -- build -----------------------------------------------------------------------------------
def test_build_merges_sorted_with_splits(records, tmp_path, shared_nlp):
    result = build_corpus(PASS, SPLITS)
    assert result.issues == []
    assert result.records == records  # the frozen fixture is the build of pass/
    out = tmp_path / "mch_corpus.jsonl"
    corpus_cli_main(["build", "--src", str(PASS), "--splits", str(SPLITS), "-o", str(out)])
    assert out.read_text(encoding="utf-8") == CORPUS.read_text(encoding="utf-8")


def test_build_reports_bad_files_ids_and_missing_splits(tmp_path):
    src = tmp_path / "pass1"
    src.mkdir()
    for name in ("doc_a", "doc_b"):
        (src / f"{name}.json").write_text((PASS / f"{name}.json").read_text(), encoding="utf-8")
    (src / "doc_c.json").write_text((PASS / "doc_b.json").read_text(), encoding="utf-8")
    (src / "doc_e.json").write_text('{"id": "doc_e",\n "text": }', encoding="utf-8")
    extra = json.loads((PASS / "doc_d.json").read_text())
    extra["id"] = "doc_new"
    (src / "doc_new.json").write_text(json.dumps(extra), encoding="utf-8")
    result = build_corpus(src, SPLITS)
    found = {(i.code, i.doc) for i in result.issues}
    assert ("E004", "doc_b") in found  # doc_c.json holds doc_b
    assert ("E003", "doc_b") in found
    assert any(i.code == "E001" and i.where == f"{src / 'doc_e.json'}:2" for i in result.issues)
    new = next(r for r in result.records if r["id"] == "doc_new")
    assert new["split"] is None
    issues = validate_records(result.records, splits=load_splits(SPLITS))
    assert ("E401", "doc_new") in {(i.code, i.doc) for i in issues}


# -- validation ------------------------------------------------------------------------------
def test_fixtures_are_valid(records, tokenizer):
    assert validate_path(CORPUS, splits_path=SPLITS, tokenizer=tokenizer, root=ROOT) == []
    assert validate_path(PASS, splits_path=SPLITS, tokenizer=tokenizer, root=ROOT) == []


def _span(record, text, occurrence=0):
    return [s for s in record["spans"] if s["text"] == text][occurrence]


def _mutate_misaligned(r):
    span = _span(r, "Kupang")  # title "Kupang" -> "Kupa"
    span["end"] -= 2
    span["text"] = "Kupa"


def _add_overlap(r):
    r["spans"].append(
        {"id": "s99", "start": 100, "end": 120, "label": "DATE", "text": r["text"][100:120]}
    )


def _second_fact(r):
    r["facts"].append(copy.deepcopy(r["facts"][0]))


MUTATIONS = {
    "E002": lambda r: r.__setitem__("spans", "none"),
    "E101": lambda r: _span(r, "2020").__setitem__("end", len(r["text"]) + 5),
    "E102": lambda r: _span(r, "14 kasus").__setitem__("text", "15 kasus"),
    "W103": _mutate_misaligned,
    "E104": _add_overlap,
    "E105": lambda r: _span(r, "2020").__setitem__("label", "YEAR"),
    "E106": lambda r: _span(r, "2020").__setitem__("id", "s1"),
    "E201": lambda r: r["relations"].append({"head": "s6", "tail": "s42", "label": "date"}),
    "E202": lambda r: r["relations"].append({"head": "s4", "tail": "s7", "label": "date"}),
    "E203": lambda r: r["relations"][0].__setitem__("label", "year"),
    "E204": lambda r: r["relations"].append({"head": "s6", "tail": "s9", "label": "location"}),
    "E301": lambda r: r["facts"][0].__setitem__("value_span", "s5"),
    "E302": lambda r: r["facts"][0].__setitem__("start", 3),
    "E303": lambda r: r["facts"][0].__setitem__("unit", "per_1000"),
    "E304": lambda r: r["facts"][0].__setitem__("kind", "estimate"),
    "E305": lambda r: r["facts"][0].__setitem__("year", "2021"),
    "E306": _second_fact,
    "E307": lambda r: r["facts"].pop(),
    "E308": lambda r: r["facts"][0].__setitem__("value", 99999.0),
    "E310": lambda r: r["facts"][0].__setitem__("indicator", "stunting"),
    "W101": lambda r: _span(r, "2020").update(start=_span(r, "2020")["start"] - 1, text=" 2020"),
    "W201": lambda r: r["relations"].append(dict(r["relations"][0])),
    "W202": lambda r: r["relations"].append({"head": "s6", "tail": "s1", "label": "indicator"}),
    "W301": lambda r: r["facts"][0].__setitem__("indicator", "maternal_deaths"),
    "W302": lambda r: r["relations"].pop(0),
    "W303": lambda r: r["facts"][0].__setitem__("unit", "percent"),
    "W304": lambda r: r["facts"][0].__setitem__("location_code", "33.29"),
    "W305": lambda r: r["facts"][0].__setitem__("year", 1021),
    "W306": lambda r: r["facts"][0].__setitem__("confidence", 0.9),
    "W501": lambda r: r["meta"].__setitem__("published", "15/01/2022"),
    "W502": lambda r: r.__setitem__("text", r["text"][:-1] + "!"),
}


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_validation_catches(code, records, tokenizer):
    mutated = copy.deepcopy(records)
    MUTATIONS[code](mutated[0])
    issues = validate_records(
        mutated,
        tokenizer=tokenizer,
        splits=load_splits(SPLITS),
        root=ROOT,
        origins=[f"c.jsonl:{n}" for n in range(1, 5)],
    )
    hits = [i for i in issues if i.code == code]
    assert hits, f"{code} not reported: {[str(i) for i in issues]}"
    assert all(i.doc == "doc_a" and i.where == "c.jsonl:1" for i in hits)
    assert hits[0].level == CODES[code][0]
    assert {i.doc for i in issues} == {"doc_a"}  # the other documents stay clean


def test_misaligned_span_listed_with_doc_offset_and_text(records, tokenizer):
    mutated = copy.deepcopy(records)
    _mutate_misaligned(mutated[0])
    issue = next(i for i in validate_records(mutated, tokenizer=tokenizer) if i.code == "W103")
    assert "offset 16-20 'Kupa'" in issue.message and "Kupang" in issue.message
    assert str(issue).startswith("doc_a: warning W103:")


def test_split_file_checks(records, tmp_path):
    splits = tmp_path / "splits.json"
    splits.write_text(
        json.dumps({"train": ["doc_a", "doc_b"], "dev": ["doc_b", "doc_z"], "test": ["doc_c"]}),
        encoding="utf-8",
    )
    issues = validate_records(records, splits=load_splits(splits))
    found = {(i.code, i.doc) for i in issues}
    assert ("E401", "doc_b") in found  # in two splits
    assert ("E401", "doc_d") in found  # in none
    assert any(i.code == "W401" and "doc_z" in i.message for i in issues)
    own = copy.deepcopy(records)
    own[0]["split"] = "dev"
    assert ("E402", "doc_a") in {
        (i.code, i.doc) for i in validate_records(own, splits=load_splits(SPLITS))
    }
    own[0]["split"] = None
    assert ("E401", "doc_a") in {(i.code, i.doc) for i in validate_records(own)}
    splits.write_text('{"train": ["doc_a"], "dev": "doc_b", "test": []}', encoding="utf-8")
    issues = validate_path(CORPUS, splits_path=splits)
    assert "E403" in codes(issues)


def test_validate_folder_with_broken_file_checks_the_rest(tmp_path, tokenizer):
    (tmp_path / "doc_a.json").write_text((PASS / "doc_a.json").read_text(), encoding="utf-8")
    bad = json.loads((PASS / "doc_b.json").read_text())
    bad["spans"][0]["label"] = "INDIKATOR"
    (tmp_path / "doc_b.json").write_text(json.dumps(bad, indent=1), encoding="utf-8")
    (tmp_path / "doc_c.json").write_text('{\n "id": "doc_c",\n "text": "x",,\n}', encoding="utf-8")
    issues = validate_path(tmp_path, tokenizer=tokenizer)
    assert [(i.code, i.where) for i in issues if i.code == "E001"] == [
        ("E001", f"{tmp_path / 'doc_c.json'}:3")
    ]
    assert ("E105", "doc_b") in {(i.code, i.doc) for i in issues}


# -- stats -----------------------------------------------------------------------------------
def test_stats_per_split(records, tokenizer):
    stats = compute_stats(records, tokenizer)
    assert list(stats) == ["all", "train", "dev", "test"]
    assert stats["all"]["documents"]["documents"] == 4
    assert stats["test"]["documents"]["documents"] == 2
    assert stats["all"]["spans"]["COUNT"] == 2 and stats["dev"]["spans"]["RATE"] == 2
    assert stats["all"]["relations"]["indicator"] == 5
    assert stats["all"]["indicator"]["maternal_mortality"] == 3
    assert stats["dev"]["unit"]["percent"] == 1 and stats["test"]["kind"]["target"] == 1
    assert stats["all"]["tokens"]["tokens"] == sum(len(tokenizer(r["text"])) for r in records)
    table = format_stats(stats)
    assert table.splitlines()[0].split() == ["all", "train", "dev", "test"]
    assert any(
        line.split() == ["spans", "COUNT", "2", "2", "0", "0"] for line in table.splitlines()
    )
    assert "  per_100000_live_births" in table


# -- loading ---------------------------------------------------------------------------------
def test_load_returns_datasetdict(records):
    from datasets import DatasetDict

    ds = load(CORPUS)
    assert isinstance(ds, DatasetDict)
    assert {k: len(v) for k, v in ds.items()} == {"train": 1, "dev": 1, "test": 2}
    assert ds["test"]["id"] == ["doc_c", "doc_d"]
    row = ds["dev"][0]
    assert row["meta"]["published"] == "2023-03"
    assert row["facts"][0]["value"] == 13.8 and row["facts"][1]["kind"] == "change"
    assert row["spans"] == by_id(records)["doc_b"]["spans"]
    # per-document files take their split from the split file
    assert load(PASS, splits_path=SPLITS)["train"]["id"] == ["doc_a"]


def test_load_errors(tmp_path):
    with pytest.raises(CorpusFormatError, match=r"malformed\.jsonl:3"):
        load(DATA / "malformed.jsonl")
    with pytest.raises(FileNotFoundError, match="mchnlp corpus build"):
        load(tmp_path / "missing.jsonl")
    lone = tmp_path / "c.jsonl"
    lone.write_text(json.dumps({"id": "doc_q", "text": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match="doc_q"):
        load_records(lone, splits_path=SPLITS)


def test_import_mchnlp_does_not_import_datasets():
    code = (
        "import sys, mchnlp, mchnlp.corpus; mchnlp.corpus.read_jsonl; "
        "assert 'datasets' not in sys.modules, 'datasets imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# -- DocBin ----------------------------------------------------------------------------------
def test_docbin_round_trip(records, nlp):
    from spacy.tokens import DocBin

    problems = []
    docbin = to_docbin(records, nlp, problems=problems)
    assert problems == []
    docs = list(DocBin().from_bytes(docbin.to_bytes()).get_docs(nlp.vocab))
    assert [d.user_data[DOC_ID_KEY] for d in docs] == [r["id"] for r in records]
    for doc, record in zip(docs, records):
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (s["start"], s["end"], s["label"])
            for s in sorted(record["spans"], key=lambda s: s["start"])
        ]
        spans = {s["id"]: doc.char_span(s["start"], s["end"]) for s in record["spans"]}
        expected: dict = {}
        for rel in record["relations"]:
            key = (spans[rel["head"]].start, spans[rel["tail"]].start)
            expected.setdefault(key, {})[rel["label"]] = 1.0
        assert doc._.rel == expected
        assert doc._.published == record["meta"]["published"]
        assert {spans[f["value_span"]].start: f["kind"] for f in record["facts"]} == {
            k: v["kind"] for k, v in doc._.value_attrs.items()
        }
        # linked INDICATOR spans carry the code, so facts can be derived from the gold Doc
        keys = ("indicator", "value", "unit", "kind", "start", "end")
        derived = [{k: f.to_dict()[k] for k in keys} for f in doc._.facts]
        assert derived == [{k: f[k] for k in keys} for f in record["facts"]]
    # the Dataset rows convert the same way
    ds = load(CORPUS)
    again = list(docs_from_records(ds["dev"], nlp))
    assert again[0]._.rel == docs[1]._.rel


def test_docbin_skips_and_reports_bad_spans(records, nlp):
    broken = copy.deepcopy(by_id(records)["doc_a"])
    _mutate_misaligned(broken)
    broken["spans"].append({"id": "s50", "start": 5000, "end": 5004, "label": "DATE", "text": "x"})
    start = broken["text"].index("Kabupaten Kupang")
    end = broken["text"].index(" kematian ibu")
    broken["spans"].append(
        {
            "id": "s51",
            "start": start,
            "end": end,
            "label": "LOCATION",
            "text": broken["text"][start:end],
        }
    )
    problems = []
    doc = next(docs_from_records([broken], nlp, problems=problems))
    reasons = {p.span: p.reason for p in problems}
    assert reasons["s2"] == "not on token boundaries"
    assert reasons["s50"] == "bad offsets or label"
    assert reasons["s4"] == "overlaps another span"  # "Kabupaten Kupang" inside s51
    assert "doc_a: span s2 at offset 16-20 'Kupa'" in str(
        next(p for p in problems if p.span == "s2")
    )
    assert len(doc.ents) == 9 - 2 + 1  # s2 and s4 dropped, s51 added
    snapped = next(docs_from_records([broken], nlp, alignment_mode="expand", problems=[]))
    assert "Kupang" in [e.text for e in snapped.ents[:2]]


# -- Label Studio ----------------------------------------------------------------------------
def test_labelstudio_round_trip(records, tmp_path):
    path = tmp_path / "tasks.json"
    write_labelstudio_tasks(path, to_labelstudio_tasks(records))
    result = import_labelstudio(path)
    assert result.warnings == []
    back = by_id(result.records)
    assert set(back) == {"doc_a", "doc_b", "doc_c", "doc_d"}  # doc_d: annotated, no spans
    for doc_id, record in back.items():
        original = by_id(records)[doc_id]
        for key in ("text", "meta", "spans", "relations", "facts", "notes", "split"):
            assert record[key] == original[key], (doc_id, key)


def test_labelstudio_round_trip_keeps_unannotated_docs_with_predictions(records, nlp):
    tasks = to_labelstudio_tasks(records, nlp, include_annotations=False)
    assert all("annotations" not in t and t["predictions"] for t in tasks)
    config = labelstudio_config()
    assert '<Label value="COUNT"' in config and '<Relation value="date"/>' in config
    prediction = tasks[0]["predictions"][0]["result"]
    region_ids = {r["id"] for r in prediction if r["type"] == "labels"}
    assert all(
        r["from_id"] in region_ids and r["to_id"] in region_ids
        for r in prediction
        if r["type"] == "relation"
    )
    assert parse_labelstudio(tasks).records == []
    imported = by_id(parse_labelstudio(tasks, use_predictions=True).records)
    doc = nlp(records[0]["text"])
    assert [(s["start"], s["end"], s["label"]) for s in imported["doc_a"]["spans"]] == [
        (e.start_char, e.end_char, e.label_) for e in doc.ents
    ]
    # facts stay attached where the model found the same value span
    assert {f["text"] for f in imported["doc_a"]["facts"]} <= {"14 kasus", "18 kasus"}


def test_labelstudio_export_file():
    result = import_labelstudio(DATA / "labelstudio_export.json")
    assert len(result.records) == 1 and "doc_x: no annotation, skipped" in result.warnings[0]
    record = result.records[0]
    expected = json.loads((PASS / "doc_b.json").read_text())
    assert structure(record) == structure(expected)  # arrows flipped, missing label inferred
    assert record["meta"]["published"] == "2023-03"
    assert record["facts"] == []  # the export carried none
    assert "E307" in codes(validate_records([record]))  # values without facts are flagged
    renumbered = import_labelstudio(DATA / "labelstudio_export.json", renumber=True)
    assert [s["id"] for s in renumbered.records[0]["spans"]] == [f"s{i}" for i in range(1, 9)]
    both = import_labelstudio(DATA / "labelstudio_export.json", use_predictions=True)
    assert [r["id"] for r in both.records] == ["doc_b", "doc_x"]


def test_labelstudio_utf16_offsets():
    text = "Berita 😀 hari ini: kematian bayi 5 kasus."
    start = text.index("5 kasus")
    record = {
        "id": "emo",
        "text": text,
        "meta": {},
        "spans": [
            {"id": "s1", "start": start, "end": start + 7, "label": "COUNT", "text": "5 kasus"}
        ],
        "relations": [],
        "facts": [],
        "notes": None,
    }
    task = to_labelstudio_tasks([record])[0]
    value = task["annotations"][0]["result"][0]["value"]
    assert value["start"] == start + 1 == py_to_utf16(text, start)
    assert parse_labelstudio([task]).records[0]["spans"] == record["spans"]


@pytest.mark.parametrize(
    "content, message",
    [
        ('[{"data": {"text": "abc"},\n "annotations": [}]', r"tasks\.json:2: invalid JSON"),
        (
            '[{"data": {"text": "abc"}}, {"text": "abc"}]',
            r"tasks\.json: task 1: task has no 'data'",
        ),
        (
            (
                '[{"id": 9, "data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", '
                '"id": "a", "value": {"start": 0, "end": 9, "labels": ["DATE"]}}]}]}]'
            ),
            r"task 0 \(id 9\), result 0: span a: offsets 0-9 outside the text",
        ),
        (
            (
                '[{"data": {"text": "abc"}, "annotations": [{"result": [{"type": "relation", '
                '"from_id": "a", "to_id": "b", "labels": []}]}]}]'
            ),
            r"task 0, result 0: relation to unknown",
        ),
        (
            (
                '[{"data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "id": "a", '
                '"value": {"start": 0, "end": 2, "text": "xy", "labels": ["DATE"]}}]}]}]'
            ),
            r"region a: text 'xy' but the document has 'ab'",
        ),
    ],
)
def test_labelstudio_malformed(tmp_path, content, message):
    path = tmp_path / "tasks.json"
    path.write_text(content, encoding="utf-8")
    try:
        errors = import_labelstudio(path).errors  # a bad task is left out, the rest is read
    except CorpusFormatError as err:  # a file that is not a list of tasks at all
        errors = [err]
    assert [e for e in errors if re.search(message, str(e))], errors


# -- doccano ---------------------------------------------------------------------------------
def test_doccano_round_trip(records, tmp_path):
    path = tmp_path / "doccano.jsonl"
    write_doccano(path, records)
    back = import_doccano(path)
    assert back.warnings == []
    for record, original in zip(back.records, records):
        for key in ("id", "split", "text", "meta", "spans", "relations", "facts", "notes"):
            assert record[key] == original[key], (original["id"], key)
    # span ids that are not s<N> get numbers; the structure and the facts survive
    renamed = copy.deepcopy(by_id(records)["doc_a"])
    names = {s["id"]: f"span-{s['start']}" for s in renamed["spans"]}
    for s in renamed["spans"]:
        s["id"] = names[s["id"]]
    for r in renamed["relations"]:
        r["head"], r["tail"] = names[r["head"]], names[r["tail"]]
    for f in renamed["facts"]:
        f["value_span"] = names[f["value_span"]]
    again = parse_doccano(enumerate(to_doccano([renamed]), 1)).records[0]
    assert structure(again) == structure(renamed)
    assert [f["text"] for f in again["facts"]] == ["14 kasus", "18 kasus"]
    assert validate_records([again]) == []


def test_doccano_export_files():
    relations = import_doccano(DATA / "doccano_relations.jsonl").records
    assert [r["id"] for r in relations] == ["doccano_relations_17", "doccano_relations_18"]
    expected = json.loads((PASS / "doc_c.json").read_text())
    assert structure(relations[0]) == structure(expected)  # the backwards arrow is flipped
    assert relations[1]["spans"] == [] and relations[1]["relations"] == []
    labels = import_file(DATA / "doccano_labels.jsonl").records[0]
    assert [(s["id"], s["label"], s["text"]) for s in labels["spans"]] == [
        ("s1", "INDICATOR", "Kematian balita"),
        ("s2", "LOCATION", "Kota Serang"),
        ("s3", "COUNT", "7 kasus"),
    ]


@pytest.mark.parametrize(
    "line, message",
    [
        (
            '{"text": "abc", "label": [[0, 2, "DATE"]]}\n{"text": "abc", "label": [[0, 9, "DATE"]]}',
            r"d\.jsonl:2: span s1: offsets 0-9 outside",
        ),
        (
            (
                '{"text": "abc", "entities": [{"id": 1, "start_offset": 0, "end_offset": 1, "label": "RATE"}],'
                ' "relations": [{"id": 3, "from_id": 1, "to_id": 2, "type": "date"}]}'
            ),
            r"d\.jsonl:1: relation 3 refers to unknown entity 2",
        ),
        ('{"text": "abc", "label": [[0, 1]]}', r"d\.jsonl:1: label item \[0, 1\]"),
        ('{"label": []}', r"d\.jsonl:1: row has no string 'text'"),
        ('{"text": "abc"}\n{"text": "abc", "label": [}', r"d\.jsonl:2: invalid JSON"),
    ],
)
def test_doccano_malformed(tmp_path, line, message):
    path = tmp_path / "d.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    result = import_doccano(path)
    assert [e for e in result.errors if re.search(message, str(e))], result.errors


_ALPHABET = st.sampled_from(list("abc ,.\n") + ["é", "😀"])
_LABELS = st.sampled_from(["INDICATOR", "COUNT", "RATE", "LOCATION", "DATE"])


@st.composite
def annotated(draw):
    text = "".join(draw(st.lists(_ALPHABET, min_size=1, max_size=40)))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = []
    for i, (start, end) in enumerate(zip(cuts[::2], cuts[1::2]), 1):
        if start < end:
            spans.append(
                {
                    "id": f"s{i}",
                    "start": start,
                    "end": end,
                    "label": draw(_LABELS),
                    "text": text[start:end],
                }
            )
    values = [s for s in spans if s["label"] in ("COUNT", "RATE")]
    others = {"INDICATOR": "indicator", "LOCATION": "location", "DATE": "date"}
    relations = [
        {"head": v["id"], "tail": o["id"], "label": others[o["label"]]}
        for v in values
        for o in spans
        if o["label"] in others
    ]
    return {
        "id": "h",
        "text": text,
        "meta": {"source": None, "url": None, "title": None, "published": None},
        "spans": spans,
        "relations": relations,
        "facts": [],
        "notes": None,
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotated())
def test_exchange_round_trips_property(record):
    ls = parse_labelstudio(json.loads(json.dumps(to_labelstudio_tasks([record])))).records
    dc = parse_doccano(enumerate(json.loads(json.dumps(to_doccano([record]))), 1)).records
    assert [(r["spans"], r["relations"]) for r in ls] == [(record["spans"], record["relations"])]
    assert (dc[0]["spans"], dc[0]["relations"]) == (record["spans"], record["relations"])


# -- command line ----------------------------------------------------------------------------
def corpus_cli_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="mchnlp")
    corpus_cli.add_corpus_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["corpus", *argv])
    return args.func(args)


@pytest.fixture
def shared_nlp(monkeypatch, nlp):
    monkeypatch.setattr(corpus_cli, "_load_nlp", lambda model: nlp)
    return nlp


def test_cli_validate(shared_nlp, records, tmp_path, capsys):
    assert corpus_cli_main(["validate", str(CORPUS), "--splits", str(SPLITS)]) == 0
    assert "0 error(s), 0 warning(s)" in capsys.readouterr().err
    mutated = copy.deepcopy(records)
    _mutate_misaligned(mutated[0])
    mutated[1]["facts"][0]["confidence"] = 0.5
    mutated[1]["facts"][0]["unit"] = "per_1000"
    bad = tmp_path / "bad.jsonl"
    write_jsonl(bad, mutated)
    assert corpus_cli_main(["validate", str(bad), "--splits", str(SPLITS)]) == 1
    out = capsys.readouterr()
    assert f"{bad}:1: doc_a: warning W103: span s2 at offset 16-20 'Kupa'" in out.out
    assert "W306" in out.out and "1 error(s), 2 warning(s) in 2 document(s)" in out.err
    assert (
        corpus_cli_main(["validate", str(bad), "--splits", "none", "-q", "--format", "json"]) == 1
    )
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["code"], r["doc"], r["level"]) for r in rows] == [("E303", "doc_b", "error")]
    # a misaligned span alone is a warning: the document still validates
    only_misaligned = copy.deepcopy(records)
    _mutate_misaligned(only_misaligned[0])
    write_jsonl(tmp_path / "warn.jsonl", only_misaligned)
    assert corpus_cli_main(["validate", str(tmp_path / "warn.jsonl"), "--splits", str(SPLITS)]) == 0
    assert (
        corpus_cli_main(
            ["validate", str(DATA / "malformed.jsonl"), "--no-tokenizer", "--splits", "none"]
        )
        == 1
    )
    assert f"{DATA / 'malformed.jsonl'}:3: error E001: invalid JSON" in capsys.readouterr().out
    assert corpus_cli_main(["validate", str(tmp_path / "nothing")]) == 2


def test_cli_stats_build_and_docbin(shared_nlp, tmp_path, capsys):
    assert corpus_cli_main(["stats", str(CORPUS)]) == 0
    assert "spans COUNT" in capsys.readouterr().out
    assert corpus_cli_main(["stats", str(PASS), "--splits", str(SPLITS), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["test"]["documents"]["documents"] == 2
    src = tmp_path / "pass1"
    src.mkdir()
    broken = json.loads((PASS / "doc_a.json").read_text())
    broken["spans"][0]["end"] = 3
    (src / "doc_a.json").write_text(json.dumps(broken), encoding="utf-8")
    out = tmp_path / "corpus.jsonl"
    argv = ["build", "--src", str(src), "--splits", str(SPLITS), "-o", str(out)]
    assert corpus_cli_main(argv) == 1 and not out.exists()
    assert corpus_cli_main(argv + ["--force"]) == 1 and len(read_jsonl(out)) == 1
    assert corpus_cli_main(["docbin", str(CORPUS), "-o", str(tmp_path / "bins")]) == 0
    assert sorted(p.name for p in (tmp_path / "bins").iterdir()) == [
        "dev.spacy",
        "test.spacy",
        "train.spacy",
    ]


def test_cli_labelstudio_export_and_import(shared_nlp, records, tmp_path, capsys):
    tasks = tmp_path / "tasks.json"
    config = tmp_path / "config.xml"
    assert (
        corpus_cli_main(
            [
                "export-labelstudio",
                str(CORPUS),
                "-o",
                str(tasks),
                "--predict",
                "--split",
                "dev",
                "test",
                "--config",
                str(config),
            ]
        )
        == 0
    )
    exported = json.loads(tasks.read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in exported] == ["doc_b", "doc_c", "doc_d"]
    assert all(t["predictions"] for t in exported) and config.read_text().startswith("<View>")
    outdir = tmp_path / "imported"
    assert corpus_cli_main(["import", str(tasks), "--outdir", str(outdir)]) == 0
    assert sorted(p.name for p in outdir.iterdir()) == ["doc_b.json", "doc_c.json", "doc_d.json"]
    assert read_document(outdir / "doc_b.json") == by_id(records)["doc_b"]
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "new_001.txt").write_text("Kematian ibu di Kota Serang 4 kasus.", encoding="utf-8")
    assert corpus_cli_main(["export-labelstudio", str(raw), "-o", str(tasks), "--predict"]) == 0
    task = json.loads(tasks.read_text(encoding="utf-8"))[0]
    assert task["data"]["doc_id"] == "new_001" and "annotations" not in task
    bad = tmp_path / "bad.json"
    bad.write_text("[{", encoding="utf-8")
    capsys.readouterr()
    assert corpus_cli_main(["import", str(bad)]) == 2
    assert f"{bad}:1: invalid JSON" in capsys.readouterr().err
    # a value without an indicator relation gets no fact: an error, nothing written
    argv = ["import", str(DATA / "doccano_labels.jsonl"), "-o", str(tmp_path / "d.jsonl")]
    assert corpus_cli_main(argv) == 1 and not (tmp_path / "d.jsonl").exists()
    assert "doccano_labels.jsonl:1: doccano_labels_5: error E307" in capsys.readouterr().err
    assert corpus_cli_main(argv + ["--force"]) == 1
    assert read_jsonl(tmp_path / "d.jsonl")[0]["id"] == "doccano_labels_5"


# -- the real corpus (CI) --------------------------------------------------------------------
@pytest.mark.skipif(
    not (ROOT / "corpus" / "mch_corpus.jsonl").exists(), reason="corpus not built yet"
)
def test_frozen_corpus_is_valid(tokenizer):
    """`mchnlp corpus validate` as part of `make test`: the built corpus has no errors."""
    corpus = ROOT / "corpus"
    issues = validate_path(
        corpus / "mch_corpus.jsonl",
        splits_path=corpus / "splits.json",
        tokenizer=tokenizer,
        root=ROOT,
    )
    assert [str(i) for i in issues if i.is_error] == []


def test_train_reads_added_annotations_in_our_format(tmp_path):
    from mchnlp.corpus.intake import is_corpus_jsonl, read_file

    ours = Path(__file__).parent / "data" / "corpus" / "mini_corpus.jsonl"
    assert is_corpus_jsonl(ours) and not is_corpus_jsonl(DATA / "doccano_relations.jsonl")
    result = read_file(ours)
    assert result.records and all("spans" in r and "text" in r for r in result.records)
    assert result.origins[0] == f"{ours}:1"
