import datetime as dt

import pytest

import mchnlp
from mchnlp.knowledge.dates import (
    TimeReading,
    anaphoric_year_offset,
    coerce_published,
    detect_published,
    read_date,
)

PUB = dt.date(2024, 10, 31)
CASES = [
    ("2022", TimeReading(2022, "2022", "2022")),
    ("tahun 2021", TimeReading(2021, "2021", "2021")),
    ("Tahun ini", TimeReading(2024, "2024", "2024", relative=True)),
    ("tahun lalu", TimeReading(2023, "2023", "2023", relative=True)),
    ("Oktober 2024", TimeReading(2024, "2024-10", "2024-10")),
    ("Januari-Juni 2023", TimeReading(2023, "2023-01", "2023-06")),
    ("semester I 2023", TimeReading(2023, "2023-01", "2023-06")),
    ("triwulan III 2022", TimeReading(2022, "2022-07", "2022-09")),
    ("2017-2022", TimeReading(None, "2017", "2022")),
    ("2020/2021", TimeReading(None, "2020", "2021")),
    ("SSGI 2022", TimeReading(2022, "2022", "2022")),
    ("SDKI 2012", TimeReading(2012, "2012", "2012")),
    ("27/9", TimeReading(2024, "2024-09", "2024-09")),
    ("1/12/2022", TimeReading(2022, "2022-12", "2022-12")),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_read_date(text, expected):
    assert read_date(text, PUB) == expected


def test_relative_without_publication_date_is_unknown():
    assert read_date("tahun ini").year is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Home\n\nKamis, 31 Oktober 2024 - 19:50 WIB\n", dt.date(2024, 10, 31)),
        ("Kepada Kompas.com, Kamis (1/12/2022), Yuni", dt.date(2022, 12, 1)),
        ("Tidak ada tanggal di sini.", None),
    ],
)
def test_detect_published(text, expected):
    assert detect_published(text) == expected


@pytest.mark.parametrize("bad", ["31-10-2024", "kemarin", "2024/10/31"])
def test_coerce_published_rejects(bad):
    with pytest.raises(ValueError, match="published"):
        coerce_published(bad)


@pytest.mark.parametrize("text,offset", [("tahun sebelumnya", -1), ("Tahun  Sebelumnya", -1),
                                         ("setahun kemudian", 1), ("tahun berikutnya", 1),
                                         ("tahun lalu", None), ("2021", None), ("", None)])
def test_anaphoric_year_offset(text, offset):
    assert anaphoric_year_offset(text) == offset


@pytest.mark.parametrize("text, year", [("dua tahun lalu", 2022), ("3 tahun silam", 2021),
                                        ("tahun lalu", 2023), ("Dua tahun sebelumnya", 2022),
                                        ("setahun lalu", 2023)])
def test_years_ago_count_back_from_the_publication_date(text, year):
    assert read_date(text, "2024-05-06").year == year


def test_a_figure_of_two_years_ago_takes_that_year(nlp):
    facts = mchnlp.extract("Kasus kematian ibu di Kabupaten Ogan Komering Ilir tahun lalu "
                           "tercatat 16 kasus, turun dibandingkan dua tahun lalu yang mencapai "
                           "23 kasus.", "2024-05-06", nlp=nlp)
    assert {f.value: f.year for f in facts} == {16.0: 2023, 23.0: 2022}


def test_a_year_before_the_year_just_named_dates_the_figure_compared(nlp):
    text = ("Prevalensi stunting di Kabupaten Sikka turun menjadi 12,5 persen pada 2023, dari "
            "15,1 persen setahun sebelumnya.")
    assert [(f.value, f.year) for f in mchnlp.extract(text, "2024-03-01", nlp=nlp)] == [
        (12.5, 2023), (15.1, 2022)]


def test_a_year_counted_back_is_from_the_figure_it_is_compared_with(nlp):
    # the sentence before names 2022 for another figure; "setahun sebelumnya" counts back
    # from the year of the figure it is compared with in its own sentence
    text = ("Sepanjang 2023, Kota Bima mencatat 20 kasus gizi buruk, naik dari 15 kasus pada "
            "2022. Sebaliknya, Kabupaten Bima mencatat 30 kasus gizi buruk, turun dari 36 kasus "
            "setahun sebelumnya.")
    years = {f.value: f.year for f in mchnlp.extract(text, "2024-03-01", nlp=nlp)}
    assert years == {20.0: 2023, 15.0: 2022, 30.0: 2023, 36.0: 2022}


