"""Every spaCy factory of mchnlp, declared in one place.

They are also registered as `spacy_factories` entry points, so `spacy.load()` of a pipeline
directory works in a fresh interpreter without importing mchnlp first.
"""

from __future__ import annotations

from spacy.language import Language

from .paragraphs import ParagraphBreaks
from .rule_linker import RuleLinker
from .values import ValueRules


@Language.factory(
    "mch_paragraph_breaks",
    assigns=["token.is_sent_start"],
)
def make_paragraph_breaks(nlp: Language, name: str) -> ParagraphBreaks:
    return ParagraphBreaks(nlp, name)


@Language.factory(
    "mch_values",
    assigns=["doc.ents", "doc._.value_attrs"],
    requires=["doc.sents"],
)
def make_value_rules(nlp: Language, name: str) -> ValueRules:
    return ValueRules(nlp, name)


@Language.factory(
    "mch_rule_linker",
    assigns=["doc._.rel"],
    requires=["doc.ents", "doc.sents"],
)
def make_rule_linker(nlp: Language, name: str) -> RuleLinker:
    return RuleLinker(nlp, name)
