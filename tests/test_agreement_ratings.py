"""Building the reliability matrix, and the package's runtime dependencies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from annotator.agreement import Ratings, ratings_from_rows, ratings_from_triples
from annotator.agreement.ratings import as_coded, factorize, row_sum, unit_counts


def test_ratings_from_rows_sorts_categories_and_marks_missing():
    data = ratings_from_rows([["b", "a", None], ["a", "a", "c"]], coders=["x", "y", "z"])
    assert data.categories == ("a", "b", "c")
    assert data.codes.tolist() == [[1, 0, -1], [0, 0, 2]]
    assert (data.n_units, data.n_coders) == (2, 3)


def test_ratings_from_rows_keeps_unsortable_values_in_order_of_appearance():
    data = ratings_from_rows([[("t", 1), 2], [2, ("t", 1)]])
    assert data.categories == (("t", 1), 2)


def test_ratings_from_rows_checks_shape_and_categories():
    with pytest.raises(ValueError, match="one entry per coder"):
        ratings_from_rows([["a", "b"], ["a"]])
    with pytest.raises(ValueError, match="not among the categories"):
        ratings_from_rows([["a", "z"]], categories=["a", "b"])
    with pytest.raises(ValueError, match="distinct"):
        ratings_from_rows([["a"]], categories=["a", "a"])


def test_ratings_from_triples():
    data = ratings_from_triples(
        [("s1", "ann", "yes"), ("s1", "bob", "no"), ("s2", "bob", None), ("s2", "ann", "yes")]
    )
    assert data.units == ("s1", "s2") and data.coders == ("ann", "bob")
    assert data.codes.tolist() == [[1, 0], [1, -1]]
    with pytest.raises(ValueError, match="twice"):
        ratings_from_triples([("s1", "ann", 1), ("s1", "ann", 2)])


def test_ratings_validates_codes():
    with pytest.raises(ValueError, match="index into categories"):
        Ratings(np.array([[0, 2]]), ("a", "b"))
    with pytest.raises(ValueError, match="2-D"):
        Ratings(np.array([0, 1]), ("a", "b"))
    with pytest.raises(ValueError, match="integers"):
        Ratings(np.array([[0.0, 1.0]]), ("a", "b"))


@pytest.mark.parametrize(
    "x",
    [
        np.array([[1.0, 3.0, np.nan], [3.0, 7.0, 1.0]]),  # integers with gaps
        np.array([[0.5, 0.25, np.nan], [0.5, 1e9, -3.0]]),  # not integers: sorted unique
        np.full((2, 2), np.nan),
    ],
)
def test_factorize_matches_numpy_unique(x):
    codes, values = factorize(x)
    rated = ~np.isnan(x)
    expected_values, inverse = np.unique(x[rated], return_inverse=True)
    assert values.tolist() == expected_values.tolist()
    assert (codes[~rated] == -1).all()
    assert codes[rated].tolist() == inverse.tolist()


def test_float_input_rejects_infinity():
    with pytest.raises(ValueError, match="finite"):
        as_coded(np.array([[1.0, np.inf]]))


@pytest.mark.parametrize("n_categories", [3, 20])
def test_unit_counts_both_strategies(n_categories):
    rng = np.random.default_rng(0)
    codes = rng.integers(-1, n_categories, (50, 7))
    counts = unit_counts(codes, n_categories)
    for c in range(n_categories):
        assert counts[:, c].tolist() == (codes == c).sum(axis=1).tolist()
    assert row_sum(counts).tolist() == (codes >= 0).sum(axis=1).tolist()


def test_runtime_imports_numpy_only():
    # The numeric core must not pull in the oracles, a UI toolkit or a database driver.
    code = (
        "import sys, annotator.agreement\n"
        "bad = {'scipy', 'pandas', 'krippendorff', 'nltk', 'statsmodels', 'sklearn',"
        " 'textual', 'rich', 'sqlite3', 'sqlite_utils'}\n"
        "print(sorted(bad & {m.split('.')[0] for m in sys.modules}))\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert out.stdout.strip() == "[]"


def test_unsigned_codes_are_accepted():
    data = Ratings(np.array([[0, 1], [1, 1]], dtype=np.uint8), ("a", "b"))
    assert data.codes.dtype.kind == "i"
