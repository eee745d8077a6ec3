"""Text predicates of token patterns answered by lexeme flags: the Matcher finds what it finds
with the patterns as written, and the rulers keep the patterns as written."""

from __future__ import annotations

import pytest
import spacy
from spacy.errors import MatchPatternError
from spacy.matcher import Matcher

from mchnlp.components import lexeme_flags
from mchnlp.components.compact_ruler import CompactEntityRuler
from mchnlp.components.lexeme_flags import LexemePredicate, flag_pattern

MONTHS = ["januari", "februari", "maret", "mei", "juni", "des"]
YEAR = {"TEXT": {"REGEX": "^(19|20)\\d\\d$"}}
PATTERNS = {
    "month_year": [[{"LOWER": {"IN": MONTHS}}, YEAR]],
    "year_range": [[YEAR, {"LOWER": {"IN": ["-", "hingga", "s/d"]}}, YEAR]],
    "day_month": [[{"TEXT": {"REGEX": "^\\d{1,2}$"}}, {"ORTH": "/"},
                   {"TEXT": {"REGEX": "^\\d{1,2}$"}}]],
    "facility": [[{"lower": {"IN": ["puskesmas", "rsud"]}}, {"IS_TITLE": True},
                  {"IS_TITLE": True, "OP": "?"}]],
    "survey": [[{"LOWER": {"IN": ["sensus", "ssgi"]}},
                {"LOWER": {"IN": ["penduduk", "long", "form"]}, "OP": "*"}, YEAR]],
    "lower_regex": [[{"LOWER": {"REGEX": "^sp(19|20)\\d\\d$"}}]],
    "kept": [[{"LOWER": {"NOT_IN": ["dan"]}, "IS_UPPER": True}, {"SHAPE": "dddd"}]],
}
SENTENCES = [
    "Pada Januari 2023 hingga DES 2024 tercatat 14 kasus di Puskesmas Oebobo Kota.",
    "Data 2019 - 2021 dan 2022 s/d 2023, laporan 27/9 dan 1/12 di RSUD Prof Johannes.",
    "Hasil Sensus Penduduk Long Form 2020 dan SSGI 2022 serta SP2010 dan sp2020.",
    "BPS 2020 dan 21/2000 atau 123/45, puskesmas kecil, rsud.",
    "",
]


def _matchers(vocab) -> tuple[Matcher, Matcher]:
    written, flagged = Matcher(vocab), Matcher(vocab, validate=False)
    for key, patterns in PATTERNS.items():
        written.add(key, patterns)
        flagged.add(key, [flag_pattern(vocab, p) for p in patterns])
    return written, flagged


def test_flagged_patterns_match_what_the_written_ones_match():
    nlp = spacy.blank("id")
    written, flagged = _matchers(nlp.vocab)
    found = 0
    # words first seen after the flags were added get them too
    for text in [*SENTENCES, "Maret 1999 dan Mei 2001 di Puskesmas Baru, ssgi form 2018."]:
        doc = nlp(text)
        assert sorted(flagged(doc)) == sorted(written(doc)), text
        found += len(written(doc))
    assert found > 10


def test_only_text_predicates_become_flags():
    vocab = spacy.blank("id").vocab
    flagged = [flag_pattern(vocab, p) for patterns in PATTERNS.values() for p in patterns]
    assert flagged[-1] == PATTERNS["kept"][0]  # NOT_IN, IS_UPPER and SHAPE stay as written
    facility = flag_pattern(vocab, PATTERNS["facility"][0])
    assert isinstance(next(iter(facility[0])), int) and facility[1:] == [
        {"IS_TITLE": True}, {"IS_TITLE": True, "OP": "?"}]
    survey = flag_pattern(vocab, PATTERNS["survey"][0])
    assert survey[1]["OP"] == "*" and len(survey[1]) == 2


