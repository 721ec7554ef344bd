"""The `--bootstrap N` option of `agreement` and `status`: 0 for no intervals, or enough
resamples for a 95% interval to have tails (audit8 F14: `--bootstrap 3` printed a "95% CI"
that was the spread of three numbers)."""

from __future__ import annotations

import click

from annotator.agreement.bootstrap import DEFAULT_RESAMPLES

# The 2.5th and 97.5th percentiles of fewer than 20 values fall beside the lowest and highest
# draw: the "interval" is the range of a handful of resamples, not the statistic's spread.
MIN_RESAMPLES = 20


def enough_resamples(ctx: click.Context, param: click.Parameter, value: int) -> int:
    """The option's callback (its type, IntRange(min=0), has made it a whole number)."""
    if value != 0 and value < MIN_RESAMPLES:
        raise click.BadParameter(
            f"{value}: 0 (no intervals) or at least {MIN_RESAMPLES} resamples for a 95% "
            f"interval ({DEFAULT_RESAMPLES} is the default)",
            ctx,
            param,
        )
    return value
