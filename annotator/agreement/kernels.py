"""Coefficients as sums of per-unit features.

Every coefficient here (and alpha, in `alpha.py`) depends on the units only through sums over
units of a few per-unit numbers (the features). The point estimate evaluates those sums over
all units; a bootstrap resample evaluates them with each unit weighted by how often it was
drawn. Both go through the same `evaluate`, so the bootstrap cannot drift from the point
estimate, and identical units can be collapsed into one row with a count (`bootstrap.py`).

Features come in three kinds, by what a unit is reduced to:

* "counts": the unit's per-category counts N_u (how many coders chose each category). Alpha
  (nominal, ordinal, ratio), Fleiss' kappa, AC1, percent and specific agreement.
* "values": the unit's numeric ratings. Alpha at the interval level.
* "pairs": the two coders' codes. Cohen's kappa and Scott's pi.

Each `evaluate` is vectorised over a leading batch axis and marks undefined rows with a reason
code (an index into `REASONS`) instead of a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from annotator.agreement import results as r
from annotator.agreement.ratings import Coded, iter_unit_chunks, row_sum, unit_counts

REASONS: tuple[str | None, ...] = (
    None,
    r.NO_PAIRABLE_UNIT,
    r.NO_VARIATION,
    r.NO_COMMON_UNIT,
    r.FEWER_THAN_TWO_CATEGORIES,
    r.NO_POSITIVE_PAIR,
    r.NO_NEGATIVE_PAIR,
)
DEFINED, NO_PAIRABLE, NO_VARIATION, NO_COMMON, FEW_CATEGORIES, NO_POSITIVE, NO_NEGATIVE = range(7)

# Relative tolerance below which an expected disagreement computed from float sums (interval
# data) counts as zero: identical values leave only rounding noise of order 1e-16.
_RELATIVE_ZERO = 1e-12


class CountStatistic(Protocol):
    """A coefficient computed from per-unit features (see the module docstring)."""

    def features(self, rows: np.ndarray) -> np.ndarray:
        """Per-unit features, one row per unit (or per pattern of identical units)."""
        ...

    def evaluate(self, agg: np.ndarray) -> Batch:
        """The coefficient from feature sums, one row per weighting of the units."""
        ...


@dataclass(frozen=True)
class Batch:
    """Coefficient values for a batch of weightings (one per bootstrap resample, or one)."""

    value: np.ndarray
    observed: np.ndarray
    expected: np.ndarray
    reason: np.ndarray
    n_units: np.ndarray
    n_values: np.ndarray

    def coefficient(self, name: str, i: int = 0) -> r.Coefficient:
        code = int(self.reason[i])
        reason = REASONS[code]
        if code in (NO_PAIRABLE, NO_COMMON):  # no data: the two terms mean nothing either
            return r.Coefficient(name, None, reason)
        return r.Coefficient(
            name=name,
            value=None if reason else float(self.value[i]),
            reason=reason,
            n_units=round(self.n_units[i]),
            n_values=round(self.n_values[i]),
            observed=_opt(self.observed[i]),
            expected=_opt(self.expected[i]),
        )


def _opt(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def make_batch(
    value: np.ndarray,
    observed: np.ndarray,
    expected: np.ndarray,
    reason: np.ndarray,
    n_units: np.ndarray,
    n_values: np.ndarray,
) -> Batch:
    """A batch whose values are NaN wherever a reason says the coefficient is undefined."""
    value = np.where(reason == DEFINED, value, np.nan)
    return Batch(value, observed, expected, reason, n_units, n_values)


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1), np.nan)


def unit_basics(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """m (ratings per unit), pairable mask, and 1/(m-1) for pairable units (else 0)."""
    m = row_sum(counts).astype(np.float64)
    pair = m >= 2
    w = np.zeros_like(m)
    np.divide(1.0, m - 1, out=w, where=pair)
    return m, pair, w


def summed(coded: Coded, stat: CountStatistic) -> Batch:
    """Evaluate a counts statistic on its features summed over all units (in chunks)."""
    v = coded.n_categories
    total = stat.features(np.zeros((1, v), dtype=np.int64))[0] * 0
    for chunk in iter_unit_chunks(coded.n_units, v * coded.n_coders + 16):
        total += stat.features(unit_counts(coded.codes[chunk], v)).sum(axis=0)
    return stat.evaluate(total[None, :])


# --- Fleiss' kappa, Gwet's AC1, percent agreement -----------------------------------------


def _agreement_features(counts: np.ndarray) -> np.ndarray:
    """Gwet's per-unit terms: r_ik (r_ik - 1) / (r_i (r_i - 1)) and r_ik / r_i."""
    m, pair, _ = unit_basics(counts)
    n = counts.astype(np.float64, copy=False)
    rated = m >= 1
    agree = np.zeros_like(m)
    np.divide(row_sum(n * (n - 1)), m * (m - 1), out=agree, where=pair)
    share = np.zeros_like(n)
    np.divide(n, m[:, None], out=share, where=rated[:, None])
    return np.column_stack([rated, pair, agree, m * pair, share])


def _agreement_parts(agg: np.ndarray) -> tuple[np.ndarray, ...]:
    n_rated, n_pair, agree, n_values, share = agg[:, 0], agg[:, 1], agg[:, 2], agg[:, 3], agg[:, 4:]
    pa = _safe_div(agree, n_pair)
    pi = share / np.where(n_rated > 0, n_rated, 1)[:, None]
    return n_pair, n_values, pa, pi


