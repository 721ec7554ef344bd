"""Cohen's kappa, Scott's pi, Fleiss' kappa, Gwet's AC1 and percent agreement.

Oracles (dev-only): scikit-learn's cohen_kappa_score, statsmodels' cohens_kappa and
fleiss_kappa, NLTK's AnnotationTask. NLTK's kappa, pi and avg_Ao assume every coder rated
every item (kappa crashes otherwise), and statsmodels' aggregate_raters counts NaN as one more
category, so with missing data it silently returns a wrong Fleiss' kappa: those two are
compared on complete data only. With missing data the oracle is a direct, loop-by-loop
transcription of Gwet's formulas below, plus Gwet's own published figures.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from annotator.agreement import (
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    pairwise_cohen_kappa,
    percent_agreement,
    ratings_from_rows,
    scott_pi,
)
from annotator.agreement import results as r

N = None


def known(x: float | None) -> float:
    """A coefficient's value, or one of its terms, that must be defined here."""
    assert x is not None
    return x


def random_matrix(rng, units, coders, values, missing) -> np.ndarray:
    truth = rng.integers(0, values, units)
    x = np.where(
        rng.random((units, coders)) < 0.6, truth[:, None], rng.integers(0, values, (units, coders))
    ).astype(float)
    x[rng.random((units, coders)) < missing] = np.nan
    return x


def triples(x):
    return [
        (f"c{c}", f"u{u}", int(x[u, c]))
        for u in range(x.shape[0])
        for c in range(x.shape[1])
        if not np.isnan(x[u, c])
    ]


def gwet_reference(x: np.ndarray, q: int | None = None) -> tuple[float, float, float]:
    """(p_a, Fleiss' kappa, AC1) by Gwet's formulas for missing ratings, unit by unit."""
    cats = sorted(set(x[~np.isnan(x)].tolist()))
    q = q or len(cats)
    pa_terms, rated_units = [], []
    for row in x:
        vals = row[~np.isnan(row)]
        if len(vals) == 0:
            continue
        r_i = len(vals)
        counts = {c: int((vals == c).sum()) for c in cats}
        rated_units.append({c: counts[c] / r_i for c in cats})
        if r_i >= 2:
            pa_terms.append(sum(n * (n - 1) for n in counts.values()) / (r_i * (r_i - 1)))
    pa = sum(pa_terms) / len(pa_terms)
    pi = {c: sum(u[c] for u in rated_units) / len(rated_units) for c in cats}
    pe_fleiss = sum(p * p for p in pi.values())
    pe_ac1 = sum(p * (1 - p) for p in pi.values()) / (q - 1)
    return pa, (pa - pe_fleiss) / (1 - pe_fleiss), (pa - pe_ac1) / (1 - pe_ac1)


# --- published worked examples ------------------------------------------------------------

# Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
# Bulletin 76(5), 378-382: 30 patients, 6 psychiatrists each, 5 diagnoses; kappa = .430.
# Raw ratings as distributed in R's irr package (dataset `diagnoses`).
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories, given as
# the number of raters per category; kappa = 0.210.
WIKIPEDIA_FLEISS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip

# Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., and its companion R package
# irrCAC (README, Gwet's own output): `cac.raw4raters`, 12 subjects x 4 raters with missing
# ratings. Percent agreement 0.8181818; AC1 0.77544 (p_e 0.1903212); Fleiss' kappa 0.76117
# (p_e 0.2387153); Krippendorff's alpha 0.74342.
GWET_RAW4RATERS: list[list[int | None]] = [
    [1, 1, N, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
    [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [N, 5, 5, 5], [N, N, 1, 1], [N, N, 3, N],
]  # fmt: skip

# irrCAC README, `distrib.6raters` (15 subjects, 6 raters, raters per category): AC1 0.4448007,
# Fleiss' kappa 0.4139265, p_a 0.5511111.
GWET_DISTRIB6 = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
]  # fmt: skip

# irrCAC README, `cont3x3abstractors` (2 raters, contingency table): Cohen's kappa 0.7964094,
# Scott's pi 0.7962397, AC1 0.8493305, percent agreement 0.89.
GWET_CONT3X3 = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def from_distribution(table):
    """Raw ratings (units x raters) from a units x categories table of rater counts."""
    return ratings_from_rows([[c for c, n in enumerate(row) for _ in range(n)] for row in table])


def from_contingency(table):
    return ratings_from_rows(
        [[i, j] for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    )


def test_fleiss_1971():
    assert round(known(fleiss_kappa(ratings_from_rows(FLEISS_1971)).value), 3) == 0.430


def test_wikipedia_fleiss_example():
    assert round(known(fleiss_kappa(from_distribution(WIKIPEDIA_FLEISS)).value), 3) == 0.210


def test_gwet_raw4raters_with_missing_ratings():
    data = ratings_from_rows(GWET_RAW4RATERS)
    ac1, kappa, pa = gwet_ac1(data), fleiss_kappa(data), percent_agreement(data)
    assert round(known(pa.value), 7) == 0.8181818
    assert (round(known(ac1.value), 5), round(known(ac1.expected), 7)) == (0.77544, 0.1903212)
    assert (round(known(kappa.value), 5), round(known(kappa.expected), 7)) == (0.76117, 0.2387153)


def test_gwet_distrib6raters():
    data = from_distribution(GWET_DISTRIB6)
    assert round(known(gwet_ac1(data).value), 7) == 0.4448007
    assert round(known(fleiss_kappa(data).value), 7) == 0.4139265
    assert round(known(percent_agreement(data).value), 7) == 0.5511111


def test_gwet_cont3x3abstractors():
    data = from_contingency(GWET_CONT3X3)
    assert round(known(cohen_kappa(data).value), 7) == 0.7964094
    assert round(known(scott_pi(data).value), 7) == 0.7962397
    assert round(known(gwet_ac1(data).value), 7) == 0.8493305
    assert round(known(percent_agreement(data).value), 7) == 0.89


# --- oracles on random data ----------------------------------------------------------------


@pytest.mark.parametrize("missing", [0.0, 0.3])
def test_cohen_kappa_matches_sklearn(missing):
    rng = np.random.default_rng(1)
    for _ in range(40):
        x = random_matrix(rng, int(rng.integers(5, 120)), 2, int(rng.integers(2, 6)), missing)
        both = ~np.isnan(x).any(axis=1)
        a, b = x[both, 0], x[both, 1]
        ours = cohen_kappa(x)
        if len(set(a) | set(b)) < 2:
            assert ours.value is None
            continue
        assert ours.value == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
        assert ours.n_units == both.sum()


def test_cohen_kappa_matches_statsmodels_and_nltk_on_complete_data():
    rng = np.random.default_rng(2)
    for _ in range(20):
        x = random_matrix(rng, 50, 2, 3, 0.0)
        cats = np.unique(x)
        table = np.array([[np.sum((x[:, 0] == i) & (x[:, 1] == j)) for j in cats] for i in cats])
        ours = cohen_kappa(x).value
        assert ours == pytest.approx(sm_cohens_kappa(table).kappa, abs=1e-12)
        task = AnnotationTask(triples(x))
        assert ours == pytest.approx(task.kappa(), abs=1e-12)
        assert ours == pytest.approx(task.multi_kappa(), abs=1e-12)


def test_two_coder_coefficients_with_missing_data_use_the_units_both_rated():
    # NLTK needs complete data, so it gets the units both coders rated, which is exactly the
    # definition of Cohen's kappa and Scott's pi with missing ratings.
    rng = np.random.default_rng(10)
    for _ in range(15):
        x = random_matrix(rng, 60, 2, 3, 0.3)
        task = AnnotationTask(triples(x[~np.isnan(x).any(axis=1)]))
        assert cohen_kappa(x).value == pytest.approx(task.kappa(), abs=1e-12)
        assert scott_pi(x).value == pytest.approx(task.pi(), abs=1e-12)


def test_scott_pi_matches_nltk_and_equals_two_coder_fleiss():
    rng = np.random.default_rng(3)
    for _ in range(20):
        x = random_matrix(rng, 40, 2, 4, 0.0)
        ours = scott_pi(x).value
        assert ours == pytest.approx(AnnotationTask(triples(x)).pi(), abs=1e-12)
        assert ours == pytest.approx(fleiss_kappa(x).value, abs=1e-12)


def test_fleiss_matches_statsmodels_and_nltk_on_complete_data():
    rng = np.random.default_rng(4)
    for _ in range(25):
        x = random_matrix(rng, int(rng.integers(5, 80)), int(rng.integers(2, 8)), 4, 0.0)
        ours = fleiss_kappa(x).value
        table, _ = aggregate_raters(x.astype(int))
        assert ours == pytest.approx(sm_fleiss_kappa(table), abs=1e-12)
        # NLTK's multi-coder pi is Siegel & Castellan's K, i.e. Fleiss' kappa.
        assert ours == pytest.approx(AnnotationTask(triples(x)).pi(), abs=1e-12)


def test_percent_agreement_matches_nltk_on_complete_data():
    rng = np.random.default_rng(5)
    for _ in range(15):
        x = random_matrix(rng, 40, int(rng.integers(2, 6)), 3, 0.0)
        expected = AnnotationTask(triples(x)).avg_Ao()
        assert percent_agreement(x).value == pytest.approx(expected, abs=1e-12)


def test_fleiss_ac1_and_percent_agreement_with_missing_data():
    rng = np.random.default_rng(6)
    for _ in range(40):
        x = random_matrix(rng, int(rng.integers(3, 60)), int(rng.integers(2, 7)), 4, 0.35)
        if ((~np.isnan(x)).sum(axis=1) >= 2).sum() == 0 or np.unique(x[~np.isnan(x)]).size < 2:
            continue
        pa, kappa, ac1 = gwet_reference(x)
        assert percent_agreement(x).value == pytest.approx(pa, abs=1e-12)
        assert fleiss_kappa(x).value == pytest.approx(kappa, abs=1e-12)
        assert gwet_ac1(x).value == pytest.approx(ac1, abs=1e-12)


def test_ac1_counts_declared_categories():
    rows: list[list[str | None]] = [["a", "a"], ["a", "b"], ["b", "b"], ["a", None]]
    declared = ratings_from_rows(rows, categories=["a", "b", "c"])
    x = np.array([[0, 0], [0, 1], [1, 1], [0, np.nan]], dtype=float)
    assert gwet_ac1(declared).value == pytest.approx(gwet_reference(x, q=3)[2])
    assert gwet_ac1(declared).value != pytest.approx(gwet_ac1(ratings_from_rows(rows)).value)


def test_pairwise_cohen_kappa_matches_sklearn_per_pair():
    rng = np.random.default_rng(8)
    x = random_matrix(rng, 90, 4, 3, 0.25)
    data = ratings_from_rows(
        [[None if np.isnan(v) else int(v) for v in row] for row in x], coders=list("ABCD")
    )
    pairs = pairwise_cohen_kappa(data)
    for i, j in itertools.permutations(range(4), 2):
        both = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
        expected = cohen_kappa_score(x[both, i], x[both, j])
        assert pairs.cells[i][j].value == pytest.approx(expected, abs=1e-12)
    assert pairs.get("A", "C") is pairs.cells[0][2]
    assert pairs.cells[1][1].reason == r.SAME_CODER


def test_mean_pairwise_kappa_matches_nltk_kappa_on_complete_data():
    rng = np.random.default_rng(9)
    x = random_matrix(rng, 60, 4, 3, 0.0)
    cells = pairwise_cohen_kappa(x).cells
    mean = np.mean([cells[i][j].value for i, j in itertools.combinations(range(4), 2)])
    assert mean == pytest.approx(AnnotationTask(triples(x)).kappa(), abs=1e-12)


# --- undefined cases -----------------------------------------------------------------------


def test_cohen_and_scott_need_exactly_two_coders():
    three = np.array([[1.0, 1.0, 2.0], [2.0, 2.0, 2.0]])
    for coefficient in (cohen_kappa, scott_pi):
        assert coefficient(three).reason == r.NOT_TWO_CODERS.format(n=3)
        reason = coefficient(three).reason
        assert reason is not None and "got 3" in reason
        assert coefficient(np.array([[1.0], [2.0]])).reason == r.SINGLE_CODER
        no_common = np.array([[1.0, np.nan], [np.nan, 2.0]])
        assert coefficient(no_common).reason == r.NO_COMMON_UNIT
        same = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, np.nan]])
        assert coefficient(same).reason == r.NO_VARIATION


