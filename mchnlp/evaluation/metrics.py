"""Metrics: entity, relation and fact precision/recall/F1 with document-bootstrap intervals.

Everything here works on plain data (character offsets, fact dicts), not on spaCy objects, so
gold records and pipeline output are compared in one representation:

- an entity is `(start, end, label)` in characters; it matches only exactly;
- a relation is `((value_start, value_end), (target_start, target_end), label)`;
- a fact is a dict shaped like `Fact.to_dict()`; facts are matched as multisets within a
  document on `STRICT_KEYS` or `CORE_KEYS` (values within `VALUE_TOLERANCE`, locations
  case-insensitively).

Counts are kept per document (`Tally`), so confidence intervals come from resampling
documents, which respects that the errors inside one article are not independent.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mchnlp.evaluation.scoring import counts_by_label, prf

STRICT_KEYS: tuple[str, ...] = ("indicator", "value", "unit", "location", "year")
CORE_KEYS: tuple[str, ...] = ("indicator", "value", "unit")
FACT_MODES: dict[str, tuple[str, ...]] = {"strict": STRICT_KEYS, "core": CORE_KEYS}
VALUE_TOLERANCE = 1e-6
N_BOOTSTRAP = 1000
CONFIDENCE = 0.95

Entity = tuple[int, int, str]
Relation = tuple[tuple[int, int], tuple[int, int], str]


def set_counts(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> tuple[int, int, int]:
    """(tp, fp, fn) of two collections compared as sets of exact items."""
    g, p = set(gold), set(predicted)
    tp = len(g & p)
    return tp, len(p) - tp, len(g) - tp


# -- entities ---------------------------------------------------------------------------------
def ner_counts(
    gold: Iterable[Entity], predicted: Iterable[Entity]
) -> dict[str, tuple[int, int, int]]:
    """Per-label (tp, fp, fn) of one document; an entity matches only with identical
    character offsets and label.

    Args:
        gold, predicted: `(start, end, label)` triples.
    Returns:
        {label: (tp, fp, fn)} for every label occurring on either side.
    """
    return counts_by_label(gold, predicted)


def token_labels(
    token_offsets: Sequence[tuple[int, int]], entities: Iterable[Entity], outside: str = "O"
) -> list[str]:
    """The entity label of every token (`outside` for none): a token belongs to the entity
    that contains its first character, so spans off token boundaries still label tokens."""
    starts = sorted(entities)
    labels = []
    j = 0
    for tok_start, _ in token_offsets:
        while j < len(starts) and starts[j][1] <= tok_start:
            j += 1
        label = outside
        for k in range(j, len(starts)):
            start, end, lab = starts[k]
            if start > tok_start:
                break
            if start <= tok_start < end:
                label = lab
                break
        labels.append(label)
    return labels


def confusion_matrix(pairs: Iterable[tuple[str, str]], labels: Sequence[str]) -> list[list[int]]:
    """Counts of (gold, predicted) label pairs as a matrix; rows gold, columns predicted, in
    the order of `labels` (pairs with other labels are ignored)."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for gold, pred in pairs:
        if gold in index and pred in index:
            matrix[index[gold]][index[pred]] += 1
    return matrix


# -- relations --------------------------------------------------------------------------------
def relation_counts(
    gold: Iterable[Relation], predicted: Iterable[Relation]
) -> dict[str, tuple[int, int, int]]:
    """Per-label (tp, fp, fn) of one document's relations (exact offsets of both ends)."""
    return counts_by_label(gold, predicted)


# -- facts ------------------------------------------------------------------------------------
def _norm_field(key: str, value: Any) -> Any:
    if key == "location" and isinstance(value, str):
        return " ".join(value.split()).casefold()
    if key == "year" and value is not None:
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    return value


def _values_equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=0.0, abs_tol=VALUE_TOLERANCE)


def facts_equal(gold: dict, predicted: dict, keys: Sequence[str] = STRICT_KEYS) -> bool:
    """Whether two facts agree on `keys` (value within tolerance, location case-insensitive)."""
    for key in keys:
        if key == "value":
            if not _values_equal(gold.get(key), predicted.get(key)):
                return False
        elif _norm_field(key, gold.get(key)) != _norm_field(key, predicted.get(key)):
            return False
    return True


