"""Slips seen on sentences a user wrote (issue 18), on the shipped pipeline and on the rule
pipeline: the dateline's date, the present ("saat ini"), births as a denominator, and the
year of a target."""

import pytest

import mchnlp
from mchnlp.components.rule_linker import RuleLinker, _is_report_date
from mchnlp.knowledge.dates import detect_published
from mchnlp.pipeline import build_rule_pipeline
from mchnlp.structure.areas import clause_subject_areas
from mchnlp.structure.layout import in_dateline
from mchnlp.structure.periods import in_target_phrase, stated_periods


@pytest.fixture(scope="module")
def rule_nlp():
    return build_rule_pipeline()


@pytest.fixture(params=["shipped", "rules"])
def any_nlp(request, nlp, rule_nlp):
    return nlp if request.param == "shipped" else rule_nlp


def _facts(text, nlp, published=None):
    return [(f.indicator, f.value, f.year, f.kind)
            for f in mchnlp.extract(text, published, nlp=nlp)]


def _values(text, nlp):
    return [value for _, value, *_ in _facts(text, nlp)]


def _areas(text, nlp, published):
    return {f.value: f.location for f in mchnlp.extract(text, published, nlp=nlp)}


# -- the dateline dates the story, not a figure ------------------------------------------
DATELINE_LAST_YEAR = ("Kematian Bayi di Timor Tengah Selatan Turun\n\n"
                      "SOE, KOMPAS.com (14/2/2024) - Dinas Kesehatan Kabupaten Timor Tengah "
                      "Selatan mencatat 87 kasus kematian bayi sepanjang tahun lalu.")


def test_dateline_date_is_the_publication_date_not_the_figures(any_nlp):
    assert _facts(DATELINE_LAST_YEAR, any_nlp) == [("infant_mortality", 87.0, 2023, "observed")]


@pytest.mark.parametrize("text", [
    "SOE, KOMPAS.com (14/2/2024) - Dinas Kesehatan Kabupaten Timor Tengah Selatan mencatat "
    "87 kasus kematian bayi.",
    "JAKARTA, Kamis 15 Februari 2024 - Kementerian Kesehatan mencatat prevalensi stunting "
    "di Provinsi Aceh 29,4 persen.",
])
def test_a_dateline_date_gives_no_year(any_nlp, text):
    assert [year for *_, year, _ in _facts(text, any_nlp)] == [None]


def test_a_statement_date_gives_no_year_to_the_rules(rule_nlp):
    # the trained linker may still take a statement's date when nothing else dates a figure
    # (the corpus does so once: "laporan yang sampai ke Tempo, Jumat, 26 Juni 2015")
    text = ("Dinas Kesehatan Kabupaten Timor Tengah Selatan mencatat 87 kasus kematian bayi, "
            "kata Kepala Dinas, Rabu (14/2/2024).")
    assert [year for *_, year, _ in _facts(text, rule_nlp)] == [None]


def test_a_day_that_ends_the_period_is_the_figures_date(rule_nlp):
    text = ("Data per 1 Juli 2025 mencatat 31 kasus kematian ibu di Provinsi Kalimantan "
            "Timur.")
    assert _facts(text, rule_nlp) == [("maternal_mortality", 31.0, 2025, "observed")]


def test_dateline_and_report_dates_are_recognized(rule_nlp):
    doc = rule_nlp("SOE, KOMPAS.com (14/2/2024) - Pada 2023 tercatat 87 kasus kematian bayi, "
                   "kata dia, Rabu (15/2/2024).")
    dates = {e.text: e for e in doc.ents if e.label_ == "DATE"}
    assert in_dateline(dates["14/2/2024"]) and not in_dateline(dates["15/2/2024"])
    assert _is_report_date(dates["14/2/2024"]) and _is_report_date(dates["15/2/2024"])
    assert not in_dateline(dates["2023"]) and not _is_report_date(dates["2023"])


def test_the_first_dated_line_is_the_publication_date():
    assert str(detect_published("SOE, KOMPAS.com (14/2/2024) - Sejak 1 Januari 2023 ...")
               ) == "2024-02-14"


# -- births used as a denominator are not facts --------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("Sepanjang 2023 di Kabupaten Kupang tercatat 98 kematian bayi dari 10.012 kelahiran "
     "hidup.", [("infant_mortality", 98.0, 2023, "observed")]),
    ("Pada 2022 Dinas Kesehatan Kabupaten Sikka mencatat 12 kasus kematian ibu dari 8.500 "
     "KH.", [("maternal_mortality", 12.0, 2022, "observed")]),
    ("Pada 2022 terdapat 45 kematian bayi di Kabupaten Gianyar. Sepanjang tahun itu "
     "tercatat 5.277 kelahiran.", [("infant_mortality", 45.0, 2022, "observed")]),
])
def test_births_are_a_denominator_not_a_fact(any_nlp, text, expected):
    assert _facts(text, any_nlp) == expected


@pytest.mark.parametrize("reach", ["menyasar", "menjangkau"])
def test_the_people_a_programme_reaches_are_not_a_fact(any_nlp, reach):
    text = ("Pada 2023 kematian ibu di Kabupaten Lombok Barat mencapai 17 kasus. Pemerintah "
            f"menyiapkan Rp 2,3 miliar untuk program pendampingan yang {reach} 1.500 ibu "
            "hamil.")
    assert _facts(text, any_nlp) == [("maternal_mortality", 17.0, 2023, "observed")]


# -- the present is the publication year; a target's year stays with the target ------------
TARGET_AND_NOW = ("Pemerintah Kabupaten Kupang menargetkan AKB turun menjadi 12 per 1.000 "
                  "kelahiran hidup pada 2025, sedangkan saat ini AKB masih 14,2 per 1.000 "
                  "kelahiran hidup.")


@pytest.mark.parametrize("published,now", [("2024-03-01", 2024), (None, None)])
def test_saat_ini_is_the_publication_year_not_the_targets(any_nlp, published, now):
    assert _facts(TARGET_AND_NOW, any_nlp, published) == [
        ("infant_mortality", 12.0, 2025, "target"), ("infant_mortality", 14.2, now, "observed")]


@pytest.mark.parametrize("word", ["Kini", "Sekarang", "Saat ini"])
def test_the_present_words_are_dates_of_the_publication_year(any_nlp, word):
    text = f"{word} prevalensi stunting di Kabupaten Sikka 18,5 persen."
    assert _facts(text, any_nlp, "2023-05-01") == [("stunting", 18.5, 2023, "observed")]


def test_the_present_is_not_carried_to_later_figures(any_nlp):
    # "saat ini" dates its own figure; the period stated for the run of figures stays 2022
    text = ("Pada tahun 2022 prevalensi stunting Kabupaten Maybrat turun menjadi 27,3 persen."
            "\n\nSaat ini di Kabupaten Maybrat terdapat 70 kasus stunting.\n\n"
            "Prevalensi stunting Kabupaten Sorong 4,9 persen.")
    assert [year for *_, year, _ in _facts(text, any_nlp, "2023-09-01")] == [2022, 2023, 2022]


def test_a_targets_year_is_not_carried_to_the_figures_after_it(rule_nlp):
    text = ("Pemerintah menargetkan prevalensi stunting 14 persen pada 2024.\n\n"
            "Di Provinsi Banten, prevalensi stunting 20 persen.")
    assert _facts(text, rule_nlp) == [("stunting", 14.0, 2024, "target"),
                                      ("stunting", 20.0, None, "observed")]


def test_a_value_counts_as_one_word_before_a_targets_date(rule_nlp):
    doc = rule_nlp(TARGET_AND_NOW)
    year = next(e for e in doc.ents if e.text == "2025")
    cues = RuleLinker(rule_nlp).target_cues
    assert in_target_phrase(year, cues)