def test_equal_predicates_share_a_flag_above_spacys_own():
    vocab = spacy.blank("id").vocab
    own = set(vocab.lex_attr_getters)
    first = flag_pattern(vocab, PATTERNS["year_range"][0])
    assert next(iter(first[0])) == next(iter(first[2]))  # the year regex twice, one flag
    again = flag_pattern(vocab, [{"LOWER": {"IN": ["s/d", "hingga", "-"]}}])
    assert again[0] == first[1]  # the same set in another order
    new = set(vocab.lex_attr_getters) - own
    assert len(new) == 2 and min(new) >= 19 and max(new) <= 63
    assert LexemePredicate("LOWER", "IN", ["a"], str.lower) != LexemePredicate(
        "ORTH", "IN", ["a"], str.lower)


def test_a_pattern_stays_as_written_when_no_flag_is_free(monkeypatch):
    vocab = spacy.blank("id").vocab
    monkeypatch.setattr(lexeme_flags, "LAST_FLAG", 19)
    monkeypatch.setattr(lexeme_flags, "_BIT_OF", {})
    assert flag_pattern(vocab, [YEAR]) == [{19: True}]
    pattern = [{"LOWER": {"IN": ["tahun"]}}, YEAR]
    assert flag_pattern(vocab, pattern) == [pattern[0], {19: True}]
    # a Vocab that uses the bit for another flag keeps the pattern as written
    other = spacy.blank("id").vocab
    other.add_flag(lambda text: text.isdigit(), 19)
    used = {}
    assert flag_pattern(other, [YEAR], used) == [YEAR] and used == {}


def _entities(nlp, text):
    return [(e.start, e.end, e.label_, e.ent_id_) for e in nlp(text).ents]


def test_ruler_matches_with_flags_and_keeps_the_patterns_as_written(nlp):
    shipped = nlp.get_pipe("place_date_ruler")
    token_patterns = [p for p in shipped.patterns if isinstance(p["pattern"], list)]
    assert len(token_patterns) > 20
    plain, flagged = spacy.blank("id"), spacy.blank("id")
    plain.add_pipe("entity_ruler", config={"validate": True}).add_patterns(token_patterns)
    ruler = flagged.add_pipe("mch_entity_ruler", config={"validate": True})
    ruler.add_patterns(token_patterns)
    assert isinstance(ruler, CompactEntityRuler) and ruler.patterns == token_patterns
    assert any(isinstance(key, int) for patterns in ruler.matcher._patterns.values()
               for pattern in patterns for spec in pattern for key in spec)
    for text in SENTENCES + ["Kamis, 14 Maret 2024 di Kecamatan Oebobo, Desa Oelnasi; "
                             "semester II tahun 2023, tahun ini, tahun anggaran 2024."]:
        assert _entities(flagged, text) == _entities(plain, text), text


def test_ruler_still_rejects_an_invalid_token_pattern():
    ruler = spacy.blank("id").add_pipe("mch_entity_ruler", config={"validate": True})
    with pytest.raises(MatchPatternError):
        ruler.add_patterns([{"label": "DATE", "pattern": [{"LOWR": {"IN": ["tahun"]}}]}])


def _shipped_token_patterns(nlp) -> list[dict]:
    return [p for p in nlp.get_pipe("place_date_ruler").patterns if isinstance(p["pattern"], list)]


@pytest.mark.parametrize("taken", [False, True])
def test_a_ruler_sourced_into_another_pipeline_matches_as_written(nlp, taken):
    token_patterns = _shipped_token_patterns(nlp)
    plain, source = spacy.blank("id"), spacy.blank("id")
    plain.add_pipe("entity_ruler").add_patterns(token_patterns)
    source.add_pipe("mch_entity_ruler", name="dates").add_patterns(token_patterns)
    target = spacy.blank("id")
    if taken:  # the target's vocab holds other flags on every bit the ruler uses
        for flag_id in source.get_pipe("dates")._flags:
            target.vocab.add_flag(lambda text: False, flag_id)
    target.add_pipe("dates", source=source)
    for text in SENTENCES:
        assert _entities(target, text) == _entities(plain, text), text
    assert _entities(target, SENTENCES[0])
