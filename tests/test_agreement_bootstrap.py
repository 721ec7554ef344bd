"""Bootstrap intervals over units: exactness of the pattern shortcut, reproducibility, and
the handling of undefined resamples."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np
import pytest
from scipy.stats import ks_2samp

from annotator.agreement import bootstrap as boot
from annotator.agreement import (
    bootstrap_ci,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from annotator.agreement import kernels as k
from annotator.agreement import results as r
from annotator.models.matrices import Level


def random_matrix(rng, units, coders, values, missing) -> np.ndarray:
    truth = rng.integers(0, values, units)
    x = np.where(
        rng.random((units, coders)) < 0.7, truth[:, None], rng.integers(0, values, (units, coders))
    ).astype(float)
    x[rng.random((units, coders)) < missing] = np.nan
    return x


PUBLIC = {
    "fleiss_kappa": fleiss_kappa,
    "gwet_ac1": gwet_ac1,
    "percent_agreement": percent_agreement,
    "cohen_kappa": cohen_kappa,
    "scott_pi": scott_pi,
}
CASES = [("alpha", level) for level in ("nominal", "ordinal", "interval", "ratio")] + [
    (name, "nominal") for name in PUBLIC
]


def prepared(
    x: np.ndarray, statistic: boot.Statistic, level: Level
) -> tuple[boot.Patterns, k.CountStatistic, np.ndarray]:
    """What the bootstrap evaluates: data where the coefficient is defined (not why it is not)."""
    got = boot._prepare(x, statistic, level)
    assert not isinstance(got, str), got
    return got


def public_value(x: np.ndarray, statistic: str, level: Level) -> float | None:
    if statistic == "alpha":
        return krippendorff_alpha(x, level).value
    return PUBLIC[statistic](x).value


@pytest.mark.parametrize(("statistic", "level"), CASES)
def test_weighted_patterns_equal_the_coefficient_on_the_resampled_matrix(statistic, level):
    """A resample evaluated through pattern weights is the coefficient of the resample."""
    rng = np.random.default_rng(1)
    coders = 2 if statistic in ("cohen_kappa", "scott_pi") else 4
    x = random_matrix(rng, 150, coders, 4, 0.3)
    population = x[(~np.isnan(x)).any(axis=1)]
    patterns, stat, features = prepared(x, statistic, level)
    assert patterns.n_units == len(population)
    for _ in range(15):
        idx = rng.integers(0, len(population), len(population))
        weights = np.bincount(patterns.inverse[idx], minlength=len(patterns.counts))
        batch = stat.evaluate(weights[None, :].astype(float) @ features)
        expected = public_value(population[idx], statistic, level)
        got = None if batch.reason[0] != k.DEFINED else batch.value[0]
        assert (got is None) == (expected is None)
        if expected is not None:
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_multinomial_over_patterns_is_exactly_resampling_units():
    """Enumerate every one of the 5^5 index resamples of a 5-unit matrix and every pattern
    count vector of the multinomial: the two distributions of alpha are identical."""
    x = np.array(
        [[0, 0, 1], [1, 0, 0], [1, 1, np.nan], [0, 1, 1], [np.nan, 1, 1]], dtype=float
    )  # per-unit counts (2,1) (2,1) (0,2) (1,2) (0,2): 3 patterns for 5 units
    n = len(x)
    naive: dict[object, float] = defaultdict(float)
    for idx in itertools.product(range(n), repeat=n):
        value = krippendorff_alpha(x[list(idx)], "nominal").value
        naive[None if value is None else round(value, 12)] += 1 / n**n

    patterns, stat, features = prepared(x, "alpha", "nominal")
    assert len(patterns.counts) == 3
    p = patterns.counts / n
    shortcut: dict[object, float] = defaultdict(float)
    for w in itertools.product(range(n + 1), repeat=len(p)):
        if sum(w) != n:
            continue
        pmf = math.factorial(n) / math.prod(math.factorial(c) for c in w)
        pmf *= math.prod(pi**c for pi, c in zip(p, w, strict=True))
        batch = stat.evaluate(np.array([w], dtype=float) @ features)
        value = None if batch.reason[0] != k.DEFINED else round(float(batch.value[0]), 12)
        shortcut[value] += pmf
    assert naive.keys() == shortcut.keys()
    for key, prob in naive.items():
        assert shortcut[key] == pytest.approx(prob, abs=1e-12)


def _draws(x, method, seed, n_resamples=4000):
    patterns, stat, features = prepared(x, "alpha", "nominal")
    ((values, reasons),) = boot.resample([features], [stat], patterns, n_resamples, seed, method)
    assert (reasons == k.DEFINED).all()
    return values


def test_multinomial_and_index_resampling_have_the_same_distribution():
    rng = np.random.default_rng(2)
    x = random_matrix(rng, 400, 4, 2, 0.2)
    patterns = prepared(x, "alpha", "nominal")[0]
    assert len(patterns.counts) * 8 <= patterns.n_units  # "auto" takes the multinomial
    multinomial = _draws(x, "multinomial", seed=10)
    indices = _draws(x, "indices", seed=11)
    assert ks_2samp(multinomial, indices).pvalue > 1e-3
    # Means and spreads agree within Monte Carlo error (4000 draws each).
    se = multinomial.std() / math.sqrt(len(multinomial))
    assert abs(multinomial.mean() - indices.mean()) < 5 * math.sqrt(2) * se
    assert indices.std() == pytest.approx(multinomial.std(), rel=0.1)


def test_weights_draw_n_units_with_the_right_expectation():
    rng = np.random.default_rng(3)
    x = random_matrix(rng, 300, 3, 3, 0.3)
    patterns = prepared(x, "fleiss_kappa", "nominal")[0]
    for method in ("multinomial", "indices"):
        w = np.concatenate(list(boot.resample_weights(patterns, 3000, 5, method)))
        assert w.shape == (3000, len(patterns.counts))
        assert (w.sum(axis=1) == patterns.n_units).all()
        # E[w_k] = count_k; sd of the mean of 3000 draws is below sqrt(count_k / 3000).
        assert np.abs(w.mean(axis=0) - patterns.counts).max() < 5 * np.sqrt(
            patterns.counts.max() / 3000
        )


def test_seeded_and_reproducible():
    x = random_matrix(np.random.default_rng(4), 200, 3, 3, 0.2)
    first = bootstrap_ci(x, "alpha", seed=3)
    assert bootstrap_ci(x, "alpha", seed=3) == first
    assert bootstrap_ci(x, "alpha", seed=4) != first
    assert first.n_resamples == 1000 and first.confidence == 0.95
    alpha = krippendorff_alpha(x).value
    assert first.low is not None and first.high is not None and alpha is not None
    assert first.low < alpha < first.high


def test_continuous_interval_data_use_index_resampling():
    rng = np.random.default_rng(5)
    x = random_matrix(rng, 500, 3, 5, 0.1) + rng.normal(0, 0.3, (500, 3))
    patterns, _, _ = prepared(x, "alpha", "interval")
    assert len(patterns.counts) * 8 > patterns.n_units  # "auto" resamples indices
    ci = bootstrap_ci(x, "alpha", level="interval", n_resamples=500)
    alpha = krippendorff_alpha(x, "interval").value
    assert ci.low is not None and ci.high is not None and alpha is not None
    assert ci.low < alpha < ci.high


def test_too_many_undefined_resamples_void_the_interval():
    # The only 1s are in a single unit out of 40: a resample misses it with probability
    # (39/40)^40, about 36%, and then has no variation at all.
    x = np.zeros((40, 2))
    x[0] = [1, 1]
    ci = bootstrap_ci(x, "alpha", n_resamples=500)
    assert ci.low is None and ci.n_undefined > 25
    assert ci.reason is not None
    assert f"{ci.n_undefined} of 500 resamples were undefined" in ci.reason
    assert r.NO_VARIATION in ci.reason
    assert ci.reason.endswith("; more than the 5% allowed")  # not "more than 5% allowed"
    tolerant = bootstrap_ci(x, "alpha", n_resamples=500, max_undefined=1.0)
    assert tolerant.defined and tolerant.n_undefined == ci.n_undefined


def test_undefined_point_estimate_gives_undefined_interval():
    same = np.ones((10, 3))
    assert bootstrap_ci(same, "alpha").reason == r.NO_VARIATION
    assert bootstrap_ci(np.ones((5, 1)), "fleiss_kappa").reason == r.SINGLE_CODER
    three = np.zeros((5, 3))
    assert bootstrap_ci(three, "cohen_kappa").reason == r.NOT_TWO_CODERS.format(n=3)


def test_arguments_are_checked():
    x = np.zeros((3, 2))
    with pytest.raises(ValueError):
        bootstrap_ci(x, confidence=1.5)
    with pytest.raises(ValueError):
        bootstrap_ci(x, n_resamples=0)
    with pytest.raises(ValueError):
        bootstrap_ci(x, "median")  # type: ignore[arg-type]
