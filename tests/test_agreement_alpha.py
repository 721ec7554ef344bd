"""Krippendorff's alpha against published examples and two independent implementations.

Oracles (dev-only): the `krippendorff` package (all four levels, missing data; it takes
coders x units, hence the transposes) and NLTK's AnnotationTask (nominal and interval).
"""

from __future__ import annotations

import itertools

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import binary_distance, interval_distance

from annotator.agreement import (
    Ratings,
    alpha_with_distance,
    coincidence_matrix,
    krippendorff_alpha,
    ratings_from_rows,
)
from annotator.agreement import alpha as alpha_mod
from annotator.agreement import results as r
from annotator.models.matrices import Level


def known(x: float | None) -> float:
    """A coefficient's value, or one of its terms, that must be defined here."""
    assert x is not None
    return x


LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")
N = None

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania (https://repository.upenn.edu/asc_papers/43):
# the worked example with 4 observers, 12 units and missing values (also Krippendorff 2019,
# Content Analysis, 4th ed., ch. 12). Rows are units, columns observers A-D.
KRIPPENDORFF_2011 = list(
    zip(
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
        strict=True,
    )
)
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def as_float(rows) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


def random_matrix(rng, units, coders, values, missing) -> np.ndarray:
    # Agreement-ish data: a true value per unit, copied by each coder with some noise.
    truth = rng.integers(0, values, units)
    x = np.where(
        rng.random((units, coders)) < 0.6, truth[:, None], rng.integers(0, values, (units, coders))
    ).astype(float)
    x[rng.random((units, coders)) < missing] = np.nan
    return x


def oracle(x: np.ndarray, level: Level) -> float:
    return float(krippendorff.alpha(x.T, level_of_measurement=level))


@pytest.mark.parametrize("level", LEVELS)
def test_krippendorff_2011_worked_example(level):
    result = krippendorff_alpha(ratings_from_rows(KRIPPENDORFF_2011), level)
    assert round(known(result.value), 3) == PUBLISHED[level]
    # The example's pairable values: n = 40 in 11 units (unit 12 has a single value).
    assert (result.n_values, result.n_units) == (40, 11)


@pytest.mark.parametrize("level", LEVELS)
def test_reported_disagreements_make_up_alpha(level):
    result = krippendorff_alpha(as_float(KRIPPENDORFF_2011), level)
    assert 1 - known(result.observed) / known(result.expected) == pytest.approx(
        result.value, rel=1e-12
    )


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("missing", [0.0, 0.35])
def test_matches_krippendorff_package_on_random_data(level, missing):
    rng = np.random.default_rng(sum(map(ord, level)) + int(missing * 100))
    for _ in range(25):
        x = random_matrix(
            rng, int(rng.integers(3, 80)), int(rng.integers(2, 7)), int(rng.integers(2, 7)), missing
        )
        if np.unique(x[~np.isnan(x)]).size < 2 or ((~np.isnan(x)).sum(1) >= 2).sum() == 0:
            continue  # the package errors out instead of answering
        ours = krippendorff_alpha(x, level)
        expected = oracle(x, level)
        if np.isnan(expected):
            assert ours.value is None
        else:
            assert ours.value == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=3, max_size=3),
        min_size=2,
        max_size=25,
    ),
    st.sampled_from(LEVELS),
)
def test_matches_krippendorff_package_property(rows, level):
    x = as_float(rows)
    values = x[~np.isnan(x)]
    pairable = ((~np.isnan(x)).sum(axis=1) >= 2).any()
    ours = krippendorff_alpha(x, level)
    if not pairable:
        assert ours.reason == r.NO_PAIRABLE_UNIT
        return
    paired = x[(~np.isnan(x)).sum(axis=1) >= 2]
    if np.unique(paired[~np.isnan(paired)]).size < 2:
        assert ours.reason == r.NO_VARIATION
        return
    if np.unique(values).size < 2:
        return
    assert ours.value == pytest.approx(oracle(x, level), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("level", "distance"), [("nominal", binary_distance), ("interval", interval_distance)]
)
def test_matches_nltk_with_missing_data(level, distance):
    rng = np.random.default_rng(7)
    for _ in range(10):
        x = random_matrix(rng, 30, 4, 4, 0.3)
        triples = [
            (f"c{c}", f"u{u}", float(x[u, c]))
            for u in range(x.shape[0])
            for c in range(x.shape[1])
            if not np.isnan(x[u, c])
        ]
        expected = AnnotationTask(triples, distance=distance).alpha()
        assert krippendorff_alpha(x, level).value == pytest.approx(expected, rel=1e-9)


