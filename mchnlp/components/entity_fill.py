"""`mch_entity_fill`: the rules' entities, filled in with the recognizer's where the rules have none.

The rules are the better entity source overall, but they only know what their patterns name:
an indicator an analyst taught by annotation ("ibu hamil KEK") has no pattern, so a pipeline of
rule entities can never find it. This component keeps every rule entity (from
`doc.spans["mch_rules"]`, ids kept) and adds the recognizer's entities (`doc.ents`) of the
chosen labels that overlap no rule entity. With `labels=["INDICATOR"]` the recognizer only
fills what the rule table lacks; values, places and dates stay the rules' (the recognizer is
weaker on them).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from .rule_features import RULE_SPANS_KEY


def filled_entities(rule_spans: Iterable[Span], recognized: Iterable[Span],
                    labels: Iterable[str]) -> list[Span]:
    """The rule spans, plus the recognized spans with a label in `labels` that overlap none of
    them (and none of each other), in document order."""
    wanted = set(labels)
    kept = list(rule_spans)
    taken = {i for span in kept for i in range(span.start, span.end)}
    for span in recognized:
        if span.label_ not in wanted or any(i in taken for i in range(span.start, span.end)):
            continue
        kept.append(span)
        taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


class EntityFill:
    def __init__(self, nlp: Language | None, name: str = "mch_entity_fill", *,
                 labels: Iterable[str] = ("INDICATOR",),
                 spans_key: str = RULE_SPANS_KEY) -> None:
        self.name = name
        self.labels = list(labels)
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        rule_spans = [Span(doc, s.start, s.end, label=s.label_, span_id=s.id_)
                      for s in doc.spans.get(self.spans_key, [])]
        doc.set_ents(filled_entities(rule_spans, doc.ents, self.labels), default="outside")
        return doc
