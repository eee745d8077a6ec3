"""The shortcuts of the relation linker's pair generator give what the plain readings give:
feature names looked up instead of formatted, phrases matched by their last word, word
positions from the LOWER hashes, national cues from their first words, table rows behind a
letter bound, the pairs' entity counts from slice bounds, and cell contexts shared inside the
linker's block. (Speed is measured in benchmarks/; these tests check behaviour on sentences
written for them.)"""

from __future__ import annotations

import spacy

from mchnlp.components.candidates import GAP_BUCKETS, FeatureNames, RelationNames, _bucket
from mchnlp.structure.layout import Sentences
from mchnlp.structure.memo import remembered
from mchnlp.structure.scope import _phrases, national_cues
from mchnlp.structure.tables import _ENDS_IN_YEAR, _TABLE_ROW, cell_contexts, table_headers
from mchnlp.structure.words import Phrases, positions_of

TABLE = ("Jumlah kematian ibu menurut kabupaten tahun 2023\n"
         "Kab. Kupang: 14\n"
         "Kabupaten Timor Tengah Selatan dan sekitarnya di wilayah daratan Pulau Timor: 7 kasus\n"
         "3. Kota Kupang | 5 |\n\n"
         "Angka kematian ibu di seluruh kabupaten dan kota di Provinsi Nusa Tenggara Timur pada "
         "tahun lalu yang dilaporkan oleh dinas kesehatan tercatat sebanyak 14\n"
         "Kab. Alor: 3\n")


def test_feature_names_are_the_formatted_names_made_once():
    names = RelationNames("date")
    assert names.gap[3] == "date:gap=3" and names.gap["more"] == "date:gap=more"
    assert names.gap[3] is names.gap[3]  # formatted once, then looked up
    assert names.between_values[-1] == "date:between_values=-1"  # overlapping pair
    assert names.direction["before"] == "date:dir=before" and names.loggap == "date:loggap"
    assert names.nearest["after"] == "date:nearest_after"
    assert FeatureNames("x:{}")[True] == f"x:{True}"
    assert [GAP_BUCKETS[n] for n in range(len(GAP_BUCKETS))] == [_bucket(n) for n in range(41)]
    assert _bucket(len(GAP_BUCKETS)) == "more"


def test_longest_ending_is_the_longest_phrase_the_words_end_with():
    ordered = [("paling", "tinggi", "di"), ("tinggi", "di"), ("di",), ("dibandingkan",), ()]
    phrases = Phrases(ordered)
    text = "angka paling tinggi di antara kabupaten dibandingkan di".split()
    for end in range(len(text) + 1):
        words = text[:end]
        plain = max((len(p) for p in ordered if len(p) <= len(words)
                     and tuple(words[len(words) - len(p):]) == p), default=0)
        assert phrases.longest_ending(words) == plain, words


def test_positions_of_words_in_any_case():
    doc = spacy.blank("id")("Masing-masing SSGI dan masing - MASING ssgi")
    lower = [t.lower for t in doc]
    assert positions_of(lower, frozenset({"masing-masing", "masing"})) == [0, 3, 5]
    assert positions_of(lower, frozenset({"ssgi"})) == [1, 6] == [
        t.i for t in doc if t.lower_ == "ssgi"]
    assert positions_of([], frozenset({"ssgi"})) == []


def _national_cues_by_scan(doc):
    """national_cues as first written: every token tried, words read from the tokens."""
    national = _phrases()[0]
    lower = [t.lower_ for t in doc]
    found, i = [], 0
    while i < len(doc):
        match = next(((words, kind) for words, kind in national.get(lower[i], ())
                      if tuple(lower[i:i + len(words)]) == words), None)
        if match is None or any(t.ent_type_ for t in doc[i:i + len(match[0])]):
            i += 1
            continue
        found.append((i, i + len(match[0]), match[1]))
        i += len(match[0])
    return found


def test_national_cues_are_those_of_a_scan_of_every_token(nlp):
    for text in ["Menurut Kementerian Kesehatan, hasil SSGI SSGI dan target RPJMN belum sejalan.",
                 "Survei Status Gizi Indonesia (SSGI) 2022 mencatat stunting 21,6 persen.",
                 "kementerian kesehatan kementerian", "Dinas Kesehatan Kabupaten Sigi", ""]:
        doc = nlp(text)
        assert [(c.start, c.end, c.kb_id_.split(":")[1]) for c in national_cues(doc)] == (
            _national_cues_by_scan(doc)), text


def test_table_rows_are_those_of_the_row_pattern_on_every_sentence(nlp):
    doc = nlp(TABLE)
    sents = Sentences(doc)
    texts = [doc[a:b].text for a, b in zip(sents.starts, sents.ends)]
    rows = [bool(_TABLE_ROW.match(t)) and not _ENDS_IN_YEAR.search(t) for t in texts]
    assert sum(rows) >= 4  # the long prose line ending in a number is not one of them
    expected: dict[int, list[int]] = {}
    k = 0
    while k < len(rows):
        end = k
        while end < len(rows) and rows[end]:
            end += 1
        if end - k >= 2:
            for row in range(k, end):
                expected[row] = list(range(k - 1, max(-1, k - 4), -1))
        k = max(end, k + 1)
    assert table_headers(doc, sents) == expected
    assert table_headers(nlp.make_doc(""), Sentences(nlp.make_doc(""))) == {}


def test_between_same_counts_the_targets_inside_the_gap(nlp):
    doc = nlp("Kematian ibu, kematian bayi dan stunting tercatat 14 kasus, lalu gizi buruk 3 "
              "kasus dan kematian neonatal 7 kasus di Kabupaten Kupang dan Kota Kupang.")
    generator = nlp.get_pipe("mchnlp_linker").generator
    checked = 0
    with remembered(doc):
        for cand in generator(doc):
            counts = [name for name in cand.features if ":between_same=" in name]
            if not counts:
                continue
            value, target = cand.value, cand.target
            lo, hi = ((target.end, value.start) if target.end <= value.start
                      else (value.end, target.start))
            inside = sum(1 for e in doc.ents if e.label_ == target.label_
                         and lo <= e.start and e.end <= hi)
            assert counts == [f"{cand.relation}:between_same={min(inside, 3)}"]
            checked += 1
    assert checked >= 6


def test_cell_contexts_are_shared_inside_the_linker_block_only(nlp):
    doc = nlp("Kematian ibu 2023\n| Kabupaten | Kasus |\n| Kupang | 14 |\n| Alor | 7 |\n")
    outside = cell_contexts(doc)
    assert outside and cell_contexts(doc) is not outside  # computed on each call
    with remembered(doc):
        inside = cell_contexts(doc)
        assert cell_contexts(doc) is inside
    assert {i: list(c.parts()) for i, c in inside.items()} == {
        i: list(c.parts()) for i, c in outside.items()}
