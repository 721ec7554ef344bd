"""Result types shared by every coefficient: a value, or the reason there is none."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Reasons a coefficient is undefined. Callers may compare against these constants; the
# wording is meant to be shown to users as is.
SINGLE_CODER = "only one coder: agreement needs at least two"
NO_PAIRABLE_UNIT = "no unit has ratings from two or more coders"
NO_VARIATION = (
    "every rating has the same value, so chance agreement is perfect (expected disagreement is 0)"
)
NOT_TWO_CODERS = "needs exactly two coders, got {n}"
NO_COMMON_UNIT = "the two coders rated no unit in common"
FEWER_THAN_TWO_CATEGORIES = "fewer than two categories: AC1 needs at least two"
LABEL_UNUSED = "nobody used this label"
NO_POSITIVE_PAIR = "no pairable unit has the label present"
NO_NEGATIVE_PAIR = "no pairable unit has the label absent"
SAME_CODER = "a coder compared with itself"


@dataclass(frozen=True)
class ConfidenceInterval:
    """A percentile bootstrap interval over units, or the reason there is none.

    `n_undefined` counts the resamples on which the coefficient was undefined (for example a
    resample without variation); they are dropped before taking percentiles.
    """

    low: float | None
    high: float | None
    confidence: float
    n_resamples: int
    n_undefined: int
    reason: str | None = None

    def __post_init__(self) -> None:
        _check_value_or_reason(self.low, self.reason)
        _check_value_or_reason(self.high, self.reason)

    @property
    def defined(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class Coefficient:
    """One agreement coefficient.

    Exactly one of `value` and `reason` is None: an undefined coefficient carries a reason
    instead of a number (never NaN).

    `observed` and `expected` are the two terms the coefficient is built from: the observed
    and expected *disagreement* (D_o, D_e) for Krippendorff's alpha, the observed and chance
    *agreement* (p_a, p_e) for the kappa family and AC1. `n_units` counts the units whose
    agreement was measured (two or more ratings; for Cohen's kappa and Scott's pi, rated by
    both coders) and `n_values` the ratings in those units.
    """

    name: str
    value: float | None
    reason: str | None = None
    n_units: int = 0
    n_values: int = 0
    observed: float | None = None
    expected: float | None = None
    ci: ConfidenceInterval | None = None

    def __post_init__(self) -> None:
        _check_value_or_reason(self.value, self.reason)

    @property
    def defined(self) -> bool:
        return self.reason is None


def _check_value_or_reason(value: float | None, reason: str | None) -> None:
    # The invariant is what lets callers trust `value is None` as "undefined": enforce it.
    if (value is None) == (reason is None):
        raise ValueError("exactly one of value and reason must be given")
    if value is not None and not math.isfinite(value):
        raise ValueError(f"coefficient values must be finite, got {value!r}")
