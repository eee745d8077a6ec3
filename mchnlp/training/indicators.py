"""Training `mch_indicator_codes` from the corpus: each gold INDICATOR span with the code of the
facts that link to it, and the code the packaged table's patterns give it (the prior)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from spacy.language import Language

from ..components.indicator_codes import IndicatorCodes
from ..knowledge import resources
from .gold import GoldDoc

ENTITY_PIPES = ("indicator_ruler", "place_date_ruler")


def _rule_ids(rules_nlp: Language, text: str) -> list[tuple[int, int, str]]:
    """(start char, end char, code) of the INDICATOR matches the rule patterns keep."""
    with rules_nlp.select_pipes(enable=[n for n in ENTITY_PIPES if n in rules_nlp.pipe_names]):
        doc = rules_nlp(text)
    return [(e.start_char, e.end_char, e.ent_id_) for e in doc.ents
            if e.label_ == "INDICATOR" and e.ent_id_]


def _prior(start: int, end: int, rule_ids: list[tuple[int, int, str]]) -> str | None:
    best, overlap = None, 0
    for s, e, code in rule_ids:
        o = min(e, end) - max(s, start)
        if o > overlap:
            best, overlap = code, o
    return best


def indicator_examples(golds: Iterable[GoldDoc], rules_nlp: Language
                       ) -> list[tuple[str, str | None, str]]:
    """(span text, table code or None, gold code) for each gold INDICATOR span whose code is
    known: from the facts linked to it (the most frequent when they disagree), else from the
    table when it matched."""
    out = []
    for g in golds:
        record = g.record
        linked: dict[str, Counter] = {}
        fact_code = {f["value_span"]: f["indicator"] for f in record.get("facts", [])}
        for rel in record.get("relations", []):
            if rel["label"] == "indicator" and rel["head"] in fact_code:
                linked.setdefault(rel["tail"], Counter())[fact_code[rel["head"]]] += 1
        rule_ids = _rule_ids(rules_nlp, record["text"])
        for span in record.get("spans", []):
            if span["label"] != "INDICATOR":
                continue
            prior = _prior(span["start"], span["end"], rule_ids)
            codes = linked.get(span["id"])
            code = codes.most_common(1)[0][0] if codes else prior
            if code:
                out.append((span["text"], prior, code))
    return out


def fact_units(golds: Iterable[GoldDoc]) -> list[tuple[str, str, str]]:
    return [(g.record["id"], f["indicator"], f["unit"])
            for g in golds for f in g.record.get("facts", [])]


def fit_indicator_codes(train: list[GoldDoc], rules_nlp: Language, *, seed: int = 0
                        ) -> IndicatorCodes:
    component = IndicatorCodes(None)
    table = [r["code"] for r in resources.indicator_table()["indicators"]]
    component.fit(indicator_examples(train, rules_nlp), facts=fact_units(train),
                  table_codes=table, seed=seed)
    return component


def code_accuracy(component: IndicatorCodes, golds: list[GoldDoc], rules_nlp: Language
                  ) -> dict[str, float]:
    """Share of the gold INDICATOR spans linked to a fact whose code is right: learned (the
    component) and table only (the prior)."""
    right = prior_right = total = 0
    for g in golds:
        record = g.record
        fact_code = {f["value_span"]: f["indicator"] for f in record.get("facts", [])}
        linked = {rel["tail"]: fact_code[rel["head"]] for rel in record.get("relations", [])
                  if rel["label"] == "indicator" and rel["head"] in fact_code}
        rule_ids = _rule_ids(rules_nlp, record["text"])
        for span in record.get("spans", []):
            if span["id"] not in linked:
                continue
            prior = _prior(span["start"], span["end"], rule_ids)
            total += 1
            right += component.predict(span["text"], prior) == linked[span["id"]]
            prior_right += prior == linked[span["id"]]
    return {"spans": total, "learned": right / total if total else 0.0,
            "table_only": prior_right / total if total else 0.0}
