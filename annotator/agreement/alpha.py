"""Krippendorff's alpha at the nominal, ordinal, interval and ratio levels, with missing data.

alpha = 1 - (n - 1) * sum_ck o_ck delta_ck / sum_ck n_c n_k delta_ck  (Krippendorff 2011)

where o is the coincidence matrix of the pairable values (units with two or more ratings),
n_c its marginals and n the number of pairable values. The units x V x V array the
`krippendorff` package builds is never materialised:

* nominal: only sum_c o_cc is needed, from the per-unit counts N (units x V), in chunks;
* interval: closed form from per-unit sums of values and squares (no V at all);
* ordinal: Krippendorff's ordinal metric is the squared difference of mid-rank positions on
  the cumulative frequency scale, so ordinal alpha is interval alpha on those positions;
* ratio (and any distance matrix, e.g. MASI): per-unit N delta N^T in chunks, or pairs of
  ratings within each unit when there are many distinct values.

The statistics classes below are the per-unit features alpha is a sum of (see `kernels.py`);
the bootstrap evaluates the same classes on resampled weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from annotator.agreement import kernels as k
from annotator.agreement import results as r
from annotator.agreement.ratings import (
    Coded,
    RatingsLike,
    as_coded,
    as_values,
    iter_unit_chunks,
    row_sum,
    unit_counts,
)
from annotator.models.matrices import LEVELS, Level

NAME = "Krippendorff's alpha"
# Above this many distinct values, the per-unit N delta N^T (units x V x V work) costs more
# than walking the pairs of ratings inside each unit.
_MATRIX_V_LIMIT = 64
DeltaFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def krippendorff_alpha(data: RatingsLike, level: Level = "nominal") -> r.Coefficient:
    """Krippendorff's alpha over a units x coders matrix with missing ratings.

    Units with fewer than two ratings are not pairable and drop out. Undefined (value None,
    with a reason) for a single coder, no pairable unit, or no variation among the pairable
    values. `observed` and `expected` are the disagreements D_o and D_e.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    if level == "interval":
        x = as_values(data)
        if x.shape[1] < 2:
            return r.Coefficient(NAME, None, r.SINGLE_CODER)
        return interval_alpha(x).coefficient(NAME)
    coded = as_coded(data)
    if coded.n_coders < 2:
        return r.Coefficient(NAME, None, r.SINGLE_CODER)
    if level == "nominal":
        return k.summed(coded, NominalAlpha(coded.n_categories)).coefficient(NAME)
    if level == "ordinal":
        return _ordinal_alpha(coded).coefficient(NAME)
    return distance_alpha(coded, ratio_delta_fn(ratio_values(coded))).coefficient(NAME)


def alpha_with_distance(data: RatingsLike, delta: np.ndarray) -> r.Coefficient:
    """Alpha with a custom V x V distance matrix between category codes (zero diagonal)."""
    coded = as_coded(data)
    delta = np.asarray(delta, dtype=np.float64)
    if delta.shape != (coded.n_categories, coded.n_categories):
        raise ValueError("distance matrix must be categories x categories")
    if np.any(np.diag(delta) != 0) or np.any(delta != delta.T) or np.any(delta < 0):
        raise ValueError("distance matrix must be symmetric, non-negative, with a zero diagonal")
    if coded.n_coders < 2:
        return r.Coefficient(NAME, None, r.SINGLE_CODER)
    return distance_alpha(coded, lambda a, b: delta[a, b]).coefficient(NAME)


def coincidence_matrix(data: RatingsLike) -> np.ndarray:
    """Krippendorff's coincidence matrix o (categories x categories) of the pairable values.

    o = sum_u (N_u^T N_u - diag(N_u)) / (m_u - 1) with N_u the unit's per-category counts,
    accumulated chunk by chunk as (N / (m - 1))^T N: V x V memory, never units x V x V.
    Rows and columns follow `Ratings.categories`, or the sorted values of a float array.
    """
    coded = as_coded(data)
    v = coded.n_categories
    o = np.zeros((v, v))
    for chunk in iter_unit_chunks(coded.n_units, v * coded.n_coders):
        counts = unit_counts(coded.codes[chunk], v).astype(np.float64)
        _, _, w = k.unit_basics(counts)
        weighted = counts * w[:, None]
        o += weighted.T @ counts
        o[np.diag_indices(v)] -= weighted.sum(axis=0)
    return o


