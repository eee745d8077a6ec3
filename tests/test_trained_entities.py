"""The trained entity components: rule matches as a recognizer feature, the recognizer, the
arbiter between recognizer and rules, and indicator codes learned from annotations
(overfitting tests in the manner of spaCy's `test_overfitting_IO`)."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import Span
from spacy.training import Example

from mchnlp.components.entity_arbiter import EntityArbiter, candidates
from mchnlp.components.indicator_codes import IndicatorCodes, normalize_surface
from mchnlp.components.rule_features import (
    RULE_LABELS,
    RULE_SPANS_KEY,
    TABLE_BODY,
    TABLE_HEADER,
    rule_codes,
)
from mchnlp.pipeline import build_rule_pipeline
from mchnlp.training.gold import gold_doc
from mchnlp.training.ner import NerSettings, ner_pipeline, training_example

TEXTS = [
    "Kematian ibu di Kabupaten Kupang 14 kasus pada 2021.",
    "Prevalensi stunting Provinsi Bali turun menjadi 8 persen pada tahun 2022.",
    "Angka kematian bayi di Kota Serang mencapai 12 per 1.000 kelahiran hidup tahun 2020.",
]


def _record(n: int, text: str) -> dict:
    """A gold record with every entity of the text; the value spans get a fact."""
    nlp = build_rule_pipeline()
    doc = nlp(text)
    spans = [{"id": f"s{k}", "start": e.start_char, "end": e.end_char, "label": e.label_,
              "text": e.text} for k, e in enumerate(doc.ents)]
    return {"id": f"doc_{n}", "text": text, "meta": {"published": "2023-01-01"},
            "spans": spans, "relations": [], "facts": []}


@pytest.fixture(scope="module")
def rules_nlp():
    return build_rule_pipeline()


@pytest.fixture(scope="module")
def golds(rules_nlp):
    return [gold_doc(rules_nlp, _record(n, t)) for n, t in enumerate(TEXTS)]


def test_rule_spans_hand_over_the_rule_entities_with_their_ids(rules_nlp):
    nlp = ner_pipeline(rules_nlp, NerSettings())
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp(TEXTS[0])
    assert not doc.ents and all(t.ent_iob == 0 for t in doc)  # missing, not outside
    kept = {(s.text, s.label_, s.id_) for s in doc.spans[RULE_SPANS_KEY]}
    assert ("Kematian ibu", "INDICATOR", "maternal_mortality") in kept
    assert ("14 kasus", "COUNT", "") in kept
    codes = rule_codes(doc, RULE_SPANS_KEY, RULE_LABELS)
    first = next(s for s in doc.spans[RULE_SPANS_KEY] if s.label_ == "INDICATOR")
    k = RULE_LABELS.index("INDICATOR")
    assert codes[first.start] == 1 + 2 * k and codes[first.start + 1] == 2 + 2 * k
    assert codes[len(doc) - 1] == 0


def test_rule_codes_mark_table_cells(rules_nlp):
    doc = rules_nlp.make_doc("Provinsi | 2021 | 2022\nACEH | 31,2 | 29,4\nBALI | 10,9 | 8,0\n")
    codes = rule_codes(doc, RULE_SPANS_KEY, RULE_LABELS)
    words = [t.text for t in doc]
    assert codes[words.index("2021")] == TABLE_HEADER
    assert codes[words.index("31,2")] == TABLE_BODY
    assert codes[words.index("|")] == 0  # separators are no cell


def test_recognizer_with_rule_features_overfits_and_round_trips(rules_nlp, golds, tmp_path):
    settings = NerSettings(width=64, depth=2, hidden_width=64)
    nlp = ner_pipeline(rules_nlp, settings)
    examples = [training_example(nlp, g) for g in golds]
    with nlp.select_pipes(enable=["ner"]):
        optimizer = nlp.initialize(lambda: examples)
    for _ in range(100):
        nlp.update(examples, sgd=optimizer, drop=0.0)
    gold = [[(e.text, e.label_) for e in g.doc.ents] for g in golds]
    assert [[(e.text, e.label_) for e in nlp(t).ents] for t in TEXTS] == gold
    nlp.to_disk(tmp_path / "ner")
    reloaded = spacy.load(tmp_path / "ner")  # the architecture resolves through entry points
    assert [[(e.text, e.label_) for e in reloaded(t).ents] for t in TEXTS] == gold
    scores = reloaded.evaluate([Example(reloaded.make_doc(g.doc.text), g.doc) for g in golds])
    assert scores["ents_f"] == pytest.approx(1.0)
    for key in ("ents_p", "ents_r", "ents_per_type"):
        assert key in scores


def test_indicator_codes_learn_a_new_code_and_round_trip(tmp_path):
    examples = ([("ibu hamil KEK", None, "kek_pregnant_women")] * 3
                + [("kurang energi kronis pada ibu hamil", None, "kek_pregnant_women")] * 2
                + [("kematian ibu", "maternal_mortality", "maternal_mortality")] * 3
                + [("stunting", "stunting", "stunting")] * 3)
    codes = IndicatorCodes(None)
    codes.fit(examples, facts=[("d1", "kek_pregnant_women", "percent")],
              table_codes=["maternal_mortality", "stunting"])
    assert codes.predict("ibu hamil KEK", None) == "kek_pregnant_women"
    assert codes.predict("bumil KEK", None) == "kek_pregnant_women"  # not seen as such
    assert codes.predict("kematian ibu", "maternal_mortality") == "maternal_mortality"
    # a table code training never saw is kept: "AKB" shares letters with learned forms
    assert codes.predict("AKB", "infant_mortality") == "infant_mortality"
    assert codes.learned["kek_pregnant_women"]["in_table"] is False
    assert codes.learned["kek_pregnant_women"]["units"] == {"percent": 1}
    assert normalize_surface("Angka Kematian Ibu (AKI)") in {"angka kematian ibu aki"}
    codes.to_disk(tmp_path / "codes")
    reloaded = IndicatorCodes(None).from_disk(tmp_path / "codes")
    assert reloaded.predict("bumil KEK", None) == "kek_pregnant_women"
    assert IndicatorCodes(None).from_bytes(codes.to_bytes()).lexicon == codes.lexicon


def test_arbiter_learns_which_source_to_trust_and_round_trips(rules_nlp, tmp_path):
    nlp = ner_pipeline(rules_nlp, NerSettings())
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp("Kematian ibu di Kabupaten Kupang 14 kasus pada 2021, anggaran Rp 5 miliar.")
    # a recognizer that found the rules' entities plus one wrong one
    rules = list(doc.spans[RULE_SPANS_KEY])
    wrong = Span(doc, len(doc) - 4, len(doc) - 2, label="COUNT")
    doc.set_ents([Span(doc, s.start, s.end, label=s.label_) for s in rules] + [wrong],
                 default="outside")
    gold = {(s.start, s.end, s.label_) for s in rules}
    features = candidates(doc)
    assert (wrong.start, wrong.end, "COUNT") in features
    assert any(k.startswith("src=both") for k in features[next(iter(gold))])
    arbiter = EntityArbiter(None)
    arbiter.fit([(f, key in gold) for key, f in features.items()] * 20)
    decided = arbiter(doc.copy())
    assert {(e.start, e.end, e.label_) for e in decided.ents} == gold
    assert {e.ent_id_ for e in decided.ents if e.label_ == "INDICATOR"} == {"maternal_mortality"}
    arbiter.to_disk(tmp_path / "arbiter")
    reloaded = EntityArbiter(None).from_disk(tmp_path / "arbiter")
    again = reloaded(doc.copy())
    assert {(e.start, e.end, e.label_) for e in again.ents} == gold
    assert numpy.isclose(reloaded.intercept, arbiter.intercept)


def test_arbiter_keeps_the_rule_values_of_its_rule_labels(rules_nlp, tmp_path):
    nlp = ner_pipeline(rules_nlp, NerSettings())
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp("Kasus stunting di Kabupaten Sleman 11, Kabupaten Bantul 6.")
    rules = {(s.start, s.end, s.label_) for s in doc.spans[RULE_SPANS_KEY]}
    values = {k for k in rules if k[2] in ("COUNT", "RATE")}
    assert len(values) == 2
    # a recognizer that found only a value the rules do not have
    doc.set_ents([Span(doc, 0, 1, label="COUNT")], default="outside")
    features = candidates(doc)
    arbiter = EntityArbiter(None)
    # taught that values only the rules propose are wrong, everything else right
    arbiter.fit([(f, key not in values) for key, f in features.items()] * 20)
    assert {(e.start, e.end, e.label_) for e in arbiter(doc.copy()).ents} == (
        rules - values | {(0, 1, "COUNT")})
    keeping = EntityArbiter(None, rule_labels=["COUNT", "RATE"])
    keeping.from_bytes(arbiter.to_bytes())
    keeping.cfg["rule_labels"] = ["COUNT", "RATE"]
    assert {(e.start, e.end, e.label_) for e in keeping(doc.copy()).ents} == rules
    keeping.to_disk(tmp_path / "arbiter")
    reloaded = EntityArbiter(None).from_disk(tmp_path / "arbiter")
    assert reloaded.cfg["rule_labels"] == ["COUNT", "RATE"]
    assert {(e.start, e.end, e.label_) for e in reloaded(doc.copy()).ents} == rules


def test_entity_fill_keeps_the_rules_and_adds_what_they_lack(rules_nlp):
    nlp = ner_pipeline(rules_nlp, NerSettings())
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp("Prevalensi ibu hamil KEK di Kabupaten Kupang 14 persen pada 2021.")
    rules = {(s.start, s.end, s.label_, s.id_) for s in doc.spans[RULE_SPANS_KEY]}
    words = [t.text for t in doc]
    new = Span(doc, 0, words.index("KEK") + 1, label="INDICATOR")
    place = next(s for s in doc.spans[RULE_SPANS_KEY] if s.label_ == "LOCATION")
    # a recognizer that found the new indicator, a shorter place and a value: only the
    # indicator is of a label to fill, and only it overlaps no rule entity
    doc.set_ents([new, Span(doc, place.start + 1, place.end, label="LOCATION"),
                  Span(doc, len(doc) - 1, len(doc), label="RATE")], default="outside")
    fill = spacy.blank("id").add_pipe("mch_entity_fill")
    filled = {(e.start, e.end, e.label_, e.ent_id_) for e in fill(doc).ents}
    assert filled == rules | {(new.start, new.end, "INDICATOR", "")}


def test_rule_features_beside_any_encoder(rules_nlp):
    from spacy.util import registry

    base = registry.resolve({"t": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 16,
                  "attrs": ["NORM", "SHAPE"], "rows": [100, 50],
                  "include_static_vectors": False},
        "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 16, "depth": 1,
                   "window_size": 1, "maxout_pieces": 2}}})["t"]
    model = registry.resolve({"m": {"@architectures": "mchnlp.WithRuleFeatures.v1",
                                    "tok2vec": base, "rule_width": 8}})["m"]
    nlp = ner_pipeline(rules_nlp, NerSettings())
    with nlp.select_pipes(disable=["ner"]):
        docs = [nlp(t) for t in TEXTS]
    model.initialize(X=docs)
    vectors = model.predict(docs)
    assert [v.shape for v in vectors] == [(len(d), 24) for d in docs]


def test_transformer_swap_constructs(rules_nlp):
    """The documented swap: a Hugging Face encoder instead of the CNN, rule feature kept
    (constructed, not trained: nothing is downloaded)."""
    pytest.importorskip("spacy_transformers", reason="spacy-transformers is not installed")
    nlp = ner_pipeline(rules_nlp, NerSettings(transformer="indobenchmark/indobert-base-p1"))
    assert nlp.pipe_names[-2:] == ["transformer", "ner"]
    tok2vec = nlp.config["components"]["ner"]["model"]["tok2vec"]
    assert tok2vec["@architectures"] == "mchnlp.WithRuleFeatures.v1"
    assert tok2vec["tok2vec"]["@architectures"] == "spacy-transformers.TransformerListener.v1"


def test_arbiter_keeps_the_rule_places_and_periods_it_leaves_uncovered(rules_nlp):
    nlp = ner_pipeline(rules_nlp, NerSettings())
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp("Untuk tahun 2024 sampai dengan September, di Kota Medan tercatat 124 kasus "
                  "kematian ibu.")
    rules = {(s.start, s.end, s.label_) for s in doc.spans[RULE_SPANS_KEY]}
    year = next(k for k in rules if k[2] == "DATE")
    longer = (year[0], year[1] + 3, "DATE")  # "tahun 2024 sampai dengan September"
    doc.set_ents([Span(doc, *longer[:2], label="DATE")], default="outside")
    features = candidates(doc)
    arbiter = EntityArbiter(None)
    # taught that the rules' places and periods are wrong: only the longer period is kept
    arbiter.fit([(f, key == longer or key[2] in ("INDICATOR", "COUNT"))
                 for key, f in features.items()] * 20)
    judged = {(e.start, e.end, e.label_) for e in arbiter(doc.copy()).ents}
    assert longer in judged and not any(k[2] == "LOCATION" for k in judged)
    falling_back = EntityArbiter(None, fallback_labels=["LOCATION", "DATE"])
    falling_back.from_bytes(arbiter.to_bytes())
    falling_back.cfg["fallback_labels"] = ["LOCATION", "DATE"]
    kept = {(e.start, e.end, e.label_) for e in falling_back(doc.copy()).ents}
    # the uncovered rule place comes back; the rule year under the longer period does not
    assert kept == judged | {k for k in rules if k[2] == "LOCATION"}


def test_arbiter_candidates_say_what_the_gazetteer_and_date_reader_make_of_them(rules_nlp):
    nlp = ner_pipeline(rules_nlp, NerSettings())
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp("Laporan Akhir Tahun Dinkes: kematian ibu di Kabupaten Kupang pada 2023 "
                  "tercatat 14 kasus, terbanyak pada triwulan kedua.")
    rules = list(doc.spans[RULE_SPANS_KEY])
    # a recognizer that also took a headline phrase for a period and a period for an area
    headline = doc.char_span(8, 26, label="DATE")
    quarter = doc.char_span(doc.text.index("triwulan"), len(doc.text) - 1, label="LOCATION")
    assert headline.text == "Akhir Tahun Dinkes" and quarter.text == "triwulan kedua"
    doc.set_ents([Span(doc, s.start, s.end, label=s.label_) for s in rules
                  if s.end <= quarter.start] + [headline, quarter], default="outside")
    features = candidates(doc)
    assert "resolves=none" in features[(quarter.start, quarter.end, "LOCATION")]
    assert "reads=none" in features[(headline.start, headline.end, "DATE")]
    place = next(s for s in rules if s.label_ == "LOCATION")
    assert "resolves=area" in features[(place.start, place.end, "LOCATION")]
    year = next(s for s in rules if s.label_ == "DATE")
    assert "reads=year" in features[(year.start, year.end, "DATE")]
