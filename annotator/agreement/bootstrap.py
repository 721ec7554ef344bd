"""Percentile bootstrap confidence intervals over units.

Every coefficient here is a function of sums of per-unit features (`kernels.py`), and units
with the same pattern (the same per-category counts; the same pair of codes; the same numeric
features) contribute identical features. So the units are collapsed into unique patterns with
counts, and a resample is a vector of how often each pattern was drawn. Drawing n units with
replacement from n units gives pattern counts that are Multinomial(n, counts / n): exactly the
same distribution as resampling unit indices, at a cost that depends on the number of
patterns, not of units. For binary labels and a handful of coders there are a few dozen
patterns. When patterns are nearly as many as units (continuous interval data), unit indices
are resampled in chunks instead.

The population resampled is the units with at least one rating.

Sentences of one article share its topic, its writer and the annotator's sitting, so they
are not independent draws: resampling sentences gives intervals too narrow for a corpus of a
few dozen articles (audit7 F22). With `clusters` (each unit's article) whole articles are
resampled instead, the cluster bootstrap: a resample draws as many articles as there are,
with replacement, and takes every rated unit of each, so the pattern weights are the drawn
articles' multiplicities times each article's pattern counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np

from annotator.agreement import alpha as alpha_mod
from annotator.agreement import kernels as k
from annotator.agreement import results as r
from annotator.agreement.ratings import (
    Coded,
    RatingsLike,
    as_coded,
    as_values,
    row_sum,
    unit_counts,
)
from annotator.models.matrices import LEVELS, Level

Statistic: TypeAlias = Literal[
    "alpha", "fleiss_kappa", "gwet_ac1", "percent_agreement", "cohen_kappa", "scott_pi"
]
STATISTICS: tuple[Statistic, ...] = (
    "alpha",
    "fleiss_kappa",
    "gwet_ac1",
    "percent_agreement",
    "cohen_kappa",
    "scott_pi",
)
Method: TypeAlias = Literal["auto", "multinomial", "indices"]
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0
# Above this share of undefined resamples the interval would describe a different question
# (agreement given that the resample happened to vary), so none is reported.
DEFAULT_MAX_UNDEFINED = 0.05
_WEIGHT_BUDGET = 1 << 22  # elements per chunk of resample weights or drawn indices
_RATIO_MAX_VALUES = 2048


@dataclass(frozen=True)
class Patterns:
    """Unique per-unit rows with how many units share each, and each unit's row index."""

    rows: np.ndarray
    counts: np.ndarray
    inverse: np.ndarray
    # each unit's cluster (0 .. n_clusters - 1, aligned with `inverse`): resampled whole
    clusters: np.ndarray | None = None

    @property
    def n_units(self) -> int:
        return int(self.counts.sum())

    @property
    def n_clusters(self) -> int:
        return (
            0 if self.clusters is None or not self.clusters.size else int(self.clusters.max()) + 1
        )


def clustered(patterns: Patterns, clusters: np.ndarray) -> Patterns:
    """The same patterns, resampled by cluster: `clusters` holds each unit's cluster (any
    integers, one per unit in `patterns.inverse` order)."""
    clusters = np.asarray(clusters)
    if clusters.shape != patterns.inverse.shape:
        raise ValueError("one cluster per unit")
    _, dense = np.unique(clusters, return_inverse=True)
    return Patterns(
        patterns.rows, patterns.counts, patterns.inverse, dense.ravel().astype(np.int64)
    )


