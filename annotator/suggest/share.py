"""A share of k in n, with its 95% interval: what the anchoring report's columns hold.

The bootstrapped ones (`article_share`) count per sentence, and resample whole articles as
alpha's interval does (agreement/shares.py, audit15a F1): the confirmations of a sentence,
and the sentences of an article, are no independent draws.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from annotator.agreement.shares import share_interval

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Share:
    """k of n, with a 95% interval (`ci`; None: `ci_reason` says why, or no bootstrap was
    asked), or the reason there is no value (`reason`, n is 0)."""

    k: int
    n: int
    ci: tuple[float, float] | None = None
    ci_reason: str | None = None
    reason: str | None = None

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return self.ci


def wilson_share(k: int, n: int) -> Share:
    """k of n with a Wilson interval, which `accepted unchanged` has always had (one
    acceptance per confirmation; those of one article are not independent either, and
    are not yet resampled by article as vs ref is)."""
    return Share(k, n, wilson(k, n))


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    if n == 0:
        return None
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def article_share(
    per: Mapping[int, tuple[int, int, str]],
    *,
    label: str,
    n_resamples: int,
    seed: int,
    resample: str,
    what: str,
    too_few: str | None = None,
) -> Share:
    """sum(k) of sum(n) over `per` (sentence -> (k, n, its article)), with the bootstrap
    interval of agreement/shares.py: whole articles resampled (`resample` "sentence":
    sentences), none below its minimum, `what` naming a unit in the reason. `too_few`: why
    there is no interval anyway. With n_resamples 0: no interval, no reason."""
    k = sum(x[0] for x in per.values())
    n = sum(x[1] for x in per.values())
    if not n_resamples or not n:
        return Share(k, n)
    if too_few:
        return Share(k, n, ci_reason=too_few)
    ci = share_interval(
        [x[0] for x in per.values()],
        [x[1] for x in per.values()],
        [x[2] for x in per.values()] if resample == "article" else None,
        label=label,
        n_resamples=n_resamples,
        seed=seed,
        what=what,
        instead=" (--bootstrap-by sentence resamples sentences)",
    )
    if ci.low is None or ci.high is None:
        return Share(k, n, ci_reason=ci.reason)
    return Share(k, n, (ci.low, ci.high))
