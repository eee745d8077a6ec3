"""The new-indicator round trip: an analyst annotates documents with an indicator code the
package does not ship (KEK in pregnant women), adds them with `mchnlp train --add`, and the
retrained pipeline extracts that indicator from sentences with other wording and other areas,
with no edit to package data."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

import mchnlp
from mchnlp.cli.app import main
from mchnlp.knowledge import resources
from mchnlp.training.choice import choose_variant

DATA = Path(__file__).parent / "data" / "corpus"
CODE = "kek_pregnant_women"
FILL_VARIANT = "rules+ner_indicators+trained_linker"

# wordings, areas and sentence shapes the annotated documents do not have
NEW_SENTENCES = [
    ("Persentase ibu hamil KEK di Kabupaten Sumba Timur mencapai 21,4 persen pada tahun 2022.",
     21.4, "percent", "Kabupaten Sumba Timur", 2022),
    ("Pada 2021, Dinas Kesehatan Kota Kupang menemukan 312 kasus ibu hamil KEK.",
     312, "count", "Kota Kupang", 2021),
    ("Prevalensi ibu hamil kurang energi kronis di Kabupaten Manggarai sebesar 17,9 persen "
     "pada 2023.", 17.9, "percent", "Kabupaten Manggarai", 2023),
    ("Kasus KEK pada ibu hamil di Kabupaten Ende mencapai 128 kasus tahun 2021.",
     128, "count", "Kabupaten Ende", 2021),
]


@pytest.fixture(scope="module")
def retrained(tmp_path_factory) -> tuple[Path, str]:
    """The mini corpus plus the KEK documents, four of them named in dev so that dev measures
    the new indicator; trained with a few recognizer epochs."""
    tmp = tmp_path_factory.mktemp("new_indicator")
    corpus = tmp / "corpus"
    corpus.mkdir()
    shutil.copy(DATA / "mini_corpus.jsonl", corpus / "mch_corpus.jsonl")
    splits = json.loads((DATA / "splits.json").read_text(encoding="utf-8"))
    splits["dev"] += ["kek_020", "kek_021", "kek_022", "kek_023"]
    (corpus / "splits.json").write_text(json.dumps(splits), encoding="utf-8")
    output = tmp / "model"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["train", "--corpus", str(corpus), "--add",
                     str(DATA / "new_indicator.jsonl"), "--output", str(output),
                     "--variants", "rules+trained_linker", FILL_VARIANT,
                     "--epochs", "30", "--seed", "0"]) == 0
    return output, out.getvalue()


@pytest.fixture(scope="module")
def retrained_nlp(retrained):
    return mchnlp.load(retrained[0])


def test_the_package_does_not_ship_the_indicator():
    assert CODE not in {r["code"] for r in resources.indicator_table()["indicators"]}


def test_the_variant_that_can_produce_the_new_code_is_chosen(retrained):
    output, printed = retrained
    chosen_line = next(line for line in printed.splitlines() if "<- chosen" in line)
    assert FILL_VARIANT in chosen_line
    choice = json.loads((output / "meta.json").read_text())["mchnlp_training"]["choice"]
    assert choice["chosen"] == FILL_VARIANT
    assert choice["missing_codes"] == {"rules+trained_linker": [CODE]}


@pytest.mark.parametrize(("text", "value", "unit", "area", "year"), NEW_SENTENCES)
def test_the_new_indicator_is_extracted_from_new_sentences(retrained_nlp, text, value, unit,
                                                           area, year):
    facts = [f.to_dict() for f in mchnlp.extract(text, nlp=retrained_nlp)]
    assert [(f["indicator"], f["value"], f["unit"], f["location"], f["year"])
            for f in facts] == [(CODE, value, unit, area, year)]
    assert facts[0]["location_code"]


def test_packaged_indicators_keep_their_codes(retrained_nlp):
    text = "Prevalensi stunting di Kabupaten Ende sebesar 26,1 persen pada 2022."
    assert [f.indicator for f in mchnlp.extract(text, nlp=retrained_nlp)] == ["stunting"]


def test_the_model_directory_records_the_learned_indicator(retrained):
    model = json.loads((retrained[0] / "mch_indicator_codes" / "model.json").read_text())
    learned = model["learned"][CODE]
    assert learned["in_table"] is False
    assert {"ibu hamil kek", "bumil kek", "kekurangan energi kronis"} <= set(
        learned["surface_forms"])
    assert set(learned["units"]) == {"percent", "count"}
    assert learned["documents"] == 20  # the KEK documents named in train


def _pipeline(learned: dict | None):
    import spacy

    nlp = spacy.blank("id")
    if learned is not None:
        nlp.add_pipe("ner")
        nlp.add_pipe("mch_indicator_codes").learned = learned
    return nlp


@pytest.mark.parametrize(("fill_strict", "chosen"), [(0.70, "fill"), (0.40, "rules")])
def test_choice_prefers_a_variant_that_produces_the_codes_only_within_noise(fill_strict, chosen):
    import numpy

    # ten dev documents, one fact each: the rules variant gets 8 right
    rules_docs = numpy.array([[1, 0, 0]] * 8 + [[0, 1, 1]] * 2)
    right = round(fill_strict * 10)
    fill_docs = numpy.array([[1, 0, 0]] * right + [[0, 1, 1]] * (10 - right))
    scores = {name: {"strict": {"f": sum(d[:, 0]) / 10}, "core": {"f": 0.9}}
              for name, d in (("rules", rules_docs), ("fill", fill_docs))}
    choice = choose_variant(scores, {"rules": rules_docs, "fill": fill_docs},
                            {"rules": _pipeline(None), "fill": _pipeline({CODE: {}})}, {CODE})
    assert choice["chosen"] == chosen and choice["best_on_dev"] == "rules"
    assert choice["missing_codes"] == {"rules": [CODE]}
