"""Periods and areas from the document's structure (structure/restated) and the candidates the
linker gets from them (pair generator v4), on texts written for these tests."""

from __future__ import annotations

import pytest
from spacy.util import registry

from mchnlp.components.candidates import CandidateGenerator
from mchnlp.structure.restated import first_period_start, later_periods, restated_figures

HEADLINE = ("Cakupan Imunisasi Dasar di Kota Depok Capai 81 Persen\n\n"
            "Pemerintah kota terus mendorong para orang tua membawa bayinya ke posyandu. "
            "Petugas juga mendatangi rumah warga. Kegiatan ini berlangsung setiap bulan. "
            "Dinas Kesehatan Kota Depok mencatat cakupan imunisasi dasar lengkap hingga "
            "Oktober 2024 mencapai 81 persen.")
LEAD = ("Angka kematian bayi di Kabupaten Ende sebesar 21 per 1.000 kelahiran hidup. "
        "Angka kematian balita 25 per 1.000 kelahiran hidup. "
        "Kedua angka itu lebih rendah dari rata-rata provinsi. "
        "Data tersebut bersumber dari Sensus Penduduk 2020.")


def _generator() -> CandidateGenerator:
    return CandidateGenerator(use_structure=True, use_scope=True, use_periods=True)


def _value(doc, prefix):
    return next(e for e in doc.ents if e.label_ in ("COUNT", "RATE") and e.text.startswith(prefix))


def _features(doc, value, relation) -> dict[str, dict]:
    return {c.target.text: c.features for c in _generator()(doc)
            if c.value.start == value.start and c.relation == relation}


def test_a_headline_figure_is_paired_with_the_body_figure_that_restates_it(nlp):
    doc = nlp(HEADLINE)
    headline, body = _value(doc, "81 Persen"), _value(doc, "81 persen")
    assert restated_figures(doc) == {headline.start: body}


def test_a_different_number_in_the_body_restates_nothing(nlp):
    doc = nlp(HEADLINE.replace("mencapai 81 persen", "mencapai 18 persen"))
    assert restated_figures(doc) == {}


def test_a_headline_figure_takes_the_restating_sentence_as_candidates(nlp):
    doc = nlp(HEADLINE)
    headline = _value(doc, "81 Persen")
    dates = _features(doc, headline, "date")
    # four sentences away: beyond the sentence window, reached through the restatement
    assert dates["Oktober 2024"]["date:struct=restated"] == 1.0
    areas = [c.features for c in _generator()(doc) if c.value.start == headline.start
             and c.relation == "location" and c.features.get("location:struct=restated")]
    assert areas  # the body's "Kota Depok"


def test_a_period_stated_in_a_sentence_of_its_own_reaches_the_figures_before_it(nlp):
    doc = nlp(LEAD)
    first = _value(doc, "21")
    assert first_period_start(doc) > first.start
    features = _features(doc, first, "date")["Sensus Penduduk 2020"]
    assert features["date:struct=later0"] == 1.0
    assert features["date:later_bare&undated"] == 1.0


def test_a_period_in_the_very_next_sentence_reaches_a_list_before_it(nlp):
    """"... (312 balita), ... (250 balita). Data tersebut hasil penimbangan Agustus 2023.":
    the next sentence is beyond the figures' date window, which looks back only."""
    doc = nlp("Kasus stunting terbanyak ada di Kecamatan Cibeber (312 balita) dan Kecamatan "
              "Cidaun (250 balita). Data tersebut merupakan hasil bulan penimbangan Agustus "
              "2023 di Kabupaten Cianjur.")
    for prefix in ("312", "250"):
        features = _features(doc, _value(doc, prefix), "date")["Agustus 2023"]
        assert features["date:struct=later0"] == 1.0


def test_figures_dated_before_get_no_later_period(nlp):
    doc = nlp("Pada tahun 2019, " + LEAD[0].lower() + LEAD[1:])
    first = _value(doc, "21")
    assert first_period_start(doc) < first.start
    assert "date:struct=later0" not in _features(doc, first, "date").get(
        "Sensus Penduduk 2020", {})


def test_a_target_year_beside_its_figure_is_no_later_period(nlp):
    doc = nlp(LEAD.replace("Data tersebut bersumber dari Sensus Penduduk 2020.",
                           "Pemerintah menargetkan angka kematian bayi turun menjadi 16 per "
                           "1.000 kelahiran hidup pada 2026."))
    first = _value(doc, "21")
    assert "2026" not in _features(doc, first, "date")  # not even as a candidate


def test_later_periods_are_distinct_and_in_text_order(nlp):
    doc = nlp("Kematian ibu 12 kasus. Data tahun 2021. Data tahun 2021 lagi. Data tahun 2022.")
    assert [d.text for d in later_periods(doc, 0, 2)] == ["tahun 2021", "tahun 2022"]
    assert [d.text for d in later_periods(doc, 0, 2, lambda d: d.text != "tahun 2021")] == [
        "tahun 2022"]