def test_a_year_counted_back_is_not_carried_to_the_next_sentence(nlp):
    text = ("Di Kabupaten Alor, kematian ibu tercatat 13 kasus pada 2023, naik dari 9 kasus pada "
            "tahun sebelumnya.\n\nAdapun di Kota Kupang tercatat 10 kasus kematian ibu.")
    years = {f.value: f.year for f in mchnlp.extract(text, "2024-03-01", nlp=nlp)}
    assert years == {13.0: 2023, 9.0: 2022, 10.0: 2023}


def test_a_relative_year_right_after_a_figure_is_that_figures(nlp):
    text = ("Sepanjang 2023, cakupan imunisasi dasar lengkap Kabupaten Alor mencapai 81,4 persen. "
            "Cakupan ASI eksklusif naik menjadi 68,3 persen dari 61,9 persen tahun lalu.")
    years = {f.value: f.year for f in mchnlp.extract(text, "2023-12-28", nlp=nlp)}
    assert years == {81.4: 2023, 68.3: 2023, 61.9: 2022}


def test_a_headline_period_that_is_compared_with_is_not_the_storys(nlp):
    text = ("Hingga September, Gizi Buruk di Kabupaten Alor Turun Dibanding Tahun Lalu\n\n"
            "Hingga September 2024, Dinas Kesehatan Kabupaten Alor mencatat 21 kasus gizi buruk. "
            "Pada periode yang sama tahun lalu tercatat 30 kasus.\n\n"
            "Cakupan ASI eksklusif pada periode tersebut mencapai 70,2 persen, naik dari 61,5 "
            "persen pada periode yang sama tahun lalu.")
    years = {f.value: f.year for f in mchnlp.extract(text, "2024-10-15", nlp=nlp)}
    assert years == {21.0: 2024, 30.0: 2023, 70.2: 2024, 61.5: 2023}


def test_the_one_period_of_a_sentence_without_figures_frames_the_next(nlp):
    text = ("Kabupaten Alor dan Kabupaten Lembata sama-sama mencatat penurunan stunting pada "
            "2023. Prevalensi stunting Kabupaten Alor turun menjadi 20,1 persen dari 24,5 persen "
            "pada 2022.")
    years = {f.value: f.year for f in mchnlp.extract(text, "2024-10-15", nlp=nlp)}
    assert years == {20.1: 2023, 24.5: 2022}
    # a sentence naming several periods frames nothing: the release date is not the period
    text = ("Data tahun 2023 dan 2024 baru dirilis pada Maret 2025. Kabupaten Alor mencatat 12 "
            "kasus kematian ibu.")
    years = {f.value: f.year for f in mchnlp.extract(text, "2024-10-15", nlp=nlp)}
    assert years[12.0] != 2025


@pytest.mark.parametrize("text, year", [("tiga tahun terakhir", None), ("setahun terakhir", None),
                                        ("satu dekade terakhir", None),
                                        ("akhir tahun lalu", 2023), ("akhir tahun ini", 2024)])
def test_a_span_counted_back_has_no_one_year_and_a_years_end_is_that_year(text, year):
    assert read_date(text, "2024-07-01").year == year


def test_a_figure_over_the_last_years_has_no_one_year(nlp):
    doc = nlp("Dalam lima tahun terakhir, kematian ibu di Kabupaten Ngada turun 14 kasus. Hingga "
              "akhir tahun lalu, prevalensi stunting Kabupaten Ngada tercatat 19,6 persen.")
    assert [ent.text for ent in doc.ents if ent.label_ == "DATE"] == [
        "lima tahun terakhir", "akhir tahun lalu"]
    facts = [(f.value, f.year) for f in mchnlp.extract(doc.text, "2024-07-01", nlp=nlp)]
    assert facts == [(14.0, None), (19.6, 2023)]