# --- the shared formula and the per-unit features --------------------------------------------


def finish_alpha(
    n_units: np.ndarray,
    n: np.ndarray,
    do_num: np.ndarray,
    de_num: np.ndarray,
    varied: np.ndarray,
) -> k.Batch:
    """alpha = 1 - (n - 1) * do_num / de_num, batched.

    `do_num` is sum_ck o_ck delta_ck and `de_num` is sum_ck n_c n_k delta_ck, over the
    pairable values only; `varied` says whether two different values were paired at all.
    """
    reason = np.full(n.shape, k.DEFINED, dtype=np.int8)
    reason[~varied | (de_num <= 0)] = k.NO_VARIATION
    reason[n_units == 0] = k.NO_PAIRABLE
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 1.0 - (n - 1) * do_num / de_num
        observed = do_num / n
        expected = de_num / (n * (n - 1))
    return k.make_batch(value, observed, expected, reason, n_units, n)


def _pairable_features(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m, pair, w = k.unit_basics(counts)
    n = counts.astype(np.float64) * pair[:, None]
    return np.column_stack([pair, m * pair]), n, w


@dataclass(frozen=True)
class NominalAlpha:
    """Nominal alpha from counts: D_o needs only each unit's matching pairs, sum_c o_cc."""

    n_categories: int

    def features(self, counts: np.ndarray) -> np.ndarray:
        head, n, w = _pairable_features(counts)
        same = w * row_sum(n * (n - 1))
        return np.column_stack([head, same, n])

    def evaluate(self, agg: np.ndarray) -> k.Batch:
        n_units, n, same, nc = agg[:, 0], agg[:, 1], agg[:, 2], agg[:, 3:]
        de_num = n * n - (nc * nc).sum(axis=1)
        varied = (nc > 0).sum(axis=1) >= 2
        return finish_alpha(n_units, n, n - same, de_num, varied)


@dataclass(frozen=True)
class OrdinalAlpha:
    """Ordinal alpha from each unit's contribution to the coincidence matrix o (V x V).

    The ordinal distance depends on the marginals, so it is rebuilt for every resample; o of
    a resample is the weighted sum of the units' flattened contributions.
    """

    n_categories: int

    def features(self, counts: np.ndarray) -> np.ndarray:
        head, n, w = _pairable_features(counts)
        v = self.n_categories
        o = n[:, :, None] * n[:, None, :]
        o[:, np.arange(v), np.arange(v)] -= n
        o *= w[:, None, None]
        return np.column_stack([head, n, o.reshape(len(n), v * v)])

    def evaluate(self, agg: np.ndarray) -> k.Batch:
        v = self.n_categories
        nc = agg[:, 2 : 2 + v]
        o = agg[:, 2 + v :].reshape(-1, v, v)
        mr = mid_ranks(nc)
        delta = (mr[:, :, None] - mr[:, None, :]) ** 2
        do_num = (o * delta).sum(axis=(1, 2))
        de_num = np.einsum("bc,bck,bk->b", nc, delta, nc)
        varied = (nc > 0).sum(axis=1) >= 2
        return finish_alpha(agg[:, 0], agg[:, 1], do_num, de_num, varied)


def mid_ranks(nc: np.ndarray) -> np.ndarray:
    """Position of each category's midpoint on the cumulative frequency scale.

    Krippendorff's ordinal metric, (sum_{g=c..k} n_g - (n_c + n_k)/2)^2, equals the squared
    difference of these positions, which is what lets ordinal alpha use the interval formula.
    """
    return np.cumsum(nc, axis=-1) - nc / 2.0


@dataclass(frozen=True)
class FixedDeltaAlpha:
    """Alpha with a fixed distance matrix (ratio, MASI): D_o collapses to one number per unit."""

    delta: np.ndarray

    def features(self, counts: np.ndarray) -> np.ndarray:
        head, n, w = _pairable_features(counts)
        d = w * row_sum((n @ self.delta) * n)  # delta_cc = 0, so self pairs add nothing
        return np.column_stack([head, d, n])

    def evaluate(self, agg: np.ndarray) -> k.Batch:
        n_units, n, do_num, nc = agg[:, 0], agg[:, 1], agg[:, 2], agg[:, 3:]
        de_num = np.einsum("bc,ck,bk->b", nc, self.delta, nc)
        varied = (nc > 0).sum(axis=1) >= 2
        return finish_alpha(n_units, n, do_num, de_num, varied)


@dataclass(frozen=True)
class IntervalAlpha:
    """Interval alpha in closed form, without any V x V matrix.

    Within a unit, sum_{i != j} (x_i - x_j)^2 = 2 m ss (ss: squared deviations from the unit
    mean), and over all pairable values sum_{a,b} (x_a - x_b)^2 = 2 n T2 - 2 T1^2, with T1 and
    T2 the sums of values and squares shifted by `center` (the metric is shift invariant; the
    shift keeps T2 and T1^2 from cancelling catastrophically).
    """

    center: float = 0.0

    def features(self, x: np.ndarray) -> np.ndarray:
        return self.features_from_moments(*unit_moments(x))

    def features_from_moments(self, m: np.ndarray, mean: np.ndarray, ss: np.ndarray) -> np.ndarray:
        pair = m >= 2
        p = pair.astype(np.float64)
        shift = mean - self.center
        d = np.divide(2 * m * ss, m - 1, out=np.zeros_like(ss), where=pair)
        return np.column_stack([p, m * p, m * shift * p, (ss + m * shift * shift) * p, d])

    def evaluate(self, agg: np.ndarray) -> k.Batch:
        n_units, n, t1, t2, do_num = agg.T
        scale = 2 * n * t2
        de_num = scale - 2 * t1 * t1
        varied = de_num > 1e-12 * scale  # identical values leave only rounding noise
        return finish_alpha(n_units, n, do_num, de_num, varied)


def centred(x: np.ndarray) -> np.ndarray:
    """The values less their mean: interval alpha is shift invariant, and unit means taken
    from raw values sharing a large offset lost the digits that matter (2e-9 at 1e9,
    2.2e-6 at 1e12). Subtracting a nearby value is exact (Sterbenz), so centring first
    leaves small numbers to average."""
    rated = ~np.isnan(x)
    return x - float(x[rated].mean()) if rated.any() else x


def unit_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per unit: number of ratings, their mean, and the sum of squared deviations from it."""
    rated = ~np.isnan(x)
    m = row_sum(rated).astype(np.float64)
    total = row_sum(np.where(rated, x, 0.0))
    mean = np.divide(total, m, out=np.zeros_like(total), where=m > 0)
    dev = np.where(rated, x - mean[:, None], 0.0)
    return m, mean, row_sum(dev * dev)


# --- point estimates --------------------------------------------------------------------------


def interval_alpha(x: np.ndarray) -> k.Batch:
    """Interval alpha of a float matrix with NaN for missing."""
    x = centred(x)
    m, mean, ss = unit_moments(x)
    pair = m >= 2
    n = m[pair].sum()
    center = float((m[pair] * mean[pair]).sum() / n) if n else 0.0
    stat = IntervalAlpha(center)
    batch = stat.evaluate(stat.features_from_moments(m, mean, ss).sum(axis=0)[None, :])
    if n and _no_variation(x, pair):
        # Identical values leave rounding noise in the sums; the exact check decides.
        batch.reason[0] = k.NO_VARIATION
        batch.value[0] = np.nan
    return batch


def _no_variation(x: np.ndarray, pair: np.ndarray) -> bool:
    lo = np.fmin.reduce(np.where(pair[:, None], x, np.nan), axis=None)
    hi = np.fmax.reduce(np.where(pair[:, None], x, np.nan), axis=None)
    return bool(lo == hi)


def pairable_counts(coded: Coded) -> tuple[np.ndarray, int, int]:
    """Marginal counts n_c of the pairable values, the number of pairable units and values."""
    nc = np.zeros(coded.n_categories)
    n_units = 0
    for chunk in iter_unit_chunks(coded.n_units, coded.n_categories * coded.n_coders):
        counts = unit_counts(coded.codes[chunk], coded.n_categories)
        pair = row_sum(counts) >= 2
        nc += counts[pair].sum(axis=0)
        n_units += int(pair.sum())
    return nc, n_units, int(nc.sum())


def _ordinal_alpha(coded: Coded) -> k.Batch:
    nc, _, _ = pairable_counts(coded)
    positions = np.append(mid_ranks(nc), np.nan)  # code -1 (missing) picks the NaN
    return interval_alpha(positions[coded.codes])


def ratio_values(coded: Coded) -> np.ndarray:
    if coded.values is None:
        raise ValueError("the ratio level needs numeric categories")
    if np.any(coded.values < 0):
        raise ValueError("the ratio level needs non-negative values (it assumes a true zero)")
    return coded.values


def ratio_delta_fn(values: np.ndarray) -> DeltaFn:
    """((c - k) / (c + k))^2, taken as 0 when c = k = 0."""

    def delta(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        va, vb = values[a], values[b]
        total = va + vb
        out = np.zeros(np.broadcast(va, vb).shape)
        ratio = np.divide(va - vb, total, out=out, where=total != 0)
        squared: np.ndarray = ratio * ratio
        return squared

    return delta


def distance_matrix(n_categories: int, delta_fn: DeltaFn) -> np.ndarray:
    codes = np.arange(n_categories)
    return delta_fn(codes[:, None], codes[None, :])


def distance_alpha(coded: Coded, delta_fn: DeltaFn) -> k.Batch:
    """Alpha for a fixed distance between codes, without a units x V x V array."""
    v = coded.n_categories
    if v <= _MATRIX_V_LIMIT:
        stat = FixedDeltaAlpha(distance_matrix(v, delta_fn))
        return k.summed(coded, stat)
    nc, n_units, n = pairable_counts(coded)
    do_num = _pairwise_disagreement(coded.codes, delta_fn)
    de_num = _expected_disagreement(nc, delta_fn)
    one = np.ones(1)
    varied = np.array([np.count_nonzero(nc) >= 2])
    return finish_alpha(one * n_units, one * n, one * do_num, one * de_num, varied)


def _pairwise_disagreement(codes: np.ndarray, delta_fn: DeltaFn) -> float:
    """sum_u 1/(m_u - 1) sum_{i != j} delta(c_ui, c_uj), walking the pairs within units.

    Each row's ratings are packed to the left first, so the work is units x m^2 for the
    largest number of ratings m in a unit, not units x coders^2 (crowd data is sparse).
    """
    m = row_sum(codes >= 0)
    keep = m >= 2
    if not keep.any():
        return 0.0
    packed = -np.sort(-codes[keep], axis=1)  # descending: ratings first, -1 last
    m = m[keep]
    width = int(m.max())
    w = 1.0 / (m - 1)
    total = 0.0
    for a in range(width):
        for b in range(a + 1, width):
            rows = np.flatnonzero(m > b)
            total += 2.0 * float((w[rows] * delta_fn(packed[rows, a], packed[rows, b])).sum())
    return total


def _expected_disagreement(nc: np.ndarray, delta_fn: DeltaFn) -> float:
    """sum_ck n_c n_k delta_ck over the used categories, a block of rows at a time."""
    used = np.flatnonzero(nc)
    weights = nc[used]
    total = 0.0
    step = max(1, (1 << 22) // max(1, len(used)))
    for start in range(0, len(used), step):
        block = used[start : start + step]
        total += float(nc[block] @ (delta_fn(block[:, None], used[None, :]) @ weights))
    return total
