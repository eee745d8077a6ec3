"""Assembling pipeline variants from the rule pipeline, a trained NER and a linker."""


from __future__ import annotations

import spacy
from spacy.language import Language

from ..pipeline import SYNTAX_PIPES
from .gold import SENTENCE_PIPES

RULE_PIPES = ("indicator_ruler", "place_date_ruler", "mch_values")


def assemble(rules_nlp: Language, *, ner_nlp: Language | None = None, use_rules: bool = True,
             linker: str = "rules", linker_weights: dict | None = None,
             linker_cfg: dict | None = None) -> Language:
    """Build a pipeline: rules and/or statistical NER, then the rule or trained linker."""
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "mchnlp.Tokenizer.v1"}}})
    # rulers, syntax layer, sentence boundaries and value rules in the rule pipeline's order
    for name in rules_nlp.pipe_names:
        if name in SENTENCE_PIPES or name in SYNTAX_PIPES or name in RULE_PIPES:
            nlp.add_pipe(name, source=rules_nlp)
            if name in RULE_PIPES and not use_rules:
                nlp.disable_pipe(name)  # kept, switched off, for mch_entity_ids to match against
    if ner_nlp is not None:
        nlp.add_pipe("ner", source=ner_nlp)
        nlp.add_pipe("mch_entity_ids")
    # describe the values a statistical NER added (kind, qualifier, counting noun)
    if ner_nlp is not None:
        attrs = nlp.add_pipe("mch_values", name="mch_value_attrs", config={"detect": False})
        attrs.initialize(lexicon=rules_nlp.get_pipe("mch_values").lexicon)
    if linker == "rules":
        nlp.add_pipe("mch_rule_linker")
    else:
        cfg = linker_cfg or {}
        config = {k: v for k, v in cfg.items() if k in ("c",)}
        config["generator"] = {"@misc": "mchnlp.rel_instance_generator.v1",
                               "use_syntax": cfg.get("use_syntax", True)}
        component = nlp.add_pipe("mchnlp_linker", config=config)
        from ..components.linker import LinkModel

        component.model = LinkModel(linker_weights or {})
        if "thresholds" in cfg:
            component.cfg["thresholds"] = dict(cfg["thresholds"])
        component.cfg["fallback_to_rules"] = bool(cfg.get("fallback_to_rules", False))
    nlp.meta.update(rules_nlp.meta)
    return nlp