# -- a target's year comes from its own phrase or the period framing it ---------------------
@pytest.mark.parametrize("text,expected", [
    # the year is the observed figure's own, after it: the target beside it has none
    ("AKB Kabupaten Kupang sebesar 18 per 1.000 KH pada 2023, masih di atas target nasional "
     "16 per 1.000 KH.",
     [("infant_mortality", 18.0, 2023, "observed"), ("infant_mortality", 16.0, None, "target")]),
    # a period framing the whole sentence is the target's too (the corpus annotates it so)
    ("Pada 2023 AKB Kabupaten Kupang sebesar 18 per 1.000 KH, masih di atas target nasional "
     "16 per 1.000 KH.",
     [("infant_mortality", 18.0, 2023, "observed"), ("infant_mortality", 16.0, 2023, "target")]),
    # the target's own year
    ("AKB Kabupaten Kupang sebesar 18 per 1.000 KH pada 2023, sedangkan target nasional 2024 "
     "sebesar 16 per 1.000 KH.",
     [("infant_mortality", 18.0, 2023, "observed"), ("infant_mortality", 16.0, 2024, "target")]),
])
def test_a_target_takes_no_year_from_the_figure_beside_it(any_nlp, text, expected):
    assert _facts(text, any_nlp) == expected


# -- a series by year: the figure right after its year --------------------------------------
def test_a_figure_right_after_its_year_is_its_own_number(any_nlp):
    text = ("Angka kematian bayi di Kota Magelang tahun 2018 adalah 7,1 per 1.000 kelahiran "
            "hidup, tahun 2019 6,4 dan tahun 2020 5,8 per 1.000 kelahiran hidup.")
    facts = {(indicator, value, year) for indicator, value, year, _ in _facts(text, any_nlp)}
    assert facts == {("infant_mortality", 7.1, 2018), ("infant_mortality", 6.4, 2019),
                     ("infant_mortality", 5.8, 2020)}


@pytest.mark.parametrize("text", [
    "Pada tahun 2022 4 puskesmas di Kabupaten Sikka direnovasi.",  # no figure before it
    "Jumlah kematian bayi tahun 2021 ditulis 2021 2022 dalam laporan lama.",
])
def test_a_number_after_a_year_needs_a_figure_before_it(any_nlp, text):
    assert _facts(text, any_nlp) == []


# -- a table whose header says only "Kasus": the indicator is in the line above it ----------
TABLE_UNDER_ITS_TITLE = ("Berikut data kasus kematian bayi di kabupaten/kota Provinsi Bengkulu "
                         "tahun 2023:\n\nKabupaten/Kota | {header}\nRejang Lebong | 41\n"
                         "Seluma | 17\nKota Bengkulu | 29\n")


def test_a_count_header_leaves_the_indicator_to_the_title_line(any_nlp):
    facts = {(indicator, value, year)
             for indicator, value, year, _ in _facts(TABLE_UNDER_ITS_TITLE.format(header="Kasus"),
                                                     any_nlp)}
    assert facts == {("infant_mortality", 41.0, 2023), ("infant_mortality", 17.0, 2023),
                     ("infant_mortality", 29.0, 2023)}


def test_a_header_that_names_something_else_holds_no_indicator(any_nlp):
    assert _facts(TABLE_UNDER_ITS_TITLE.format(header="Puskesmas"), any_nlp) == []


# -- a bare figure after a change: "turun menjadi 156" ---------------------------------------
def test_a_bare_figure_after_a_change_takes_the_indicators_unit(any_nlp):
    text = ("AKI di Kabupaten Ngada tahun 2021 sebesar 190 per 100.000 kelahiran hidup. Pada "
            "tahun 2022 AKI turun menjadi 161.")
    facts = {(indicator, value, year) for indicator, value, year, _ in _facts(text, any_nlp)}
    assert ("maternal_mortality", 161.0, 2022) in facts
    units = {f.value: f.unit for f in mchnlp.extract(text, nlp=any_nlp)}
    assert units[161.0] == "per_100000_live_births"


def test_a_bare_figure_after_a_change_of_something_else_is_no_value(any_nlp):
    assert _facts("Jumlah posyandu di Kabupaten Ngada bertambah menjadi 45.", any_nlp) == []


# -- a list of changes under the sentence that names both years ------------------------------
CHANGES = ("Prevalensi stunting di Provinsi Nusa Tenggara Timur tahun 2023 turun dibandingkan "
           "tahun 2022. Berikut rinciannya:\n1. Kabupaten Rote Ndao 24,6 persen turun ke 24,1 "
           "persen.\n2. Kabupaten Sabu Raijua dari 21,2 persen menjadi 16,2 persen.\n")


def test_a_change_starts_in_the_earlier_year_the_text_names(nlp):
    facts = {(value, year) for _, value, year, _ in _facts(CHANGES, nlp)}
    assert {(24.6, 2022), (24.1, 2023), (21.2, 2022), (16.2, 2023)} <= facts


def test_the_amount_of_a_change_keeps_the_period_of_the_change(any_nlp):
    text = ("Prevalensi stunting Kabupaten Kaimana tahun 2022 sebesar 29,2 persen. Pada 2023 "
            "prevalensi stunting Kabupaten Teluk Wondama turun 6,4 persen menjadi 19,7 persen.")
    years = {value: year for _, value, year, _ in _facts(text, any_nlp)}
    assert years[19.7] == 2023
    assert years.get(6.4) in (None, 2023)  # never the year of the earlier figure


def test_a_period_after_a_comparison_word_dates_the_figure_compared(rule_nlp):
    """"61 kasus, naik dibanding tahun 2022 yang 55 kasus": 2022 is the year of the 55, not of
    the 61 before the comparison word."""
    doc = rule_nlp("Angka kematian bayi di Kabupaten Ende tercatat 61 kasus, naik dibanding "
                   "tahun 2022 yang 55 kasus.")
    years = {f.value: f.year for f in doc._.facts}
    assert years[55.0] == 2022 and years[61.0] != 2022


def test_the_year_of_a_figure_compared_with_is_not_carried_on(any_nlp):
    text = ("KUPANG (3/3/2024) - Dinas Kesehatan Provinsi NTT mencatat sepanjang tahun lalu "
            "terjadi 137 kasus kematian ibu. Angka itu turun dibanding 2022 yang mencapai 171 "
            "kasus.\n\nKabupaten dengan kematian ibu tertinggi adalah Kabupaten Kupang (14 "
            "kasus) dan Sumba Barat Daya (12 kasus).")
    assert [(f.value, f.year) for f in mchnlp.extract(text, nlp=any_nlp)] == [
        (137.0, 2023), (171.0, 2022), (14.0, 2023), (12.0, 2023)]


def test_the_year_a_change_starts_from_is_not_carried_on(any_nlp):
    text = ("Prevalensi stunting Kabupaten Rejang Lebong pada 2023 turun menjadi 18,2 persen "
            "dari 22,5 persen pada 2022. Di Kecamatan Curup, prevalensi stunting 15,1 persen.")
    assert [(f.value, f.year) for f in mchnlp.extract(text, nlp=any_nlp)] == [
        (18.2, 2023), (22.5, 2022), (15.1, 2023)]


def test_a_number_that_counts_a_named_indicator_borrows_no_unit(any_nlp):
    text = ("Selama 2023, Dinas Kesehatan Kabupaten Grobogan mencatat 1.062 bayi BBLR atau 4,9 "
            "persen dari 21.674 kelahiran hidup. Selain itu terdapat 143 bayi lahir mati dan 261 "
            "kematian perinatal.")
    facts = [(f.indicator, f.value, f.unit) for f in mchnlp.extract(text, nlp=any_nlp)]
    assert ("stillbirth", 143.0, "count") in facts
    assert ("perinatal_mortality", 261.0, "count") in facts