@dataclass
class FactMatch:
    """The outcome of matching one document's facts: index pairs (gold, predicted) that
    match, and the unmatched indices on each side."""

    pairs: list[tuple[int, int]] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    spurious: list[int] = field(default_factory=list)

    @property
    def counts(self) -> tuple[int, int, int]:
        return len(self.pairs), len(self.spurious), len(self.missed)

    def to_dict(self) -> dict[str, list]:
        return {
            "pairs": [list(p) for p in self.pairs],
            "missed": self.missed,
            "spurious": self.spurious,
        }


def _overlap(a: dict, b: dict) -> int:
    try:
        return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))
    except (KeyError, TypeError):
        return 0


def match_facts(
    gold: Sequence[dict], predicted: Sequence[dict], keys: Sequence[str] = STRICT_KEYS
) -> FactMatch:
    """Match facts as multisets on `keys`: each fact is used at most once.

    When several gold facts are equal on `keys`, a predicted fact is paired with the one
    whose value span overlaps it most (then the earliest), so that error listings line up
    with the text; the counts do not depend on this choice.
    """
    result = FactMatch()
    used: set[int] = set()
    for pi, pred in enumerate(predicted):
        options = [gi for gi, g in enumerate(gold) if gi not in used and facts_equal(g, pred, keys)]
        if not options:
            result.spurious.append(pi)
            continue
        best = max(options, key=lambda gi: (_overlap(gold[gi], pred), -gi))
        used.add(best)
        result.pairs.append((best, pi))
    result.missed = [gi for gi in range(len(gold)) if gi not in used]
    result.pairs.sort()
    return result


def fact_breakdown(
    gold: Sequence[dict], predicted: Sequence[dict], match: FactMatch, by: str
) -> dict[Any, tuple[int, int, int]]:
    """Per-value-of-`by` (tp, fp, fn) from one matching (so the groups sum to the total): a
    match counts for the gold fact's group, a spurious fact for its own group."""
    out: dict[Any, list[int]] = {}
    for gi, _ in match.pairs:
        out.setdefault(gold[gi].get(by), [0, 0, 0])[0] += 1
    for pi in match.spurious:
        out.setdefault(predicted[pi].get(by), [0, 0, 0])[1] += 1
    for gi in match.missed:
        out.setdefault(gold[gi].get(by), [0, 0, 0])[2] += 1
    return {k: (c[0], c[1], c[2]) for k, c in out.items()}


# -- bootstrap --------------------------------------------------------------------------------
def resample_weights(n_docs: int, n_boot: int = N_BOOTSTRAP, seed: int = 0) -> np.ndarray:
    """How often each document is drawn in each bootstrap resample: shape (n_boot, n_docs).

    The same seed gives the same resamples, so intervals of different metrics (and of
    different systems on the same documents) are computed on identical draws.
    """
    if n_docs == 0:
        return np.zeros((n_boot, 0), dtype=np.int64)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n_docs, size=(n_boot, n_docs))
    flat = draws + (np.arange(n_boot) * n_docs)[:, None]
    return np.bincount(flat.ravel(), minlength=n_boot * n_docs).reshape(n_boot, n_docs)


