"""The shortcuts of the extraction path give what the plain readings give: answers shared
within a linker call, indexed lexicon phrases, number tokens and "masing-masing" found from
token arrays, no grid-table scan without a cell separator. (Speed is measured in
benchmarks/; these tests check behaviour on sentences written for them.)"""

from __future__ import annotations

import spacy

from mchnlp.components.values import Phrases, ValueRules, _lower_words, _number_tokens
from mchnlp.structure import memo
from mchnlp.structure.lists import distributions
from mchnlp.structure.memo import entities, per_doc, remembered
from mchnlp.structure.tables import GRID_KEY, grid_tables

SENTENCES = [
    "Pada 2023 kematian ibu di Kabupaten Kupang sebanyak 14 kasus, naik dari 12 kasus.",
    "Kota Magelang dan Kota Solo masing - masing satu kasus; Kabupaten Alor dan Kabupaten Sikka"
    " masing-masing 3 kasus.",
    "Dua ratus bayi meninggal dan tahun ini hanya 106 bayi, kurang lebih 1,5 persen.",
    "| Kabupaten | 2022 |\n| Kupang | 14 |\n| Alor | 7 |",
    "SEBELAS BAYI, Dua Ratus Ibu, 1.234,5 dan 12a; ½ ² ١٢",
    "",
]


def test_per_doc_answers_are_shared_only_inside_the_block():
    nlp = spacy.blank("id")
    doc, other = nlp("satu dua tiga"), nlp("empat")
    calls = []

    @per_doc
    def length(d):
        calls.append(d)
        return len(d)

    assert length(doc) == 3 and length(doc) == 3 and len(calls) == 2
    with remembered(doc):
        with remembered(doc):  # a nested block shares the outer answers
            assert length(doc) == 3
        assert length(doc) == 3 and length(other) == 1 and length(other) == 1
    assert calls == [doc, doc, doc, other, other]
    assert memo._ANSWERS == {}  # nothing kept after the block
    assert "length" not in repr(doc.user_data)


def test_remembered_entities_are_the_docs_entities(nlp):
    doc = nlp(SENTENCES[0])
    with remembered(doc):
        first = entities(doc)
        assert entities(doc) is first
    assert [(e.start, e.end, e.label_) for e in first] == [
        (e.start, e.end, e.label_) for e in doc.ents]


def _match_at_plain(words, k, phrases):
    for phrase in phrases:
        if tuple(words[k : k + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _match_before_plain(words, k, phrases):
    for phrase in phrases:
        n = len(phrase)
        if k - n >= 0 and tuple(words[k - n : k]) == phrase:
            return n
    return 0


def test_indexed_phrases_match_like_a_scan_of_the_list():
    words = "kurang lebih 14 kasus kematian ibu atau lebih dari 3 ibu hamil".split()
    # in the order they are tried: a suffix ("dari") after a longer phrase ending like it
    ordered = [("lebih", "dari"), ("kurang", "lebih"), ("dari",), ("kematian", "ibu"),
               ("ibu", "hamil"), ("ibu",), ("lebih",), ()]
    phrases = Phrases(ordered)
    assert list(phrases) == ordered and len(phrases) == len(ordered)
    for k in range(len(words) + 3):
        assert ValueRules._match_at(words, k, phrases) == _match_at_plain(words, k, ordered), k
        assert ValueRules._match_before(words, k, phrases) == _match_before_plain(
            words, k, ordered), k
    assert ValueRules._match_before(words, 9, phrases) == 2  # "lebih dari" before "dari"


def test_qualifier_is_the_first_of_the_lexicon_that_ends_before_the_value():
    rules = ValueRules(spacy.blank("id").vocab)
    rules.initialize(lexicon={"qualifiers": {"dari": "x", "lebih dari": "more", "lebih": "y"}})
    words = "lebih dari 3 ibu".split()
    assert rules._qualifier(words, 2) == "x"  # the lexicon's order decides, as before
    rules.initialize(lexicon={"qualifiers": {"lebih dari": "more", "dari": "x"}})
    assert rules._qualifier(words, 2) == "more" and rules._qualifier(words, 0) is None


def test_number_tokens_and_lower_words_read_from_arrays(nlp):
    for text in SENTENCES:
        doc = nlp.make_doc(text)
        assert _number_tokens(_lower_words(doc)) == [t.i for t in doc if t._.mch_num], text
        assert _lower_words(doc) == [t.lower_ for t in doc]


def test_masing_masing_in_either_spelling_and_no_table_without_a_separator(nlp):
    doc = nlp(SENTENCES[1])
    spread = distributions(doc)
    assert sorted((start, [m.text for m in v["members"]], v["mode"])
                  for start, v in spread.items()) == [
        (8, ["Kota Magelang", "Kota Solo"], "distributed"),
        (17, ["Kabupaten Alor", "Kabupaten Sikka"], "distributed")]
    assert [doc[8].text, doc[17].text] == ["satu", "3"]
    assert distributions(nlp("Masing-masing")) == {} and distributions(nlp("")) == {}
    plain = nlp.make_doc(SENTENCES[0])
    assert grid_tables(plain) == [] and plain.user_data[GRID_KEY] == []
    (table,) = grid_tables(nlp.make_doc(SENTENCES[3]))
    assert len(table["body"]) == 2


def test_doc_text_slices_are_the_texts_of_the_spans(nlp):
    from mchnlp.structure.words import DocText

    for text in SENTENCES + ["Kupang  (ANTARA) -\n\nSenin, 4 Maret 2024 ", " a", "x  \n"]:
        doc = nlp.make_doc(text)
        read = DocText(doc)
        assert read.doc_text == text
        for start in range(len(doc) + 1):
            for end in range(start, len(doc) + 1):
                span = doc[start:end]
                assert read.text(start, end) == span.text, (text, start, end)
                assert read.words(start, end) == [t.text for t in span]
                if end > start:
                    assert read.char_span(start, end) == (span.start_char, span.end_char)


def test_value_readings_are_remembered_by_their_words():
    from mchnlp.knowledge.units import read_value

    words = ["14", "per", "1.000", "kelahiran", "hidup"]
    first = read_value(words)
    words.append("x")  # the caller's list is not what is remembered
    assert read_value(["14", "per", "1.000", "kelahiran", "hidup"]) is first
    assert first[1] == "per_1000_live_births" and first[0].value == 14
    assert read_value(words) == first and read_value([]) == read_value([])


def test_explanation_cue_found_by_bisection_is_the_one_in_the_words(nlp):
    from mchnlp.structure.words import lower_words

    rules = nlp.get_pipe("mch_values")
    text = ("Artinya 5 dari 100 bayi. AKB 16 per 1.000 KH, artinya 16 bayi meninggal. "
            "Jumlahnya 12 kasus; misalnya 3 di Kupang.\n\nMisalnya: 4 kasus. Tahun 2023 7 kasus.")
    doc = nlp(text)
    words = lower_words(doc)
    rules._read_doc(doc, words, {})
    cues = rules.explanation_cues
    expected = [bool(cues & set(words[rules._sents.start(i):i])) for i in range(len(doc))]
    assert [rules._explained(i) for i in range(len(doc))] == expected
    assert any(expected) and not all(expected)
