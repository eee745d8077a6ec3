"""Running a pipeline over gold records and scoring it: `evaluate_model`, `evaluate_systems`.

A result is a plain JSON-ready dict (written as `metrics.json` next to the report), so a
later run can be compared with an earlier one without re-running either model:

    {"name", "model", "pipeline", "n_docs", "n_gold_facts", "n_pred_facts",
     "scores": {"ner": {"micro", "labels"},
                "relations": {"predicted_entities": {"micro", "labels"},
                              "gold_entities": {"micro", "labels"} | None},
                "facts": {"strict"|"core": {"micro", "indicator", "unit"}}},
     "confusion": {"labels", "matrix"}, "tallies": {key: per-doc counts},
     "docs": [per-document predictions and matches], "bootstrap": {...}}

Every score is {"tp", "fp", "fn", "support", "p", "r", "f", "ci": {"p", "r", "f"}}.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..corpus.schema import ENTITY_LABELS, RELATION_LABELS, VALUE_LABELS
from . import metrics
from .attribution import attribution
from .attribution import summarize as summarize_attribution
from .metrics import FACT_MODES, Tally

logger = logging.getLogger(__name__)

LINKER_NAMES: tuple[str, ...] = ("mch_rule_linker", "mchnlp_linker")
OUTSIDE = "O"
# factories of rule components (mch_entity_ruler: the entity ruler as mchnlp.load builds it)
RULE_FACTORIES = ("entity_ruler", "mch_entity_ruler", "span_ruler", "mch_values")
FACT_FIELDS = (
    "indicator",
    "value",
    "value_max",
    "qualifier",
    "unit",
    "location",
    "location_code",
    "year",
    "kind",
    "text",
    "start",
    "end",
    "confidence",
)


# -- gold side --------------------------------------------------------------------------------
def gold_entities(record: dict) -> list[metrics.Entity]:
    """The record's spans as `(start, end, label)`."""
    return [(int(s["start"]), int(s["end"]), s["label"]) for s in record.get("spans") or []]


def gold_relations(record: dict) -> list[metrics.Relation]:
    """The record's relations as `((value offsets), (target offsets), label)`; relations
    naming an unknown span id are skipped."""
    spans = {s["id"]: (int(s["start"]), int(s["end"])) for s in record.get("spans") or []}
    out = []
    for rel in record.get("relations") or []:
        head, tail = spans.get(rel.get("head")), spans.get(rel.get("tail"))
        if head is not None and tail is not None and rel.get("label") in RELATION_LABELS:
            out.append((head, tail, rel["label"]))
    return out


def _published(record: dict) -> dt.date | None:
    from mchnlp.knowledge.dates import coerce_published

    value = (record.get("meta") or {}).get("published")
    try:
        return coerce_published(value) if value else None
    except ValueError:
        logger.warning("%s: unreadable meta.published %r, ignored", record.get("id"), value)
        return None


# -- predicted side ---------------------------------------------------------------------------
def predicted_relations(
    doc: Doc, span_offsets: Callable[[Span], tuple[int, int]] | None = None
) -> list[metrics.Relation]:
    """The links of `doc._.rel` as offset triples: for each value and relation label, the
    best-scoring target (the one `doc._.facts` uses). `span_offsets` maps an entity to the
    offsets it is scored under (default: its own character offsets)."""
    offsets = span_offsets or (lambda span: (span.start_char, span.end_char))
    by_start = {e.start: e for e in doc.ents}
    best: dict[tuple[int, str], tuple[float, Span]] = {}
    for (head, tail), scores in (doc._.rel or {}).items():
        value, target = by_start.get(head), by_start.get(tail)
        if value is None or target is None or value.label_ not in VALUE_LABELS:
            continue
        for label, score in scores.items():
            if label not in RELATION_LABELS:
                continue
            current = best.get((head, label))
            if current is None or score > current[0]:
                best[(head, label)] = (score, target)
    return [
        (offsets(by_start[head]), offsets(target), label)
        for (head, label), (_, target) in sorted(best.items())
    ]


