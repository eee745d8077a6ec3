"""Rebuild models/mchnlp_id from the rule data in mchnlp/knowledge/data and the trained syntax layer.

The syntax components (tok2vec, morphologizer, lemmatizer, parser) are copied from `--syntax`:
by default the syntax already in the shipped pipeline, so editing a rule file and rebuilding
never needs the UD training; `--syntax training/syntax/model-best` takes a freshly trained
layer (`bash training/syntax/train.sh`), `--syntax none` builds a rules-only pipeline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import spacy

from mchnlp.pipeline import PIPELINE_NAME, SYNTAX_PIPES, build_rule_pipeline, save_pipeline

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "models" / PIPELINE_NAME


def syntax_source(choice: str | None) -> spacy.Language | None:
    if choice == "none":
        return None
    if choice is not None:
        return spacy.load(choice)
    if SHIPPED.exists():
        shipped = spacy.load(SHIPPED)
        if all(name in shipped.pipe_names for name in SYNTAX_PIPES):
            return shipped
    trained = ROOT / "training" / "syntax" / "model-best"
    if trained.exists():
        return spacy.load(trained)
    sys.exit("no syntax layer found: train it (bash training/syntax/train.sh) or pass --syntax none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=SHIPPED)
    parser.add_argument("--syntax", default=None,
                        help="pipeline to copy the syntax layer from, or 'none' "
                             "(default: the shipped pipeline's, else training/syntax/model-best)")
    args = parser.parse_args()
    nlp = build_rule_pipeline(syntax_source(args.syntax))
    save_pipeline(nlp, args.output)
    print(f"wrote {args.output} ({', '.join(nlp.pipe_names)})")


if __name__ == "__main__":
    main()
