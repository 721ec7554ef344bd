"""Per-label agreement on multi-label sentences, specific agreement and MASI."""

from __future__ import annotations

import itertools
import random

import krippendorff
import numpy as np
import pytest
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import masi_distance as nltk_masi
from sklearn.metrics import cohen_kappa_score

from annotator.agreement import (
    LabelMatrix,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    label_matrix_from_sets,
    label_matrix_from_triples,
    label_report,
    masi_alpha,
    masi_distance,
    percent_agreement,
)
from annotator.agreement import alpha as alpha_mod
from annotator.agreement import results as r

LABELS = ("ATTRIBUTED", "QUOTE", "HEDGED", "EDITORIAL")


def random_labels(seed, units=300, coders=4, missing=0.2, prevalence=(0.4, 0.2, 0.1, 0.05)):
    rng = np.random.default_rng(seed)
    truth = rng.random((units, len(prevalence))) < np.array(prevalence)
    flips = rng.random((units, coders, len(prevalence))) < 0.12
    present = (truth[:, None, :] ^ flips).astype(np.int8)
    present[rng.random((units, coders)) < missing] = -1
    return LabelMatrix(present, LABELS[: len(prevalence)], tuple("ABCDEFGH"[:coders]))


def brute_specific(codes: np.ndarray, value: int) -> float:
    """Specific agreement over ordered pairs of coders within units, by enumeration."""
    agree = pairs = 0
    for row in codes:
        rated = [v for v in row if v >= 0]
        if len(rated) < 2:
            continue
        for a, b in itertools.permutations(rated, 2):
            if a == value:
                pairs += 1
                agree += b == value
    return agree / pairs


def test_label_matrix_from_sets():
    rows = [[{"QUOTE", "HEDGED"}, set(), None], [None, None, {"EDITORIAL"}]]
    m = label_matrix_from_sets(rows, LABELS, coders=["a", "b", "c"])
    assert m.present.shape == (2, 3, 4)
    assert m.present[0, 0].tolist() == [0, 1, 1, 0]
    assert m.present[0, 1].tolist() == [0, 0, 0, 0]  # confirmed, nothing applies
    assert m.present[0, 2].tolist() == [-1, -1, -1, -1]  # not confirmed
    assert m.ratings("EDITORIAL").codes[:, 2].tolist() == [-1, 1]
    with pytest.raises(ValueError, match="unknown label"):
        label_matrix_from_sets([[{"NOPE"}]], LABELS)


def test_report_agrees_with_the_single_coefficients_and_oracles():
    m = random_labels(1)
    for entry in label_report(m, n_resamples=200):
        data = m.ratings(entry.label)
        x = np.where(data.codes >= 0, data.codes, np.nan).astype(float)
        assert entry.alpha.value == pytest.approx(krippendorff_alpha(data, "nominal").value)
        assert entry.alpha.value == pytest.approx(
            krippendorff.alpha(x.T, level_of_measurement="nominal"), rel=1e-9
        )
        assert entry.gwet_ac1.value == pytest.approx(gwet_ac1(data).value)
        assert entry.fleiss_kappa.value == pytest.approx(fleiss_kappa(data).value)
        assert entry.percent_agreement.value == pytest.approx(percent_agreement(data).value)
        assert entry.positive_agreement.value == pytest.approx(brute_specific(data.codes, 1))
        assert entry.negative_agreement.value == pytest.approx(brute_specific(data.codes, 0))
        pairable = (data.codes >= 0).sum(axis=1) >= 2
        values = data.codes[pairable]
        assert entry.n_pairable_units == pairable.sum()
        assert entry.n_pairable_ratings == (values >= 0).sum()
        assert entry.prevalence == pytest.approx((values == 1).sum() / (values >= 0).sum())
        ci, alpha = entry.alpha.ci, entry.alpha.value
        assert ci is not None and ci.low is not None and ci.high is not None
        assert alpha is not None and ci.low < alpha < ci.high


def test_two_coder_specific_agreement_is_the_classic_formula():
    # Cicchetti & Feinstein (1990): PSA = 2a / (2a + b + c), NSA = 2d / (2d + b + c).
    rng = np.random.default_rng(2)
    codes = rng.integers(0, 2, (200, 2)).astype(np.int8)
    m = LabelMatrix(codes[:, :, None], ("L",))
    a = np.sum((codes[:, 0] == 1) & (codes[:, 1] == 1))
    d = np.sum((codes[:, 0] == 0) & (codes[:, 1] == 0))
    bc = np.sum(codes[:, 0] != codes[:, 1])
    (entry,) = label_report(m, n_resamples=0)
    assert entry.positive_agreement.value == pytest.approx(2 * a / (2 * a + bc))
    assert entry.negative_agreement.value == pytest.approx(2 * d / (2 * d + bc))


def test_pairwise_kappa_per_label():
    m = random_labels(3, coders=3)
    for entry in label_report(m, n_resamples=0):
        codes = m.ratings(entry.label).codes
        for i, j in itertools.permutations(range(3), 2):
            both = (codes[:, i] >= 0) & (codes[:, j] >= 0)
            expected = cohen_kappa_score(codes[both, i], codes[both, j])
            assert entry.pairwise_kappa is not None
            assert entry.pairwise_kappa.cells[i][j].value == pytest.approx(expected)


