"""Every spaCy factory of mchnlp, declared in one place.

They are also registered as `spacy_factories` entry points, so `spacy.load()` of a pipeline
directory works in a fresh interpreter without importing mchnlp first.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.pipeline.tok2vec import DEFAULT_TOK2VEC_MODEL
from thinc.api import Model

from .area_typos import AreaTypos
from .compact_ruler import CompactEntityRuler
from .entity_arbiter import EntityArbiter
from .entity_fill import EntityFill
from .entity_ids import EntityIds
from .indicator_codes import IndicatorCodes
from .indicator_typos import IndicatorTypos
from .linker import TrainedLinker
from .local_aliases import LocalAliasesComponent
from .paragraphs import ParagraphBreaks
from .rule_features import RULE_SPANS_KEY, RuleSpans
from .rule_linker import RuleLinker
from .rulers import INDICATOR_RULER, PLACE_DATE_RULER
from .values import ValueRules
from .windowed_tok2vec import WindowedTok2Vec


@Language.factory(
    "mch_paragraph_breaks",
    assigns=["token.is_sent_start"],
)
def make_paragraph_breaks(nlp: Language, name: str) -> ParagraphBreaks:
    return ParagraphBreaks(nlp, name)


@Language.factory("mch_area_typos", assigns=["doc.ents"])
def make_area_typos(nlp: Language, name: str) -> AreaTypos:
    return AreaTypos(nlp, name)


@Language.factory("mch_indicator_typos", assigns=["doc.ents"])
def make_indicator_typos(nlp: Language, name: str) -> IndicatorTypos:
    return IndicatorTypos(nlp, name)


@Language.factory("mch_local_aliases")
def make_local_aliases(nlp: Language, name: str) -> LocalAliasesComponent:
    return LocalAliasesComponent(nlp, name)


@Language.factory(
    "mch_values",
    assigns=["doc.ents", "doc._.value_attrs"],
    requires=["doc.sents"],
    default_config={"detect": True},
)
def make_value_rules(nlp: Language, name: str, detect: bool) -> ValueRules:
    return ValueRules(nlp, name, detect=detect)


@Language.factory(
    "mch_rule_linker",
    assigns=["doc._.rel"],
    requires=["doc.ents", "doc.sents"],
)
def make_rule_linker(nlp: Language, name: str) -> RuleLinker:
    return RuleLinker(nlp, name)


@Language.factory(
    "mchnlp_linker",
    assigns=["doc._.rel"],
    requires=["doc.ents", "doc.sents"],
    default_config={
        "generator": {"@misc": "mchnlp.rel_instance_generator.v2", "max_sentences_back": 2},
        "threshold_indicator": 0.35,
        "threshold_location": 0.3,
        "threshold_date": 0.3,
        "c": 1.0,
    },
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_trained_linker(nlp: Language, name: str, generator, threshold_indicator: float,
                        threshold_location: float, threshold_date: float,
                        c: float) -> TrainedLinker:
    return TrainedLinker(nlp, name, generator=generator,
                         threshold_indicator=threshold_indicator,
                         threshold_location=threshold_location, threshold_date=threshold_date,
                         c=c)


@Language.factory(
    "mchnlp_stanza_syntax",
    assigns=["token.pos", "token.lemma", "token.morph", "token.head", "token.dep"],
    requires=["doc.sents"],
    default_config={"model_dir": None, "batch_size": 32},
)
def make_stanza_syntax(nlp: Language, name: str, model_dir: str | None, batch_size: int):
    from .stanza_syntax import StanzaSyntax  # stanza (and torch) only when asked for

    if not model_dir:
        raise ValueError("mchnlp_stanza_syntax needs model_dir: the Stanza model directory")
    return StanzaSyntax(nlp, name, model_dir, batch_size=batch_size)


@Language.factory(
    "mch_entity_ids",
    assigns=["doc.ents"],
    requires=["doc.ents"],
    default_config={"rulers": [INDICATOR_RULER, PLACE_DATE_RULER]},
)
def make_entity_ids(nlp: Language, name: str, rulers: list[str]) -> EntityIds:
    return EntityIds(nlp, name, rulers)


@Language.factory(
    "mch_rule_spans",
    assigns=["doc.spans", "doc.ents", "doc._.value_attrs"],
    requires=["doc.ents"],
    default_config={"spans_key": RULE_SPANS_KEY},
)
def make_rule_spans(nlp: Language, name: str, spans_key: str) -> RuleSpans:
    return RuleSpans(nlp, name, spans_key=spans_key)


@Language.factory(
    "mch_indicator_codes",
    assigns=["doc.ents"],
    requires=["doc.ents"],
    default_config={"threshold": 0.5},
)
def make_indicator_codes(nlp: Language, name: str, threshold: float) -> IndicatorCodes:
    return IndicatorCodes(nlp, name, threshold=threshold)


@Language.factory(
    "mch_entity_ruler",
    assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
    default_config={
        "phrase_matcher_attr": None,
        "matcher_fuzzy_compare": {"@misc": "spacy.levenshtein_compare.v1"},
        "validate": False,
        "overwrite_ents": False,
        "ent_id_sep": "||",
        "scorer": {"@scorers": "spacy.entity_ruler_scorer.v1"},
    },
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_compact_entity_ruler(nlp: Language, name: str, phrase_matcher_attr: str | None,
                              matcher_fuzzy_compare: Callable, validate: bool,
                              overwrite_ents: bool, ent_id_sep: str,
                              scorer: Callable | None) -> CompactEntityRuler:
    """spaCy's `entity_ruler` with the same settings, keeping phrase patterns as text."""
    return CompactEntityRuler(nlp, name, phrase_matcher_attr=phrase_matcher_attr,
                              matcher_fuzzy_compare=matcher_fuzzy_compare, validate=validate,
                              overwrite_ents=overwrite_ents, ent_id_sep=ent_id_sep,
                              scorer=scorer)


@Language.factory(
    "mch_tok2vec",
    assigns=["doc.tensor"],
    default_config={"model": DEFAULT_TOK2VEC_MODEL},
)
def make_windowed_tok2vec(nlp: Language, name: str, model: Model) -> WindowedTok2Vec:
    """spaCy's `tok2vec` with the same model, running long documents window by window."""
    return WindowedTok2Vec(nlp.vocab, model, name)


@Language.factory(
    "mch_entity_arbiter",
    assigns=["doc.ents"],
    requires=["doc.ents", "doc.spans"],
    default_config={"threshold": 0.5, "spans_key": RULE_SPANS_KEY, "rule_labels": [],
                    "fallback_labels": []},
)
def make_entity_arbiter(nlp: Language, name: str, threshold: float, spans_key: str,
                        rule_labels: list[str], fallback_labels: list[str]) -> EntityArbiter:
    return EntityArbiter(nlp, name, threshold=threshold, spans_key=spans_key,
                         rule_labels=rule_labels, fallback_labels=fallback_labels)


@Language.factory(
    "mch_entity_fill",
    assigns=["doc.ents"],
    requires=["doc.ents", "doc.spans"],
    default_config={"labels": ["INDICATOR"], "spans_key": RULE_SPANS_KEY},
)
def make_entity_fill(nlp: Language, name: str, labels: list[str], spans_key: str) -> EntityFill:
    return EntityFill(nlp, name, labels=labels, spans_key=spans_key)