def _ratios(counts: np.ndarray) -> dict[str, np.ndarray]:
    """P/R/F1 of bootstrap sums of shape (..., 3); NaN where undefined."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        r = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f = np.where(tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    return {"p": p, "r": r, "f": f}


def _interval(samples: np.ndarray, level: float) -> np.ndarray:
    """Percentile interval along axis 0, ignoring NaN; NaN where no sample is defined."""
    tail = (1 - level) / 2 * 100
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanpercentile(samples, [tail, 100 - tail], axis=0)


def bootstrap_ci(
    per_doc: np.ndarray,
    *,
    n_boot: int = N_BOOTSTRAP,
    seed: int = 0,
    level: float = CONFIDENCE,
    weights: np.ndarray | None = None,
) -> dict[str, list[float | None]]:
    """Percentile bootstrap interval of micro P/R/F1, resampling documents.

    Args:
        per_doc: (n_docs, 3) array of per-document (tp, fp, fn); more leading metric axes are
            allowed after the document axis, i.e. (n_docs, ..., 3).
        n_boot, seed, level: number of resamples, RNG seed, confidence level.
        weights: precomputed `resample_weights` (must match n_docs and n_boot).
    Returns:
        {"p": [lo, hi], "r": [lo, hi], "f": [lo, hi]} (arrays of intervals when `per_doc`
        has more axes); None where the metric is undefined in every resample.
    """
    per_doc = np.asarray(per_doc, dtype=np.float64)
    n_docs = per_doc.shape[0]
    if weights is None:
        weights = resample_weights(n_docs, n_boot, seed)
    flat = per_doc.reshape(n_docs, -1)
    sums = (weights @ flat).reshape((weights.shape[0],) + per_doc.shape[1:])
    out: dict[str, Any] = {}
    for name, samples in _ratios(sums).items():
        interval = _interval(samples, level)
        out[name] = _interval_to_list(interval)
    return out


def _interval_to_list(interval: np.ndarray) -> Any:
    if interval.ndim == 1:
        return [None if np.isnan(v) else float(v) for v in interval]
    return [_interval_to_list(interval[:, i]) for i in range(interval.shape[1])]


def paired_delta_ci(
    per_doc_a: np.ndarray,
    per_doc_b: np.ndarray,
    *,
    metric: str = "f",
    n_boot: int = N_BOOTSTRAP,
    seed: int = 0,
    level: float = CONFIDENCE,
) -> list[float | None]:
    """Interval of `metric`(B) − `metric`(A) over paired document resamples (both systems
    scored on the same documents, so both are resampled with the same draws)."""
    a = np.asarray(per_doc_a, dtype=np.float64)
    b = np.asarray(per_doc_b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"paired bootstrap needs equal shapes, got {a.shape} and {b.shape}")
    weights = resample_weights(a.shape[0], n_boot, seed)
    da = _ratios(weights @ a)[metric]
    db = _ratios(weights @ b)[metric]
    return [None if np.isnan(v) else float(v) for v in _interval(db - da, level)]


class Tally:
    """Per-document (tp, fp, fn) counts under named keys, summarised with bootstrap CIs.

    tally = Tally(n_docs=3)
    tally.add("ner/LOCATION", 0, (2, 1, 0))
    tally.summary()["ner/LOCATION"]   # {"tp": 2, ..., "ci": {"f": [lo, hi], ...}}
    """

    def __init__(self, n_docs: int) -> None:
        self.n_docs = n_docs
        self._counts: dict[str, np.ndarray] = {}

    def add(self, key: str, doc_index: int, counts: Sequence[int]) -> None:
        """Add (tp, fp, fn) of document `doc_index` under `key`."""
        arr = self._counts.get(key)
        if arr is None:
            arr = self._counts[key] = np.zeros((self.n_docs, 3), dtype=np.int64)
        arr[doc_index] += np.asarray(counts, dtype=np.int64)

    def ensure(self, key: str) -> None:
        """Declare `key` so it is reported (with zero counts) even if nothing was added."""
        if key not in self._counts:
            self._counts[key] = np.zeros((self.n_docs, 3), dtype=np.int64)

    def keys(self) -> list[str]:
        return list(self._counts)

    def per_doc(self, key: str) -> np.ndarray:
        return self._counts[key]

    def to_dict(self) -> dict[str, list[list[int]]]:
        """The raw per-document counts (JSON-ready), for paired comparisons later."""
        return {k: v.tolist() for k, v in self._counts.items()}

    @classmethod
    def from_dict(cls, data: dict[str, list[list[int]]]) -> Tally:
        n_docs = len(next(iter(data.values()))) if data else 0
        tally = cls(n_docs)
        for key, rows in data.items():
            tally._counts[key] = np.asarray(rows, dtype=np.int64).reshape(n_docs, 3)
        return tally

    def summary(
        self, *, n_boot: int = N_BOOTSTRAP, seed: int = 0, level: float = CONFIDENCE
    ) -> dict[str, dict[str, Any]]:
        """{key: {"tp", "fp", "fn", "support", "p", "r", "f", "ci": {"p", "r", "f"}}}; all
        keys are bootstrapped together on the same resamples."""
        keys = list(self._counts)
        if not keys:
            return {}
        stacked = np.stack([self._counts[k] for k in keys], axis=1)  # (n_docs, K, 3)
        weights = resample_weights(self.n_docs, n_boot, seed)
        cis = bootstrap_ci(stacked, weights=weights, level=level)
        out = {}
        for i, key in enumerate(keys):
            tp, fp, fn = (int(x) for x in stacked[:, i, :].sum(axis=0))
            out[key] = {
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "support": tp + fn,
                **prf(tp, fp, fn),
                "ci": {m: cis[m][i] for m in ("p", "r", "f")},
            }
        return out


def micro(counts: Iterable[Sequence[int]]) -> tuple[int, int, int]:
    """Sum of (tp, fp, fn) triples."""
    total = Counter()
    for tp, fp, fn in counts:
        total["tp"] += tp
        total["fp"] += fp
        total["fn"] += fn
    return total["tp"], total["fp"], total["fn"]
