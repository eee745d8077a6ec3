#!/usr/bin/env bash
# Train and evaluate the Indonesian syntax layer: convert -> train -> evaluate.
#
#   bash training/syntax/train.sh            # seed 0, 2 threads
#   SEED=1 PYTHON=python bash training/syntax/train.sh
#
# Writes corpus/*.spacy, model-best/ (the trained pipeline) and metrics.json next to this
# script. Needs spaCy 3.8 and mchnlp installed (the config uses mchnlp's runtime tokenizer);
# spacy-lookups-data is optional (only for the lookup-lemmatizer comparison).
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-../../.venv/bin/python}
SEED=${SEED:-0}
# two cores in all; keep BLAS from oversubscribing them
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}

"$PYTHON" convert.py --ud ../ud --output corpus --seed "$SEED"

rm -rf output
start=$(date +%s)
"$PYTHON" -m spacy train config.cfg --output output --system.seed "$SEED"
train_seconds=$(( $(date +%s) - start ))
rm -rf model-best
mv output/model-best model-best
rm -rf output

"$PYTHON" evaluate.py --model model-best --corpus corpus --output metrics.json \
    --train-seconds "$train_seconds"
