"""The reliability matrix: one row per unit, one column per coder.

Two shapes of input are accepted everywhere:

* `Ratings`: integer category codes (-1 = missing) plus the category labels. This is the
  natural form for nominal and ordinal data; for ordinal data the order of `categories` is
  the rank order. Interval and ratio levels accept it when the categories are numbers.
* a float `numpy.ndarray` of shape (units, coders) with NaN for a missing rating, the form the
  `krippendorff` package uses (transposed: it wants coders x units).

Internally both become `Coded` (codes plus, for numbers, the value of each code).
"""

from __future__ import annotations

import numbers
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np

from annotator.models.matrices import MISSING, Ratings

RatingsLike: TypeAlias = Ratings | np.ndarray


def ratings_from_rows(
    rows: Sequence[Sequence[Hashable | None]],
    *,
    categories: Sequence[Hashable] | None = None,
    coders: Sequence[str] = (),
    units: Sequence[Hashable] = (),
) -> Ratings:
    """Build `Ratings` from Python lists: one inner list per unit, None for a missing rating.

    Without `categories` the categories are the values seen, sorted when they can be sorted
    (numbers, strings) and in order of first appearance otherwise. Pass `categories` to fix
    the rank order for ordinal data or to declare categories nobody used (Gwet's AC1 counts
    them).
    """
    n_coders = max((len(row) for row in rows), default=len(coders))
    if any(len(row) != n_coders for row in rows):
        raise ValueError("every unit must have one entry per coder (None when missing)")
    cats = _categories((v for row in rows for v in row if v is not None), categories)
    cells = ((u, c, v) for u, row in enumerate(rows) for c, v in enumerate(row) if v is not None)
    codes = _encode(cells, (len(rows), n_coders), cats)
    return Ratings(codes, cats, tuple(coders), tuple(units))


def ratings_from_triples(
    triples: Iterable[tuple[Hashable, str, Hashable | None]],
    *,
    categories: Sequence[Hashable] | None = None,
) -> Ratings:
    """Build `Ratings` from (unit, coder, value) triples, the long layout of a database.

    Units and coders keep their order of first appearance. A None value is no rating. The
    same coder rating the same unit twice is an error, because no rule for merging the two
    ratings is neutral.
    """
    unit_index: dict[Hashable, int] = {}
    coder_index: dict[str, int] = {}
    cells: dict[tuple[int, int], Hashable] = {}
    for unit, coder, value in triples:
        u = unit_index.setdefault(unit, len(unit_index))
        c = coder_index.setdefault(coder, len(coder_index))
        if value is None:
            continue
        if (u, c) in cells:
            raise ValueError(f"coder {coder!r} rated unit {unit!r} twice")
        cells[(u, c)] = value
    cats = _categories(cells.values(), categories)
    codes = _encode(
        ((u, c, v) for (u, c), v in cells.items()), (len(unit_index), len(coder_index)), cats
    )
    return Ratings(codes, cats, tuple(coder_index), tuple(unit_index))


def _encode(
    cells: Iterable[tuple[int, int, Hashable]], shape: tuple[int, int], cats: Sequence[Hashable]
) -> np.ndarray:
    """A units x coders matrix of category codes, MISSING where no cell is given."""
    index = {c: i for i, c in enumerate(cats)}
    codes = np.full(shape, MISSING, dtype=np.int32)
    for u, c, value in cells:
        try:
            codes[u, c] = index[value]
        except KeyError:
            raise ValueError(f"value {value!r} is not among the categories") from None
    return codes


def _categories(
    seen: Iterable[Hashable], declared: Sequence[Hashable] | None
) -> tuple[Hashable, ...]:
    if declared is not None:
        cats = tuple(declared)
        if len(set(cats)) != len(cats):
            raise ValueError("categories must be distinct")
        return cats
    unique = list(dict.fromkeys(seen))
    try:
        return tuple(sorted(unique))  # type: ignore[type-var]
    except TypeError:
        return tuple(unique)


@dataclass(frozen=True, eq=False)
class Coded:
    """Internal canonical form: codes (-1 missing) and, for numeric data, each code's value."""

    codes: np.ndarray
    n_categories: int
    values: np.ndarray | None = field(default=None)

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[1])


