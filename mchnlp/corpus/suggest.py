"""Choosing what to annotate next: unannotated texts ranked by how unsure the pipeline is.

A text scores one point for each sign that the pipeline may be wrong about it, so that an
analyst's hour goes where a correction teaches the model most:

- a **low-confidence link**: a link in `doc._.rel` whose score is below `low` (the trained
  linker's probability, or the rule linker's fixed score for a weak rule: an area or a year
  taken from the document rather than the sentence);
- a **disagreement between the trained entities and the rule knowledge**: with a trained
  recognizer the pipeline keeps the rule matches in `doc.spans["mch_rules"]`; every rule
  match the entities do not have (same offsets and label), and every entity no rule match
  has, counts (a pipeline without a recognizer has no such signal);
- an **implausible value**: a fact with warnings (a size outside the indicator's plausible
  range, a unit the indicator does not take, an ambiguous place).

Ties go to the shorter text (less to read for the same number of doubts), then to the id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..components.rule_features import RULE_SPANS_KEY
from .schema import Record

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LOW_CONFIDENCE = 0.6


@dataclass
class Suggestion:
    """One text's doubts.

    Attributes:
        doc_id: the record id; words: its length in tokens (without spaces).
        low_links, disagreements, warned: one description per doubt.
        has_rule_spans: whether the pipeline kept rule matches to compare entities with.
    """

    doc_id: str
    words: int
    low_links: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    warned: list[str] = field(default_factory=list)
    has_rule_spans: bool = False

    @property
    def score(self) -> int:
        return len(self.low_links) + len(self.disagreements) + len(self.warned)

    def reasons(self, examples: int = 2) -> str:
        """"3 low-confidence links (…; …), 1 implausible value (…)", or "no doubts"."""
        parts = []
        for items, singular, plural in (
            (self.low_links, "low-confidence link", "low-confidence links"),
            (self.disagreements, "entity disagreement with the rules",
             "entity disagreements with the rules"),
            (self.warned, "implausible value", "implausible values"),
        ):
            if items:
                shown = "; ".join(items[:examples]) + ("; …" if len(items) > examples else "")
                parts.append(f"{len(items)} {singular if len(items) == 1 else plural} "
                             f"({shown})")
        return ", ".join(parts) or "no doubts"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def doubts(doc: Doc, doc_id: str = "", *, low: float = LOW_CONFIDENCE) -> Suggestion:
    """The doubts about one processed Doc (see the module docstring)."""
    out = Suggestion(doc_id, sum(1 for t in doc if not t.is_space))
    ents = {e.start: e for e in doc.ents}
    for (head, tail), scores in sorted((doc._.rel or {}).items()):
        for label, score in sorted(scores.items()):
            if label == "unit" or score >= low or head not in ents or tail not in ents:
                continue
            out.low_links.append(f"{label} {_short(ents[head].text)!r} -> "
                                 f"{_short(ents[tail].text)!r} {score:.2f}")
    if RULE_SPANS_KEY in doc.spans:
        out.has_rule_spans = True
        rules = {(s.start, s.end, s.label_): s for s in doc.spans[RULE_SPANS_KEY]}
        found = {(e.start, e.end, e.label_): e for e in doc.ents}
        rule_at = {i: s for s in rules.values() for i in range(s.start, s.end)}
        for key, span in sorted(rules.items()):
            if key not in found:
                out.disagreements.append(f"rules: {span.label_} {_short(span.text)!r}, "
                                         "not an entity")
        for key, ent in sorted(found.items()):
            if key in rules:
                continue
            other = next((rule_at[i] for i in range(ent.start, ent.end) if i in rule_at), None)
            if other is None or other.label_ == ent.label_:
                out.disagreements.append(f"entity {ent.label_} {_short(ent.text)!r}, "
                                         "no rule match")
            else:
                out.disagreements.append(f"entity {ent.label_} {_short(ent.text)!r}, rules "
                                         f"say {other.label_}")
    for fact in doc._.facts:
        if fact.warnings:
            out.warned.append(f"{fact.indicator} {_short(fact.text)!r}: "
                              f"{_short(fact.warnings[0], 60)}")
    return out


def rank_texts(records: Iterable[Record], nlp: Language, *, low: float = LOW_CONFIDENCE
         ) -> list[Suggestion]:
    """Run the pipeline over the records' texts (any length: chunk by chunk, as `extract`
    does) and rank them, most doubts first."""
    from ..api import process_docs

    scored = []
    for record in records:
        published = (record.get("meta") or {}).get("published")
        total = Suggestion(record["id"], 0)
        for _, doc in process_docs(nlp, record["text"], published):
            part = doubts(doc, record["id"], low=low)
            total.words += part.words
            total.low_links += part.low_links
            total.disagreements += part.disagreements
            total.warned += part.warned
            total.has_rule_spans = total.has_rule_spans or part.has_rule_spans
        scored.append(total)
    return sorted(scored, key=lambda s: (-s.score, s.words, s.doc_id))