@pytest.mark.parametrize("breakdown", [
    "Penyebab terbanyak adalah hipertensi 21 kasus, perdarahan 12 kasus dan infeksi 5 kasus.",
    "Dari jumlah itu, 18 kasus disebabkan perdarahan dan 12 kasus karena hipertensi.",
])
def test_counts_of_deaths_by_cause_are_not_facts(any_nlp, breakdown):
    text = f"Dinkes Kabupaten Garut mencatat 52 kematian ibu pada 2023. {breakdown}"
    assert _facts(text, any_nlp) == [("maternal_mortality", 52.0, 2023, "observed")]


def test_a_total_that_names_its_cause_in_its_own_words_is_a_fact(any_nlp):
    text = ("Sepanjang tahun 2016, di Kota Dumai ditemukan 9 kasus kematian ibu akibat penyebab "
            "langsung.")
    assert _facts(text, any_nlp) == [("maternal_mortality", 9.0, 2016, "observed")]


def test_a_count_after_a_death_phrase_with_an_age_in_it(any_nlp):
    text = ("Sepanjang tahun 2023, tujuh belas ibu meninggal saat bersalin di Kabupaten Sikka. "
            "Jumlah itu naik dibanding tahun sebelumnya yang tercatat sebelas kasus. Sementara "
            "itu, bayi yang meninggal sebelum usia satu tahun mencapai delapan puluh dua bayi.")
    facts = {value: (indicator, year) for indicator, value, year, _ in _facts(text, any_nlp)}
    assert facts[82.0][0] == "infant_mortality"
    if any_nlp is not None and "mchnlp_linker" in any_nlp.pipe_names:
        assert facts[82.0][1] == 2023  # not the compared "tahun sebelumnya"


def test_the_living_after_a_death_phrase_are_no_deaths(any_nlp):
    text = ("Sepanjang 2016 ada 98 balita gizi buruk di Provinsi Bengkulu. Dari jumlah itu, 5 "
            "orang balita meninggal dunia, 58 orang balita sudah membaik.")
    assert not any(f[0] == "under5_mortality" and f[1] == 58.0 for f in _facts(text, any_nlp))


def test_a_figure_compared_with_one_named_by_its_noun_measures_the_same(any_nlp):
    text = ("Sepanjang tahun 2023, tujuh belas ibu meninggal saat bersalin di Kabupaten Sikka. "
            "Jumlah itu naik dibanding tahun sebelumnya yang tercatat sebelas kasus.")
    assert ("maternal_mortality", 11.0) in [(f[0], f[1]) for f in _facts(text, any_nlp)]


def test_a_figure_after_a_comparison_word_with_no_figure_before_has_no_indicator(any_nlp):
    assert _facts("Pada 2023 tercatat naik dibanding tahun sebelumnya yang 11 kasus.",
                  any_nlp) == []


def test_a_compared_figures_year_is_not_the_period_of_the_next_paragraph(any_nlp):
    text = ("Dinas Kesehatan Kota Ambon merilis capaian program kesehatan ibu dan anak semester I "
            "2023.\n\nCakupan ASI eksklusif mencapai 58,4 persen, naik dibanding semester I 2022 "
            "sebesar 52,9 persen.\n\nCakupan ASI eksklusif di Kecamatan Sirimau sudah 63 persen.")
    years = {value: year for _, value, year, _ in _facts(text, any_nlp)}
    assert years[52.9] == 2022 and years[63.0] != 2022


def test_a_change_ends_in_the_period_of_the_figures_before_it(any_nlp):
    text = ("Prevalensi stunting Kabupaten Aceh Utara menurut SKI 2023 sebesar 33,3 persen. "
            "Angka itu naik 4,2 persen poin dibanding hasil SSGI 2022 yang sebesar 29,1 persen.")
    years = {(value, kind): year for _, value, year, kind in _facts(text, any_nlp)}
    assert years[(4.2, "change")] == 2023 and years[(29.1, "observed")] == 2022


# -- which indicator a figure measures ---------------------------------------------------
def test_an_indicator_set_aside_with_selain_is_not_the_next_figures(any_nlp):
    text = ("Selain gizi buruk, Dinas Kesehatan Kabupaten Banggai pada 2023 mencatat 412 balita "
            "atau 6,1 persen mengalami wasting.")
    assert {(indicator, value) for indicator, value, *_ in _facts(text, any_nlp)} == {
        ("wasting", 412.0), ("wasting", 6.1)}

@pytest.mark.parametrize("text, value, indicator", [
    # a state word ties a figure to the indicator after it
    ("Di Kabupaten Banggai pada 2023, sebanyak 380 balita terindikasi stunting dan 905 "
     "balita atau 12,4 persen tergolong pendek sekali (stunting berat).",
     380.0, "stunting"),
    # a fronted topic is what the persons counted after it measure
    ("Dinas Kesehatan Kabupaten Banggai mencatat 55 kematian bayi pada 2023. Terkait "
     "gizi buruk, petugas menemukan tiga puluh satu balita yang dirujuk ke rumah sakit.",
     31.0, "severe_malnutrition"),
    # a share of a total stated with "merupakan" takes the indicator after it
    ("Pada 2023 Kabupaten Banggai mencatat 40 kematian bayi. Dari kematian bayi itu, "
     "sebanyak 27 di antaranya merupakan kematian neonatal.",
     27.0, "neonatal_mortality"),
    # a part named after "di antaranya" without a copula
    ("Kematian bayi di Kabupaten Banggai pada 2023 mencapai 67 kasus, dengan 45 di antaranya "
     "kematian neonatal.",
     45.0, "neonatal_mortality"),
    # persons said to have died are deaths, whatever the sentence before was about
    ("Di Kabupaten Banggai hingga Juni 2024 ada 21 balita gizi buruk yang ditangani "
     "puskesmas. Pada periode yang sama tahun lalu, jumlahnya 30 balita.\n\nSebaliknya, "
     "sampai akhir Juni tahun ini tercatat 37 bayi meninggal dunia, sementara tahun lalu 29 "
     "bayi.",
     37.0, "infant_mortality"),
    # persons counted after a month take the indicator before it
    ("Di Kabupaten Banggai, bayi dengan berat badan lahir rendah (BBLR) hingga September "
     "2023 tercatat 208 bayi.",
     208.0, "low_birth_weight"),
])
def test_the_indicator_a_figure_measures(any_nlp, text, value, indicator):
    measured = {figure: code for code, figure, *_ in _facts(text, any_nlp)}
    assert measured[value] == indicator


def test_an_area_with_its_own_figure_after_a_figure_is_not_that_figures(any_nlp):
    text = ("Untuk stunting, Kabupaten Banggai berada di urutan teratas dengan 1.204 kasus pada "
            "2023, disusul Kabupaten Tojo Una-Una 988 kasus.")
    facts = {value: area for _, value, _, area, *_ in
             [(f.indicator, f.value, f.unit, f.location) for f in
              mchnlp.extract(text, None, nlp=any_nlp)]}
    assert facts[1204.0] == "Kabupaten Banggai"
    assert facts[988.0] == "Kabupaten Tojo Una Una"  # the official spelling


def test_a_period_after_yang_sama_is_compared_not_carried(nlp):
    text = ("Dinas Kesehatan Kabupaten Sambas mengukur balita pada Mei 2024. Prevalensi stunting "
            "tercatat 18,8 persen. Pada bulan yang sama tahun lalu, angkanya 21,3 persen.\n\n"
            "Lima kecamatan tertinggi tercantum dalam tabel berikut:\n\n"
            "Kecamatan | Balita Stunting | Prevalensi (%)\nTebas | 310 | 24,5\n"
            "Pemangkat | 228 | 20,9\n")
    years = {value: year for _, value, year, _ in _facts(text, nlp, "2024-06-10")}
    assert years[21.3] == 2023
    assert years[24.5] == 2024 and years[20.9] == 2024