def test_ratings_and_float_input_agree():
    rows = KRIPPENDORFF_2011
    for level in LEVELS:
        a = krippendorff_alpha(ratings_from_rows(rows), level).value
        b = krippendorff_alpha(as_float(rows), level).value
        assert a == pytest.approx(b, rel=1e-12)


def test_ordinal_uses_the_declared_category_order():
    # Text categories carry their rank order in Ratings.categories; the package needs an
    # explicit value_domain for the same thing.
    order = ["very low", "low", "mid", "high", "very high"]
    words = [[None if v is None else order[v - 1] for v in row] for row in KRIPPENDORFF_2011]
    ours = krippendorff_alpha(ratings_from_rows(words, categories=order), "ordinal")
    assert round(known(ours.value), 3) == 0.815
    shuffled = ["mid", "very low", "very high", "low", "high"]
    other = krippendorff_alpha(ratings_from_rows(words, categories=shuffled), "ordinal")
    assert other.value != pytest.approx(ours.value)


def test_nominal_ignores_category_labels_and_unit_order():
    rng = np.random.default_rng(3)
    x = random_matrix(rng, 60, 4, 5, 0.2)
    relabelled = np.where(np.isnan(x), np.nan, 10.0 * (4 - x) + 0.5)
    permuted = x[rng.permutation(len(x))][:, rng.permutation(4)]
    base = krippendorff_alpha(x, "nominal").value
    assert krippendorff_alpha(relabelled, "nominal").value == pytest.approx(base, rel=1e-12)
    assert krippendorff_alpha(permuted, "nominal").value == pytest.approx(base, rel=1e-12)


def test_sparse_crowd_matrix_many_coders():
    # MBIC-like: hundreds of coders, each unit rated by a handful of them.
    rng = np.random.default_rng(11)
    units, coders = 150, 300
    x = np.full((units, coders), np.nan)
    truth = rng.integers(0, 3, units)
    for u in range(units):
        who = rng.choice(coders, size=int(rng.integers(1, 12)), replace=False)
        x[u, who] = np.where(rng.random(len(who)) < 0.5, truth[u], rng.integers(0, 3, len(who)))
    for level in LEVELS:
        assert krippendorff_alpha(x, level).value == pytest.approx(oracle(x, level), rel=1e-9)


def test_many_distinct_ratio_values_take_the_pairs_path():
    rng = np.random.default_rng(5)
    base = rng.uniform(1, 100, 40)
    x = base[:, None] * rng.uniform(0.8, 1.2, (40, 3))
    x[rng.random(x.shape) < 0.2] = np.nan
    assert np.unique(x[~np.isnan(x)]).size > alpha_mod._MATRIX_V_LIMIT
    assert krippendorff_alpha(x, "ratio").value == pytest.approx(oracle(x, "ratio"), rel=1e-9)


def test_distance_strategies_agree(monkeypatch):
    rng = np.random.default_rng(9)
    x = random_matrix(rng, 70, 5, 6, 0.25) + 1
    matrix_path = krippendorff_alpha(x, "ratio").value
    monkeypatch.setattr(alpha_mod, "_MATRIX_V_LIMIT", 0)
    assert krippendorff_alpha(x, "ratio").value == pytest.approx(matrix_path, rel=1e-12)


def test_custom_distance_matches_nltk():
    rng = np.random.default_rng(2)
    x = random_matrix(rng, 25, 3, 4, 0.2)
    delta = np.array([[0, 1, 4, 2], [1, 0, 3, 1], [4, 3, 0, 5], [2, 1, 5, 0]], dtype=float)
    triples = [(c, u, int(x[u, c])) for u in range(25) for c in range(3) if not np.isnan(x[u, c])]
    expected = AnnotationTask(triples, distance=lambda a, b: delta[a, b]).alpha()
    assert alpha_with_distance(x, delta).value == pytest.approx(expected, rel=1e-9)
    with pytest.raises(ValueError, match="zero diagonal"):
        alpha_with_distance(x, delta + 1)


