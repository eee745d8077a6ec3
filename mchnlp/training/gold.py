"""Gold Docs from corpus records: tokens and sentences from the pipeline, gold entities,
links (`doc._.rel`) and value descriptions; and the same documents with rule entities."""


from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import filter_spans

from ..facts.extensions import register_extensions
from ..pipeline import SYNTAX_PIPES

LABELS = ("INDICATOR", "COUNT", "RATE", "LOCATION", "DATE")


SENTENCE_PIPES = ("sentencizer", "mch_paragraph_breaks")


@dataclass
class GoldDoc:
    record: dict
    doc: Doc
    misaligned: list[dict] = field(default_factory=list)


def gold_doc(rules_nlp: Language, record: dict) -> GoldDoc:
    """Tokenize a corpus record with the pipeline's tokenizer and sentence rules, then set the
    gold entities, the gold links (`doc._.rel`) and the value descriptions."""
    register_extensions()
    doc = rules_nlp.make_doc(record["text"])
    for name, component in rules_nlp.pipeline:
        if name in SENTENCE_PIPES or name in SYNTAX_PIPES:
            doc = component(doc)
    by_id: dict[str, Span] = {}
    misaligned = []
    spans = []
    for s in record.get("spans", []):
        span = doc.char_span(s["start"], s["end"], label=s["label"], alignment_mode="contract")
        if span is None or not len(span):
            misaligned.append(s)
            continue
        spans.append(span)
        by_id[s["id"]] = span
    doc.ents = filter_spans(spans)
    kept = {(e.start, e.end) for e in doc.ents}
    doc._.rel = {}
    for rel in record.get("relations", []):
        head, tail = by_id.get(rel["head"]), by_id.get(rel["tail"])
        if head is None or tail is None or (head.start, head.end) not in kept:
            continue
        doc._.rel.setdefault((head.start, tail.start), {})[rel["label"]] = 1.0
    doc._.published = (record.get("meta") or {}).get("published") or None
    if doc._.published and len(doc._.published) == 7:
        doc._.published = doc._.published + "-01"
    values = rules_nlp.get_pipe("mch_values") if "mch_values" in rules_nlp.pipe_names else None
    if values is not None:
        values.annotate_existing(doc)
    return GoldDoc(record, doc, misaligned)


def linker_examples(golds: Iterable[GoldDoc]) -> list[Example]:
    return [Example(g.doc.copy(), g.doc) for g in golds]


def value_facts(g: GoldDoc) -> dict[int, dict]:
    """Token start of each gold fact's value span in `g.doc` -> the gold fact."""
    out = {}
    for fact in g.record.get("facts", []):
        span = g.doc.char_span(fact["start"], fact["end"], alignment_mode="expand")
        if span is not None:
            out[span.start] = fact
    return out


def with_entities(nlp: Language, golds: Iterable[GoldDoc],
                  exclude: Iterable[str] = ()) -> list[GoldDoc]:
    """The gold documents re-annotated by `nlp` (without the components in `exclude`),
    carrying the gold links. Same tokenizer, so the gold link keys (token starts) carry over."""
    register_extensions()
    skip = set(exclude)
    out = []
    with nlp.select_pipes(enable=[name for name in nlp.pipe_names if name not in skip]):
        for g in golds:
            doc = nlp.make_doc(g.record["text"])
            doc._.published = g.doc._.published
            doc = nlp(doc)
            doc._.rel = dict(g.doc._.rel or {})
            out.append(GoldDoc(g.record, doc, g.misaligned))
    return out


def with_predicted_entities(rules_nlp: Language, golds: Iterable[GoldDoc]) -> list[GoldDoc]:
    """The gold documents re-annotated with the rule entities (and their value attributes),
    carrying the gold links. Training the linker on these teaches it the distractors it
    meets at run time (budgets, ages, targets of other indicators): a predicted value that
    is no gold value has only negative candidates, a gold link whose span the rules found
    is positive."""
    linkers = [n for n in rules_nlp.pipe_names if n in ("mch_rule_linker", "mchnlp_linker")]
    return with_entities(rules_nlp, golds, exclude=linkers)


def load_records(path: Path) -> list[dict]:
    """The corpus records of a JSONL file; malformed lines raise with `path:line`."""
    from ..corpus.schema import read_jsonl

    return read_jsonl(path)