def bootstrap_ci(
    data: RatingsLike,
    statistic: Statistic = "alpha",
    *,
    level: Level = "nominal",
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
    max_undefined: float = DEFAULT_MAX_UNDEFINED,
    clusters: np.ndarray | None = None,
) -> r.ConfidenceInterval:
    """Percentile bootstrap interval of a coefficient, resampling units with replacement
    (with `clusters`, one per unit of `data`: resampling whole clusters).

    `level` applies to alpha only. Reproducible for a given seed. Resamples on which the
    coefficient is undefined are dropped and counted in `n_undefined`; if they exceed
    `max_undefined` (a share of `n_resamples`), or the coefficient itself is undefined, the
    interval is undefined with a reason.
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    if n_resamples < 1:
        raise ValueError("n_resamples must be positive")
    prepared = _prepare(data, statistic, level)
    if isinstance(prepared, str):
        return r.ConfidenceInterval(None, None, confidence, n_resamples, 0, prepared)
    patterns, stat, features = prepared
    if clusters is not None:
        patterns = clustered(patterns, np.asarray(clusters)[_rated(data, statistic, level)])
    point = stat.evaluate(patterns.counts[None, :] @ features)
    ((values, reasons),) = resample([features], [stat], patterns, n_resamples, seed)
    return percentile_interval(values, reasons, int(point.reason[0]), confidence, max_undefined)


def _rated(data: RatingsLike, statistic: Statistic, level: Level) -> np.ndarray:
    """The units the patterns of `_prepare` hold (rated at least once), in order."""
    if statistic == "alpha" and level == "interval":
        return np.asarray((~np.isnan(as_values(data))).any(axis=1))
    return np.asarray((as_coded(data).codes >= 0).any(axis=1))


def _prepare(
    data: RatingsLike, statistic: Statistic, level: Level
) -> tuple[Patterns, k.CountStatistic, np.ndarray] | str:
    """Patterns, statistic and the features of each pattern; or why nothing can be computed."""
    if statistic not in STATISTICS:
        raise ValueError(f"statistic must be one of {', '.join(STATISTICS)}, got {statistic!r}")
    if statistic == "alpha" and level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    if statistic == "alpha" and level == "interval":
        x = alpha_mod.centred(as_values(data))
        if x.shape[1] < 2:
            return r.SINGLE_CODER
        interval = alpha_mod.IntervalAlpha(_center(x))
        patterns = value_patterns(x, interval)
        return patterns, interval, patterns.rows  # the patterns are the features
    coded = as_coded(data)
    if coded.n_coders < 2:
        return r.SINGLE_CODER
    v = coded.n_categories
    stat: k.CountStatistic
    if statistic in ("cohen_kappa", "scott_pi"):
        if coded.n_coders != 2:
            return r.NOT_TWO_CODERS.format(n=coded.n_coders)
        stat = k.TwoCoderKappa(v, pooled=statistic == "scott_pi")
        patterns = pair_patterns(coded)
    else:
        if statistic == "alpha":
            stat = _alpha_stat(coded, level)
        elif statistic == "fleiss_kappa":
            stat = k.FleissKappa()
        elif statistic == "gwet_ac1":
            stat = k.GwetAC1(v)
        else:
            stat = k.PercentAgreement()
        patterns = count_patterns(coded)
    return patterns, stat, stat.features(patterns.rows)


def _alpha_stat(coded: Coded, level: Level) -> k.CountStatistic:
    v = coded.n_categories
    if level == "nominal":
        return alpha_mod.NominalAlpha(v)
    if level == "ordinal":
        return alpha_mod.OrdinalAlpha(v)
    values = alpha_mod.ratio_values(coded)
    if v > _RATIO_MAX_VALUES:
        raise ValueError(f"ratio-level bootstrap supports up to {_RATIO_MAX_VALUES} values")
    return alpha_mod.FixedDeltaAlpha(alpha_mod.distance_matrix(v, alpha_mod.ratio_delta_fn(values)))


def _center(x: np.ndarray) -> float:
    rated = ~np.isnan(x)
    return float(x[rated].mean()) if rated.any() else 0.0


# --- collapsing units into patterns --------------------------------------------------------


def count_patterns(coded: Coded) -> Patterns:
    """Unique per-unit count vectors N_u among the units rated at least once."""
    counts = unit_counts(coded.codes, coded.n_categories)
    return unique_rows(counts[row_sum(counts) >= 1])


def pair_patterns(coded: Coded) -> Patterns:
    """Unique (code of coder 1, code of coder 2) pairs, -1 for missing, among rated units."""
    pairs = coded.codes[:, :2].astype(np.int64)
    return unique_rows(pairs[(pairs >= 0).any(axis=1)])


def value_patterns(x: np.ndarray, stat: alpha_mod.IntervalAlpha) -> Patterns:
    """Unique rows of interval features (patterns are the features themselves)."""
    rated = (~np.isnan(x)).any(axis=1)
    feats = stat.features(x[rated])
    rows, inverse, counts = np.unique(feats, axis=0, return_inverse=True, return_counts=True)
    return Patterns(rows, counts, inverse.ravel())


def unique_rows(rows: np.ndarray) -> Patterns:
    """np.unique over rows, through a single integer key when the rows are small integers."""
    if rows.shape[0] == 0:
        return Patterns(rows, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    lo = rows.min(axis=0)
    span = (rows.max(axis=0) - lo + 1).astype(np.int64)
    n_keys = float(np.prod(span.astype(np.float64)))
    if n_keys >= 2**62:
        uniq, inverse, counts = np.unique(rows, axis=0, return_inverse=True, return_counts=True)
        return Patterns(uniq, counts, inverse.ravel())
    # Mixed-radix key, exact while the product of the spans fits in int64.
    radix = np.concatenate([[1], np.cumprod(span[:-1])]).astype(np.int64)
    key = (rows - lo).astype(np.int64) @ radix
    if n_keys <= 1 << 22:
        # Few possible keys (counts of a binary label): a bincount, no sort.
        all_counts = np.bincount(key, minlength=int(n_keys))
        used = np.flatnonzero(all_counts)
        remap = np.zeros(int(n_keys), dtype=np.int64)
        remap[used] = np.arange(len(used))
        digits = (used[:, None] // radix[None, :]) % span[None, :] + lo[None, :]
        return Patterns(digits.astype(rows.dtype), all_counts[used], remap[key])
    _, first, inverse, counts = np.unique(
        key, return_index=True, return_inverse=True, return_counts=True
    )
    return Patterns(rows[first], counts, inverse.ravel())


# --- drawing resamples ---------------------------------------------------------------------


def resample_weights(
    patterns: Patterns, n_resamples: int, seed: int | Sequence[int], method: Method = "auto"
) -> Iterator[np.ndarray]:
    """Chunks of a (n_resamples, patterns) matrix: how often each pattern was drawn.

    "multinomial" draws the pattern counts directly; "indices" draws unit indices and counts
    them. Both have the same distribution; "auto" takes the multinomial when patterns are
    few compared with units (its cost grows with patterns, the other's with units).
    """
    rng = np.random.default_rng(seed)
    n, n_patterns = patterns.n_units, len(patterns.counts)
    if n == 0:
        yield np.zeros((n_resamples, n_patterns))
        return
    if patterns.clusters is not None:
        yield from _cluster_weights(patterns, n_resamples, rng)
        return
    if method == "multinomial" or (method == "auto" and n_patterns * 8 <= n):
        p = patterns.counts / n
        step = max(1, _WEIGHT_BUDGET // n_patterns)
        for start in range(0, n_resamples, step):
            size = min(step, n_resamples - start)
            yield rng.multinomial(n, p, size=size).astype(np.float64)
        return
    step = max(1, _WEIGHT_BUDGET // n)
    for start in range(0, n_resamples, step):
        size = min(step, n_resamples - start)
        drawn = patterns.inverse[rng.integers(0, n, size=(size, n))]
        drawn += (np.arange(size) * n_patterns)[:, None]  # one block of bins per resample
        counts = np.bincount(drawn.ravel(), minlength=size * n_patterns)
        yield counts.reshape(size, n_patterns).astype(np.float64)


def _cluster_weights(
    patterns: Patterns, n_resamples: int, rng: np.random.Generator
) -> Iterator[np.ndarray]:
    """Pattern weights of resamples that draw whole clusters: Multinomial(k, 1/k) cluster
    multiplicities times each cluster's pattern counts (a dense k x patterns table when it is
    small; else the multiplicities spread over the units and summed per pattern)."""
    assert patterns.clusters is not None
    k, n_patterns, n = patterns.n_clusters, len(patterns.counts), patterns.n_units
    p = np.full(k, 1.0 / k)
    if k * n_patterns <= _WEIGHT_BUDGET:
        table = np.bincount(
            patterns.clusters * n_patterns + patterns.inverse, minlength=k * n_patterns
        ).reshape(k, n_patterns)
        step = max(1, _WEIGHT_BUDGET // max(k, n_patterns))
        for start in range(0, n_resamples, step):
            size = min(step, n_resamples - start)
            yield rng.multinomial(k, p, size=size).astype(np.float64) @ table
        return
    step = max(1, _WEIGHT_BUDGET // max(k, n))
    for start in range(0, n_resamples, step):
        size = min(step, n_resamples - start)
        drawn = rng.multinomial(k, p, size=size).astype(np.float64)
        per_unit = drawn[:, patterns.clusters]  # size x units
        bins = patterns.inverse[None, :] + (np.arange(size) * n_patterns)[:, None]
        weights = np.bincount(bins.ravel(), weights=per_unit.ravel(), minlength=size * n_patterns)
        yield weights.reshape(size, n_patterns)


def resample(
    features: Sequence[np.ndarray],
    stats: Sequence[k.CountStatistic],
    patterns: Patterns,
    n_resamples: int,
    seed: int | Sequence[int],
    method: Method = "auto",
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Values and reason codes of several statistics over the same resamples."""
    out: list[tuple[list[np.ndarray], list[np.ndarray]]] = [([], []) for _ in stats]
    for weights in resample_weights(patterns, n_resamples, seed, method):
        for (values, reasons), f, stat in zip(out, features, stats, strict=True):
            batch = stat.evaluate(weights @ f)
            values.append(batch.value)
            reasons.append(batch.reason)
    return [(np.concatenate(v), np.concatenate(rs)) for v, rs in out]


def percentile_interval(
    values: np.ndarray,
    reasons: np.ndarray,
    point_reason: int,
    confidence: float,
    max_undefined: float,
) -> r.ConfidenceInterval:
    """Percentile interval of the defined resamples, or the reason there is none."""
    b = len(values)
    defined = reasons == k.DEFINED
    n_undefined = int(b - defined.sum())
    if point_reason != k.DEFINED:
        return r.ConfidenceInterval(None, None, confidence, b, n_undefined, k.REASONS[point_reason])
    if n_undefined > max_undefined * b:
        common = int(np.bincount(reasons[~defined]).argmax())
        reason = (
            f"{n_undefined} of {b} resamples {'was' if n_undefined == 1 else 'were'} undefined "
            f"({k.REASONS[common]}); more than the {max_undefined:.0%} allowed"
        )
        return r.ConfidenceInterval(None, None, confidence, b, n_undefined, reason)
    tail = (1 - confidence) / 2
    low, high = np.quantile(values[defined], [tail, 1 - tail])
    return r.ConfidenceInterval(float(low), float(high), confidence, b, n_undefined)