def test_a_papua_distrik_is_named_like_every_kecamatan(nlp):
    facts = mchnlp.extract("Pada 2023 Distrik Sentani mencatat 12 kasus gizi buruk.", None,
                           nlp=nlp)
    assert [(f.location, f.location_code) for f in facts] == [("Kecamatan Sentani", "91.03.01")]


def test_an_indicator_named_as_a_cause_is_not_what_the_figure_counts(any_nlp):
    text = ("Dinas Kesehatan Kabupaten Banggai mencatat 40 kematian bayi pada 2023. Kematian "
            "terbanyak terjadi di rumah sakit, yakni 23 kasus, dengan penyebab utama asfiksia "
            "dan berat badan lahir rendah.")
    facts = {value: indicator for indicator, value, *_ in _facts(text, any_nlp)}
    assert facts.get(23.0) != "low_birth_weight"




def test_the_period_of_the_figure_a_change_starts_from_is_not_carried(nlp):
    text = ("Dinas Kesehatan Provinsi Nusa Tenggara Timur merekap kematian ibu dan bayi "
            "sepanjang 2022.\n\nKematian ibu di Kabupaten Belu naik menjadi 9 kasus dari 6 kasus "
            "pada 2021, atau bertambah tiga kasus. Kematian bayi di kabupaten tersebut tercatat "
            "64 kasus.")
    years = {value: year for _, value, year, _ in _facts(text, nlp, "2023-02-10")}
    assert years[6.0] == 2021
    assert years[64.0] == 2022


def test_persons_an_indicator_counts_closing_their_clause_continue_it(any_nlp):
    text = ("Kematian ibu di Kabupaten Alor tahun lalu 14 kasus. Kematian bayi juga begitu. "
            "Semester pertama 2024 sudah enam puluh tiga bayi.")
    assert [(f.indicator, f.value) for f in mchnlp.extract(text, nlp=any_nlp)] == [
        ("maternal_mortality", 14.0), ("infant_mortality", 63.0)]


def test_counted_persons_a_verb_follows_do_not_continue_the_indicator(rule_nlp):
    text = "Kematian bayi di Kabupaten Alor turun. Pada 2024 sebanyak 500 bayi diimunisasi."
    assert mchnlp.extract(text, nlp=rule_nlp) == []


def test_a_plans_baseline_column_holds_observed_figures(any_nlp):
    text = ("Sasaran RPJMD Kabupaten Alor\n\n"
            "Indikator | Satuan | Baseline 2022 | Target 2025 | Target 2026\n"
            "Prevalensi stunting | % | 24,6 | 19,0 | 16,5\n"
            "Jumlah kematian ibu | kasus | 11 | 8 | 6\n")
    facts = _facts(text, any_nlp, "2024-01-10")
    assert ("stunting", 24.6, 2022, "observed") in facts
    assert ("maternal_mortality", 11.0, 2022, "observed") in facts
    assert ("stunting", 19.0, 2025, "target") in facts


def test_percentage_points_are_a_change(any_nlp):
    text = ("Prevalensi stunting di Kabupaten Alor pada 2023 turun tajam, 5,2 poin persen, "
            "sehingga kini 21,3 persen.")
    facts = [(f.value, f.unit, f.kind) for f in mchnlp.extract(text, "2024-01-10", nlp=any_nlp)]
    assert (5.2, "percent", "change") in facts
    assert (21.3, "percent", "observed") in facts


def test_a_percent_of_a_budget_is_no_figure(any_nlp):
    text = ("Prevalensi stunting di Kabupaten Alor pada 2023 sebesar 21,3 persen. Setiap desa "
            "wajib mengalokasikan 10 persen dana desa untuk gizi.")
    assert [f[1] for f in _facts(text, any_nlp, "2024-01-10")] == [21.3]


def test_a_number_of_numbers_is_no_figure_but_of_an_indicator_is(any_nlp):
    text = ("Berapa stunting di Kabupaten Alor pada 2023? Ada tiga angka yang beredar. "
            "AKB Provinsi NTT pada 2023 mencapai 31,2 angka kematian bayi.")
    assert [f[1] for f in _facts(text, any_nlp, "2024-01-10")] == [31.2]


def test_a_sentence_of_a_period_and_a_figure_continues_the_figure_before(any_nlp):
    text = ("Kematian ibu di Kabupaten Alor tahun lalu tercatat lima kasus. Tahun sebelumnya "
            "delapan. Dari 40 kematian bayi pada 2023, 15 adalah kematian neonatal.")
    facts = _facts(text, any_nlp, "2024-05-10")
    assert ("maternal_mortality", 8.0, 2022, "observed") in facts
    assert ("neonatal_mortality", 15.0, 2023, "observed") in facts


def test_the_figure_of_a_measured_level_noun_is_the_one_area_of_that_level(any_nlp):
    text = ("Prevalensi stunting Kabupaten Sumba Timur pada 2023 sebesar 33,1 persen, di atas "
            "Provinsi Nusa Tenggara Timur. Prevalensi provinsi sendiri pada tahun yang sama "
            "29,8 persen.\n\nDi Kecamatan Pahunga Lodu jumlah balita stunting 210 anak pada "
            "2023. Angka kecamatan ini jauh di atas rata-rata kabupaten yang tercatat 18,2 "
            "persen.")
    areas = _areas(text, any_nlp, "2024-02-01")
    assert areas[29.8] == "Provinsi Nusa Tenggara Timur"
    assert areas[18.2] == "Kabupaten Sumba Timur"
    assert areas[210.0] == "Kecamatan Pahunga Lodu"


def test_a_figure_of_what_is_not_is_no_figure(any_nlp):
    text = ("Cakupan ASI eksklusif di Kabupaten Alor pada 2023 baru 58 persen. Dengan kata "
            "lain, sekitar 42 persen bayi tidak mendapat ASI eksklusif. Cakupan imunisasi "
            "dasar lengkap 81 persen, dan masih ada 930 anak yang belum pernah mendapat "
            "imunisasi dasar lengkap. Sebanyak 12 bayi tidak tertolong dan kematian bayi "
            "tahun itu mencapai 40 kasus.")
    values = {f[1] for f in _facts(text, any_nlp, "2024-02-01")}
    assert {58.0, 81.0, 40.0} <= values and not values & {42.0, 930.0}
    # "tidak tertolong" denies no indicator: the deaths are still a figure
    assert "12 bayi" in [e.text for e in any_nlp(text).ents if e.label_ == "COUNT"]


def test_the_same_period_is_the_storys_period(any_nlp):
    text = ("Dinas Kesehatan Kabupaten Ende mencatat enam kasus kematian ibu hingga Agustus 2024, "
            "lebih rendah dibanding tahun lalu dan dua tahun lalu sebanyak 10 kasus.\n\n"
            "Sementara itu, kematian bayi di daerah itu masih 41 kasus pada periode yang sama.")
    facts = _facts(text, any_nlp, "2024-09-10")
    assert ("infant_mortality", 41.0, 2024, "observed") in facts


def test_an_area_in_a_relative_clause_leaves_the_figure_to_the_subject(any_nlp):
    text = ("Prevalensi stunting Kabupaten Kupang pada 2023 sebesar 26,1 persen. Kota Kupang, "
            "yang berbatasan langsung dengan Kabupaten Kupang, mencatat 17,4 persen.")
    areas = _areas(text, any_nlp, "2024-01-01")
    assert areas == {26.1: "Kabupaten Kupang", 17.4: "Kota Kupang"}


