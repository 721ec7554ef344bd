"""A share (k of n confirmations that say what a reference says) with a percentile bootstrap
interval resampling what alpha's resamples (bootstrap.py): whole articles by default.

The confirmations of one sentence are not independent draws: with two annotators compared
with each other, both agree or both disagree, so one disagreement is two confirmations; and
sentences of one article share its topic, its writer and the annotator's sitting. A Wilson
interval over the confirmations treated each as a draw of its own (audit15a F1: 0.911-0.976
from one article). Here a unit is a sentence, reduced to (k, n): its agreeing confirmations
and its judged ones; the share is sum(k) / sum(n), the same ratio as over the
confirmations, and a resample weights each sentence by how often its article (or, resampling
sentences, itself) was drawn. Below MIN_INTERVAL_UNITS articles (or sentences) there is no
interval, with the reason, as for alpha (intervals.py).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.agreement import bootstrap as boot
from annotator.agreement import kernels as k
from annotator.agreement import results as r
from annotator.agreement.labels import label_seed
from annotator.agreement.report_json import MIN_INTERVAL_UNITS


@dataclass(frozen=True)
class ShareStatistic:
    """sum(k) / sum(n) over the units, each unit's features its (k, n)."""

    def features(self, rows: np.ndarray) -> np.ndarray:
        return np.asarray(rows, dtype=np.float64)

    def evaluate(self, agg: np.ndarray) -> k.Batch:
        agreeing, judged = agg[:, 0], agg[:, 1]
        reason = np.where(judged > 0, k.DEFINED, k.NO_PAIRABLE).astype(np.int8)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = agreeing / np.where(judged > 0, judged, 1)
        nan = np.full_like(value, np.nan)
        return k.make_batch(value, nan, nan, reason, judged, judged)


def share_interval(
    agreeing: Sequence[int],
    judged: Sequence[int],
    clusters: Sequence[Hashable] | None,
    *,
    label: str,
    n_resamples: int,
    seed: int,
    what: str,
    instead: str = "",
    confidence: float = 0.95,
) -> r.ConfidenceInterval:
    """The interval of sum(agreeing) / sum(judged), one entry per sentence (`clusters`: each
    sentence's article, resampled whole; None: sentences resampled). The seed is the one
    alpha's interval of `label` draws from, (seed, label_seed(label)), so the two columns of
    a report resample alike. Below MIN_INTERVAL_UNITS articles (sentences) with a judged
    confirmation (`what` names one), no interval and why. `n_resamples` must be positive."""
    k_u = np.asarray(agreeing, dtype=np.int64)
    n_u = np.asarray(judged, dtype=np.int64)
    keep = n_u > 0
    groups = None if clusters is None else np.asarray(clusters)[keep]
    units = len(np.unique(groups)) if groups is not None else int(keep.sum())
    if units < MIN_INTERVAL_UNITS:
        needs = "resampling sentences" if groups is None else "resampling whole articles"
        kind = "sentence(s)" if groups is None else "article(s)"
        reason = (
            f"no interval: {units} {kind} with {what}, and {needs} needs at least "
            f"{MIN_INTERVAL_UNITS}{instead if groups is not None else ''}"
        )
        return r.ConfidenceInterval(None, None, confidence, n_resamples, 0, reason)
    patterns = boot.unique_rows(np.column_stack([k_u[keep], n_u[keep]]))
    if groups is not None:
        patterns = boot.clustered(patterns, groups)
    stat = ShareStatistic()
    features = stat.features(patterns.rows)
    ((values, reasons),) = boot.resample(
        [features], [stat], patterns, n_resamples, (seed, label_seed(label))
    )
    return boot.percentile_interval(
        values, reasons, k.DEFINED, confidence, boot.DEFAULT_MAX_UNDEFINED
    )
