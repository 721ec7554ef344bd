"""Agreement on multi-label sentences: each label as its own present/absent variable.

A coder who confirmed a sentence gives every label a value: 1 if they chose it, 0 if they
confirmed the sentence without it. A sentence the coder has not confirmed is missing for every
label ("not yet annotated" is not "nothing applies").

The whole-set summary uses the MASI distance (Passonneau 2006) between the label sets as the
distance in Krippendorff's alpha.
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.agreement import alpha as alpha_mod
from annotator.agreement import bootstrap as boot
from annotator.agreement import kernels as k
from annotator.agreement import results as r
from annotator.agreement.coefficients import PairwiseKappa, pairwise_cohen_kappa
from annotator.agreement.ratings import Coded, row_sum
from annotator.models.matrices import ABSENT, MISSING, PRESENT, LabelMatrix


def label_matrix_from_sets(
    rows: Sequence[Sequence[Collection[str] | None]],
    labels: Sequence[str],
    *,
    coders: Sequence[str] = (),
    units: Sequence[Hashable] = (),
) -> LabelMatrix:
    """Build a `LabelMatrix` from, per unit, per coder, the set of labels chosen (None when
    the coder did not confirm the unit; an empty set when they confirmed it with no label)."""
    index = {label: i for i, label in enumerate(labels)}
    n_coders = max((len(row) for row in rows), default=len(coders))
    present = np.full((len(rows), n_coders, len(labels)), MISSING, dtype=np.int8)
    for u, row in enumerate(rows):
        if len(row) != n_coders:
            raise ValueError("every unit must have one entry per coder (None when missing)")
        for c, chosen in enumerate(row):
            if chosen is None:
                continue
            present[u, c, :] = ABSENT
            for label in chosen:
                if label not in index:
                    raise ValueError(f"unknown label {label!r}")
                present[u, c, index[label]] = PRESENT
    return LabelMatrix(present, tuple(labels), tuple(coders), tuple(units))


def label_matrix_from_triples(
    confirmations: Iterable[tuple[Hashable, str, Collection[str]]], labels: Sequence[str]
) -> LabelMatrix:
    """Build a `LabelMatrix` from (unit, coder, labels chosen) rows, one per confirmation,
    as a database returns them. Units and coders keep their order of first appearance; a
    coder confirming the same unit twice is an error."""
    units: dict[Hashable, int] = {}
    coders: dict[str, int] = {}
    chosen: dict[tuple[int, int], Collection[str]] = {}
    for unit, coder, labels_chosen in confirmations:
        key = (units.setdefault(unit, len(units)), coders.setdefault(coder, len(coders)))
        if key in chosen:
            raise ValueError(f"coder {coder!r} confirmed unit {unit!r} twice")
        chosen[key] = labels_chosen
    rows: list[list[Collection[str] | None]] = [[None] * len(coders) for _ in units]
    for (u, c), labels_chosen in chosen.items():
        rows[u][c] = labels_chosen
    return label_matrix_from_sets(rows, labels, coders=tuple(coders), units=tuple(units))


@dataclass(frozen=True)
class LabelAgreement:
    """Agreement on one label. Coefficients carry a bootstrap `ci` (None if not requested).

    `prevalence` is the share of present among the pairable ratings; `positive_agreement` and
    `negative_agreement` are the specific agreements on present and on absent.
    """

    label: str
    alpha: r.Coefficient
    gwet_ac1: r.Coefficient
    fleiss_kappa: r.Coefficient
    percent_agreement: r.Coefficient
    positive_agreement: r.Coefficient
    negative_agreement: r.Coefficient
    prevalence: float | None
    n_pairable_units: int
    n_pairable_ratings: int
    pairwise_kappa: PairwiseKappa | None


_STATS: tuple[tuple[str, str, k.CountStatistic], ...] = (
    ("alpha", "Krippendorff's alpha", alpha_mod.NominalAlpha(2)),
    ("gwet_ac1", "Gwet's AC1", k.GwetAC1(2)),
    ("fleiss_kappa", "Fleiss' kappa", k.FleissKappa()),
    ("percent_agreement", "percent agreement", k.PercentAgreement()),
    ("positive_agreement", "positive specific agreement", k.SpecificAgreement(positive=True)),
    ("negative_agreement", "negative specific agreement", k.SpecificAgreement(positive=False)),
)
# Chance-corrected coefficients and PSA say nothing about a label nobody used; percent and
# negative agreement still report a fact (everyone agreed it was absent).
_VOID_WHEN_UNUSED = {"alpha", "gwet_ac1", "fleiss_kappa", "positive_agreement"}


def label_report(
    matrix: LabelMatrix,
    *,
    n_resamples: int = boot.DEFAULT_RESAMPLES,
    seed: int = boot.DEFAULT_SEED,
    confidence: float = 0.95,
    max_undefined: float = boot.DEFAULT_MAX_UNDEFINED,
    pairwise: bool = True,
    clusters: np.ndarray | None = None,
) -> tuple[LabelAgreement, ...]:
    """Per-label agreement with percentile bootstrap intervals over units (with `clusters`,
    each unit's article: over whole articles, bootstrap.py).

    Every coefficient of a label is computed from the same resamples (n_resamples=0 skips
    the bootstrap). The seed of a label is (seed, label_seed(its name)): neither its place
    in the schema nor the other labels asked for move its interval, so `--label L` gives
    L the interval of the full report, and adding or reordering labels changes no other's
    (audit12 F17: it was (seed, i), i the index in the list asked for).
    """
    return tuple(
        _label_agreement(
            matrix,
            i,
            n_resamples,
            (seed, label_seed(label)),
            confidence,
            max_undefined,
            pairwise,
            clusters,
        )
        for i, label in enumerate(matrix.labels)
    )


def label_seed(label: str) -> int:
    """A label's part of its bootstrap seed: a checksum of its name, the same in every run
    and process (Python's hash() of a str is salted per process)."""
    return zlib.crc32(label.encode("utf-8"))


def _label_agreement(
    matrix: LabelMatrix,
    index: int,
    n_resamples: int,
    seed: tuple[int, int],
    confidence: float,
    max_undefined: float,
    pairwise: bool,
    clusters: np.ndarray | None = None,
) -> LabelAgreement:
    label = matrix.labels[index]
    codes = matrix.present[:, :, index]
    n1 = row_sum(codes == PRESENT)
    n0 = row_sum(codes == ABSENT)
    m = n0 + n1
    # Every coefficient here depends on a unit only through (n0, n1): a few dozen patterns.
    patterns = boot.unique_rows(np.column_stack([n0, n1])[m >= 1])
    if clusters is not None:
        patterns = boot.clustered(patterns, np.asarray(clusters)[m >= 1])
    stats = [stat for _, _, stat in _STATS]
    features = [stat.features(patterns.rows) for stat in stats]
    weights = patterns.counts[None, :].astype(np.float64)
    points = [stat.evaluate(weights @ f) for stat, f in zip(stats, features, strict=True)]
    coefficients = {
        key: batch.coefficient(name) for (key, name, _), batch in zip(_STATS, points, strict=True)
    }
    if n_resamples > 0:
        drawn = boot.resample(features, stats, patterns, n_resamples, seed)
        for (key, _, _), point, (values, reasons) in zip(_STATS, points, drawn, strict=True):
            ci = boot.percentile_interval(
                values, reasons, int(point.reason[0]), confidence, max_undefined
            )
            coefficients[key] = dataclasses.replace(coefficients[key], ci=ci)

    single = matrix.present.shape[1] < 2
    unused = bool((m >= 1).any()) and not (n1 > 0).any()
    for key, c in coefficients.items():
        if single:
            coefficients[key] = _void(c, r.SINGLE_CODER)
        elif unused and key in _VOID_WHEN_UNUSED:
            coefficients[key] = _void(c, r.LABEL_UNUSED)
    kappas = None
    if pairwise:
        kappas = pairwise_cohen_kappa(matrix.ratings(label))
        if unused and not single:
            kappas = _void_pairwise(kappas)
    pairable = m >= 2
    n_ratings = int(m[pairable].sum())
    return LabelAgreement(
        label=label,
        prevalence=float(n1[pairable].sum() / n_ratings) if n_ratings else None,
        n_pairable_units=int(pairable.sum()),
        n_pairable_ratings=n_ratings,
        pairwise_kappa=kappas,
        **coefficients,
    )


def _void(c: r.Coefficient, reason: str) -> r.Coefficient:
    ci = c.ci and r.ConfidenceInterval(
        None, None, c.ci.confidence, c.ci.n_resamples, c.ci.n_undefined, reason
    )
    return dataclasses.replace(c, value=None, reason=reason, ci=ci)


def _void_pairwise(kappas: PairwiseKappa) -> PairwiseKappa:
    cells = tuple(
        tuple(c if c.reason == r.SAME_CODER else _void(c, r.LABEL_UNUSED) for c in row)
        for row in kappas.cells
    )
    return PairwiseKappa(kappas.coders, cells)


# --- whole label sets: MASI -----------------------------------------------------------------


def masi_distance(a: Collection[Hashable], b: Collection[Hashable]) -> float:
    """MASI distance 1 - J * M (Passonneau 2006).

    J = |A & B| / |A | B| (Jaccard); M = 1 if A = B, 2/3 if one is a subset of the other,
    1/3 if they overlap otherwise, 0 if disjoint. Two empty sets are identical (distance 0).
    """
    sa, sb = set(a), set(b)
    if sa == sb:
        return 0.0
    inter = len(sa & sb)
    jaccard = inter / len(sa | sb)
    if inter == min(len(sa), len(sb)):
        monotonicity = 2 / 3
    elif inter > 0:
        monotonicity = 1 / 3
    else:
        monotonicity = 0.0
    return 1.0 - jaccard * monotonicity


def masi_alpha(matrix: LabelMatrix) -> r.Coefficient:
    """Krippendorff's alpha over whole label sets with the MASI distance.

    A (unit, coder) cell is a value when the coder confirmed the unit. A label missing
    from a confirmed cell (-1: added to the guidelines after that confirmation, audit12 F6)
    is left out of every comparison that cell takes part in: two sets are compared over
    the labels both could have been given, so a label one annotator never had is neither
    agreement nor disagreement. Where no label is missing this is plain MASI.
    """
    name = "Krippendorff's alpha (MASI)"
    n_units, n_coders, n_labels = matrix.present.shape
    if n_coders < 2:
        return r.Coefficient(name, None, r.SINGLE_CODER)
    flat = matrix.present.reshape(n_units * n_coders, n_labels)
    confirmed = (flat >= 0).any(axis=1)
    codes = np.full(n_units * n_coders, MISSING, dtype=np.int64)
    sets = boot.unique_rows(flat[confirmed])
    codes[confirmed] = sets.inverse
    delta = _masi_matrix((sets.rows == 1).astype(np.float64), (sets.rows >= 0).astype(np.float64))
    coded = Coded(codes.reshape(n_units, n_coders), len(sets.rows))
    return alpha_mod.distance_alpha(coded, lambda a, b: delta[a, b]).coefficient(name)


def _masi_matrix(bits: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    """MASI distances between all distinct label sets, given as 0/1 rows; with `known`
    (0/1 rows: which labels each set could hold), each pair compared over the labels both
    could hold."""
    inter = bits @ bits.T
    if known is None:
        size = bits.sum(axis=1)
        size_a, size_b = size[:, None], size[None, :]
    else:
        within = bits @ known.T  # [i, j]: how many of set i's labels set j could hold
        size_a, size_b = within, within.T
    union = size_a + size_b - inter
    smaller = np.minimum(size_a, size_b)
    jaccard = np.divide(inter, union, out=np.ones_like(inter), where=union > 0)
    monotonicity = np.where(inter == smaller, 2 / 3, np.where(inter > 0, 1 / 3, 0.0))
    equal = (inter == size_a) & (inter == size_b)
    monotonicity[equal] = 1.0
    distance: np.ndarray = 1.0 - jaccard * monotonicity
    return distance
