"""Scope words around a figure (structure/scope, structure/periods) and what the linker's
candidates and the fact view make of them, on sentences written for these tests."""

from __future__ import annotations

import pytest

import mchnlp
from mchnlp.components.candidates import CandidateGenerator
from mchnlp.components.linker import normalizes_to
from mchnlp.pipeline import build_rule_pipeline
from mchnlp.structure.periods import figure_dated_by
from mchnlp.structure.scope import area_role, is_national_cue, national_cues

NATIONAL = ("Pemerintah menetapkan sasaran dalam RPJMN 2020-2024. Pada tahun 2024 angka "
            "kematian bayi ditargetkan turun menjadi 16 per 1.000 kelahiran hidup.")
LOCAL = "Dinas Kesehatan Kabupaten Sigi mencatat 14 kasus kematian ibu pada 2021."


def _area(doc, text):
    return next(e for e in doc.ents if e.label_ == "LOCATION" and e.text == text)


def test_national_surveys_plans_and_agencies_are_cues(nlp):
    doc = nlp("Menurut Kementerian Kesehatan, hasil SSGI dan target RPJMN belum sejalan.")
    assert [(c.text, c.kb_id_) for c in national_cues(doc)] == [
        ("Kementerian Kesehatan", "national_scope:agency"), ("SSGI", "national_scope:survey"),
        ("RPJMN", "national_scope:plan")]
    assert all(is_national_cue(c) for c in national_cues(doc))


def test_a_local_health_office_is_no_national_cue(nlp):
    doc = nlp(LOCAL)
    assert national_cues(doc) == []
    assert not any(is_national_cue(e) for e in doc.ents)


def test_an_area_after_a_superlative_is_the_ranking_scope(nlp):
    doc = nlp("Kota Palu mencatat AKB paling tinggi di Provinsi Sulawesi Tengah, yakni 30 per "
              "1.000 kelahiran hidup.")
    assert area_role(_area(doc, "Provinsi Sulawesi Tengah")) == "ranking"
    assert area_role(_area(doc, "Kota Palu")) is None


def test_the_country_a_figure_is_ranked_in_is_no_area_of_the_figure(nlp):
    text = ("Prevalensi stunting Provinsi Papua Selatan pada 2023 sebesar 28,5 persen. Setahun "
            "kemudian naik menjadi 31,2 persen, tertinggi ketiga secara nasional.")
    doc = nlp(text)
    assert area_role(_area(doc, "nasional")) == "ranking"
    rules = build_rule_pipeline()
    for pipeline in (nlp, rules):
        areas = {f.value: f.location for f in mchnlp.extract(text, nlp=pipeline)}
        assert areas[31.2] == "Provinsi Papua Selatan"


def test_an_area_where_the_most_cases_happened_is_no_ranking_scope(nlp):
    doc = nlp("Kasus kematian ibu paling banyak terjadi di Kabupaten Sigi, yaitu 5 kasus.")
    assert area_role(_area(doc, "Kabupaten Sigi")) is None


def test_an_area_after_a_comparison_word_is_the_other_side(nlp):
    doc = nlp("AKB Kota Palu 20 per 1.000 kelahiran hidup, di bawah Provinsi Sulawesi Tengah "
              "yang sebesar 24 per 1.000 kelahiran hidup.")
    assert area_role(_area(doc, "Provinsi Sulawesi Tengah")) == "comparison"
    assert area_role(_area(doc, "Kota Palu")) is None


def test_a_period_right_after_a_figure_dates_that_figure(nlp):
    doc = nlp("Prevalensi stunting turun dari 29,2 persen pada 2022 menjadi 25,7 persen.")
    date = next(e for e in doc.ents if e.label_ == "DATE")
    first = next(e for e in doc.ents if e.text.startswith("29,2"))
    assert figure_dated_by(date) == first.start


def test_a_period_before_its_figures_dates_none(nlp):
    doc = nlp("Pada 2022, prevalensi stunting di Kabupaten Sigi 25,7 persen.")
    date = next(e for e in doc.ents if e.label_ == "DATE")
    assert figure_dated_by(date) is None


def _location_candidates(doc, **kwargs):
    generator = CandidateGenerator(use_structure=True, **kwargs)
    return [c for c in generator(doc) if c.relation == "location"]


def test_version_3_offers_the_national_cue_as_an_area(nlp):
    doc = nlp(NATIONAL)
    cues = [c for c in _location_candidates(doc, use_scope=True) if is_national_cue(c.target)]
    assert [c.target.text for c in cues] == ["RPJMN"]
    assert cues[0].features["location:struct=national_plan"] == 1.0
    assert cues[0].features["location:national_scope:plan"] == 1.0
    assert not any(is_national_cue(c.target) for c in _location_candidates(doc))


def test_a_national_cue_beside_a_local_area_is_no_candidate(nlp):
    doc = nlp("Berdasarkan SSGI, prevalensi stunting Kabupaten Sigi 25,7 persen.")
    assert not any(is_national_cue(c.target) for c in _location_candidates(doc, use_scope=True))


