"""mch_entity_ids: ids for entities a statistical NER predicted without them."""

from __future__ import annotations

from spacy.tokens import Span

from mchnlp.pipeline import build_rule_pipeline


def _pipeline():
    nlp = build_rule_pipeline()
    nlp.add_pipe("mch_entity_ids")
    return nlp


def _with_bare_entities(nlp, text, spans):
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(s), text.index(s) + len(s), label=label)
                for s, label in spans]
    return nlp.get_pipe("mch_entity_ids")(doc)


def test_indicator_span_wider_than_the_pattern_gets_its_code():
    nlp = _pipeline()
    doc = _with_bare_entities(nlp, "Angka Kematian Ibu (AKI) di Kabupaten Kupang naik pada 2022.",
                              [("Angka Kematian Ibu (AKI)", "INDICATOR"),
                               ("Kabupaten Kupang", "LOCATION"), ("2022", "DATE")])
    assert [(e.text, e.ent_id_) for e in doc.ents] == [
        ("Angka Kematian Ibu (AKI)", "maternal_mortality"),
        ("Kabupaten Kupang", "area"), ("2022", "date")]


def test_unknown_indicator_keeps_no_id_and_national_is_recognised():
    nlp = _pipeline()
    doc = _with_bare_entities(nlp, "Angka kesakitan kusta secara nasional turun.",
                              [("Angka kesakitan kusta", "INDICATOR"), ("nasional", "LOCATION")])
    assert [(e.text, e.ent_id_) for e in doc.ents] == [("Angka kesakitan kusta", ""),
                                                      ("nasional", "ID")]


def test_existing_ids_are_kept():
    nlp = _pipeline()
    doc = nlp.make_doc("kematian bayi")
    doc.ents = [Span(doc, 0, 2, label="INDICATOR", span_id="neonatal_mortality")]
    doc = nlp.get_pipe("mch_entity_ids")(doc)
    assert doc.ents[0].ent_id_ == "neonatal_mortality"
