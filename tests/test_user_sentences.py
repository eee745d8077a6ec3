"""Slips seen on sentences a user wrote (issue 18), on the shipped pipeline and on the rule
pipeline: the dateline's date, the present ("saat ini"), births as a denominator, and the
year of a target."""

import pytest

import mchnlp
from mchnlp.pipeline import build_rule_pipeline


@pytest.fixture(scope="module")
def rule_nlp():
    return build_rule_pipeline()


@pytest.fixture(params=["shipped", "rules"])
def any_nlp(request, nlp, rule_nlp):
    return nlp if request.param == "shipped" else rule_nlp


def _facts(text, nlp, published=None):
    return [(f.indicator, f.value, f.year, f.kind)
            for f in mchnlp.extract(text, published, nlp=nlp)]


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