def test_a_compared_area_keeps_the_figure_of_its_own_relative_clause(any_nlp):
    text = ("Kematian bayi di Kabupaten Sorong sepanjang 2023 mencapai 31 kasus, lebih banyak "
            "dibanding Kota Sorong yang hanya mencatat 12 kasus.")
    areas = _areas(text, any_nlp, "2024-01-01")
    assert areas == {31.0: "Kabupaten Sorong", 12.0: "Kota Sorong"}


def test_the_level_a_comparison_reaches_is_of_the_sentences_own_period(any_nlp):
    text = ("Kematian ibu di Provinsi Maluku pada 2021 tercatat 64 kasus. Pada 2022, kematian "
            "ibu di provinsi itu turun 9 kasus dibanding tahun sebelumnya, menjadi 55 kasus.")
    facts = _facts(text, any_nlp, "2023-03-01")
    assert ("maternal_mortality", 55.0, 2022, "observed") in facts
    assert ("maternal_mortality", 64.0, 2021, "observed") in facts


def test_the_part_of_a_figure_from_an_area_is_that_areas(any_nlp):
    text = ("Sepanjang 2023 Dinas Kesehatan Kabupaten Kepulauan Sula mencatat 27 kasus kematian "
            "bayi, dan sembilan di antaranya berasal dari Kecamatan Mangoli Utara.")
    areas = _areas(text, any_nlp, "2024-01-01")
    assert areas == {27.0: "Kabupaten Kepulauan Sula", 9.0: "Kecamatan Mangoli Utara"}


@pytest.mark.parametrize("text, expected", [
    ("Sepanjang 2023, Dinas Kesehatan Kabupaten Buru mencatat 7 kasus kematian ibu dan 21 bayi "
     "meninggal sebelum berusia satu tahun.",
     [("maternal_mortality", 7.0), ("infant_mortality", 21.0)]),
    ("Sepanjang 2023, Dinas Kesehatan Kabupaten Buru mencatat 40 kasus kematian bayi dan "
     "empat ibu meninggal saat melahirkan.",
     [("infant_mortality", 40.0), ("maternal_mortality", 4.0)]),
])
def test_deaths_counted_by_who_died_are_theirs_after_another_mortality(nlp, text, expected):
    assert [(i, v) for i, v, *_ in _facts(text, nlp)] == expected


def test_an_agency_named_in_an_earlier_sentence_is_no_area_of_a_later_figure(nlp):
    text = ("Angka Stunting Kabupaten Solok Turun\n\nAROSUKA – Kabar baik datang dari Kabupaten "
            "Solok. Hasil survei yang dirilis Kementerian Kesehatan beberapa waktu lalu mencatat "
            "prevalensi stunting di kabupaten ini 24,2 persen pada 2023. Sebelumnya, pada 2021 "
            "angkanya 31,4 persen.")
    assert _areas(text, nlp, None) == {24.2: "Kabupaten Solok", 31.4: "Kabupaten Solok"}


def test_a_number_spelled_out_in_brackets_is_one_figure(any_nlp):
    text = ("Dinas Kesehatan Kabupaten Sumba Barat mencatat 12 (dua belas) kasus kematian ibu "
            "pada 2023.")
    assert _facts(text, any_nlp) == [("maternal_mortality", 12.0, 2023, "observed")]
    # the unit after the brackets is the figure's
    text = ("Prevalensi stunting Kabupaten Sumba Barat pada 2023 mencapai 24 (dua puluh empat) "
            "persen.")
    assert [f.unit for f in mchnlp.extract(text, nlp=any_nlp)] == ["percent"]


def test_the_figures_of_a_list_of_targets_are_targets(any_nlp):
    text = ("Pemerintah Kabupaten Kolaka menargetkan prevalensi stunting turun menjadi 18 persen "
            "pada 2025, 16 persen pada 2026 dan 12 persen pada 2029. Tahun ini capaiannya 21,4 "
            "persen.")
    assert _facts(text, any_nlp, "2024-07-01") == [
        ("stunting", 18.0, 2025, "target"), ("stunting", 16.0, 2026, "target"),
        ("stunting", 12.0, 2029, "target"), ("stunting", 21.4, 2024, "observed")]


@pytest.mark.parametrize("text, kinds", [
    ("Dalam APBD 2024, Pemkab Pesisir Selatan mengalokasikan Rp 2,5 miliar untuk menurunkan "
     "stunting dari 25,2 persen pada 2023 menjadi 20 persen pada 2024.", ["observed", "target"]),
    ("Pemkab Pesisir Selatan berhasil menurunkan stunting dari 25,2 persen pada 2022 menjadi "
     "20 persen pada 2023.", ["observed", "observed"]),
])
def test_the_level_a_change_is_meant_to_reach_is_a_target(any_nlp, text, kinds):
    assert [kind for *_, kind in _facts(text, any_nlp)] == kinds


@pytest.mark.parametrize("text, values", [
    ("Ralat: dalam berita kemarin sebelumnya tertulis kematian bayi di Kabupaten Muna sepanjang "
     "2023 sebanyak 48 kasus. Yang benar adalah 38 kasus.", [38.0]),
    ("Benarkah Stunting di Kabupaten Timor Tengah Utara Capai 50 Persen?\n\nSebuah unggahan di "
     "media sosial menyebut prevalensi stunting di Kabupaten Timor Tengah Utara mencapai 50 "
     "persen. Faktanya, data Dinas Kesehatan menunjukkan prevalensi stunting pada 2023 sebesar "
     "26,4 persen.", [26.4]),
])
def test_a_retracted_or_checked_figure_is_no_fact(any_nlp, text, values):
    assert _values(text, any_nlp) == values


def test_the_counts_of_a_list_of_causes_or_places_of_death_are_no_facts(any_nlp):
    text = ("Dari 19 kematian ibu di Kabupaten Cianjur pada 2023, 8 kasus disebabkan perdarahan, "
            "5 kasus hipertensi dan 6 kasus lain-lain. Sebanyak 12 kasus terjadi di rumah sakit. "
            "Yang meninggal di rumah sakit ada 12, sisanya di rumah.")
    assert _values(text, any_nlp) == [19.0]
    # a change explained by a cause is no list of causes
    text = ("Kematian ibu di Kota Banjar pada 2021 membaik karena turun menjadi 14 kasus, dan "
            "pada 2022 turun menjadi 9 kasus.")
    assert _values(text, any_nlp) == [14.0, 9.0]


def test_counts_after_an_indicator_named_as_a_cause_are_no_facts(any_nlp):
    text = ("Kematian bayi di Kabupaten Sumbawa pada 2023 sebanyak 71 kasus. Penyebab terbanyak "
            "adalah BBLR 18 kasus, asfiksia 15 kasus dan pneumonia 9 kasus.")
    assert [(indicator, value) for indicator, value, *_ in _facts(text, any_nlp)] == [
        ("infant_mortality", 71.0)]


def test_a_figure_after_a_comparison_sign_is_a_threshold(any_nlp):
    text = ("Prevalensi stunting Kabupaten Wonosobo pada 2023 sebesar 19,5 persen, masuk kategori "
            "rendah (< 20%); kategori sangat tinggi bila ≥ 40%.")
    assert _values(text, any_nlp) == [19.5]


def test_the_counts_of_the_phases_deaths_happened_in_are_no_facts(any_nlp):
    text = ("Kematian ibu di Kabupaten Sumbawa pada 2023 sebanyak 14 kasus. Paling banyak terjadi "
            "pada masa nifas (7 kasus), disusul masa persalinan (4 kasus); 3 kasus terjadi pada "
            "masa kehamilan.")
    assert _values(text, any_nlp) == [14.0]
    # the phases that define the deaths counted are no breakdown
    text = ("Sepanjang 2023, sembilan ibu meninggal dunia saat hamil, bersalin maupun nifas di "
            "Kabupaten Sumbawa.")
    assert _values(text, any_nlp) == [9.0]


