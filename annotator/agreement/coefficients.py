"""Kappa-family coefficients, Gwet's AC1 and percent agreement over a reliability matrix.

All take a units x coders matrix (`Ratings`, or a float array with NaN for missing) and return
a `Coefficient`; undefined cases carry a reason instead of a value. Krippendorff's alpha lives
in `alpha.py`. Formulas and references: docs/agreement.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from annotator.agreement import kernels as k
from annotator.agreement import results as r
from annotator.agreement.ratings import Coded, RatingsLike, as_coded, iter_unit_chunks
from annotator.models.matrices import Ratings


def percent_agreement(data: RatingsLike) -> r.Coefficient:
    """Observed agreement: in each unit with two or more ratings, the share of coder pairs
    that chose the same category; averaged over those units (Gwet's p_a)."""
    return _counts(data, k.PercentAgreement(), "percent agreement")


def fleiss_kappa(data: RatingsLike) -> r.Coefficient:
    """Fleiss' kappa for any number of coders, with missing ratings.

    With unequal numbers of ratings per unit this is the generalisation in Gwet's Handbook of
    Inter-Rater Reliability (the section on Fleiss' generalized kappa with missing ratings):
    p_a = mean over units with r_i >= 2 of sum_k r_ik (r_ik - 1) / (r_i (r_i - 1)),
    pi_k = mean over units with r_i >= 1 of r_ik / r_i, p_e = sum_k pi_k^2.
    It equals Fleiss (1971) when every unit has the same number of ratings.
    """
    return _counts(data, k.FleissKappa(), "Fleiss' kappa")


def gwet_ac1(data: RatingsLike) -> r.Coefficient:
    """Gwet's AC1 for any number of coders, with missing ratings (Gwet 2008; Handbook).

    p_a and pi_k as for `fleiss_kappa`; p_e = sum_k pi_k (1 - pi_k) / (q - 1), where q is the
    number of categories: the declared `Ratings.categories` (used or not), or the distinct
    values of a float array.
    """
    coded = as_coded(data)
    return _counts(coded, k.GwetAC1(coded.n_categories), "Gwet's AC1")


def cohen_kappa(data: RatingsLike) -> r.Coefficient:
    """Cohen's kappa for exactly two coders, over the units both rated."""
    return _two_coders(data, pooled=False, name="Cohen's kappa")


def scott_pi(data: RatingsLike) -> r.Coefficient:
    """Scott's pi for exactly two coders, over the units both rated (pooled marginals)."""
    return _two_coders(data, pooled=True, name="Scott's pi")


@dataclass(frozen=True)
class PairwiseKappa:
    """Cohen's kappa for every pair of coders; `cells[i][j]` is coder i against coder j."""

    coders: tuple[str, ...]
    cells: tuple[tuple[r.Coefficient, ...], ...]

    def get(self, a: str, b: str) -> r.Coefficient:
        return self.cells[self.coders.index(a)][self.coders.index(b)]


def pairwise_cohen_kappa(data: RatingsLike) -> PairwiseKappa:
    """Cohen's kappa between each pair of coders, each over the units that pair both rated."""
    coded = as_coded(data)
    coders = _coder_names(data, coded.n_coders)
    c, v = coded.n_coders, coded.n_categories
    tables = pair_tables(coded)
    batch = k.table_kappa(tables.reshape(c * c, v, v), pooled=False)
    cells = []
    for i in range(c):
        row = []
        for j in range(c):
            if i == j:
                row.append(r.Coefficient("Cohen's kappa", None, r.SAME_CODER))
            else:
                row.append(batch.coefficient("Cohen's kappa", i * c + j))
        cells.append(tuple(row))
    return PairwiseKappa(coders, tuple(cells))


def pair_tables(coded: Coded) -> np.ndarray:
    """Contingency tables of every coder pair at once, shape (coders, coders, V, V).

    With E the units x (coders * V) one-hot matrix of the ratings, E^T E holds every pair's
    table; one matrix product instead of a loop over pairs (and missing ratings are all-zero).
    """
    c, v = coded.n_coders, coded.n_categories
    gram = np.zeros((c * v, c * v))
    offsets = np.arange(c) * v
    for chunk in iter_unit_chunks(coded.n_units, c * v):
        codes = coded.codes[chunk]
        onehot = np.zeros((codes.shape[0], c * v))
        rows, cols = np.nonzero(codes >= 0)
        onehot[rows, offsets[cols] + codes[rows, cols]] = 1.0
        gram += onehot.T @ onehot
    return gram.reshape(c, v, c, v).transpose(0, 2, 1, 3)


def contingency(coded: Coded) -> np.ndarray:
    """V x V table of the two coders' codes over the units both rated."""
    v = coded.n_categories
    a, b = coded.codes[:, 0].astype(np.int64), coded.codes[:, 1].astype(np.int64)
    both = (a >= 0) & (b >= 0)
    return np.bincount(a[both] * v + b[both], minlength=v * v).reshape(v, v).astype(np.float64)


def _two_coders(data: RatingsLike, pooled: bool, name: str) -> r.Coefficient:
    coded = as_coded(data)
    if coded.n_coders < 2:
        return r.Coefficient(name, None, r.SINGLE_CODER)
    if coded.n_coders != 2:
        return r.Coefficient(name, None, r.NOT_TWO_CODERS.format(n=coded.n_coders))
    return k.table_kappa(contingency(coded)[None], pooled=pooled).coefficient(name)


def _counts(data: RatingsLike | Coded, stat: k.CountStatistic, name: str) -> r.Coefficient:
    coded = data if isinstance(data, Coded) else as_coded(data)
    if coded.n_coders < 2:
        return r.Coefficient(name, None, r.SINGLE_CODER)
    return k.summed(coded, stat).coefficient(name)


def _coder_names(data: RatingsLike, n: int) -> tuple[str, ...]:
    if isinstance(data, Ratings) and data.coders:
        return data.coders
    return tuple(str(i) for i in range(n))