def test_label_nobody_used():
    m = random_labels(4)
    present = m.present.copy()
    present[:, :, 3] = np.where(present[:, :, 3] >= 0, 0, -1)
    (*_, unused) = label_report(LabelMatrix(present, m.labels, m.coders), n_resamples=100)
    for c in (unused.alpha, unused.gwet_ac1, unused.fleiss_kappa, unused.positive_agreement):
        assert (c.value, c.reason) == (None, r.LABEL_UNUSED)
        assert c.ci is not None and c.ci.reason == r.LABEL_UNUSED
    # Facts still hold: everyone who confirmed a sentence agreed the label was absent.
    assert unused.percent_agreement.value == 1.0
    assert unused.negative_agreement.value == 1.0
    assert unused.prevalence == 0.0
    assert unused.pairwise_kappa is not None
    cell = unused.pairwise_kappa.cells[0][1]
    assert cell.reason == r.LABEL_UNUSED


def test_label_everyone_used():
    present = np.ones((20, 3, 1), dtype=np.int8)
    (entry,) = label_report(LabelMatrix(present, ("L",)), n_resamples=50)
    assert entry.alpha.reason == r.NO_VARIATION
    assert entry.negative_agreement.reason == r.NO_NEGATIVE_PAIR
    assert entry.positive_agreement.value == 1.0


def test_report_is_reproducible_and_seeded_per_label():
    m = random_labels(5)
    first = label_report(m, n_resamples=300, seed=7)
    again = label_report(m, n_resamples=300, seed=7)
    other = label_report(m, n_resamples=300, seed=8)
    assert [e.alpha.ci for e in first] == [e.alpha.ci for e in again]
    assert [e.alpha.ci for e in first] != [e.alpha.ci for e in other]
    # Dropping a label leaves the other labels' intervals as they were.
    fewer = LabelMatrix(m.present[:, :, :2], m.labels[:2], m.coders)
    assert [e.alpha.ci for e in label_report(fewer, n_resamples=300, seed=7)] == [
        e.alpha.ci for e in first[:2]
    ]


# --- MASI ------------------------------------------------------------------------------------


def test_masi_distance_worked_values():
    # Passonneau (2006): MASI = J * M with M = 1, 2/3, 1/3, 0.
    assert masi_distance({1, 2}, {1, 2}) == 0.0
    assert masi_distance({1, 2}, {1, 2, 3, 4}) == pytest.approx(1 - (2 / 4) * (2 / 3))
    assert masi_distance({1, 2}, {2, 3}) == pytest.approx(1 - (1 / 3) * (1 / 3))
    assert masi_distance({1}, {2}) == 1.0
    assert masi_distance(set(), set()) == 0.0
    assert masi_distance(set(), {1}) == 1.0


def test_masi_distance_matches_nltk():
    rng = random.Random(1)
    for _ in range(300):
        a = frozenset(rng.sample(range(6), rng.randint(1, 4)))
        b = frozenset(rng.sample(range(6), rng.randint(1, 4)))
        assert masi_distance(a, b) == pytest.approx(nltk_masi(a, b))


def _nltk_masi_alpha(m: LabelMatrix) -> float:
    def distance(a, b):
        return 0.0 if a == b else nltk_masi(a, b)  # NLTK divides by zero on two empty sets

    data = []
    for u, c in itertools.product(range(m.present.shape[0]), range(m.present.shape[1])):
        row = m.present[u, c]
        if (row >= 0).all():
            data.append((c, u, frozenset(np.flatnonzero(row == 1).tolist())))
    return AnnotationTask(data, distance=distance).alpha()


@pytest.mark.parametrize("force_pairs", [False, True])
def test_masi_alpha_matches_nltk(monkeypatch, force_pairs):
    if force_pairs:
        monkeypatch.setattr(alpha_mod, "_MATRIX_V_LIMIT", 0)
    m = random_labels(6, units=60, coders=3, prevalence=(0.5, 0.3, 0.3, 0.2))
    assert masi_alpha(m).value == pytest.approx(_nltk_masi_alpha(m), rel=1e-9)


def test_masi_alpha_single_coder():
    m = LabelMatrix(np.zeros((3, 1, 2), dtype=np.int8), ("a", "b"))
    assert masi_alpha(m).reason == r.SINGLE_CODER


def test_label_matrix_from_triples():
    m = label_matrix_from_triples(
        [("s1", "ann", {"QUOTE"}), ("s1", "bob", set()), ("s2", "bob", ["QUOTE", "HEDGED"])],
        LABELS,
    )
    assert (m.units, m.coders) == (("s1", "s2"), ("ann", "bob"))
    assert m.present[:, :, 1].tolist() == [[1, 0], [-1, 1]]
    assert m.present[1, 0].tolist() == [-1, -1, -1, -1]
    with pytest.raises(ValueError, match="twice"):
        label_matrix_from_triples([("s1", "ann", set()), ("s1", "ann", {"QUOTE"})], LABELS)


def test_report_with_one_coder_or_no_units():
    (one,) = label_report(LabelMatrix(np.ones((5, 1, 1), dtype=np.int8), ("L",)), n_resamples=20)
    for c in (one.alpha, one.gwet_ac1, one.percent_agreement, one.negative_agreement):
        assert c.reason == r.SINGLE_CODER and c.ci is not None and c.ci.reason == r.SINGLE_CODER
    (empty,) = label_report(LabelMatrix(np.zeros((0, 3, 1), dtype=np.int8), ("L",)))
    assert empty.alpha.reason == r.NO_PAIRABLE_UNIT
    assert empty.prevalence is None and empty.n_pairable_units == 0
