"""Normalized ids for entities a statistical NER found.

The rule components give every entity its id (`ent_id_`: the indicator code, "ID" for
Indonesia, "facility", "area", "date"), which the linker and the facts read. A statistical
NER only gives a label. This component hands each id-less entity the id of the rule span that
overlaps it most ("Angka Kematian Ibu (AKI)" predicted as one span gets maternal_mortality from
the match on "Kematian Ibu"): first from the rule entities kept in `doc.spans["mch_rules"]`,
then, for entities no kept rule span overlaps, from every pattern match of the rulers. An
INDICATOR with no overlapping pattern keeps no id (`mch_indicator_codes` may still give it
one); LOCATION and DATE fall back to the generic "area" and "date".
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .rule_features import RULE_SPANS_KEY

FALLBACK_IDS = {"LOCATION": "area", "DATE": "date"}
ID_SEPARATOR = "||"  # how spaCy's EntityRuler joins label and id in its match keys


class EntityIds:
    def __init__(self, nlp: Language, name: str, rulers: list[str],
                 spans_key: str = RULE_SPANS_KEY) -> None:
        self.nlp = nlp
        self.name = name
        self.rulers = list(rulers)
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        if all(e.ent_id_ for e in doc.ents):
            return doc
        kept = [(s.label_, s.id_, s.start, s.end) for s in doc.spans.get(self.spans_key, [])]
        matches = None  # the rulers' full match list, only when a kept span does not do
        ents = []
        for ent in doc.ents:
            ent_id = ent.ent_id_ or self._best_id(ent, kept)
            if not ent_id and ent.label_ in ("INDICATOR", "LOCATION"):
                if matches is None:
                    matches = self._rule_matches(doc)
                ent_id = self._best_id(ent, matches)
            ent_id = ent_id or FALLBACK_IDS.get(ent.label_, "")
            ents.append(ent if ent_id == ent.ent_id_ else
                        Span(doc, ent.start, ent.end, label=ent.label_, span_id=ent_id))
        doc.ents = ents
        return doc

    def _rule_matches(self, doc: Doc) -> list[tuple[str, str, int, int]]:
        """(label, id, start, end) of every rule pattern match, ignoring overlaps."""
        out = []
        strings = doc.vocab.strings
        for name in self.rulers:
            ruler = self.nlp.get_pipe(name)
            for match_id, start, end in ruler.match(doc):
                key = strings[match_id]
                label, _, ent_id = key.partition(ID_SEPARATOR)
                out.append((label, ent_id, start, end))
        return out

    @staticmethod
    def _best_id(ent: Span, matches) -> str | None:
        best, best_overlap = None, 0
        for label, ent_id, start, end in matches:
            if label != ent.label_ or not ent_id:
                continue
            overlap = min(end, ent.end) - max(start, ent.start)
            if overlap > best_overlap:
                best, best_overlap = ent_id, overlap
        return best