def test_undefined_fleiss_ac1_percent_agreement():
    one_coder = np.array([[1.0], [0.0]])
    no_pairs = np.array([[1.0, np.nan], [np.nan, 0.0]])
    for coefficient in (fleiss_kappa, gwet_ac1, percent_agreement):
        assert coefficient(one_coder).reason == r.SINGLE_CODER
        assert coefficient(no_pairs).reason == r.NO_PAIRABLE_UNIT
    same = np.array([[1.0, 1.0], [1.0, 1.0]])
    assert fleiss_kappa(same).reason == r.NO_VARIATION
    assert gwet_ac1(same).reason == r.FEWER_THAN_TWO_CATEGORIES
    assert percent_agreement(same).value == 1.0


def test_ac1_is_defined_without_variation_when_two_categories_are_declared():
    # AC1's chance term is sum pi (1 - pi) / (q - 1) = 0 here, so AC1 = p_a = 1: defined,
    # unlike kappa. That is Gwet's design (robust to prevalence), documented, not a slip.
    data = ratings_from_rows([[0, 0], [0, 0]], categories=[0, 1])
    assert gwet_ac1(data).value == 1.0
    assert fleiss_kappa(data).reason == r.NO_VARIATION


def test_fleiss_1971_json_keeps_the_full_double():
    from annotator.agreement.report_json import coefficient_json

    c = fleiss_kappa(ratings_from_rows(FLEISS_1971))
    value = coefficient_json(c)["value"]
    assert value == c.value  # tables round for people; JSON does not
    assert round(value, 7) == 0.4302445  # the published figure (6 decimals gave 0.430245)