def _fact_dict(fact: Any) -> dict:
    data = fact.to_dict() if hasattr(fact, "to_dict") else dict(fact)
    return {k: data.get(k) for k in FACT_FIELDS}


def run_pipeline(nlp: Language, record: dict) -> tuple[Doc, list[dict]]:
    """Process a record's text (with its publication date) and return the Doc and its facts.

    Texts longer than `mchnlp.api.CHUNK_CHARS` take their facts from `mchnlp.api.process`,
    the chunked path `mchnlp.extract` uses, so the score is the one users get."""
    from mchnlp.api import CHUNK_CHARS, process

    text = record["text"]
    published = _published(record)
    doc = nlp.make_doc(text)
    doc._.published = published
    doc = nlp(doc)
    if len(text) > CHUNK_CHARS:
        facts = process(nlp, text, published)
    else:
        facts = doc._.facts
    return doc, [_fact_dict(f) for f in facts]


def linker_names(nlp: Language) -> list[str]:
    """The relation components of `nlp`, in pipeline order."""
    return [name for name in nlp.pipe_names if name in LINKER_NAMES]


def _assigns_ents(nlp: Language, name: str) -> bool:
    return "doc.ents" in nlp.get_pipe_meta(name).assigns


def link_gold_entities(
    nlp: Language, record: dict
) -> tuple[Doc, dict[int, tuple[int, int]]] | None:
    """Run only the linker of `nlp` on the record's gold entities.

    The components before the first entity component (sentence boundaries, syntax) run
    first; then `doc.ents` is set from the gold spans; the value rules describe those gold
    values (kind, counting noun: what the linker reads in `doc._.value_attrs`) without adding
    entities; then the linker components run.

    Returns:
        (doc, {entity token start: gold char offsets}), or None when `nlp` has no linker.
    """
    from mchnlp.facts.extensions import ensure_doc_stores

    linkers = linker_names(nlp)
    if not linkers:
        return None
    doc = nlp.make_doc(record["text"])
    doc._.published = _published(record)
    for name in nlp.pipe_names:
        if _assigns_ents(nlp, name) or name in linkers:
            break
        doc = nlp.get_pipe(name)(doc)
    spans: list[Span] = []
    # gold char offsets by token: the value rules may trim a gold value's edges ("sebanyak 5
    # kasus" -> "5 kasus"), so an entity is traced back by any token it kept
    origin: dict[int, tuple[int, int]] = {}
    for s in record.get("spans") or []:
        span = doc.char_span(
            int(s["start"]), int(s["end"]), label=s["label"], alignment_mode="contract"
        )
        if span is None or not len(span):
            continue
        spans.append(span)
        for i in range(span.start, span.end):
            origin.setdefault(i, (int(s["start"]), int(s["end"])))
    doc.ents = filter_spans(spans)
    ensure_doc_stores(doc)
    doc._.rel = {}
    doc._.value_attrs = {}
    for name in nlp.pipe_names:
        pipe = nlp.get_pipe(name)
        if nlp.get_pipe_meta(name).factory == "mch_values" and hasattr(pipe, "annotate_existing"):
            pipe.annotate_existing(doc)
            break
    for name in linkers:
        doc = nlp.get_pipe(name)(doc)
    starts = {e.start: origin[e.start] for e in doc.ents if e.start in origin}
    return doc, starts


def _token_offsets(doc: Doc) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t)) for t in doc if not t.is_space]


def _doc_result(record: dict, doc: Doc, pred_facts: list[dict]) -> dict:
    gold_facts = [{k: f.get(k) for k in FACT_FIELDS} for f in record.get("facts") or []]
    return {
        "id": record.get("id"),
        "text": record["text"],
        "published": (record.get("meta") or {}).get("published"),
        "sentences": [[s.start_char, s.end_char] for s in doc.sents]
        if doc.has_annotation("SENT_START")
        else [[0, len(doc.text)]],
        "gold_spans": [list(e) for e in gold_entities(record)],
        "pred_spans": [[e.start_char, e.end_char, e.label_] for e in doc.ents],
        "gold_facts": gold_facts,
        "pred_facts": pred_facts,
        "matches": {
            mode: metrics.match_facts(gold_facts, pred_facts, keys).to_dict()
            for mode, keys in FACT_MODES.items()
        },
    }