def test_an_area_coordinated_with_a_comparison_area_is_compared_too(nlp):
    doc = nlp("AKI Kota Palu 27 per 100.000 kelahiran hidup, di bawah Provinsi Sulawesi Tengah "
              "yang sebesar 256 per 100.000 kelahiran hidup dan nasional 228 per 100.000 "
              "kelahiran hidup.")
    assert area_role(_area(doc, "nasional")) == "comparison"


def test_an_area_after_a_comma_is_not_coordinated_with_a_compared_one(nlp):
    doc = nlp("Walau di bawah angka nasional yang sebesar 24 persen, Kabupaten Sigi mengejar "
              "target 14 persen.")
    assert area_role(_area(doc, "nasional")) == "comparison"
    assert area_role(_area(doc, "Kabupaten Sigi")) is None


def test_an_area_that_ends_a_survey_name_is_the_source(nlp):
    # the rulers' country entity there is dropped (a name, not an area); any area is judged
    doc = nlp("Prevalensi stunting Desa Tanamodindi 25,2 persen menurut Survei Status Gizi "
              "Indonesia tahun 2022.")
    assert "Indonesia" not in [e.text for e in doc.ents]
    country = doc.char_span(doc.text.index("Indonesia"), doc.text.index(" tahun"),
                            label="LOCATION")
    assert area_role(country) == "source"
    doc = nlp("Prevalensi stunting di Indonesia 21,6 persen.")
    assert area_role(_area(doc, "Indonesia")) is None


def test_an_area_listed_after_a_plain_area_has_no_role(nlp):
    doc = nlp("Kasus kematian ibu tercatat di Kota Palu dan Kabupaten Sigi, masing-masing 3 kasus.")
    assert area_role(_area(doc, "Kabupaten Sigi")) is None


def test_comparison_area_and_dated_figure_features(nlp):
    doc = nlp("AKB Kota Palu 20 per 1.000 kelahiran hidup pada 2021, di bawah Provinsi "
              "Sulawesi Tengah yang sebesar 24 per 1.000 kelahiran hidup.")
    generator = CandidateGenerator(use_structure=True, use_scope=True)
    first = next(e for e in doc.ents if e.text.startswith("20"))
    second = next(e for e in doc.ents if e.text.startswith("24"))
    by_pair = {(c.value.start, c.target.text, c.relation): c.features for c in generator(doc)}
    assert by_pair[(first.start, "Provinsi Sulawesi Tengah", "location")][
        "location:role=comparison&dir=after"] == 1.0
    assert "location:role=comparison&dir=after" not in by_pair[
        (first.start, "Kota Palu", "location")]
    assert by_pair[(first.start, "2021", "date")]["date:dates_figure=self"] == 1.0
    assert by_pair[(second.start, "2021", "date")]["date:dates_figure=other"] == 1.0


def test_a_comparison_period_in_an_earlier_sentence_is_marked(nlp):
    doc = nlp("Kematian ibu di Kabupaten Sambas tahun 2022 sebanyak 20 kasus, naik dibandingkan "
              "tahun 2021 yang hanya 15 kasus. Adapun kematian bayi sebanyak 70 kasus.")
    generator = CandidateGenerator(use_structure=True, use_scope=True)
    later = next(e for e in doc.ents if e.text.startswith("70"))
    by_date = {c.target.text: c.features for c in generator(doc)
               if c.value.start == later.start and c.relation == "date"}
    assert by_date["tahun 2021"]["date:earlier_comparison"] == 1.0
    assert "date:earlier_comparison" not in by_date["tahun 2022"]
    compared = next(e for e in doc.ents if e.text.startswith("15"))
    (own,) = [c.features for c in generator(doc) if c.value.start == compared.start
              and c.relation == "date" and c.target.text == "tahun 2021"]
    assert "date:earlier_comparison" not in own  # its own sentence: not "earlier"


def test_a_period_of_the_figure_a_change_starts_from(nlp):
    doc = nlp("Prevalensi stunting turun dari 29,2 persen pada 2022 menjadi 25,7 persen.")
    generator = CandidateGenerator(use_structure=True, use_scope=True)
    end = next(e for e in doc.ents if e.text.startswith("25,7"))
    (features,) = [c.features for c in generator(doc)
                   if c.value.start == end.start and c.relation == "date"]
    assert features["date:dates_figure=other_from"] == 1.0


def test_a_value_linked_to_a_national_cue_is_a_national_fact(nlp):
    doc = nlp(NATIONAL)
    value = next(e for e in doc.ents if e.label_ in ("COUNT", "RATE"))
    (cue,) = national_cues(doc)
    doc._.rel = {key: labels for key, labels in doc._.rel.items()
                 if not (key[0] == value.start and "location" in labels)}
    doc._.rel[(value.start, cue.start)] = {"location": 0.9}
    (fact,) = [f for f in doc._.facts if f.value == 16.0]
    assert (fact.location, fact.location_code, fact.location_level) == (
        "Indonesia", None, "negara")


