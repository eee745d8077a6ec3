"""mchnlp.evaluation: metrics on hand-made cases, the runner, the report's structure, the CLI."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
import pytest

from mchnlp.evaluation import metrics
from mchnlp.evaluation.compare import compare_results
from mchnlp.evaluation.metrics import CORE_KEYS, STRICT_KEYS

DATA = Path(__file__).parent / "data" / "eval"
RECORDS = DATA / "records.jsonl"


def _records(split: str | None = "test") -> list[dict]:
    rows = [json.loads(line) for line in RECORDS.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if split is None or r["split"] == split]


def _approx(d: dict, p: float, r: float, f: float) -> None:
    assert d["p"] == pytest.approx(p)
    assert d["r"] == pytest.approx(r)
    assert d["f"] == pytest.approx(f)


# -- metrics ----------------------------------------------------------------------------------
def test_prf_known_values():
    _approx(metrics.prf(2, 1, 1), 2 / 3, 2 / 3, 2 / 3)
    _approx(metrics.prf(3, 0, 1), 1.0, 0.75, 6 / 7)
    _approx(metrics.prf(0, 0, 0), 0.0, 0.0, 0.0)
    _approx(metrics.prf(0, 2, 3), 0.0, 0.0, 0.0)


def test_ner_counts_need_exact_offsets_and_label():
    gold = [(0, 5, "INDICATOR"), (6, 10, "COUNT"), (12, 15, "COUNT")]
    pred = [(0, 5, "INDICATOR"), (6, 9, "COUNT"), (12, 15, "RATE")]
    counts = metrics.ner_counts(gold, pred)
    assert counts == {"INDICATOR": (1, 0, 0), "COUNT": (0, 1, 2), "RATE": (0, 1, 0)}
    tp, fp, fn = metrics.micro(counts.values())
    _approx(metrics.prf(tp, fp, fn), 1 / 3, 1 / 3, 1 / 3)


def test_relation_counts_per_label():
    gold = [
        ((10, 18), (0, 12), "indicator"),
        ((10, 18), (20, 30), "location"),
        ((40, 48), (0, 12), "indicator"),
    ]
    pred = [
        ((10, 18), (0, 12), "indicator"),
        ((10, 18), (31, 40), "location"),
        ((40, 48), (50, 54), "date"),
    ]
    assert metrics.relation_counts(gold, pred) == {
        "indicator": (1, 0, 1),
        "location": (0, 1, 1),
        "date": (0, 1, 0),
    }


def _fact_cases() -> list[dict]:
    return json.loads((DATA / "fact_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", _fact_cases(), ids=lambda c: c["name"])
def test_fact_matching_cases(case):
    for mode, keys in (("strict", STRICT_KEYS), ("core", CORE_KEYS)):
        match = metrics.match_facts(case["gold"], case["pred"], keys)
        assert list(match.counts) == case[mode], mode
        # every fact is accounted for exactly once
        assert sorted([g for g, _ in match.pairs] + match.missed) == list(range(len(case["gold"])))
        assert sorted([p for _, p in match.pairs] + match.spurious) == list(
            range(len(case["pred"]))
        )


def test_fact_matching_totals_and_pairs_follow_offsets():
    cases = _fact_cases()
    totals = {
        m: metrics.micro(metrics.match_facts(c["gold"], c["pred"], k).counts for c in cases)
        for m, k in metrics.FACT_MODES.items()
    }
    _approx(metrics.prf(*totals["strict"]), 0.5, 0.5, 0.5)
    _approx(metrics.prf(*totals["core"]), 0.625, 0.625, 0.625)
    multiset = next(c for c in cases if c["name"].startswith("multiset"))
    match = metrics.match_facts(multiset["gold"], multiset["pred"])
    assert match.pairs == [(0, 1), (1, 0)]  # equal facts pair with their own value span
    assert match.spurious == [2]


def test_fact_breakdown_sums_to_micro():
    case = next(c for c in _fact_cases() if c["name"] == "wrong unit and missed fact")
    match = metrics.match_facts(case["gold"], case["pred"])
    by_unit = metrics.fact_breakdown(case["gold"], case["pred"], match, "unit")
    assert by_unit == {
        "count": (0, 0, 1),
        "percent": (0, 0, 1),
        "per_100000_live_births": (0, 1, 0),
    }
    assert metrics.micro(by_unit.values()) == match.counts


def test_token_labels_and_confusion():
    tokens = [(0, 8), (9, 12), (13, 15), (16, 21), (22, 24)]
    gold = [(0, 12, "INDICATOR"), (16, 24, "COUNT")]
    pred = [(0, 8, "INDICATOR"), (16, 21, "RATE")]
    g = metrics.token_labels(tokens, gold)
    p = metrics.token_labels(tokens, pred)
    assert g == ["INDICATOR", "INDICATOR", "O", "COUNT", "COUNT"]
    assert p == ["INDICATOR", "O", "O", "RATE", "O"]
    labels = ["INDICATOR", "COUNT", "RATE", "O"]
    assert metrics.confusion_matrix(zip(g, p), labels) == [
        [1, 0, 0, 1],
        [0, 0, 1, 1],
        [0, 0, 0, 0],
        [0, 0, 0, 1],
    ]


def test_bootstrap_ci_contains_point_and_is_seeded():
    rng = np.random.default_rng(3)
    per_doc = np.stack(
        [rng.integers(0, 8, 30), rng.integers(0, 4, 30), rng.integers(0, 4, 30)], axis=1
    )
    point = metrics.prf(*per_doc.sum(axis=0))
    ci = metrics.bootstrap_ci(per_doc, n_boot=1000, seed=7)
    for m in ("p", "r", "f"):
        lo, hi = ci[m]
        assert lo <= point[m] <= hi
        assert hi - lo > 0.01  # heterogeneous documents: a real interval
    assert metrics.bootstrap_ci(per_doc, seed=7) == ci
    assert metrics.bootstrap_ci(per_doc, seed=8) != ci
    perfect = metrics.bootstrap_ci(np.array([[3, 0, 0], [2, 0, 0]]))
    assert perfect["f"] == [1.0, 1.0]
    assert metrics.bootstrap_ci(np.zeros((4, 3)))["f"] == [None, None]


def test_resample_weights_draw_n_documents():
    w = metrics.resample_weights(5, n_boot=200, seed=1)
    assert w.shape == (200, 5)
    assert (w.sum(axis=1) == 5).all()


def test_tally_summary_and_paired_delta():
    tally = metrics.Tally(3)
    tally.add("facts/strict/micro", 0, (2, 1, 0))
    tally.add("facts/strict/micro", 2, (1, 0, 1))
    tally.ensure("ner/RATE")
    summary = tally.summary(n_boot=300, seed=0)
    s = summary["facts/strict/micro"]
    assert (s["tp"], s["fp"], s["fn"], s["support"]) == (3, 1, 1, 4)
    _approx(s, 0.75, 0.75, 0.75)
    assert s["ci"]["f"][0] <= 0.75 <= s["ci"]["f"][1]
    assert summary["ner/RATE"]["ci"]["f"] == [None, None]
    again = metrics.Tally.from_dict(json.loads(json.dumps(tally.to_dict())))
    assert again.summary(n_boot=300, seed=0) == summary
    counts = tally.per_doc("facts/strict/micro")
    assert metrics.paired_delta_ci(counts, counts) == [0.0, 0.0]
    better = counts.copy()
    better[:, 1] = 0
    lo, hi = metrics.paired_delta_ci(counts, better, metric="p")
    assert 0.0 <= lo <= hi


# -- runner -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def model_result(nlp):
    from mchnlp.evaluation import evaluate_model

    return evaluate_model(nlp, _records(), name="model", model="shipped", n_boot=300)


@pytest.fixture(scope="module")
def blank_result():
    import spacy

    from mchnlp.evaluation import evaluate_model

    blank = spacy.blank("id")
    blank.add_pipe("sentencizer")
    return evaluate_model(blank, _records(), name="blank", n_boot=300)


def test_evaluate_model_scores_are_consistent(model_result):
    records = _records()
    res = model_result
    assert res["n_docs"] == len(records) == len(res["docs"])
    assert res["doc_ids"] == [r["id"] for r in records]
    n_spans = sum(len(r["spans"]) for r in records)
    n_rels = sum(len(r["relations"]) for r in records)
    n_facts = sum(len(r["facts"]) for r in records)
    scores = res["scores"]
    assert scores["ner"]["micro"]["support"] == n_spans
    assert sum(s["support"] for s in scores["ner"]["labels"].values()) == n_spans
    for mode in ("predicted_entities", "gold_entities"):
        assert scores["relations"][mode]["micro"]["support"] == n_rels
    for mode in ("strict", "core"):
        micro = scores["facts"][mode]["micro"]
        assert micro["support"] == n_facts == res["n_gold_facts"]
        assert micro["tp"] + micro["fp"] == res["n_pred_facts"]
        assert sum(s["tp"] for s in scores["facts"][mode]["indicator"].values()) == micro["tp"]
        assert sum(s["fn"] for s in scores["facts"][mode]["unit"].values()) == micro["fn"]
        assert micro["ci"]["f"][0] <= micro["f"] <= micro["ci"]["f"][1]
    assert scores["facts"]["core"]["micro"]["tp"] >= scores["facts"]["strict"]["micro"]["tp"]
    labels = res["confusion"]["labels"]
    assert labels[-1] == "O" and len(res["confusion"]["matrix"]) == len(labels)
    json.dumps(res)  # metrics.json must be writable


def test_relations_with_gold_entities_use_the_gold_spans(nlp):
    from mchnlp.evaluation.runner import gold_relations, link_gold_entities, predicted_relations

    record = _records("dev")[0]
    doc, starts = link_gold_entities(nlp, record)
    gold_offsets = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
    assert {(e.start_char, e.end_char, e.label_) for e in doc.ents} == gold_offsets
    predicted = predicted_relations(doc, lambda span: starts[span.start])
    assert predicted, "the linker links gold values"
    spans = {(s, e) for s, e, _ in gold_offsets}
    assert all(head in spans and tail in spans for head, tail, _ in predicted)
    assert {label for _, _, label in predicted} <= {"indicator", "location", "date"}
    assert len(gold_relations(record)) == 3


def test_a_gold_value_the_value_rules_trim_is_still_traced_to_its_span(nlp):
    from mchnlp.evaluation.runner import link_gold_entities, predicted_relations

    text = "Kematian ibu di Kabupaten Sikka tercatat sebanyak 5 kasus pada 2021."
    spans = [("Kematian ibu", "INDICATOR"), ("Kabupaten Sikka", "LOCATION"),
             ("sebanyak 5 kasus", "RATE"), ("2021", "DATE")]
    record = {"id": "trim", "text": text, "meta": {"published": "2022-01-01"},
              "spans": [{"id": f"s{n}", "start": text.index(t), "end": text.index(t) + len(t),
                         "label": label} for n, (t, label) in enumerate(spans)],
              "relations": [], "facts": []}
    doc, starts = link_gold_entities(nlp, record)
    value = next(e for e in doc.ents if e.label_ == "RATE")
    assert value.text == "5 kasus"  # trimmed by the value rules
    start = text.index("sebanyak")
    assert starts[value.start] == (start, start + len("sebanyak 5 kasus"))
    tails = {tail for _, tail, _ in predicted_relations(doc, lambda span: starts[span.start])}
    assert (text.index("Kematian"), text.index("Kematian") + len("Kematian ibu")) in tails


def test_pipeline_without_linker_or_entities(blank_result):
    scores = blank_result["scores"]
    assert scores["relations"]["gold_entities"] is None
    assert scores["ner"]["micro"]["tp"] == 0
    assert scores["facts"]["strict"]["micro"]["tp"] == 0
    assert blank_result["n_pred_facts"] == 0


def test_compare_results_lists_found_facts(model_result, blank_result):
    comp = compare_results(blank_result, model_result)
    strict = model_result["scores"]["facts"]["strict"]["micro"]
    assert len(comp["found"]) == strict["tp"]
    assert comp["lost"] == [] and comp["fixed_spurious"] == []
    assert len(comp["new_spurious"]) == strict["fp"]
    row = next(r for r in comp["rows"] if r["key"] == "facts/core/micro:f")
    assert row["delta"] == pytest.approx(model_result["scores"]["facts"]["core"]["micro"]["f"])
    assert row["verdict"] == ("better" if row["delta"] >= 0.005 else "same")
    same = compare_results(model_result, model_result)
    assert {r["verdict"] for r in same["rows"]} == {"same"}
    assert same["found"] == same["lost"] == []
    with pytest.raises(ValueError):
        other = dict(model_result, doc_ids=["x"])
        compare_results(other, model_result)


# -- report -----------------------------------------------------------------------------------
HEADINGS = [
    "Summary",
    "Facts (end to end)",
    "Comparison: model vs blank",
    "Entities (NER)",
    "Relations",
    "Breakdown by indicator",
    "Breakdown by unit",
    "Error gallery: model",
    "Method",
]


def test_report_files_and_sections(tmp_path, model_result, blank_result):
    from mchnlp.evaluation import write_report

    command = "mchnlp evaluate --split test --report out"
    paths = write_report(
        [model_result, blank_result],
        tmp_path / "rep",
        context={"command": command, "split": "test", "corpus": "fixture"},
    )
    md = paths["markdown"].read_text(encoding="utf-8")
    page = paths["html"].read_text(encoding="utf-8")
    for heading in HEADINGS:
        assert f"\n## {heading}\n" in md, heading
        assert f">{heading}</h2>" in page, heading
    assert md.startswith("# mchnlp evaluation: model on test\n")
    assert command in md and command in page
    assert 'class="summary"' in page and 'class="cards"' in page
    # self-contained: inline CSS, embedded charts, no external resources
    assert "<style>" in page
    assert len(re.findall(r'<img alt="[^"]*" src="data:image/png;base64,', page)) == 3
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script" not in page
    # displaCy renderings in the gallery, one pair per sentence with errors
    assert page.count('class="entities"') % 2 == 0
    figures = sorted(p.name for p in (tmp_path / "rep" / "figures").iterdir())
    assert figures == ["confusion.png", "facts_f1.png", "ner_f1.png"]
    for name in figures:
        assert f"figures/{name}" in md
    saved = json.loads(paths["metrics"].read_text(encoding="utf-8"))
    assert [r["name"] for r in saved["results"]] == ["model", "blank"]
    assert not [p for p in (tmp_path / "rep").rglob(".*")]  # no temporary files left


def test_error_gallery_lists_each_error(model_result):
    from mchnlp.evaluation.report import gallery_entries

    strict = model_result["scores"]["facts"]["strict"]["micro"]
    entries = gallery_entries(model_result)
    errors = [e for entry in entries for s in entry["sentences"] for e in s["errors"]]
    wrong = sum(e["type"] == "wrong" for e in errors)
    assert sum(e["type"] == "missed" for e in errors) + wrong == strict["fn"]
    assert sum(e["type"] == "spurious" for e in errors) + wrong == strict["fp"]
    for entry in entries:
        for sent in entry["sentences"]:
            for err in sent["errors"]:
                fact = err["gold"] or err["pred"]
                assert sent["start"] <= fact["start"] < sent["end"]


def test_report_without_reference(tmp_path, blank_result):
    from mchnlp.evaluation import write_report

    paths = write_report([blank_result], tmp_path, figures=False)
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "## Comparison" not in md and "## Error gallery: blank" in md
    assert "<img" not in paths["html"].read_text(encoding="utf-8")


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    from mchnlp.evaluation.report import write_atomic

    target = tmp_path / "report.md"
    write_atomic(target, "old")

    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # type: ignore[arg-type]  # fails half-way through
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


# -- CLI --------------------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    from mchnlp.cli.evaluate import add_evaluate_parser

    parser = argparse.ArgumentParser(prog="mchnlp")
    add_evaluate_parser(parser.add_subparsers(dest="command", required=True))
    return parser


def test_cli_help(capsys):
    with pytest.raises(SystemExit) as exit_info:
        _parser().parse_args(["evaluate", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--model", "--baseline", "--split", "--corpus", "--report", "--compare"):
        assert flag in out


def test_cli_help_from_mchnlp_main(capsys):
    from mchnlp.cli import app as cli

    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "evaluate" not in commands.choices:
        pytest.skip("`evaluate` is not wired into mchnlp.cli yet")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["evaluate", "--help"])
    assert exit_info.value.code == 0
    assert "--compare" in capsys.readouterr().out


def test_cli_evaluate_writes_report(tmp_path, capsys):
    args = _parser().parse_args(
        [
            "evaluate",
            "--corpus",
            str(RECORDS),
            "--split",
            "test",
            "--baseline",
            "none",
            "--bootstrap",
            "100",
            "--report",
            str(tmp_path / "r"),
        ]
    )
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "strict F1" in out and "report.html" in out
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "2 documents" in md
    assert f"--corpus {RECORDS}" in md


def test_cli_reports_missing_corpus(tmp_path, capsys):
    args = _parser().parse_args(["evaluate", "--corpus", str(tmp_path / "nope.jsonl")])
    assert args.func(args) == 2
    assert "nope.jsonl" in capsys.readouterr().err