@dataclass(frozen=True)
class PercentAgreement:
    """Share of agreeing coder pairs within a unit, averaged over units with 2+ ratings."""

    def features(self, counts: np.ndarray) -> np.ndarray:
        return _agreement_features(counts)

    def evaluate(self, agg: np.ndarray) -> Batch:
        n_pair, n_values, pa, _ = _agreement_parts(agg)
        reason = np.where(n_pair == 0, NO_PAIRABLE, DEFINED).astype(np.int8)
        nan = np.full_like(pa, np.nan)
        return make_batch(pa, pa, nan, reason, n_pair, n_values)


@dataclass(frozen=True)
class FleissKappa:
    """Fleiss' kappa in Gwet's form for unequal numbers of ratings per unit.

    p_a averages over units with 2+ ratings; pi_k = mean over units rated at least once of
    r_ik / r_i; p_e = sum_k pi_k^2. With equal numbers of ratings this is Fleiss (1971).
    """

    def features(self, counts: np.ndarray) -> np.ndarray:
        return _agreement_features(counts)

    def evaluate(self, agg: np.ndarray) -> Batch:
        n_pair, n_values, pa, pi = _agreement_parts(agg)
        pe = (pi * pi).sum(axis=1)
        return _chance_corrected(pa, pe, n_pair, n_values)


@dataclass(frozen=True)
class GwetAC1:
    """Gwet's AC1: p_e = sum_k pi_k (1 - pi_k) / (q - 1), q the number of categories."""

    n_categories: int

    def features(self, counts: np.ndarray) -> np.ndarray:
        return _agreement_features(counts)

    def evaluate(self, agg: np.ndarray) -> Batch:
        n_pair, n_values, pa, pi = _agreement_parts(agg)
        q = self.n_categories
        if q < 2:
            nan = np.full_like(pa, np.nan)
            reason = np.full(pa.shape, FEW_CATEGORIES, dtype=np.int8)
            return make_batch(nan, pa, nan, reason, n_pair, n_values)
        pe = (pi * (1 - pi)).sum(axis=1) / (q - 1)
        return _chance_corrected(pa, pe, n_pair, n_values)


def _chance_corrected(
    pa: np.ndarray,
    pe: np.ndarray,
    n_units: np.ndarray,
    n_values: np.ndarray,
    no_units: int = NO_PAIRABLE,
) -> Batch:
    reason = np.full(pa.shape, DEFINED, dtype=np.int8)
    reason[pe >= 1 - _RELATIVE_ZERO] = NO_VARIATION
    reason[n_units == 0] = no_units
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (pa - pe) / (1 - pe)
    return make_batch(value, pa, pe, reason, n_units, n_values)


# --- Specific agreement for a binary (absent 0 / present 1) variable -----------------------


@dataclass(frozen=True)
class SpecificAgreement:
    """Positive (code 1) or negative (code 0) specific agreement over ordered coder pairs.

    PSA = sum_u n1 (n1 - 1) / sum_u n1 (m - 1): of the pairs in which one coder marked the label
    present, the share in which the other did too (Uebersax's generalisation of 2a / (2a + b + c)).
    """

    positive: bool

    def features(self, counts: np.ndarray) -> np.ndarray:
        m, pair, _ = unit_basics(counts)
        k = counts[:, 1 if self.positive else 0].astype(np.float64)
        p = pair.astype(np.float64)
        return np.column_stack([p, m * p, k * (k - 1) * p, k * (m - 1) * p, k * p])

    def evaluate(self, agg: np.ndarray) -> Batch:
        n_pair, n_values, both, either, _ = agg.T
        value = _safe_div(both, either)
        reason = np.full(value.shape, DEFINED, dtype=np.int8)
        reason[either == 0] = NO_POSITIVE if self.positive else NO_NEGATIVE
        reason[n_pair == 0] = NO_PAIRABLE
        nan = np.full_like(value, np.nan)
        return make_batch(value, nan, nan, reason, n_pair, n_values)


# --- Two coders: Cohen's kappa and Scott's pi ---------------------------------------------


@dataclass(frozen=True)
class TwoCoderKappa:
    """Cohen's kappa (each coder's own marginals) or Scott's pi (pooled marginals).

    Features are the one-hot cell of the V x V contingency table for units both coders rated.
    """

    n_categories: int
    pooled: bool  # True: Scott's pi

    def features(self, pairs: np.ndarray) -> np.ndarray:
        v = self.n_categories
        both = (pairs >= 0).all(axis=1)
        out = np.zeros((len(pairs), v * v))
        rows = np.flatnonzero(both)
        out[rows, pairs[rows, 0] * v + pairs[rows, 1]] = 1.0
        return out

    def evaluate(self, agg: np.ndarray) -> Batch:
        v = self.n_categories
        return table_kappa(agg.reshape(-1, v, v), pooled=self.pooled)


def table_kappa(tables: np.ndarray, pooled: bool) -> Batch:
    """Cohen's kappa or Scott's pi for a stack of V x V contingency tables."""
    n = tables.sum(axis=(1, 2))
    safe_n = np.where(n > 0, n, 1)
    po = np.trace(tables, axis1=1, axis2=2) / safe_n
    rows = tables.sum(axis=2) / safe_n[:, None]
    cols = tables.sum(axis=1) / safe_n[:, None]
    pe = (((rows + cols) / 2) ** 2).sum(axis=1) if pooled else (rows * cols).sum(axis=1)
    return _chance_corrected(po, pe, n, 2 * n, no_units=NO_COMMON)
