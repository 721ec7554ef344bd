"""Shares of work done, as the screens and `status` print them."""

from __future__ import annotations

import math


def percent_done(done: int, total: int) -> float:
    """`done` of `total` in percent, rounded down to a tenth: 100.0 only when all is done
    (audit9a F9: 14,997 of 15,000 confirmed showed as "100.0%", a whole article left)."""
    if total <= 0:
        return 0.0
    return math.floor(1000 * done / total) / 10
