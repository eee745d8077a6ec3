"""The trained relation linker (`mchnlp_linker`): candidates, training, serialization."""

import pytest
import spacy
from spacy.training import Example

import mchnlp
from mchnlp.components.candidates import CandidateGenerator

TEXTS = [
    "Pada 2021 kematian ibu di Kabupaten Kupang sebanyak 14 kasus, sedangkan di Kota "
    "Kupang 9 kasus pada 2022.",
    "Angka kematian bayi di Provinsi Banten 13,8 per 1.000 kelahiran hidup pada 2022.",
    "Stunting di Kabupaten Sikka turun menjadi 20 persen pada 2023, dari 25 persen pada 2022.",
]
# gold links by surface text: value -> (indicator, location, date)
GOLD = [
    {"14 kasus": ("kematian ibu", "Kabupaten Kupang", "2021"),
     "9 kasus": ("kematian ibu", "Kota Kupang", "2022")},
    {"13,8 per 1.000 kelahiran hidup": ("Angka kematian bayi", "Provinsi Banten", "2022")},
    {"20 persen": ("Stunting", "Kabupaten Sikka", "2023"),
     "25 persen": ("Stunting", "Kabupaten Sikka", "2022")},
]


def _span(doc, text, after=0):
    start = doc.text.index(text, after)
    span = doc.char_span(start, start + len(text))
    assert span is not None, text
    return span


def _find_ent(doc, text):
    for ent in doc.ents:
        if ent.text == text:
            return ent
    raise AssertionError(f"{text!r} not among {[e.text for e in doc.ents]}")


@pytest.fixture(scope="module")
def rules_nlp():
    return mchnlp.load()


def _examples(nlp):
    examples = []
    for text, gold in zip(TEXTS, GOLD):
        predicted = nlp.make_doc(text)
        reference = nlp(text)  # rule entities and sentences; the gold links replace the rule ones
        reference._.rel = {}
        for value_text, (ind, loc, date) in gold.items():
            value = _find_ent(reference, value_text)
            for label, target_text in (("indicator", ind), ("location", loc), ("date", date)):
                target = _find_ent(reference, target_text)
                reference._.rel[(value.start, target.start)] = {label: 1.0}
        examples.append(Example(predicted, reference))
    return examples


def _linker_pipeline(rules_nlp):
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "mchnlp.Tokenizer.v1"}}})
    for name in ("sentencizer", "mch_paragraph_breaks", "indicator_ruler", "place_date_ruler",
                 "mch_values"):
        nlp.add_pipe(name, source=rules_nlp)
    nlp.add_pipe("mchnlp_linker", config={"c": 100.0})
    return nlp


def _links(doc):
    out = set()
    for (head, tail), labels in doc._.rel.items():
        for label in labels:
            if label != "unit":
                out.add((doc[head:head + 1].text, label, tail))
    return out


def test_candidates_are_type_valid(rules_nlp):
    doc = rules_nlp(TEXTS[0])
    cands = list(CandidateGenerator()(doc))
    assert cands
    for cand in cands:
        assert cand.value.label_ in ("COUNT", "RATE")
        assert cand.target.label_ == {"indicator": "INDICATOR", "location": "LOCATION",
                                      "date": "DATE"}[cand.relation]
        assert cand.features["bias"] == 1.0
    n_values = sum(1 for e in doc.ents if e.label_ in ("COUNT", "RATE"))
    n_targets = sum(1 for e in doc.ents if e.label_ not in ("COUNT", "RATE"))
    assert len(cands) <= n_values * n_targets