def test_a_period_stated_once_in_a_heading_or_lead_dates_the_figures_after_it(any_nlp):
    text = ("Laporan Dinas Kesehatan Kabupaten Sumba Timur\n\n"
            "Capaian Triwulan III 2024\n\n"
            "Kematian bayi tercatat 19 kasus. Cakupan imunisasi dasar lengkap 71,5 persen.")
    assert {(value, year) for _, value, year, _ in _facts(text, any_nlp, "2024-11-02")} == {
        (19.0, 2024), (71.5, 2024)}
    text = ("Dinas Kesehatan Kota Kupang merilis capaian program gizi semester I 2023 pada Kamis "
            "(3/8/2023).\n\nCakupan ASI eksklusif mencapai 58,4 persen, naik dibanding "
            "semester I 2022 sebesar 52,9 persen. Cakupan K4 sebesar 74,2 persen.")
    assert {(value, year) for _, value, year, _ in _facts(text, any_nlp, "2023-08-04")} == {
        (58.4, 2023), (52.9, 2022), (74.2, 2023)}
    # a photo credit, a target's year or the period compared with is stated for nothing
    doc = any_nlp("Foto: UNICEF/2022\n\nPemerintah menargetkan prevalensi stunting turun "
                  "pada 2025. Angkanya naik dibanding tahun 2022. Sepanjang 2023, kasus gizi "
                  "buruk menurun.")
    assert [doc[k].text for k in stated_periods(doc, None)[0]] == ["2023"]


def test_a_list_of_targets_joined_by_sebesar_are_targets_of_their_years(any_nlp):
    text = ("Capaian imunisasi dasar lengkap Kabupaten Boyolali tahun 2024 sebesar 91,2 persen. "
            "Target RPJMD untuk 2025 sebesar 93 persen dan 2026 sebesar 95 persen.")
    assert _facts(text, any_nlp, "2024-07-01") == [
        ("complete_basic_immunization", 91.2, 2024, "observed"),
        ("complete_basic_immunization", 93.0, 2025, "target"),
        ("complete_basic_immunization", 95.0, 2026, "target")]


@pytest.mark.parametrize("text, expected", [
    ("Untuk tahun depan, Dinas Kesehatan Kabupaten Bima menargetkan kematian ibu turun menjadi "
     "9 kasus dan kematian bayi menjadi 80 kasus.",
     [("maternal_mortality", 9.0, 2025, "target"), ("infant_mortality", 80.0, 2025, "target")]),
    ("Target RPJMD Kota Tidore Kepulauan tahun 2026: AKB 8 per 1.000 KH dan AKI 120 per "
     "100.000 KH.", [("infant_mortality", 8.0, 2026, "target"),
                     ("maternal_mortality", 120.0, 2026, "target")]),
    ("Pemkab Tapin menargetkan kematian bayi sepanjang tahun ini tidak lebih dari 30 kasus.",
     [("infant_mortality", 30.0, 2024, "target")]),
])
def test_a_target_reaches_every_item_of_its_list(any_nlp, text, expected):
    assert _facts(text, any_nlp, "2024-03-01") == expected


def test_a_clause_pointing_to_the_kabupaten_leaves_the_figure_to_its_kecamatan(any_nlp):
    text = ("Dinas Kesehatan Kabupaten Bone mencatat 58 kematian bayi pada 2023. Kecamatan Tanete "
            "Riattang, yang menjadi ibu kota kabupaten, menyumbang 14 kasus. Kecamatan Awangpone, "
            "wilayah pesisir di utara kabupaten, mencatat 6 kasus.")
    assert _areas(text, any_nlp, "2024-01-01") == {
        58.0: "Kabupaten Bone", 14.0: "Kecamatan Tanete Riattang", 6.0: "Kecamatan Awangpone"}


@pytest.mark.parametrize("text, values", [
    pytest.param("Di Kabupaten Kapuas, jumlah kelahiran hidup pada periode yang sama sebanyak "
                 "3.120 bayi, sehingga angka kematian bayi sebesar 9,6 per 1.000 kelahiran "
                 "hidup.", [9.6], id="births named before their period are a denominator"),
    pytest.param("Di Kabupaten Lombok Tengah, kabupaten dengan jumlah penduduk terbanyak di NTB, "
                 "tercatat 14 kematian ibu dan 88 kematian bayi.", [14.0, 88.0],
                 id="a population ranked by a superlative is no subject"),
    pytest.param("Tabel 2.4 Capaian Indikator Kinerja Kabupaten Barru Tahun 2023\n\n"
                 "Indikator | Satuan | Target | Realisasi | Keterangan\n"
                 "Persentase Bayi Mendapat ASI Eksklusif | % | 65 | 58,3 | Belum tercapai\n"
                 "Persentase Imunisasi Dasar Lengkap | % | 95 | 97,1 | Tercapai\n",
                 [65.0, 58.3, 95.0, 97.1],
                 id="a negation in a table row does not reach the next row"),
    pytest.param("AKI Kabupaten Kampar pada 2015 tercatat 180 per 100.000 kelahiran hidup, "
                 "sedangkan sasaran penurunan angka bayi dari 31 menjadi 24 per 1000 kelahiran "
                 "hidup.", [180.0, 31.0, 24.0], id="an aim is no group aimed at"),
])
def test_what_stands_before_a_figure_in_its_clause_or_row(any_nlp, text, values):
    assert _values(text, any_nlp) == values


def test_an_area_after_a_comparison_keeps_no_figure_but_its_own(nlp):
    text = ("Kepala Dinas Kesehatan Kabupaten Sumbawa mengatakan stunting turun. Target kami "
            "tahun 2024 sebesar 14 persen, sama dengan target nasional. Cakupan imunisasi dasar "
            "lengkap 2023 mencapai 90,4 persen. Kabupaten Toraja Utara mencatat 7 kematian ibu, "
            "lebih sedikit dibandingkan Kabupaten Tana Toraja, dan 41 kematian bayi.")
    assert _areas(text, nlp, "2024-05-01") == {
        14.0: "Kabupaten Sumbawa", 90.4: "Kabupaten Sumbawa", 7.0: "Kabupaten Toraja Utara",
        41.0: "Kabupaten Toraja Utara"}


def test_a_list_item_whose_name_follows_its_figures_is_that_names(any_nlp):
    text = ("Dari 9.870 balita yang diukur di Kabupaten Seluma pada 2023, sebanyak 702 balita "
            "(7,1%) mengalami stunting, 215 balita (2,2%) wasting, dan 9 balita gizi buruk.")
    assert [(indicator, value) for indicator, value, *_ in _facts(text, any_nlp)] == [
        ("stunting", 702.0), ("stunting", 7.1), ("wasting", 215.0), ("wasting", 2.2),
        ("severe_malnutrition", 9.0)]


def test_a_sentence_opening_with_the_country_gives_it_the_figures(any_nlp):
    text = ("AKB Kabupaten Klungkung pada 2023 sebesar 5,8 per 1.000 kelahiran hidup. Secara "
            "nasional, AKB hasil Long Form SP2020 sebesar 16,85 per 1.000 kelahiran hidup, "
            "sehingga capaian Klungkung jauh lebih baik.")
    assert _areas(text, any_nlp, "2024-03-01") == {5.8: "Kabupaten Klungkung",
                                                   16.85: "Indonesia"}