def test_interval_is_stable_far_from_zero():
    # Values around 1e9 with small spread: the shifted sums must not cancel.
    rng = np.random.default_rng(4)
    x = random_matrix(rng, 50, 4, 5, 0.2)
    assert krippendorff_alpha(x + 1e9, "interval").value == pytest.approx(
        oracle(x, "interval"), rel=1e-6
    )


def test_undefined_cases_carry_reasons():
    one_coder = np.array([[1.0], [2.0], [1.0]])
    no_pairs = np.array([[1.0, np.nan], [np.nan, 2.0]])
    same = np.array([[1.0, 1.0], [1.0, 1.0], [3.0, np.nan]])  # 3 is not pairable
    empty = np.empty((0, 3))
    for level in LEVELS:
        assert krippendorff_alpha(one_coder, level).reason == r.SINGLE_CODER
        assert krippendorff_alpha(no_pairs, level).reason == r.NO_PAIRABLE_UNIT
        assert krippendorff_alpha(empty, level).reason == r.NO_PAIRABLE_UNIT
        result = krippendorff_alpha(same, level)
        assert (result.value, result.reason) == (None, r.NO_VARIATION)


def test_identical_non_integer_values_are_no_variation():
    x = np.full((5, 3), 0.1)
    x[0, 0] = np.nan
    assert krippendorff_alpha(x, "interval").reason == r.NO_VARIATION


def test_level_requirements():
    words = ratings_from_rows([["a", "b"], ["b", "b"]])
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha(words, "interval")
    with pytest.raises(ValueError, match="non-negative"):
        krippendorff_alpha(np.array([[-1.0, 2.0], [1.0, 1.0]]), "ratio")
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(words, "circular")  # type: ignore[arg-type]


def test_result_never_holds_nan():
    result = krippendorff_alpha(np.array([[1.0, 1.0]]), "nominal")
    assert result.value is None and result.reason
    with pytest.raises(ValueError):
        r.Coefficient("x", float("nan"))
    with pytest.raises(ValueError):
        r.Coefficient("x", None)


def test_ratings_categories_unused_do_not_change_alpha():
    rows: list[list[str | None]] = [["a", "b"], ["a", "a"], ["b", "b"], ["a", None]]
    plain = krippendorff_alpha(ratings_from_rows(rows), "nominal").value
    declared = ratings_from_rows(rows, categories=["a", "b", "never"])
    assert isinstance(declared, Ratings)
    assert krippendorff_alpha(declared, "nominal").value == pytest.approx(plain)


def test_coincidence_matrix_by_enumerating_pairs():
    rng = np.random.default_rng(12)
    x = random_matrix(rng, 40, 4, 3, 0.3)
    expected = np.zeros((3, 3))
    for row in x:
        vals = [int(v) for v in row if not np.isnan(v)]
        for i, j in itertools.permutations(range(len(vals)), 2):
            expected[vals[i], vals[j]] += 1 / (len(vals) - 1)
    o = coincidence_matrix(x)
    assert o == pytest.approx(expected)
    # Its marginals are the pairable values, and it gives the nominal alpha.
    n_c, n = o.sum(axis=1), o.sum()
    alpha = 1 - (n - 1) * (n - np.trace(o)) / (n * n - (n_c * n_c).sum())
    assert alpha == pytest.approx(krippendorff_alpha(x, "nominal").value)


@pytest.mark.parametrize("offset", [1e9, 1e12])
def test_interval_alpha_is_exact_at_a_large_common_offset(offset: float) -> None:
    # unit means taken before centring lost 2e-9 at 1e9 and 2.2e-6 at 1e12
    rng = np.random.default_rng(7)
    x = rng.integers(0, 7, (300, 4)).astype(float)
    x[:, 0] = x[:, 1] + rng.integers(-1, 2, 300)
    x[rng.random(x.shape) < 0.2] = np.nan
    exact = krippendorff.alpha(reliability_data=x.T, level_of_measurement="interval")
    from annotator.agreement.alpha import interval_alpha

    assert abs(float(interval_alpha(x + offset).value[0]) - exact) < 1e-12