def test_a_national_cue_is_right_only_for_a_national_fact(nlp):
    doc = nlp(NATIONAL)
    (cue,) = national_cues(doc)
    assert normalizes_to(cue, "location", {"location": "Indonesia"}, doc)
    assert not normalizes_to(cue, "location", {"location": "Kabupaten Sigi",
                                               "location_code": "72.10"}, doc)


def _rule_years(text):
    from mchnlp.pipeline import build_rule_pipeline

    return {f.value: f.year for f in build_rule_pipeline()(text)._.facts}


def test_the_rules_give_a_change_the_period_it_does_not_start_from():
    years = _rule_years("Di Kabupaten Sigi, prevalensi stunting turun 3,5 persen pada 2023, dari "
                        "29,2 persen pada 2022 menjadi 25,7 persen.")
    assert years == {3.5: 2023, 29.2: 2022, 25.7: 2023}
    years = _rule_years("Di Kabupaten Sigi, prevalensi stunting naik 1,5 persen, dari 29 persen "
                        "pada 2022 menjadi 30,5 persen pada 2023.")
    assert years == {1.5: 2023, 29.0: 2022, 30.5: 2023}


def test_the_rules_give_no_figure_the_year_a_change_starts_from():
    years = _rule_years("Prevalensi stunting Kabupaten Sigi 25,7 persen, naik dari 24 persen pada "
                        "2022.")
    assert years[24.0] == 2022 and years[25.7] != 2022


def test_a_sentence_that_points_back_to_its_area_takes_no_national_plan(nlp):
    text = ("SOE, (15/2/2024) - Pemerintah Kabupaten Timor Tengah Selatan menyiapkan anggaran "
            "stunting. Berdasarkan data Agustus 2023, prevalensi stunting di kabupaten itu "
            "mencapai 35,1 persen. RPJMN 2020-2024 menargetkan 14 persen pada 2024.")
    assert [(f.value, f.location) for f in mchnlp.extract(text, nlp=nlp)] == [
        (35.1, "Kabupaten Timor Tengah Selatan"), (14.0, "Indonesia")]


@pytest.mark.parametrize("pointer,area", [("setempat", "SAMARINDA"), ("", None)])
def test_the_dateline_city_is_the_area_of_a_text_that_points_back_to_it(nlp, pointer, area):
    from mchnlp.structure.areas import document_area

    text = (f"SAMARINDA, (25/7/2023) - Dinas Kesehatan {pointer} mencatat pada 2022 terdapat "
            "61 kematian bayi.")
    found = document_area(nlp(text))
    assert (found.text if found is not None else None) == area


def test_an_office_named_by_its_level_points_to_the_province_of_the_dateline(nlp):
    # "MATARAM, NTB -": the province after the dateline city is part of the dateline, and
    # "Dinas Kesehatan provinsi" points to it, not to the city
    text = ("MATARAM, NTB - Dinas Kesehatan provinsi mencatat 97 kematian ibu sepanjang 2023. "
            "Angka kematian bayi di provinsi ini mencapai 812 kasus pada tahun yang sama.\n\n"
            "Profil Kesehatan Kabupaten/Kota mencatat 14 kematian ibu di Kabupaten Dompu.")
    assert [(f.value, f.location) for f in mchnlp.extract(text, nlp=nlp)] == [
        (97.0, "Provinsi Nusa Tenggara Barat"), (812.0, "Provinsi Nusa Tenggara Barat"),
        (14.0, "Kabupaten Dompu")]


def test_a_national_plan_target_beside_a_pointer_to_the_province_stays_national(nlp):
    text = ("Dinas Kesehatan Provinsi Bengkulu mencatat 118 kematian bayi sepanjang 2023. "
            "Kepala Dinkes provinsi menyebut AKB provinsi tahun lalu 12,4 per 1.000 kelahiran "
            "hidup, sementara target RPJMN 2024 sebesar 16 per 1.000 kelahiran hidup.")
    areas = {f.value: f.location for f in mchnlp.extract(text, "2024-02-01", nlp=nlp)}
    assert areas == {118.0: "Provinsi Bengkulu", 12.4: "Provinsi Bengkulu", 16.0: "Indonesia"}


@pytest.mark.parametrize("pipeline", ["shipped", "rules"])
def test_a_target_a_national_plan_sets_is_national_beside_a_local_area(nlp, pipeline):
    use = nlp if pipeline == "shipped" else build_rule_pipeline()
    text = ("Pada 2023 AKI Kota Kendari tercatat 98 per 100.000 KH. Meski begitu, AKI Kendari "
            "masih jauh di bawah target RPJMN 2024 sebesar 183 per 100.000 KH.")
    facts = [(f.value, f.location, f.kind) for f in mchnlp.extract(text, nlp=use)]
    assert facts == [(98.0, "Kota Kendari", "observed"), (183.0, "Indonesia", "target")]
    # a local plan's target is the local area's
    text = "Pemkab Sikka menargetkan stunting turun menjadi 14 persen pada 2024 sesuai RPJMD."
    assert [(f.value, f.location) for f in mchnlp.extract(text, nlp=use)] == [
        (14.0, "Kabupaten Sikka")]