def test_overfitting_IO(rules_nlp, tmp_path):
    nlp = _linker_pipeline(rules_nlp)
    examples = _examples(rules_nlp)
    # the rule components arrive initialized; only the linker learns
    nlp.get_pipe("mchnlp_linker").initialize(lambda: examples, nlp=nlp)
    for _ in range(50):
        nlp.update(examples)
    gold = [_links(eg.reference) for eg in examples]
    predicted = [_links(nlp(text)) for text in TEXTS]
    assert predicted == gold
    nlp.to_disk(tmp_path / "model")
    reloaded = spacy.load(tmp_path / "model")
    assert [_links(reloaded(text)) for text in TEXTS] == gold
    # the weights are plain JSON, no pickle
    assert (tmp_path / "model" / "mchnlp_linker" / "model.json").exists()
    scores = reloaded.evaluate(examples)
    assert scores["rel_micro_f"] == pytest.approx(1.0)
    for key in ("rel_micro_p", "rel_micro_r", "ents_f"):
        assert key in scores
    # bytes round trip
    linker = reloaded.get_pipe("mchnlp_linker")
    clone = nlp.get_pipe("mchnlp_linker").from_bytes(linker.to_bytes())
    assert clone.model.weights == linker.model.weights


def test_untrained_linker_links_nothing(rules_nlp):
    nlp = _linker_pipeline(rules_nlp)
    doc = nlp(TEXTS[1])
    assert not any(label != "unit" for labels in doc._.rel.values() for label in labels)
    assert doc._.facts == []


def test_document_area_follows_the_entities(rules_nlp, monkeypatch):
    from mchnlp.structure import areas as context
    from mchnlp.structure.areas import document_area

    doc = rules_nlp("Kematian Ibu di Kabupaten Sikka Naik\n\nDinas kesehatan Kabupaten Sikka "
                    "mencatat 12 kasus kematian ibu. Di Kota Kupang ada 3 kasus.")
    area = document_area(doc)
    assert area.text == "Kabupaten Sikka" and area.label_ == "LOCATION"
    computed = []
    original = context._document_area
    monkeypatch.setattr(context, "_document_area", lambda d: computed.append(1) or original(d))
    kept = document_area(doc)
    assert kept == area and kept.ent_id_ == area.ent_id_ and not computed  # kept, not redone
    doc.ents = [e for e in doc.ents if "Sikka" not in e.text]
    assert document_area(doc).text == "Kota Kupang" and computed  # entities changed: redone
    doc.ents = [e for e in doc.ents if e.label_ != "LOCATION"]
    assert document_area(doc) is None


def test_linker_folds_hold_out_each_document_once():
    from types import SimpleNamespace

    from mchnlp.training.linker import linker_folds

    golds = [SimpleNamespace(record={"id": f"d{i}"}, kind="gold") for i in range(7)]
    predicted = [SimpleNamespace(record={"id": f"d{i}"}, kind="pred") for i in range(7)]
    folds = linker_folds(golds, predicted, 3)
    held_out = [g.record["id"] for _, held in folds for g in held]
    assert sorted(held_out) == sorted(g.record["id"] for g in golds)
    for fit_docs, held in folds:
        assert all(g.kind == "pred" for g in held)
        assert not {g.record["id"] for g in fit_docs} & {g.record["id"] for g in held}
        assert {g.kind for g in fit_docs} == {"gold", "pred"}


def test_a_place_opening_the_second_paragraph_is_not_in_the_lead(rules_nlp):
    from mchnlp.structure.areas import document_area

    doc = rules_nlp("Dinas kesehatan di Kota Kupang mencatat 3 kasus.\nKabupaten Sikka mencatat "
                    "12 kasus kematian ibu.\nDi Kabupaten Sikka ada 3 kasus lagi.")
    # the lead mention (weight 2) is not outweighed by two body mentions (1 each)
    assert document_area(doc).text == "Kota Kupang"


def test_cached_candidates_take_nested_value_attributes(rules_nlp):
    # a death count said to happen in an age period carries {"infant_mortality": ...}
    from mchnlp.training.linker import _CachedCandidates

    doc = rules_nlp("Pada 2023 kematian bayi di Kabupaten Sikka 45 kasus, 31 kasus terjadi pada "
                    "usia 0-28 hari.")
    assert any(isinstance(v, dict) for attrs in doc._.value_attrs.values() for v in attrs.values())
    cached = _CachedCandidates(CandidateGenerator())
    first = list(cached(doc))
    assert first and list(cached(doc)) == first
