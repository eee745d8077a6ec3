"""`mch_indicator_typos`: misspelled indicator names, on sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy

import mchnlp
from mchnlp.pipeline import build_rule_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_rule_pipeline()


def _indicators(nlp, text):
    return [(e.text, e.ent_id_) for e in nlp(text).ents if e.label_ == "INDICATOR"]


def test_a_word_one_edit_from_an_indicator_word_completes_the_name(nlp):
    assert _indicators(nlp, "Jumlah balita stanting di Kabupaten Sikka turun.") == [
        ("balita stanting", "stunting")]
    assert _indicators(nlp, "Kematin bayi di Kota Kendari naik.") == [
        ("Kematin bayi", "infant_mortality")]


def test_a_misspelled_indicator_gives_its_fact(nlp):
    text = "Hingga Juni 2024, kasus stanting di Kabupaten Sikka tercatat 1.204 balita."
    facts = [(f.indicator, f.value, f.unit) for f in mchnlp.extract(text, nlp=nlp)]
    assert facts == [("stunting", 1204.0, "count")]


def test_a_near_word_that_completes_no_name_is_left_alone(nlp):
    # "kemarin" (yesterday) is two edits from "kematian"; "standing" completes no phrase
    assert _indicators(nlp, "Kemarin tim standing party datang ke Kabupaten Sikka.") == []


def test_words_the_ruler_knows_and_short_words_are_not_corrected(nlp):
    typos = nlp.get_pipe("mch_indicator_typos")
    text = "Kematian bayi dan gizi buruk"
    assert _indicators(nlp, text) == [("Kematian bayi", "infant_mortality"),
                                      ("gizi buruk", "severe_malnutrition")]
    assert typos.corrections("kematian") == ()
    assert typos.corrections("gizo") == ()  # under six letters


def test_the_shipped_pipeline_loads_the_component_alone():
    nlp = spacy.load(mchnlp.pipeline.find_pipeline("mchnlp_id"))
    assert "mch_indicator_typos" in nlp.pipe_names
    assert nlp.pipe_names.index("mch_indicator_typos") < nlp.pipe_names.index("mch_values")
