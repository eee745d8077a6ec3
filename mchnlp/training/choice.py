"""Choosing the pipeline variant on dev.

The best variant by dev strict fact F1 (core F1 breaking ties) wins, unless it cannot produce
an indicator code that the training annotations use — an indicator an analyst taught by
annotation, which a pipeline of rule entities never finds — and another variant that can is
within noise of it on dev (the paired bootstrap interval of the strict F1 difference, resampling
dev documents, reaches 0). A dev split rarely holds the new indicator, so dev alone would keep
choosing the variant that cannot express it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy.language import Language

from ..evaluation.metrics import paired_delta_ci
from ..knowledge import resources
from .gold import GoldDoc


def training_codes(golds: Iterable[GoldDoc]) -> set[str]:
    """The indicator codes of the facts in the training documents."""
    return {f["indicator"] for g in golds for f in g.record.get("facts", []) if f.get("indicator")}


def producible_codes(nlp: Language) -> set[str]:
    """The indicator codes a pipeline can give: the packaged table's, and, when its entities
    can go beyond the rule patterns and `mch_indicator_codes` assigns codes, the learned ones."""
    codes = {r["code"] for r in resources.indicator_table()["indicators"]}
    if "ner" in nlp.pipe_names and "mch_indicator_codes" in nlp.pipe_names:
        codes |= set(nlp.get_pipe("mch_indicator_codes").learned)
    return codes


def choose_variant(scores: dict[str, dict], per_doc_strict: dict[str, np.ndarray],
                   pipelines: dict[str, Language], needed_codes: set[str], *,
                   seed: int = 0) -> dict:
    """The variant to write, and why.

    Args:
        scores: name -> {"strict": {"f"}, "core": {"f"}} dev fact scores.
        per_doc_strict: name -> (dev documents, 3) strict (tp, fp, fn) per document.
        pipelines: name -> the assembled pipeline.
        needed_codes: the indicator codes of the training facts.
    Returns:
        {"chosen", "best_on_dev", "reason", "missing_codes": {name: [codes it cannot give]},
        "producing_all": [names that give every needed code, best first], "within_noise":
        {name: [lo, hi] of its strict F1 minus the best's, for those whose interval reaches 0}}.
    """
    ranked = sorted(scores, key=lambda n: (scores[n]["strict"]["f"], scores[n]["core"]["f"]),
                    reverse=True)
    best = ranked[0]
    missing = {n: sorted(needed_codes - producible_codes(pipelines[n])) for n in ranked}
    deltas = {n: paired_delta_ci(per_doc_strict[best], per_doc_strict[n], seed=seed)
              for n in ranked[1:]}
    within = {n: ci for n, ci in deltas.items() if ci[1] is not None and ci[1] >= 0}
    chosen, reason = best, "best dev strict fact F1"
    if missing[best]:
        covering = [n for n in ranked[1:] if n in within and not missing[n]]
        if covering:
            chosen = covering[0]
            reason = (f"within noise of {best} on dev, and produces "
                      f"{', '.join(missing[best])}, which {best} cannot")
    return {"chosen": chosen, "best_on_dev": best, "reason": reason,
            "missing_codes": {n: codes for n, codes in missing.items() if codes},
            "producing_all": [n for n in ranked if not missing[n]],
            "within_noise": within}
