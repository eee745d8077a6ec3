"""Assembling pipeline variants from the rule pipeline, a trained recognizer and a linker.

Entities come either from the rules (entity rulers + value rules), from the trained
recognizer, which reads the rules' matches as a feature (`mch_rule_spans` + `ner`), from the
arbiter's choice between the two, or from the rules filled in with the recognizer's spans of
some labels where the rules found nothing (`mch_entity_fill`); then
`mch_entity_ids` and `mch_indicator_codes` give them their ids, `mch_value_attrs` describes the
values, and the rule or trained linker links them.
"""

from __future__ import annotations

from spacy.language import Language

from ..components.entity_arbiter import EntityArbiter
from ..components.indicator_codes import IndicatorCodes
from ..components.linker import LinkModel
from ..pipeline import SYNTAX_PIPES, blank_pipeline
from .gold import SENTENCE_PIPES

RULE_PIPES = ("indicator_ruler", "place_date_ruler", "mch_values")


def assemble(rules_nlp: Language, *, ner_nlp: Language | None = None, use_rules: bool = True,
             linker: str = "rules", linker_weights: dict | None = None,
             linker_cfg: dict | None = None, indicator_codes: IndicatorCodes | None = None,
             arbiter: EntityArbiter | None = None, fill_labels: list[str] | None = None,
             syntax: bool = False) -> Language:
    """Build a pipeline.

    Args:
        rules_nlp: the rule pipeline (rulers, sentence rules, value rules; its syntax layer is
            copied when `syntax`).
        ner_nlp: a recognizer pipeline from `training.ner.train_ner`; None for rule entities.
        use_rules: with `ner_nlp` and a recognizer trained without rule features: keep the
            rules in front as a hybrid (the recognizer fills what they leave).
        linker: "rules" or "trained" (with `linker_weights` and `linker_cfg`).
        indicator_codes: a fitted `mch_indicator_codes` component, or None.
        arbiter: a fitted `mch_entity_arbiter` deciding between the recognizer's and the
            rules' entities (needs a recognizer that reads the rules), or None.
        fill_labels: keep the rules' entities and add the recognizer's of these labels where
            they overlap none (`mch_entity_fill`; needs a recognizer that reads the rules).
        syntax: include the UD syntax layer (tok2vec, morphologizer, lemmatizer, parser).
    """
    nlp = blank_pipeline()
    reads_rules = ner_nlp is not None and "mch_rule_spans" in ner_nlp.pipe_names
    entity_source = ner_nlp if reads_rules else rules_nlp
    for name in entity_source.pipe_names:
        if name in ("indicator_ruler", "place_date_ruler", "mch_area_typos",
                    "mch_indicator_typos"):
            nlp.add_pipe(name, source=entity_source)
    if syntax:
        for name in SYNTAX_PIPES[:-1]:
            nlp.add_pipe(name, source=rules_nlp)
    for name in SENTENCE_PIPES:
        nlp.add_pipe(name, source=entity_source)
    if syntax:
        nlp.add_pipe(SYNTAX_PIPES[-1], source=rules_nlp)
    if reads_rules:
        nlp.add_pipe("mch_values", source=ner_nlp)
        nlp.add_pipe("mch_rule_spans", source=ner_nlp)
        nlp.add_pipe("ner", source=ner_nlp)
        if arbiter is not None:
            nlp.add_pipe("mch_entity_arbiter").from_bytes(arbiter.to_bytes())
        elif fill_labels:
            nlp.add_pipe("mch_entity_fill", config={"labels": list(fill_labels)})
    else:
        nlp.add_pipe("mch_values", source=rules_nlp)
        if ner_nlp is not None:
            if not use_rules:  # kept, switched off, for mch_entity_ids to match against
                for name in RULE_PIPES:
                    nlp.disable_pipe(name)
            nlp.add_pipe("ner", source=ner_nlp)
    if ner_nlp is not None:
        nlp.add_pipe("mch_entity_ids")
    if indicator_codes is not None:
        nlp.add_pipe("mch_indicator_codes", config={"threshold": indicator_codes.cfg["threshold"]})
        component = nlp.get_pipe("mch_indicator_codes")
        component.from_bytes(indicator_codes.to_bytes())
    if ner_nlp is not None:
        # describe the values the recognizer found (kind, qualifier, counting noun)
        attrs = nlp.add_pipe("mch_values", name="mch_value_attrs", config={"detect": False})
        attrs.initialize(lexicon=rules_nlp.get_pipe("mch_values").lexicon)
    if linker == "rules":
        nlp.add_pipe("mch_rule_linker")
    else:
        cfg = linker_cfg or {}
        config = {k: v for k, v in cfg.items() if k in ("c",)}
        version = ("v1" if not cfg.get("use_structure", True)
                   else "v4" if cfg.get("use_periods", False)
                   else "v3" if cfg.get("use_scope", False) else "v2")
        config["generator"] = {"@misc": f"mchnlp.rel_instance_generator.{version}",
                               "use_syntax": cfg.get("use_syntax", syntax)}
        component = nlp.add_pipe("mchnlp_linker", config=config)
        component.model = LinkModel(linker_weights or {})
        if "thresholds" in cfg:
            component.cfg["thresholds"] = dict(cfg["thresholds"])
        component.cfg["fallback_to_rules"] = bool(cfg.get("fallback_to_rules", False))
    nlp.meta.update(rules_nlp.meta)
    return nlp
