import pytest
from hypothesis import given
from hypothesis import strategies as st

from mchnlp.knowledge.numbers import NumberReading, format_number, parse_digits, parse_number

CASES = [
    ("13,8", NumberReading(13.8)),
    ("1.234", NumberReading(1234)),
    ("4.005", NumberReading(4005)),
    ("1.011", NumberReading(1011)),
    ("234,7", NumberReading(234.7)),
    ("0,5", NumberReading(0.5)),
    ("100 ribu", NumberReading(100_000)),
    ("100.000", NumberReading(100_000)),
    ("1,2 juta", NumberReading(1_200_000)),
    ("sembilan", NumberReading(9)),
    ("sebelas", NumberReading(11)),
    ("dua belas", NumberReading(12)),
    ("seratus", NumberReading(100)),
    ("seribu", NumberReading(1000)),
    ("seratus empat puluh lima", NumberReading(145)),
    ("dua ratus empat puluh lima", NumberReading(245)),
    ("tiga ribu dua ratus", NumberReading(3200)),
    ("seribu lima ratus", NumberReading(1500)),
    ("satu", NumberReading(1)),
    ("setengah", NumberReading(0.5)),
    ("1 dari 4", NumberReading(25.0)),
    ("satu dari empat", NumberReading(25.0)),
    ("satu dari tiga", NumberReading(33.33)),  # a share as it is printed: two decimals
    ("1 dari 5", NumberReading(20.0)),
    ("10-12", NumberReading(10, 12)),
    ("antara 10 hingga 12", NumberReading(10, 12)),
    ("sekitar 800", NumberReading(800, None, "approx")),
    ("800-an", NumberReading(800, None, "approx")),
    ("lebih dari 50", NumberReading(50, None, "more_than")),
    ("kurang dari 3", NumberReading(3, None, "less_than")),
    ("hampir 62", NumberReading(62, None, "approx")),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "kasus", "angka", "dua kasus", "abc123"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_parse_number_type_error():
    with pytest.raises(TypeError, match="expects str"):
        parse_number(12)


@given(st.integers(min_value=0, max_value=10**12))
def test_integer_roundtrip(n):
    assert parse_digits(format_number(n)) == n


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_decimal_roundtrip(d):
    value = float(d)
    parsed = parse_number(format_number(value))
    assert parsed is not None and abs(parsed.value - value) < 1e-6


@pytest.mark.parametrize("words,expected", [
    (["separuh", "balita"], (50.0, "percent")),
    (["sepertiga", "ibu", "hamil"], (33.33, "percent")),
    (["setengah"], (0.5, None)),
])
def test_a_fraction_of_a_group_is_a_share_in_percent(words, expected):
    from mchnlp.knowledge.units import read_value

    number, unit = read_value(words)
    assert (number.value, unit) == expected


def test_a_headline_fraction_is_a_percent_fact(nlp):
    import mchnlp

    facts = mchnlp.extract("Hampir separuh balita di Kabupaten Asmat mengalami stunting pada "
                           "2022.", nlp=nlp)
    assert [(f.indicator, f.value, f.unit) for f in facts] == [("stunting", 50.0, "percent")]


@pytest.mark.parametrize("word,expected", [
    ("kasuss", "kasus"), ("prsen", "persen"), ("persn", "persen"), ("oraang", "orang"),
    ("balta", "balita"), ("kasus", "kasus"), ("bayi", "bayi"), ("kasih", "kasih"),
    ("pesan", "pesan"), ("psrn", "psrn"),
])
def test_a_unit_word_misspelled_by_one_letter_is_that_unit(word, expected):
    from mchnlp.knowledge.units import unit_word

    assert unit_word(word) == expected


def test_figures_with_misspelled_units_are_read(nlp):
    import mchnlp

    text = ("Dinas Kesehatan Kabupaten Alor mencatat kematian ibu sebnyak 7 kasuss pada 2023. "
            "Cakupan imunisasi dasar lengkap di Kabupaten Alor baru 61,2 prsen pada 2023.")
    facts = mchnlp.extract(text, nlp=nlp)
    assert [(f.indicator, f.value, f.unit) for f in facts] == [
        ("maternal_mortality", 7.0, "count"), ("complete_basic_immunization", 61.2, "percent")]


@pytest.mark.parametrize("text, expected", [
    ("dua puluh satu koma empat", 21.4), ("tiga koma dua lima", 3.25), ("koma", None),
    ("dua puluh koma", None), ("lima koma sebelas", None)])
def test_number_words_with_a_decimal_point(text, expected):
    reading = parse_number(text)
    assert (reading.value if reading else None) == expected


def test_a_spoken_decimal_is_one_figure(nlp):
    import mchnlp

    text = ("Prevalensi stunting di Kabupaten Halmahera Barat pada 2023 turun menjadi dua puluh "
            "satu koma empat persen.")
    assert [(f.value, f.unit) for f in mchnlp.extract(text, nlp=nlp)] == [(21.4, "percent")]
