"""Rebuild models/mchnlp_id from the rule data in mchnlp/data (no training involved)."""

from __future__ import annotations

import argparse
from pathlib import Path

from mchnlp.pipeline import PIPELINE_NAME, build_rule_pipeline, save_pipeline

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=ROOT / "models" / PIPELINE_NAME)
    args = parser.parse_args()
    nlp = build_rule_pipeline()
    save_pipeline(nlp, args.output)
    print(f"wrote {args.output} ({', '.join(nlp.pipe_names)})")


if __name__ == "__main__":
    main()