def describe_pipeline(nlp: Language) -> str:
    """A short description of what the pipeline contains (for report headers)."""
    names = nlp.pipe_names
    parts = []
    if "ner" in names:
        parts.append("statistical NER")
    if any(
        nlp.get_pipe_meta(n).factory in RULE_FACTORIES for n in names
    ):
        parts.append("rules")
    linkers = linker_names(nlp)
    if "mchnlp_linker" in linkers:
        parts.append("trained linker")
    elif "mch_rule_linker" in linkers:
        parts.append("rule linker")
    return " + ".join(parts) or "custom"


def evaluate_model(
    nlp: Language,
    records: Sequence[dict],
    *,
    name: str | None = None,
    model: str | None = None,
    n_boot: int = metrics.N_BOOTSTRAP,
    seed: int = 0,
    level: float = metrics.CONFIDENCE,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> dict:
    """Score `nlp` on gold records: NER, relations (predicted and gold entities), facts.

    Args:
        nlp: a loaded mchnlp pipeline.
        records: corpus records (`id`, `text`, `meta.published`, `spans`, `relations`,
            `facts`), e.g. one split of `mchnlp.corpus.load_records()`.
        name: the system's display name (default: the pipeline's meta name).
        model: where the pipeline came from (path), for the report.
        n_boot, seed, level: bootstrap resamples, seed and confidence level.
        progress: optional wrapper for the record iterator (a progress bar in CLIs).
    Returns:
        The result dict described in the module docstring.
    """
    records = list(records)
    n = len(records)
    tally = Tally(n)
    for label in ENTITY_LABELS:
        tally.ensure(f"ner/{label}")
    tally.ensure("ner/micro")
    has_linker = bool(linker_names(nlp))
    rel_modes = ["predicted_entities"] + (["gold_entities"] if has_linker else [])
    for mode in rel_modes:
        tally.ensure(f"rel/{mode}/micro")
        for label in RELATION_LABELS:
            tally.ensure(f"rel/{mode}/{label}")
    for mode in FACT_MODES:
        tally.ensure(f"facts/{mode}/micro")
    confusion_pairs: list[tuple[str, str]] = []
    extra_labels: set[str] = set()
    docs = []
    iterator = progress(records) if progress is not None else records
    for i, record in enumerate(iterator):
        doc, pred_facts = run_pipeline(nlp, record)
        gold_ents = gold_entities(record)
        pred_ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        extra_labels.update(
            label for _, _, label in gold_ents + pred_ents if label not in ENTITY_LABELS
        )
        per_label = metrics.ner_counts(gold_ents, pred_ents)
        for label, counts in per_label.items():
            tally.add(f"ner/{label}", i, counts)
        tally.add("ner/micro", i, metrics.micro(per_label.values()))
        offsets = _token_offsets(doc)
        confusion_pairs.extend(
            zip(
                metrics.token_labels(offsets, gold_ents, OUTSIDE),
                metrics.token_labels(offsets, pred_ents, OUTSIDE),
            )
        )

        gold_rels = gold_relations(record)
        rel_sets = {"predicted_entities": predicted_relations(doc)}
        if has_linker:
            linked = link_gold_entities(nlp, record)
            if linked is not None:
                gdoc, starts = linked
                rel_sets["gold_entities"] = predicted_relations(
                    gdoc, lambda span, starts=starts: starts[span.start]
                )
        for mode, pred_rels in rel_sets.items():
            per_rel = metrics.relation_counts(gold_rels, pred_rels)
            for label, counts in per_rel.items():
                tally.add(f"rel/{mode}/{label}", i, counts)
            tally.add(f"rel/{mode}/micro", i, metrics.micro(per_rel.values()))

        result_doc = _doc_result(record, doc, pred_facts)
        result_doc["attribution"] = attribution(
            record, doc, result_doc["gold_facts"], pred_facts,
            [tuple(p) for p in result_doc["matches"]["core"]["pairs"]])
        for mode in FACT_MODES:
            match = metrics.FactMatch(
                pairs=[tuple(p) for p in result_doc["matches"][mode]["pairs"]],
                missed=result_doc["matches"][mode]["missed"],
                spurious=result_doc["matches"][mode]["spurious"],
            )
            tally.add(f"facts/{mode}/micro", i, match.counts)
            for by in ("indicator", "unit"):
                for key, counts in metrics.fact_breakdown(
                    result_doc["gold_facts"], pred_facts, match, by
                ).items():
                    tally.add(f"facts/{mode}/{by}/{key}", i, counts)
        docs.append(result_doc)

    summary = tally.summary(n_boot=n_boot, seed=seed, level=level)
    labels = list(ENTITY_LABELS) + sorted(extra_labels) + [OUTSIDE]
    return {
        "name": name or nlp.meta.get("name") or "model",
        "model": model,
        "pipeline": list(nlp.pipe_names),
        "description": describe_pipeline(nlp),
        "n_docs": n,
        "doc_ids": [r.get("id") for r in records],
        "n_gold_facts": sum(len(d["gold_facts"]) for d in docs),
        "n_pred_facts": sum(len(d["pred_facts"]) for d in docs),
        "scores": _nest(summary, has_linker),
        "confusion": {
            "labels": labels,
            "matrix": metrics.confusion_matrix(confusion_pairs, labels),
        },
        "tallies": tally.to_dict(),
        "attribution": summarize_attribution([r for d in docs for r in d["attribution"]]),
        "learned_indicators": _learned_indicators(nlp),
        "docs": docs,
        "bootstrap": {"n": n_boot, "seed": seed, "level": level, "unit": "document"},
    }


def _learned_indicators(nlp: Language) -> dict:
    """What the pipeline's `mch_indicator_codes` learned from annotations, per code."""
    if "mch_indicator_codes" not in nlp.pipe_names:
        return {}
    return dict(nlp.get_pipe("mch_indicator_codes").learned)


def _nest(summary: dict[str, dict], has_linker: bool) -> dict:
    """Arrange the flat `Tally` keys into the result's `scores` tree."""
    scores: dict[str, Any] = {
        "ner": {"micro": summary["ner/micro"], "labels": {}},
        "relations": {"predicted_entities": None, "gold_entities": None},
        "facts": {
            mode: {"micro": summary[f"facts/{mode}/micro"], "indicator": {}, "unit": {}}
            for mode in FACT_MODES
        },
    }
    for key, value in summary.items():
        parts = key.split("/")
        if parts[0] == "ner" and parts[1] != "micro":
            scores["ner"]["labels"][parts[1]] = value
        elif parts[0] == "rel":
            block = scores["relations"][parts[1]] or {"micro": None, "labels": {}}
            scores["relations"][parts[1]] = block
            if parts[2] == "micro":
                block["micro"] = value
            else:
                block["labels"][parts[2]] = value
        elif parts[0] == "facts" and len(parts) == 4:
            scores["facts"][parts[1]][parts[2]][parts[3]] = value
    if not has_linker:
        scores["relations"]["gold_entities"] = None
    return scores


def evaluate_systems(
    systems: Sequence[tuple[str, Language, str | None]],
    records: Sequence[dict],
    **kwargs: Any,
) -> list[dict]:
    """Evaluate several pipelines on the same records with the same bootstrap draws.

    Args:
        systems: (name, nlp, model path or None); the first is the system under test, the
            others are references (rule baseline, previous model).
        records: the gold records.
        kwargs: passed to `evaluate_model` (n_boot, seed, level, progress).
    Returns:
        One result per system, in the given order.
    """
    return [
        evaluate_model(nlp, records, name=name, model=model, **kwargs)
        for name, nlp, model in systems
    ]