def test_the_v4_generator_offers_document_periods():
    generator = registry.misc.get("mchnlp.rel_instance_generator.v4")()
    assert generator.use_periods and generator.use_scope and generator.use_structure
    assert not registry.misc.get("mchnlp.rel_instance_generator.v3")().use_periods


RESTATED_WITH_COMPARISON = (
    "Kematian Ibu di Kabupaten Sumba Timur Turun Jadi 14 Kasus\n\n"
    "WAINGAPU (3/2/2025) - Dinas Kesehatan Kabupaten Sumba Timur mencatat kematian ibu "
    "sepanjang 2024 sebanyak 14 kasus, turun dari 19 kasus pada tahun sebelumnya.")
RESTATED_PART_YEAR = (
    "26 Bayi Meninggal di Kabupaten Asmat Hingga Agustus\n\n"
    "AGATS - Dinas Kesehatan Kabupaten Asmat mencatat 26 kematian bayi sejak Januari "
    "hingga Agustus 2024.")


def _years(text, nlp, published=None):
    import mchnlp

    return [(f.value, f.location, f.year) for f in mchnlp.extract(text, published, nlp=nlp)]


def test_a_headline_figure_is_of_the_period_of_the_body_mention_that_restates_it(nlp):
    # not of "tahun sebelumnya", the period the restating sentence compares with
    assert _years(RESTATED_WITH_COMPARISON, nlp) == [
        (14.0, "Kabupaten Sumba Timur", 2024), (14.0, "Kabupaten Sumba Timur", 2024),
        (19.0, "Kabupaten Sumba Timur", 2023)]
    # a headline month without a year takes the body's year
    assert _years(RESTATED_PART_YEAR, nlp) == [
        (26.0, "Kabupaten Asmat", 2024), (26.0, "Kabupaten Asmat", 2024)]


def test_a_headline_with_a_year_of_its_own_keeps_it(nlp):
    text = RESTATED_PART_YEAR.replace("Hingga Agustus", "Hingga Agustus 2023")
    assert _years(text, nlp)[0] == (26.0, "Kabupaten Asmat", 2023)


YEAR_END_LIST = (
    "Dinas Kesehatan Kabupaten Ende memaparkan capaian program kesehatan ibu dan anak "
    "sepanjang tahun 2024 dalam jumpa pers akhir tahun.\n\n"
    "1. Kematian ibu: 5 kasus (2023: 8 kasus)\n"
    "2. Kematian bayi: 38 kasus (2023: 44 kasus)\n"
    "3. Kematian neonatal: 21 kasus (2023: 26 kasus)\n"
    "4. Prevalensi stunting: 12,4 persen (2023: 14,1 persen)\n"
    "5. Cakupan imunisasi dasar lengkap: 86,2 persen (2023: 81,5 persen)\n")


def test_a_year_heading_its_own_figure_dates_only_that_figure(nlp):
    """"5 kasus (2023: 8 kasus)": 2023 is the bracketed figure's; the figure before it, like
    every item of the list, is of the period the story states once."""
    years = {value: year for value, _, year in _years(YEAR_END_LIST, nlp)}
    assert years == {5.0: 2024, 8.0: 2023, 38.0: 2024, 44.0: 2023, 21.0: 2024, 26.0: 2023,
                     12.4: 2024, 14.1: 2023, 86.2: 2024, 81.5: 2023}


def test_a_figure_no_period_reaches_is_of_the_period_the_story_states_once(nlp):
    text = ("Sepanjang 2024, Dinas Kesehatan Kabupaten Alor mencatat tujuh kematian ibu. "
            "Sebagian besar terjadi di pulau-pulau kecil. Petugas kesulitan menjangkau desa. "
            "Perahu motor baru akan dibeli tahun depan. Rumah tunggu kelahiran juga dibangun. "
            "Cakupan imunisasi dasar lengkap mencapai 84,2 persen.")
    assert [(value, year) for value, _, year in _years(text, nlp)] == [(7.0, 2024),
                                                                        (84.2, 2024)]


@pytest.mark.parametrize("text, expected", [
    ("Kematian Bayi di Kabupaten Bireuen Capai 40 Kasus Sepanjang 2023\n\nBIREUEN - Dinas "
     "Kesehatan Kabupaten Bireuen mencatat 40 kasus kematian bayi sepanjang 2023.\n\n\"Sebagian "
     "besar lahir prematur,\" kata Kepala Dinas, Rabu (24/1/2024).\n\nPada periode yang sama, "
     "kematian ibu tercatat lima kasus.", (5.0, 2023)),
    ("Pada 2021 cakupan K4 di Kabupaten Pinrang baru 61,2 persen. Kini kematian bayi di "
     "wilayah itu turun dari 9 kasus pada 2022 menjadi 4 kasus hingga Oktober 2023. Pada "
     "periode yang sama, cakupan kunjungan K4 mencapai 82,6 persen.", (82.6, 2023)),
])
def test_a_sentence_opening_with_the_same_period_is_of_the_figure_before_it(nlp, text,
                                                                               expected):
    assert [(value, year) for value, _, year in _years(text, nlp, "2024-01-25")][-1] == expected
