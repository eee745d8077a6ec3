"""Build the rule pipeline from the rule data in mchnlp/knowledge/data (no training), and
refresh the shipped syntax layer after it was retrained.

    python training/build_rule_pipeline.py [--output training/out/rules_id]
    python training/build_rule_pipeline.py --syntax training/syntax/model-best

The rule pipeline is the baseline every evaluation reports beside the shipped model; the shipped
model itself is trained (`make model`, i.e. `mchnlp train … --install`). `--syntax DIR` copies
the syntax components (tok2vec, morphologizer, lemmatizer, parser) of a freshly trained layer
(`bash training/syntax/train.sh`) into `models/mchnlp_id_syntax`, which
`mchnlp.load(syntax="spacy")` adds to the pipeline.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy

from mchnlp.pipeline import (
    SYNTAX_PIPELINE_NAME,
    SYNTAX_PIPES,
    blank_pipeline,
    build_rule_pipeline,
    save_pipeline,
)

ROOT = Path(__file__).resolve().parents[1]


def syntax_layer(source: Path) -> spacy.Language:
    trained = spacy.load(source)
    nlp = blank_pipeline()
    for name in SYNTAX_PIPES:
        nlp.add_pipe(name, source=trained)
    nlp.meta["name"] = SYNTAX_PIPELINE_NAME.replace("mchnlp_", "")
    nlp.meta["description"] = ("mchnlp: the UD-trained Indonesian syntax layer, added by "
                               "mchnlp.load(syntax='spacy')")
    return nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "training" / "out" / "rules_id")
    parser.add_argument("--syntax", type=Path, default=None,
                        help="a trained syntax pipeline to copy into models/mchnlp_id_syntax")
    args = parser.parse_args()
    nlp = build_rule_pipeline()
    save_pipeline(nlp, args.output)
    print(f"wrote {args.output} ({', '.join(nlp.pipe_names)})")
    if args.syntax is not None:
        output = ROOT / "models" / SYNTAX_PIPELINE_NAME
        save_pipeline(syntax_layer(args.syntax), output)
        print(f"wrote {output}")


if __name__ == "__main__":
    main()
