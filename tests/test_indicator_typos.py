"""`mch_indicator_typos`: misspelled indicator names, on sentences written for these tests."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import mchnlp
from mchnlp.pipeline import build_rule_pipeline
from mchnlp.structure.tables import grid_tables


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


def test_an_abbreviation_the_text_defines_names_its_indicator(nlp):
    text = ("Cakupan persalinan di fasilitas kesehatan (PF) dan cakupan ASI eksklusif "
            "Kabupaten Konawe disajikan berikut.\n\nTahun   PF     ASI    TD\n2022    91,2   "
            "61,5   48,0\n2023    93,4   64,0   52,1\n\nKet: TD = tablet tambah darah.")
    found = [(e.text, e.ent_id_) for e in nlp(text).ents if e.label_ == "INDICATOR"]
    assert found.count(("PF", "facility_delivery")) == 2
    assert not any(name == "TD" for name, _ in found)  # a legend naming no indicator
    facts = [(f.indicator, f.value, f.year) for f in mchnlp.extract(text, nlp=nlp)]
    assert ("facility_delivery", 93.4, 2023) in facts


def test_two_words_of_a_name_glued_together_still_name_it(nlp):
    text = ("Prevalensistunting di Kabupaten Tanggamus turun menjadi 14,2 persen pada 2023, "
            "sedangkan cakupan imunisasidasar lengkap mencapai 88,0 persen.")
    assert _indicators(nlp, text) == [("Prevalensistunting", "stunting"),
                                      ("cakupan imunisasidasar lengkap",
                                       "complete_basic_immunization")]
    # two words glued that spell no name are left alone
    assert _indicators(nlp, "Kematianternak di Kabupaten Tanggamus naik.") == []


def test_a_near_word_that_completes_no_name_is_left_alone(nlp):
    typos = nlp.get_pipe("mch_indicator_typos")
    # "kematiann" is one edit from "kematian", but "kematian sapi" is no indicator name
    assert typos.corrections("kematiann") == ("kematian",)
    assert _indicators(nlp, "Kematiann sapi di Kabupaten Sikka naik.") == []
    assert _indicators(nlp, "Kematiann bayi di Kabupaten Sikka naik.") == [
        ("Kematiann bayi", "infant_mortality")]


def test_words_the_ruler_knows_and_short_words_are_not_corrected(nlp):
    typos = nlp.get_pipe("mch_indicator_typos")
    text = "Kematian bayi dan gizi buruk"
    assert _indicators(nlp, text) == [("Kematian bayi", "infant_mortality"),
                                      ("gizi buruk", "severe_malnutrition")]
    assert typos.corrections("kematian") == ()
    assert typos.corrections("gizo") == ()  # under six letters


def test_the_shipped_pipeline_loads_the_component_alone():
    """`spacy.load` in a fresh interpreter, mchnlp not imported: the entry point registers
    the factory."""
    path = mchnlp.pipeline.find_pipeline("mchnlp_id")
    code = "import json, spacy, sys; print(json.dumps(spacy.load(sys.argv[1]).pipe_names))"
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True).stdout
    names = json.loads(out)
    assert names.index("mch_indicator_typos") < names.index("mch_values")


def test_a_word_of_a_misspelled_phrase_alone_is_the_one_word_name_it_misspells(nlp):
    typos = nlp.get_pipe("mch_indicator_typos")
    # the ruler holds "stuntng pada balita" (a typo of its own), not "stuntng" alone
    assert "stuntng pada balita" in typos._phrases and "stuntng" not in typos._phrases
    assert _indicators(nlp, "Untuk stuntng, prevalensi Kabupaten Alor 17,0 persen.") == [
        ("stuntng", "stunting")]


def test_a_short_word_with_its_last_letter_struck_twice_completes_the_name(nlp):
    assert _indicators(nlp, "Angka kematian ibuu di Kabupaten Katingan 5 kasus, kematian bayii "
                            "31 kasus.") == [("Angka kematian ibuu", "maternal_mortality"),
                                             ("kematian bayii", "infant_mortality")]
    # a short word one edit away otherwise is not read ("ibu" and "itu" are both words)
    assert _indicators(nlp, "Angka kematian itu turun.") == []


def test_a_name_written_without_its_head_after_another_name_is_that_indicator(nlp):
    assert _indicators(nlp, "Kematian neonatal, bayi dan balita di Kabupaten Kupang naik.") == [
        ("Kematian neonatal", "neonatal_mortality"), ("bayi", "infant_mortality"),
        ("balita", "under5_mortality")]
    # a word that completes no name is left alone
    assert _indicators(nlp, "Angka kematian bayi dan kelahiran tinggi.") == [
        ("Angka kematian bayi", "infant_mortality")]
    # the next item of a list the name opens, labelling its figure
    assert _indicators(nlp, "Kematian bayi 2024: 148 bayi, neonatal (0-28 hr) 97 bayi.") == [
        ("Kematian bayi", "infant_mortality"), ("neonatal", "neonatal_mortality")]
    # a word after a comma that labels no figure is no item
    assert _indicators(nlp, "Kematian bayi 40 kasus, ibu hamil banyak yang anemia.") == [
        ("Kematian bayi", "infant_mortality")]


def test_a_column_header_written_over_two_lines_names_its_indicator(nlp):
    text = ("Tabel 3 Kematian menurut Kabupaten Tahun 2023\n\n"
            "Kabupaten          Kematian    Kematian    Jumlah\n"
            "                   Bayi        Balita      Puskesmas\n"
            "Sumba Barat           14           19          11\n"
            "Sumba Timur           22           27          21\n")
    assert _indicators(nlp, text) == [("Bayi", "infant_mortality"),
                                      ("Balita", "under5_mortality")]
    facts = {(f.indicator, f.value, f.location) for f in mchnlp.extract(text, nlp=nlp)}
    assert ("under5_mortality", 27.0, "Kabupaten Sumba Timur") in facts
    assert not any(value == 11.0 for _, value, _ in facts)


def test_a_name_wrapped_or_hyphenated_at_a_line_break_is_found(nlp):
    text = ("Dinas Kesehatan Kabupaten Lombok Timur mencatat kema-\ntian ibu sepanjang 2022 "
            "sebanyak 7 kasus, sedangkan kematian\nbayi mencapai 58 kasus.")
    assert _indicators(nlp, text) == [("kema-\ntian ibu", "maternal_mortality"),
                                      ("kematian\nbayi", "infant_mortality")]
    facts = {(f.indicator, f.value) for f in mchnlp.extract(text, nlp=nlp)}
    assert facts == {("maternal_mortality", 7.0), ("infant_mortality", 58.0)}
    # the line break still parts the lines: a hyphen in a title line leaves the table below
    doc = nlp("Tabel 2. Kema-\ntian Bayi\n| Kecamatan | 2023 |\n| Sakra | 4 |\n"
              "| Labuhan Haji | 6 |\n")
    assert len(grid_tables(doc)[0]["body"]) == 2
    # words that complete no name are left alone
    assert _indicators(nlp, "Kata-\nkata itu ditulis ulang.") == []


def test_a_scanned_l_for_i_is_read_in_short_words_too(nlp):
    doc = nlp("Dinas Kesehatan Kabupaten Kepulauan Sula mencatat 9 kasus kematian ibu, sedangkan "
              "kematian bayl mencapai 41 kasus. Cakupan imunisasi dasar Iengkap 88,2 persen.")
    assert [(e.text, e.id_) for e in doc.ents if e.label_ == "INDICATOR"] == [
        ("kematian ibu", "maternal_mortality"), ("kematian bayl", "infant_mortality"),
        ("Cakupan imunisasi dasar Iengkap", "complete_basic_immunization")]
