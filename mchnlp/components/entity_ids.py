"""Normalized ids for entities a statistical NER found.

The rule components give every entity its id (`ent_id_`: the indicator code, "ID" for
Indonesia, "facility", "area", "date"), which the linker and the facts read. A statistical
NER only gives a label. This component runs the rule patterns without letting them write
entities, and hands each id-less entity the id of the rule match that overlaps it most
("Angka Kematian Ibu (AKI)" predicted as one span gets maternal_mortality from the match on
"Kematian Ibu"). An INDICATOR with no overlapping pattern keeps no id (the fact then takes its
indicator from the counting noun, or is dropped); LOCATION and DATE fall back to the generic
"area" and "date".
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

FALLBACK_IDS = {"LOCATION": "area", "DATE": "date"}
ID_SEPARATOR = "||"  # how spaCy's EntityRuler joins label and id in its match keys


class EntityIds:
    def __init__(self, nlp: Language, name: str, rulers: list[str]) -> None:
        self.nlp = nlp
        self.name = name
        self.rulers = list(rulers)

    def __call__(self, doc: Doc) -> Doc:
        missing = [e for e in doc.ents if not e.ent_id_]
        if not missing:
            return doc
        matches = self._rule_matches(doc)
        ents = []
        for ent in doc.ents:
            if ent.ent_id_:
                ents.append(ent)
                continue
            ent_id = self._best_id(ent, matches) or FALLBACK_IDS.get(ent.label_, "")
            ents.append(Span(doc, ent.start, ent.end, label=ent.label_, span_id=ent_id))
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