def as_coded(data: RatingsLike) -> Coded:
    """Bring either input shape to `Coded`; a float array is factorised into sorted values."""
    if isinstance(data, Ratings):
        return Coded(data.codes, len(data.categories), _numeric_categories(data.categories))
    x = _as_float_matrix(data)
    codes, values = factorize(x)
    return Coded(codes, len(values), values)


def as_values(data: RatingsLike) -> np.ndarray:
    """The ratings as a float matrix with NaN for missing (interval and ratio levels)."""
    if isinstance(data, Ratings):
        values = _numeric_categories(data.categories)
        if values is None:
            raise ValueError("interval and ratio levels need numeric categories")
        out = np.full(data.codes.shape, np.nan)
        rated = data.codes >= 0
        out[rated] = values[data.codes[rated]]
        return out
    return _as_float_matrix(data)


def _as_float_matrix(data: np.ndarray) -> np.ndarray:
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"ratings must be units x coders (2-D), got shape {x.shape}")
    if np.isinf(x).any():
        raise ValueError("ratings must be finite numbers, with NaN for missing")
    return x


def _numeric_categories(categories: tuple[Hashable, ...]) -> np.ndarray | None:
    if all(isinstance(c, numbers.Real) for c in categories):
        values = np.array(categories, dtype=np.float64)
        if np.isfinite(values).all():
            return values
    return None


def factorize(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for NaN) and the sorted distinct values of a float matrix."""
    rated = ~np.isnan(x)
    if not rated.any():
        return np.full(x.shape, MISSING, dtype=np.int32), np.empty(0)
    lo, hi = float(np.fmin.reduce(x, axis=None)), float(np.fmax.reduce(x, axis=None))
    # Rating scales are small integers: shifting them to codes and a bincount over the range
    # is much cheaper than the sort np.unique needs, and this is most of the cost of one
    # alpha on a large matrix.
    if hi - lo < 1 << 16:
        shifted = np.where(rated, x - lo, -1.0)
        codes = shifted.astype(np.int32)
        if np.array_equal(codes, shifted):
            used = np.bincount(codes.ravel() + 1, minlength=int(hi - lo) + 2)[1:] > 0
            values = lo + np.flatnonzero(used).astype(np.float64)
            if not used.all():
                remap = np.append(np.cumsum(used, dtype=np.int32) - 1, MISSING)
                codes = remap[codes]  # -1 indexes the appended MISSING
            return codes, values
    codes = np.full(x.shape, MISSING, dtype=np.int32)
    values, inverse = np.unique(x[rated], return_inverse=True)
    codes[rated] = inverse.astype(np.int32)
    return codes, values


def row_sum(a: np.ndarray) -> np.ndarray:
    """Sum over the columns of a units x few-columns array.

    numpy's reduction over a short trailing axis pays a per-row overhead; adding the columns
    one by one is about ten times faster for the handful of coders or categories we have.
    """
    if a.shape[1] > 32:
        total: np.ndarray = a.sum(axis=1)
        return total
    dtype = np.float64 if a.dtype.kind == "f" else np.int64
    out = np.zeros(a.shape[0], dtype=dtype)
    for j in range(a.shape[1]):
        out += a[:, j]
    return out


def unit_counts(codes: np.ndarray, n_categories: int) -> np.ndarray:
    """Per-unit value counts N (units x categories): how many coders gave unit u category c."""
    n_units, n_coders = codes.shape
    if n_categories * n_coders <= 64:
        # Column by column: vectorised comparisons, no flat index to build.
        out = np.zeros((n_categories, n_units), dtype=np.int64)
        for c in range(n_categories):
            for j in range(n_coders):
                out[c] += codes[:, j] == c
        return out.T
    rated = codes >= 0
    rows = np.nonzero(rated)[0]
    flat = rows * n_categories + codes[rated]
    return np.bincount(flat, minlength=n_units * n_categories).reshape(n_units, n_categories)


def iter_unit_chunks(n_units: int, width: int, budget: int = 1 << 22) -> Iterable[slice]:
    """Slices of units such that a chunk x width array stays within `budget` elements."""
    step = max(1, budget // max(1, width))
    for start in range(0, n_units, step):
        yield slice(start, min(n_units, start + step))