def test_the_items_under_a_heading_line_are_of_its_period_and_kind(any_nlp):
    text = ("Capaian Kabupaten Wakatobi tahun 2023:\n1. Kematian ibu 3 kasus\n2. Stunting 19,4 "
            "persen\n\nTarget Renstra tahun 2025:\n- kematian ibu maksimal 1 kasus;\n- "
            "cakupan IDL 95 %.\n")
    assert _facts(text, any_nlp, "2024-02-01") == [
        ("maternal_mortality", 3.0, 2023, "observed"), ("stunting", 19.4, 2023, "observed"),
        ("maternal_mortality", 1.0, 2025, "target"),
        ("complete_basic_immunization", 95.0, 2025, "target")]


def test_the_items_under_a_heading_take_the_data_and_the_area_it_points_to(any_nlp):
    text = ("PALU, SULTENG - Dinas Kesehatan provinsi merilis data bulan timbang. Menurut data "
            "e-PPGBM Agustus 2023, prevalensi stunting Kabupaten Sigi 17,3 persen. Kecamatan "
            "dengan prevalensi tertinggi menurut data yang sama:\n1. Kecamatan Pipikoro 26,1 "
            "persen\n2. Kecamatan Kulawi 22,8 persen\n\nAdapun prevalensi stunting tingkat "
            "provinsi:\n- SSGI 2021: 29,7 persen\n- SSGI 2022: 28,2 persen\n")
    facts = [(f.value, f.location, f.year)
             for f in mchnlp.extract(text, "2024-05-02", nlp=any_nlp)]
    assert facts == [(17.3, "Kabupaten Sigi", 2023), (26.1, "Kecamatan Pipikoro", 2023),
                     (22.8, "Kecamatan Kulawi", 2023),
                     (29.7, "Provinsi Sulawesi Tengah", 2021),
                     (28.2, "Provinsi Sulawesi Tengah", 2022)]


def test_a_report_fronted_by_its_area_and_a_plan_named_by_its_level(nlp):
    from mchnlp.structure.areas import anaphor_areas, clause_subject_areas

    text = ("Kepala Dinas Kesehatan Kabupaten Kepulauan Sula melaporkan 23 kematian bayi "
            "sepanjang 2023. Dari Kota Tidore Kepulauan, Kepala Bidang Kesmas melaporkan 8 "
            "kematian bayi pada periode yang sama.\n\nKepala Dinas Kesehatan Provinsi Maluku "
            "Utara memaparkan 212 kematian bayi pada 2023. Target RPJMD provinsi untuk tahun "
            "2024 adalah 170 kasus.")
    doc = nlp(text)
    subjects = {doc[start].text: area.text for start, area in clause_subject_areas(doc).items()}
    assert subjects.get("8") == "Kota Tidore Kepulauan"
    assert [area.text for area in anaphor_areas(doc).values()] == ["Provinsi Maluku Utara"]
    assert _areas(text, nlp, "2024-03-05") == {
        23.0: "Kabupaten Kepulauan Sula", 8.0: "Kota Tidore Kepulauan",
        212.0: "Provinsi Maluku Utara", 170.0: "Provinsi Maluku Utara"}


def test_an_areas_bracketed_count_of_a_list_counts_what_the_list_counts(any_nlp):
    text = ("Hingga Juni 2024, Dinas Kesehatan Sumba Barat Daya mencatat 31 kematian bayi. "
            "Kematian terbanyak di Kecamatan Kodi (9 bayi), Kecamatan Loura (6) dan Kecamatan "
            "Wewewa Timur (4).")
    assert [(indicator, value) for indicator, value, *_ in _facts(text, any_nlp)] == [
        ("infant_mortality", 31.0), ("infant_mortality", 9.0), ("infant_mortality", 6.0),
        ("infant_mortality", 4.0)]


def test_a_month_of_a_relative_year_is_one_period(any_nlp):
    text = ("Prevalensi stunting Kabupaten Bantul hasil penimbangan Februari 2024 sebesar 7,9 "
            "persen, turun dibanding Februari tahun lalu sebesar 8,6 persen. Kematian bayi "
            "sepanjang Januari-Mei tahun ini tercatat 41 kasus.")
    assert [e.text for e in any_nlp(text).ents if e.label_ == "DATE"] == [
        "Februari 2024", "Februari tahun lalu", "Januari-Mei tahun ini"]
    assert [(value, year) for _, value, year, _ in _facts(text, any_nlp, "2024-06-20")] == [
        (7.9, 2024), (8.6, 2023), (41.0, 2024)]


def test_what_a_number_counts_is_no_subject_of_the_figure_after_it(any_nlp):
    text = ("Pada Agustus 2024, dari 18.420 balita yang diukur di 310 posyandu Kabupaten "
            "Konawe Selatan, tercatat 903 balita wasting (4,9 persen).")
    assert [(indicator, value) for indicator, value, *_ in _facts(text, any_nlp)] == [
        ("wasting", 903.0), ("wasting", 4.9)]


def test_a_compared_area_with_its_period_and_own_clause_takes_its_figure(nlp):
    from mchnlp.structure.areas import clause_subject_areas

    text = ("Prevalensi stunting Kabupaten Kolaka Utara pada SKI 2023 tercatat 27,5 persen, "
            "masih di atas rata-rata Provinsi Sulawesi Tenggara pada SKI 2023 yang sebesar "
            "24,7 persen.")
    doc = nlp(text)
    subjects = {doc[start].text: area.text for start, area in clause_subject_areas(doc).items()}
    assert subjects.get("24,7") == "Provinsi Sulawesi Tenggara"
    assert _areas(text, nlp, "2024-06-01") == {27.5: "Kabupaten Kolaka Utara",
                                               24.7: "Provinsi Sulawesi Tenggara"}


@pytest.mark.parametrize("text", [
    "Prevalensi stunting Kabupaten Buol 2023 sebesar 26,4 persen, padahal batas WHO adalah 20 "
    "persen.",
    "Prevalensi wasting Kabupaten Buol 2023 sebesar 4,1 persen, di bawah ambang batas 5 persen.",
    "Prevalensi stunting Kabupaten Buol 2023 sebesar 26,4 persen. Batas yang dianggap masalah "
    "kesehatan masyarakat oleh WHO adalah 20 persen.",
    "Prevalensi stunting Kabupaten Buol 2023 sebesar 26,4 persen. Daerah dengan prevalensi di "
    "atas 30 persen, batas zona merah, mendapat pendampingan.",
])
def test_a_threshold_is_no_figure(any_nlp, text):
    assert len(_values(text, any_nlp)) == 1


def test_a_target_called_a_limit_stays_a_figure(any_nlp):
    text = "Sepanjang 2023 kematian ibu di Kota Palu 13 kasus, melampaui batas target 10 kasus."
    assert _values(text, any_nlp) == [13.0, 10.0]


def test_each_figure_before_a_list_of_bare_kecamatan_goes_to_every_member(any_nlp):
    # the text never says "kecamatan": the list of three bare names of kecamatan of the
    # kabupaten it names is enough, and "masing-masing" gives each of them the figure
    text = ("Dinas Kesehatan Kabupaten Pidie Jaya mencatat 7 kematian ibu sepanjang 2023, "
            "masing-masing dua kasus di Meureudu, Bandar Baru dan Ulim.")
    facts = [(f.value, f.location) for f in mchnlp.extract(text, "2024-01-10", nlp=any_nlp)]
    assert facts == [(7.0, "Kabupaten Pidie Jaya"), (2.0, "Kecamatan Meureudu"),
                     (2.0, "Kecamatan Bandar Baru"), (2.0, "Kecamatan Ulim")]


