"""Abuse: arbitrary unicode, control characters, giant tokens, long texts."""


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mchnlp

SENTENCE = "Pada tahun 2022 kematian ibu di Kabupaten Kupang sebanyak 14 kasus. "


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=0, max_size=400))
def test_extract_never_raises_on_unicode(text):
    facts = mchnlp.extract(text)
    for fact in facts:
        assert text[fact.start : fact.end] == fact.text


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["kematian ibu", "13,8", "per", "1.000", "\x00", "\u200b",
                                 "Kab.", "Kupang", "\n\n", "persen", "tahun", "2022", "(", ")",
                                 "satu dari", "empat", "/", "-an", "AKB", "\t", "🙂", "ــ"]),
                max_size=60))
def test_extract_never_raises_on_domain_soup(parts):
    text = " ".join(parts)
    for fact in mchnlp.extract(text):
        assert text[fact.start : fact.end] == fact.text
        assert fact.unit in ("count", "per_1000_live_births", "per_100000_live_births", "percent")


def test_control_characters_and_giant_tokens():
    text = SENTENCE + "\x00\x01\x1b[31m" + "a" * 200_000 + " " + SENTENCE.replace("14", "15")
    assert [f.value for f in mchnlp.extract(text)] == [14.0, 15.0]


def test_megabyte_of_digits():
    assert mchnlp.extract("7" * 1_000_000) == []


def test_long_repetitive_text_keeps_every_fact():
    """Scaling is measured in benchmarks/bench.py; here only that nothing is dropped."""
    nlp = mchnlp.load()
    facts = mchnlp.extract(SENTENCE * 2000, nlp=nlp)
    assert len(facts) == 2000
