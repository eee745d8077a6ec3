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


# -- lone surrogates: U+FFFD, one for one ------------------------------------------------------
def test_lone_surrogate_reads_as_replacement_character(nlp):
    from mchnlp.components.tokenizer import replace_lone_surrogates

    text = SENTENCE + "\udbda" + SENTENCE.replace("14", "15") + "\udc80"
    facts = mchnlp.extract(text, nlp=nlp)
    assert [f.value for f in facts] == [14.0, 15.0]
    for fact in facts:
        assert text[fact.start : fact.end] == fact.text
    assert nlp(text).text == replace_lone_surrogates(text)
    assert replace_lone_surrogates("a\ud83d\ude00b") == "a\ufffd\ufffdb"


def test_lone_surrogate_does_not_lose_its_batch(nlp):
    texts = [SENTENCE, SENTENCE + "\udbda", SENTENCE.replace("14", "15")]
    errors: list[str] = []
    got = [[f.value for f in facts]
           for facts in mchnlp.extract_many(texts, nlp=nlp, errors=errors)]
    assert got == [[14.0], [14.0], [15.0]] and errors == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from([SENTENCE, "(", "-", " "]),
                          st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)),
                max_size=30))
def test_surrogates_anywhere_never_raise(parts):
    from mchnlp.components.tokenizer import replace_lone_surrogates

    text = "".join(parts)
    readable = replace_lone_surrogates(text)
    facts = mchnlp.extract(text)
    assert len(facts) == text.count(SENTENCE)
    for fact in facts:
        assert readable[fact.start : fact.end] == fact.text


def test_a_failing_text_does_not_fail_the_others(nlp_failing_on_boom, caplog):
    texts = [SENTENCE, "BOOM " + SENTENCE, SENTENCE.replace("14", "15")]
    errors: list[str] = []
    got = [[f.value for f in facts]
           for facts in mchnlp.extract_many(texts, nlp=nlp_failing_on_boom, batch_size=8,
                                            errors=errors)]
    assert got == [[14.0], [], [15.0]]
    assert errors == ["item 1: extraction failed (ValueError: cannot)"]
    assert "item 1: extraction failed" in caplog.text  # logged even without `errors`


# -- runs of brackets and dashes: linear tokenization ------------------------------------------
def test_hostile_runs_keep_the_fact_and_its_offsets(nlp):
    for run in ("(" * 5000, "-" * 4000, ")" * 8000, "()" * 3000, "(a" * 3000):
        text = run + " " + SENTENCE + run
        facts = mchnlp.extract(text, nlp=nlp)
        assert [f.value for f in facts] == [14.0], run[:4]
        assert text[facts[0].start : facts[0].end] == facts[0].text == "14 kasus"