FIGURE_PERIODS = [
    pytest.param(
        "Kini cakupan imunisasi dasar lengkap Kabupaten Sumba Timur mencapai 78 persen. Adapun "
        "kematian bayi di Indonesia setiap tahun mencapai 30.000 kasus.",
        "2024-05-01", [(78.0, 2024), (30000.0, None)], id="said of every year"),
    pytest.param(
        "SIARAN PERS\nDINAS KESEHATAN KABUPATEN KEPULAUAN SULA\nNomor: 440/52/DINKES/II/2024"
        "\n\nSanana, 27 Februari 2024 – Dinas Kesehatan Kabupaten Kepulauan Sula menyampaikan "
        "data kematian ibu dan bayi tahun 2023 sebagai bahan evaluasi program. Jumlah kematian "
        "ibu sebanyak 4 (empat) kasus, sedangkan kematian bayi mencapai 37 kasus. Angka "
        "tersebut turun dibandingkan tahun 2022, yaitu 6 kasus kematian ibu dan 45 kasus "
        "kematian bayi.",
        "2024-02-28", [(4.0, 2023), (37.0, 2023), (6.0, 2022), (45.0, 2022)],
        id="lead after a dated dateline"),
    pytest.param(
        "Cakupan ASI Eksklusif di Kabupaten Nagekeo Baru 57 Persen\n\nMBAY - Dinas Kesehatan "
        "Kabupaten Nagekeo mencatat cakupan ASI eksklusif hingga Juni 2024 baru 57,4 persen.",
        "2024-07-15", [(57.0, 2024), (57.4, 2024)], id="headline rounding a body figure"),
    pytest.param(
        "Kematian Bayi di Kota Tanjungpinang Turun pada Semester Pertama\n\nDinas Kesehatan "
        "kota ini memaparkan laporan kinerja di hadapan Wali Kota, Senin (15/7).\n\nCapaian "
        "Semester I 2024\n\nSelama Januari hingga Juni tercatat 19 kematian bayi, lebih "
        "rendah dibanding periode yang sama tahun lalu sebanyak 26 kasus.",
        "2024-07-16", [(19.0, 2024), (26.0, 2023)], id="compared period after a figure"),
]


@pytest.mark.parametrize("text, published, expected", FIGURE_PERIODS)
def test_the_period_of_each_figure(any_nlp, text, published, expected):
    # a figure said of every year has no one year; a lead's one period frames the next
    # sentence after a dated dateline too; a headline that rounds a body figure takes its
    # period; a compared period after a figure dates the compared figure only
    assert [(value, year) for _, value, year, _ in _facts(text, any_nlp, published)] == expected


def test_a_part_said_to_be_an_indicator_past_its_share_is_that_indicator(any_nlp):
    text = ("Kematian bayi di Kabupaten Sigi tahun 2023 berjumlah 61, dan sebanyak 40 di "
            "antaranya (65,6%) merupakan kematian neonatal.")
    assert [(indicator, value) for indicator, value, *_ in _facts(text, any_nlp)][:2] == [
        ("infant_mortality", 61.0), ("neonatal_mortality", 40.0)]


def test_a_section_number_and_a_target_population_are_no_figures(any_nlp):
    text = ("BAB III\nSITUASI DERAJAT KESEHATAN\n\n3.2 Kematian Neonatal\n\nJumlah kematian "
            "neonatal di Kabupaten Mukomuko pada 2022 sebanyak 19 kasus. Baru 2.310 anak yang "
            "menerima imunisasi dasar lengkap dari 3.402 sasaran bayi.")
    values = _values(text, any_nlp)
    assert 19.0 in values and 3.2 not in values and 3402.0 not in values


@pytest.mark.parametrize("text, expected", [
    ("Sepanjang 2023 di Kabupaten Bantaeng, sebanyak 1.120 ibu hamil mengalami anemia.",
     ("anemia_pregnant_women", 1120.0)),
    ("Sepanjang 2023 di Kabupaten Bantaeng, seperempat ibu hamil yang memeriksakan diri "
     "tercatat mengalami anemia.", ("anemia_pregnant_women", 25.0)),
    ("Sepanjang 2023 di Kabupaten Bantaeng, tercatat 96 bayi lahir dengan berat badan rendah.",
     ("low_birth_weight", 96.0)),
])
def test_a_group_said_to_be_in_a_condition_counts_that_indicator(any_nlp, text, expected):
    assert [(indicator, value) for indicator, value, *_ in _facts(text, any_nlp)] == [expected]


def test_an_area_compared_with_is_not_carried_to_the_next_sentence(nlp):
    text = ("Juru bicara pansus memaparkan cakupan imunisasi dasar lengkap Kabupaten Tapin pada "
            "2023 sebesar 88,1 persen. Cakupan K1 ibu hamil tercatat 95,3 persen dan K4 80,2 "
            "persen.\n\nMenurut pansus, cakupan K4 Kabupaten Tapin juga masih di bawah capaian "
            "Provinsi Kalimantan Selatan pada tahun yang sama, 84,0 persen.\n\nPansus juga "
            "mencatat 7 orang ibu meninggal dan 51 kematian bayi sepanjang 2023.")
    areas = _areas(text, nlp, "2024-04-01")
    assert areas[84.0] == "Provinsi Kalimantan Selatan"
    assert {areas[value] for value in (88.1, 95.3, 80.2, 7.0, 51.0)} == {"Kabupaten Tapin"}


POINTED_BACK_BEFORE_A_COMPARISON = (
    "Dinas Kesehatan Kabupaten Yahukimo mencatat 204 kasus gizi buruk pada semester I 2024. "
    "Prevalensi wasting kabupaten tersebut pada periode yang sama mencapai 11,3 persen, lebih "
    "tinggi dari angka Provinsi Papua Pegunungan yang sebesar 8,6 persen.")


@pytest.mark.parametrize("text, published, expected", [
    pytest.param("Dinas Kesehatan Kabupaten Takalar mencatat 48 kematian bayi pada 2022. Pada "
                 "2022, Kecamatan Galesong Utara mencatat kematian bayi terbanyak, yaitu 11 kasus. "
                 "Kecamatan Pattallassang, yang menjadi pusat pemerintahan, 4 kasus.",
                 "2023-03-01", {48.0: "Kabupaten Takalar", 11.0: "Kecamatan Galesong Utara",
                                4.0: "Kecamatan Pattallassang"},
                 id="an area that reports a figure is its subject"),
    pytest.param(POINTED_BACK_BEFORE_A_COMPARISON, "2024-08-01",
                 {204.0: "Kabupaten Yahukimo", 11.3: "Kabupaten Yahukimo",
                  8.6: "Provinsi Papua Pegunungan"},
                 id="the figure before a compared area is the pointed-back area's"),
])
def test_the_subject_of_a_clause_owns_its_figure(nlp, text, published, expected):
    assert _areas(text, nlp, published) == expected


def test_the_figure_before_a_compared_area_is_the_pointed_back_areas(nlp):
    doc = nlp(POINTED_BACK_BEFORE_A_COMPARISON)
    subjects = {doc[start].text: area.text for start, area in clause_subject_areas(doc).items()}
    assert subjects.get("11,3") == "Kabupaten Yahukimo"
    assert subjects.get("8,6") == "Provinsi Papua Pegunungan"


def test_a_figure_after_a_list_of_areas_is_the_wholes_again(nlp):
    text = ("TERNATE – Dinas Kesehatan Provinsi Maluku Utara mencatat 214 kematian bayi sepanjang "
            "2023. Kasus terbanyak di Kabupaten Halmahera Selatan (48 kasus), diikuti Kabupaten "
            "Halmahera Utara (39), Kota Ternate (31) dan Kabupaten Pulau Morotai (12). Adapun "
            "kematian ibu pada 2023 berjumlah 29 kasus.")
    areas = _areas(text, nlp, "2024-02-01")
    assert areas[214.0] == areas[29.0] == "Provinsi Maluku Utara"
    assert areas[48.0] == "Kabupaten Halmahera Selatan" and areas[12.0] == "Kabupaten Pulau Morotai"
