"""Facts rebuilt from a record's spans and relations, by the pipeline's own fact view.

After an annotation round trip, a value whose span or links were edited has no fact (the
carried one was stale, `corpus.carry`). Its fact is derived the way the pipeline derives facts
from its own output, not by a second fact builder: a Doc gets the record's spans as
`doc.ents` and its relations as `doc._.rel` (`training.gold.gold_doc`, which also describes
the values with `mch_values`), the entities get their ids as the pipeline gives them to a
statistical recognizer's spans (`mch_entity_ids`: indicator code and place kind from the
rulers' patterns; then `mch_indicator_codes` when the pipeline learned indicator codes), and
`doc._.facts` reads value, unit (`knowledge.units.read_value`), area (gazetteer), year
(`knowledge.dates` and the publication date) and kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from .schema import FACT_KEYS, VALUE_LABELS, Record

RULER_FACTORIES = ("entity_ruler", "mch_entity_ruler")
# what a fact record holds besides its value span's text, offsets and id
FACT_FIELDS = tuple(k for k in FACT_KEYS if k not in ("text", "start", "end", "value_span"))


@dataclass
class Recomputed:
    """What `FactBuilder.fill` did to one record.

    Attributes:
        facts: the facts built, each with its `value_span`.
        unbuilt: (span id, why) of the values no fact could be built for.
    """

    facts: list[dict] = field(default_factory=list)
    unbuilt: list[tuple[str, str]] = field(default_factory=list)


class FactBuilder:
    """Builds facts for the value spans of records with a pipeline's fact view.

    Args:
        nlp: a pipeline with its entity rulers (`mchnlp.load()`, a trained pipeline); its
            tokenizer, sentence rules, syntax layer, value rules and, when present, its
            entity ids and indicator codes are used; its recognizer and linker are not.
    """

    def __init__(self, nlp: Language) -> None:
        from ..components.entity_ids import EntityIds

        self.nlp = nlp
        factories = {name: nlp.get_pipe_meta(name).factory for name in nlp.pipe_names}
        ids = [name for name, factory in factories.items() if factory == "mch_entity_ids"]
        rulers = [name for name, factory in factories.items() if factory in RULER_FACTORIES]
        self.entity_ids = (nlp.get_pipe(ids[0]) if ids
                           else EntityIds(nlp, "mch_entity_ids", rulers))
        codes = [name for name, factory in factories.items()
                 if factory == "mch_indicator_codes"]
        self.indicator_codes = nlp.get_pipe(codes[0]) if codes else None

    def doc(self, record: Record) -> Doc:
        """The record as a processed Doc: its spans as entities (with ids), its relations as
        links, its values described; `doc._.facts` is the fact view of it."""
        from ..training.gold import gold_doc

        doc = gold_doc(self.nlp, dict(record)).doc
        doc = self.entity_ids(doc)
        if self.indicator_codes is not None:
            doc = self.indicator_codes(doc)
        return doc

    def facts(self, record: Record) -> dict[str, list[dict]]:
        """Value span id -> the facts the fact view derives for it (several for a value
        distributed over areas or years), as fact records."""
        values = [s for s in record.get("spans") or [] if s["label"] in VALUE_LABELS]
        out: dict[str, list[dict]] = {}
        for fact in self.doc(record)._.facts:
            # the view reads a value trimmed to its number and unit: find the span holding it
            span = next((s for s in values
                         if s["start"] <= fact.start and fact.end <= s["end"]), None)
            if span is None:
                continue
            built = fact.to_dict()
            out.setdefault(span["id"], []).append({
                **{key: built.get(key) for key in FACT_FIELDS},
                "text": span["text"], "start": span["start"], "end": span["end"],
                "value_span": span["id"],
            })
        return out

    def fill(self, record: Record) -> Recomputed:
        """Give every value span of `record` without a fact the facts built for it (in
        place, facts kept in text order). Values that already have a fact are left alone."""
        spans = record.get("spans") or []
        anchored = {f.get("value_span") for f in record.get("facts") or []}
        missing = [s for s in spans if s["label"] in VALUE_LABELS and s["id"] not in anchored]
        result = Recomputed()
        if not missing:
            return result
        built = self.facts(record)
        links = {(r["head"], r["label"]) for r in record.get("relations") or []}
        for span in missing:
            facts = built.get(span["id"])
            if facts:
                result.facts.extend(facts)
            else:
                result.unbuilt.append((span["id"], _why_unbuilt(span, links)))
        record["facts"] = sorted((record.get("facts") or []) + result.facts,
                                 key=lambda f: (f.get("start", 0), f.get("end", 0)))
        return result


def _why_unbuilt(span: dict, links: set[tuple[str, str]]) -> str:
    if (span["id"], "indicator") not in links:
        return "no indicator relation, and its words name no indicator"
    return ("the fact view makes no fact of it (an indicator without a known code, a unit "
            "the indicator does not take, a share of deaths, or a number it cannot read)")


def fill_facts(records: Iterable[Record], nlp: Language) -> dict[str, Recomputed]:
    """`FactBuilder(nlp).fill` over records; document id -> what was built."""
    builder = FactBuilder(nlp)
    return {record["id"]: builder.fill(record) for record in records}
